### Chat interface (English)

welcome = Hello! This is Tipline, for drug-prevention awareness and anonymous reports of drug crime.
    You never need to give your name or phone number.
choose-language = Chọn ngôn ngữ / Choose your language:
language-set = Language set to English.
menu-prompt = What would you like to do?
menu-report = 🛡 Report anonymously
menu-continue-report = 🛡 Continue your report
menu-status = 🔎 Follow up a report
menu-privacy = 🔒 Privacy
menu-help = ❓ How to use Tipline
menu-language = 🌐 Ngôn ngữ / Language
menu-attachment-outside-report = We only take photos and locations while you are making a report. Choose “Report anonymously” first.
menu-not-understood = Sorry, we didn't understand that. Please pick one of the options below (tap a button or type its number).
unknown-command = Tipline has no such command. Type /help to see the commands.
nothing-to-cancel = There is no report in progress.
back-to-menu = ↩ Main menu
error-try-again = Sorry, the system is busy and could not save that. Please send your last message again in a few minutes. Everything you entered before is still kept.

help-text = Commands you can use:
    /start – start and choose a language
    /menu – main menu
    /report (or /tip) – report anonymously
    /status [receipt code] – check a report you sent
    /cancel – discard the report in progress
    /learn (or /topics) – read articles by topic; you can also type words to search, e.g. tem giay
    /quiz [class code] – take a quiz; a teacher gives the whole class one code, e.g. /quiz 10A1-7KQ. Grades 6–9 get lower-secondary questions, grades 10–12 also get upper-secondary ones
    /class [class name] – for teachers: get a code of your class's own and a link to its results, e.g. /class 10A1
    /sos (or /hotline) – hotlines and support
    /subscribe (or /dangky) – receive awareness messages; add a province for local news too, e.g. /subscribe Đà Nẵng
    /unsubscribe (or /huydangky) – stop them and delete your chat ID
    /erase – delete this report conversation from the chat (Telegram; elsewhere, how to do it by hand)
    /forget – delete this chat's reply notices and subscription
    /lang (or /language) – change language
    /privacy – what we keep, and for how long
    /help – this guide

    At each step, tap a button or type the option's number.
    Emergency: call 113 (police) or 115 (ambulance).

    At each step, tap a button or type the option's number.
    Emergency: call 113 (police) or 115 (ambulance).

privacy-text = 🔒 What we keep, and for how long
    • No name, phone number or chat ID is stored with a report. While you chat, you are known only by a keyed hash made with the server's secret key; reports do not carry it.
    • The chat app (Telegram, Zalo, Messenger) still knows which account talks to the bot: Tipline cannot change that.
    • Receipt codes are stored only as a hash: keep yours safe, a lost code cannot be reissued.
    • Photos lose their GPS, device and owner data before storage.
    • Every report and status change is written to a tamper-evident ledger.
    • Drafts and sessions expire when unused; closed reports are deleted after the retention period. Logs hold no message text or identities.
    • /subscribe stores your chat ID in the campaign list, linked to no report; /unsubscribe or blocking the bot deletes it at once.
    • Reply notice (only if you ask after sending): this chat's address, encrypted, linked to that report, until it is closed or you send /forget.
    • Your phone: once your code is saved elsewhere, erase the conversation (/erase). On Telegram the bot deletes it for you within 48 hours; on Zalo and Messenger, delete it by hand.
    The hotline 0769.04.04.04 and reporting in person are confidential, not anonymous: your number or your face is known.

## Reporting

report-intro = Thank you for helping fight drug crime. Tipline does not ask your name and stores no chat ID with your report, but Telegram or Zalo still know which account talks to the bot (/privacy says exactly what is kept). Type /cancel at any time to stop; after sending, you can erase this conversation from your phone.
report-resumed = You have a report in progress. Let's continue.
report-ask-category = Step 1/5 – What do you want to report?
    • Venue: karaoke, bar, guesthouse, rented room…
    • Transport: including by post or courier
    • Disguised drugs: candy, drinks, vapes, sold near schools or online
category-dealing = Drug dealing
category-use_venue = Drug use or a venue for it
category-trafficking = Transport, post or courier
category-production = Production or a drug lab
category-cultivation = Growing drug plants
category-disguised_sale = Disguised drugs for sale
category-person_in_danger = Someone in danger, psychosis
category-other = Something else
danger-call-now = ⚠️ If someone is in danger, call 113 (police) or 115 (ambulance) now. Keep a safe distance and don't argue with someone who is agitated.
    After calling, you can finish the report here: it will be marked urgent.
