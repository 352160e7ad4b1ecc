### Learning, quizzes, help

menu-learn = 📚 Learn about drugs
menu-quiz = 🎓 Take a quiz
menu-helpdesk = 🆘 Hotlines and support

learn-pick-topic = Which topic would you like? (You can also type words to search, e.g. tem giay, nuoc vui, vape.)
learn-topics-button = 📚 Topics
learn-pick-article = { $topic } – choose an article:
learn-more = ▶️ More ({ $page }/{ $pages })
learn-report-shortcut = 🛡 Report anonymously
learn-footer = Sources:
    { $sources }
    Last reviewed: { $reviewed }
learn-results = Matching articles:
learn-no-results = No article matched that. Please choose a topic below.
topic-substances = 💊 Drugs and their harms
topic-disguised = 🍬 Disguised drugs
topic-families = 👪 Family and school
topic-emergencies = 🚑 Emergencies
topic-law = ⚖️ The law
topic-help = 🤝 Getting help
topic-community = 🏘 Neighbourhoods and work
topic-privacy = 🔒 How tips are protected

quiz-intro = 🎓 Drug-awareness quiz: { $count } random questions. After each one you'll see whether you were right, and why.
    If your teacher gave you a class code, choose “Enter a class code” before starting: grades 6–9 get lower-secondary questions, grades 10–12 also get upper-secondary ones.
quiz-start = ▶️ Start
quiz-enter-class = 🏫 Enter a class code
quiz-ask-class = Type the class code your teacher gave you (for example: 10A1).
quiz-bad-class = A class code has only letters without accents, digits, - or _, at most 20 characters (for example: 10A1).
quiz-class-set = Class code: { $class }. Results are only counted per class, never with your name or account.
quiz-question = Question { $n }/{ $total }: { $text }
quiz-right = ✅ Correct!
quiz-wrong = ❌ Not quite. The right answer: { $answer }
quiz-feedback = { $verdict }
    ℹ️ { $explanation }
    Source: { $source }
quiz-pick-an-option = Please pick one of the answers below (tap a button or type its number).
quiz-score = You got { $score } out of { $total } right. The articles explain more!
quiz-score-great = 🎉 Excellent! You got { $score } out of { $total } right.
quiz-again = 🔁 Try again

helpdesk-intro = 🆘 When you need help
    If there is danger right now, call 113 or 115.
helpdesk-pick-province = Choose your province or city to see any local help points the operator has verified:
helpdesk-local = Help points in { $province }:
helpdesk-none = No verified counselling or rehab point is listed for { $province } yet. Your commune or ward police station or health station can advise you; in an emergency call 113 or 115.
helpdesk-kind-rehab = rehab
helpdesk-verified = details verified on { $date }
helpdesk-kind-counselling = counselling

## Class codes for teachers (/class)
quiz-class-shared = Class code: { $class }. Note: "{ $class }" may also be used by a class with the same name at another school, so results may be pooled. Your teacher can get a code of the class's own with /class { $class }. Results are only counted per class, never with your name or account.
class-ask-label = Type the class name (for example: 10A1). I will make a code for your class that no other school has.
class-bad-label = A class name has only letters without accents, digits, - or _, at most 16 characters (for example: 10A1). Please type it again.
class-issued = Your class code: { $code }
    
    • Students type /quiz { $code } (or choose "Enter class code" in the quiz) and take the quiz. No student names or accounts are needed.
    • See the class's results (attempts, mean score, the questions most often missed) at this private link, valid until the end of { $until }:
    { $link }
    
    The link is secret: anyone who has it can see the class's results, so do not post it publicly.
