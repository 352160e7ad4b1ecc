# Phrase lists the bot uses to understand free text (issue 21). One phrase a
# line; matching ignores case, accents and punctuation and needs whole words.
# A report phrase anywhere in a message offers to start an anonymous report.
# Vietnamese phrases also work in English sessions (people mix languages).
phrases-report =
    someone is selling
    someone sells
    someone is dealing
    people are selling
    selling drugs
    sells drugs
    dealing drugs
    drug dealer
    drug dealing
    i want to report
    i would like to report
    i want to tip
    report a crime
    report drug
    tip off
    i saw someone selling
    using drugs in
# The whole message being one of these cancels what is in progress.
phrases-cancel =
    cancel
    stop
    quit
    never mind
    nevermind
    hủy
    huỷ
    thôi
# A first message that is only a greeting gets the welcome and the menu.
phrases-greeting =
    hello
    hi
    hey
    good morning
    good evening
    start
    menu
    xin chào
    chào
# "When" in words, mapped to the closest option; the longest match wins.
phrases-when-now =
    now
    right now
    just now
    today
    this morning
    this afternoon
    this evening
    tonight
    a moment ago
    happening now
phrases-when-this_week =
    yesterday
    yesterday night
    yesterday evening
    yesterday morning
    last night
    the day before yesterday
    two days ago
    2 days ago
    a few days ago
    this week
    this weekend
    tối qua
    hôm qua
phrases-when-earlier =
    last week
    last month
    this month
    last year
    a long time ago
    long ago
    weeks ago
    months ago
    tuần trước