report-ask-location = Step 2/5 – Which ward or commune did it happen in? Type its name (for example: Bien Hoa). Accents are optional.
    You can also share a location as extra detail.
report-dont-know-ward = I don't know the ward
report-location-pick = Pick the right place:
report-search-again = 🔁 Search again
report-whole-province = { $province } (ward unknown)
report-location-none = No ward, commune or province called “{ $query }” was found. Try another spelling (accents optional), or choose “I don't know the ward”.
report-ask-province = Choose the province or city where it happened:
report-location-noted = 📍 Location noted.
report-location-invalid = That location is not valid, so it was not noted.
report-ask-when = Step 3/5 – When did it happen?
when-now = Happening now / today
when-this_week = This week
when-earlier = Earlier
when-unknown = Not sure
report-ask-description = Step 4/5 – Describe what you saw: who, doing what, where exactly (house number, venue name, descriptions, vehicles…), and whether it happens often.
    Between { $min } and { $max } characters. Don't include details about yourself.
report-description-too-short = That description is a little short ({ $len } characters). Please add detail: at least { $min } characters.
report-description-too-long = That description is too long ({ $len } characters, the maximum is { $max }). Please shorten it and send it again; you can add more after sending, with your receipt code.
report-ask-attachments = Step 5/5 – Do you have photos? Send up to { $max } photos (JPEG or PNG). Location and device data are removed before storage.
report-more-attachments = Received { $count }/{ $max } photos. Send more or tap “Done”.
report-skip-attachments = Skip
report-done-attachments = Done
report-attachment-received = 📎 Photo received.
report-attachments-full = You have sent the maximum number of photos.
report-attachment-not-now = We're not at the photo step yet. Please answer the question below first.
attachment-too-large = That file is too large (10 MB maximum). Please send a smaller photo.
attachment-unsupported = I can only accept JPEG or PNG photos. That file was not stored.
attachment-corrupt = I couldn't read that image. Please take or send it again.
attachment-too-many-pixels = That picture is too big to process (at most 8,000 pixels on a side, and fewer in total for large photos). Please send a smaller photo or a screenshot. Nothing was stored.
attachment-draft-full = Your report already holds as much photo data as it can (25 MB). Please continue without more photos; nothing more was stored.
report-not-understood = Sorry, I didn't understand. Please choose one of the options below.
review-summary = Please check your report:
    • Type: { $category }
    • Place: { $location }
    • GPS location: { $gps }
    • When: { $when }
    • Photos: { $attachments }
    • Description: { $description }
review-send = ✅ Send report
review-edit = ✏️ Edit
review-cancel = ❌ Cancel
report-ask-edit = What would you like to change?
edit-location = Place
edit-when = When
edit-description = Description
edit-attachments = Photos
edit-restart = Start over
edit-back = ↩ Back to the summary
report-cancelled = Cancelled. The draft was deleted and nothing was stored.
report-submitted = ✅ Report sent. Thank you!
    Reference: { $reference }
    🔑 Receipt code: { $receipt }
    Write the receipt code down somewhere safe. It is the only way to follow your report, read officers' replies and add information (command /status). We do not keep the code, so it cannot be reissued.

## Following up

status-ask-receipt = Send your receipt code (like XXXX-XXXX-XXXX-XXXX-XXXX). Upper or lower case, with or without hyphens.
status-bad-format = That is not a receipt code. Receipt codes have 20 letters and digits, usually written as 5 groups of 4.
status-not-found = No report matches that code. Please check it ({ $left } attempts left this hour).
status-throttled = Too many wrong codes. To protect reports, please try again in about { $minutes } minutes.
status-found = Report { $reference }
    Status: { $status }
status-no-messages = No reply from an officer yet.
status-from-officer = 👮 Officer
status-from-you = 🙋 You
status-reply = ✉️ Add information
status-ask-message = Type the message for the officer handling your report (up to { $max } characters).
status-message-length = A message must have some text and at most { $max } characters (this one has { $len }). Please send it again.
status-message-ask-receipt = To send it, type your receipt code once more. Tipline does not remember which report you looked at, so this chat cannot be linked to it.
status-message-sent = Your message was added to report { $reference }.
status-new = Received
status-open = In progress
status-closed = Closed
resolution-actioned = actioned
resolution-unfounded = not substantiated
resolution-duplicate = duplicate of another report
resolution-spam = invalid

## Issue 21: old place names, shared locations, intent, times in words, help, class codes
report-location-former = The former { $old } is now { $count ->
    [1] part of
   *[other] split into
  }: { $wards }.
report-location-near = 📍 Is it near { $ward }? The location is compared with ward centres, so this is only a suggestion: please confirm.
report-location-near-yes = ✅ Yes, { $ward }
report-location-near-no = 🔁 No, search by name
report-location-no-fix = The location sent is 0,0: the phone probably had no fix yet. Please type the name of the ward or commune.
report-location-outside = That location is outside Vietnam, so it was not noted. Please type the name of the ward or commune where it happened.
report-location-too-long = That place name is too long. Just type the ward or commune (for example: Bien Hoa, District 1); put other details in the description step.
report-location-no-letters = That message has no letters to search for. Please type the name of the ward or commune (for example: Bien Hoa), or choose “I don't know the ward”.
welcome-short = Hello, this is Tipline: drug-prevention information and anonymous reports of drug crime.
intent-report-offer = Would you like to send an anonymous report about this? What you just wrote will be kept as its description.
intent-report-yes = ✅ Yes, send an anonymous report
intent-report-no = 🔎 No, search articles
intent-report-kept = What you wrote is kept as the description. Please answer a few more questions.
report-when-understood = Time noted as you wrote it: “{ $said }” (closest option: { $option }).
report-when-kept = Time noted as you wrote it: “{ $said }”. If you remember more, you can add it in the description.
tip-when-said-line = [Time as the reporter said it: “{ $said }”]
helpdesk-first-stop = The first place to ask, in every province:
    • The health station of your commune or ward: advice and referral to addiction treatment (including methadone treatment) and voluntary rehab. Ask the commune or ward People's Committee, or its web portal, for the address.
    • The commune or ward People's Committee: where voluntary rehab is registered. Registering for treatment is not a crime.
    National numbers:

## Issue 13: erasing the conversation from the phone, the optional reply notice, /forget

erase-offer = 🧹 I saved my code: erase this chat
erase-confirm = Erase this conversation from your phone? I will delete the messages of this conversation from the chat, yours and mine, so nobody who picks up your phone can read them. Your report stays with the officers.
    Check first that your receipt code is saved somewhere outside this chat: after erasing, it is no longer here.
erase-yes = 🧹 Yes, erase it now
erase-no = Not now, keep the chat
erase-kept = The chat is kept. You can delete it by hand at any time.
erase-done = 🧹 Done: { $count } messages were deleted from this chat. Send /menu to continue.
erase-partly = 🧹 { $count } messages were deleted. { $left } could not be deleted any more (Telegram allows it only for 48 hours).
erase-too-late = I can no longer delete those messages: Telegram lets a bot delete messages only within 48 hours.
erase-nothing = There is nothing left here that I can erase: the conversation was already erased, or it was not kept for erasing.
erase-by-hand-telegram = To delete the chat by hand in Telegram: open this chat, tap the ⋮ menu (top right) and choose “Clear history” or “Delete chat”, and tick “Also delete for Tipline” if offered.
erase-by-hand-zalo = Zalo does not let the bot delete messages. To delete this conversation by hand: open the chat, tap ☰ (top right) and choose “Delete chat history” (Xóa lịch sử trò chuyện).
erase-by-hand-messenger = Messenger does not let the bot delete messages. To delete this conversation by hand: in your list of chats, press and hold it (or swipe it left on iPhone) and choose “Delete”.
erase-by-hand-web = To remove this conversation from this device, close the chat window and clear this site's data in your browser (or use a private window next time).
erase-by-hand-console = This is the console: nothing is kept on a phone. Clear the terminal and its scrollback to remove the conversation from the screen.
notice-offer = 🔔 Tell me here when officers reply
notice-explain = 🔔 Optional: I can tell you in this chat when officers reply (never what they wrote). That stores an encrypted address of this chat, linked to this report, until the report is closed or you send /forget.
notice-on = 🔔 Done: when officers reply, I will send “You have a reply” here. Send /forget to stop it at any time.
notice-reply = 🔔 You have a reply about your report. Send /status and your receipt code to read it.
forget-done = Done: this chat's reply notices and campaign subscription (if any) are deleted, and no messages are kept for erasing.
