### Officer dashboard (English)

nav-queue = Queue
nav-stats = Statistics
nav-audit = Audit
nav-admin = Administration
nav-account = Account
nav-logout = Sign out

## Sign-in
login-title = Tipline: officer sign-in
login-intro = For police officers only. Every action is recorded.
login-username = Username
login-password = Password
login-totp = Authenticator code (if enabled)
login-submit = Sign in
login-failed = Wrong username, password or code.
login-throttled = Too many attempts. Wait a little while (up to 15 minutes) and try again.
password-too-short = The password must have at least 10 characters.

## Queue
queue-title = Tip queue
queue-new-count = { $count ->
    [one] { $count } new tip
   *[other] { $count } new tips
}
queue-new-count-title = New tips nobody has opened yet
queue-sla-note = Red age: no response after { $hours } hours.
queue-empty = No tips match these filters.
queue-first-page = ← First page
queue-next-page = Next page →
queue-overdue = Waiting too long without a response
queue-informed = informed
queue-purge-soon = purge soon
queue-purge-soon-title = This closed tip will be deleted within a week (retention period).
col-priority = Priority
col-reference = Reference
col-category = Category
col-area = Ward / commune
col-received = Received
col-status = Status
col-assignee = Assignee
col-summary = Summary
area-ward-unknown = Ward unknown

filter-status = Status
filter-status-active = Active (new + open)
filter-status-new = New
filter-status-open = Open
filter-status-closed = Closed
filter-status-any = All
filter-category = Category
filter-any = Any
filter-priority = Priority
filter-ward = Ward code
filter-from = From
filter-to = To
filter-assignee = Assignee
filter-assignee-me = Me
filter-assignee-none = Unassigned
filter-reference = Reference
filter-apply = Filter
filter-reset = Reset

dash-category-dealing = Dealing
dash-category-use_venue = Use / venue
dash-category-trafficking = Trafficking
dash-category-production = Production / lab
dash-category-cultivation = Cultivation
dash-category-disguised_sale = Disguised drugs
dash-category-person_in_danger = Person in danger
dash-category-other = Other
dash-priority-urgent = Urgent
dash-priority-high = High
dash-priority-normal = Normal
dash-priority-low = Low
dash-status-new = New
dash-status-open = Open
dash-status-closed = Closed
dash-resolution-actioned = Actioned
dash-resolution-unfounded = Unfounded
dash-resolution-duplicate = Duplicate
dash-resolution-spam = Spam

## Tip detail
tip-read-only = read-only: your unit was informed
tip-purge-on = will be deleted on { $date }
tip-back = Back to the queue
tip-category = Category
tip-area = Area
tip-coordinates = Coordinates
tip-when-seen = When seen
tip-received = Received
tip-unit = Responsible unit
tip-informed-unit = Unit informed
tip-routing = Routing reason
tip-assignee = Assignee
tip-labels = Labels
tip-duplicate-of = Duplicate of
tip-first-response = First response
tip-closed-at = Closed
tip-ledger = Ledger hash
tip-ledger-ok = verified
tip-ledger-broken = verification FAILED at entry
tip-ledger-checkpoint = in checkpoint #{ $seq } of { $time }
tip-ledger-no-checkpoint = not yet in a signed checkpoint
tip-description = Description
tip-attachments = Photos
tip-attachment-alt = Photo sent with the tip (metadata removed)
tip-download = Download
tip-timeline = Timeline
tip-audit = Access log for this tip

event-submitted = Tip received
event-status = status →
event-transfer = transferred to
event-priority = priority →
event-assign = assigned to
event-labels = labels:
event-note = internal note
event-reply = reply to reporter
event-followup = message from reporter

## Actions
action-assignment = Assignment
action-claim = Take this tip
action-assign-to = Assign to
action-nobody = Nobody
action-assign = Assign
action-status = Status
action-open = Start working (open)
action-reopen = Reopen
action-mark-new = Mark as new
action-close = Close tip
action-close-confirm = Close this tip with the chosen resolution?
action-resolution = Resolution
action-duplicate-of = Duplicate of (reference, for “Duplicate”)
action-reply = Reply to the reporter
action-reply-help = The reporter reads this with their receipt code (/status). Never include names of officers or sources.
action-reply-send = Send reply
action-note = Internal note
action-note-help = Only officers see notes. The reporter never does.
action-note-save = Save note
action-priority-labels = Priority and labels
action-priority = Priority
action-labels = Labels
action-labels-placeholder = labels, comma-separated
action-save = Save
action-transfer = Transfer to another unit
action-transfer-unit = Unit code
action-transfer-reason = Reason
action-transfer-submit = Transfer
action-transfer-confirm = Transfer this tip? Your unit will no longer see it.

## Messages after an action
flash-claimed = You took this tip.
flash-assigned = Assignment saved.
flash-closed = Tip closed.
flash-status-changed = Status changed.
flash-priority-changed = Priority changed.
flash-labels-saved = Labels saved.
flash-note-saved = Note saved.
flash-reply-sent = Reply sent. The reporter will see it with /status.
flash-transferred = Tip transferred. The new unit has been notified.
flash-saved = Saved.
flash-language = Language changed.
flash-officer-created = Account created.
flash-password-changed = Password changed. Please sign in again.
flash-totp-started = Add the key to your authenticator app, then enter a code to confirm.
flash-totp-enabled = Two-step sign-in is now on.
flash-error-empty = Nothing was entered.
flash-error-too-long = That text is too long.
flash-error-invalid = That request was not valid.
flash-error-lead-only = Only a lead or admin can assign tips to others.
flash-error-label = Labels may have letters, digits, spaces and dashes (at most 10 labels of 32 characters).
flash-error-unit = Unknown unit code. Use CA-<ward code> or PC04-<province code>.
flash-error-username = Usernames have 3–32 characters: a–z, 0–9, dot, dash or underscore.
flash-error-username-taken = That username is already taken.
flash-error-password = The password must have at least 10 characters.
flash-error-current-password = The current password is wrong.
flash-error-chat-id = A Telegram chat id is a number (groups start with -100).
flash-error-retention = Retention must be between 30 and 3650 days.
flash-error-totp = That code is not valid. Check the time on your phone and try again.
flash-error-totp-required = Two-step sign-in is required for everyone and cannot be turned off.
flash-action-error-assignee = That officer is not an active member of this unit.
flash-action-error-resolution = Choose a resolution to close the tip.
flash-action-error-duplicate = For “Duplicate”, enter the reference of another tip you can see.
flash-action-error-same-unit = The tip is already with that unit.

## Statistics
stats-title = Statistics
stats-all-units = all units
stats-unit = Unit (empty = all)
stats-csv = Download CSV
stats-total = { $count ->
    [one] { $count } tip received
   *[other] { $count } tips received
}
stats-median-first = Median time to first response
stats-median-close = Median time to closure
stats-table = Counts by category, status and resolution
stats-col-total = Total
stats-col-new = New
stats-col-open = Open
stats-col-closed = Closed
stats-col-actioned = Actioned
stats-col-unfounded = Unfounded
stats-col-duplicate = Duplicate
stats-col-spam = Spam
chart-weekly = Tips per week by category
chart-status = Status breakdown
chart-response = Median hours to first response and to closure, by week received
chart-awareness = Article views and quiz completions per week (all channels)
chart-empty = No data in this period
chart-tips = tips
chart-hours = hours
chart-count = count
chart-article-views = Article views
chart-quiz-completions = Quizzes completed

## Audit
audit-title = Audit log
audit-intro = Every view of a tip and every action, newest first.
audit-empty = Nothing recorded yet.
audit-when = When
audit-who = Who
audit-unit = Unit
audit-tip = Tip
audit-action = Action
audit-detail = Detail
audit-action-view = viewed
audit-action-attachment = opened a photo
audit-action-export = exported CSV
audit-action-login = signed in
audit-action-claim = took the tip
audit-action-assign = assigned
audit-action-status = changed status
audit-action-priority = changed priority
audit-action-labels = changed labels
audit-action-note = added a note
audit-action-transfer = transferred
audit-action-reply = replied to the reporter
audit-action-officer-create = created an account
audit-action-officer-disable = disabled an account
audit-action-officer-enable = re-enabled an account
audit-action-officer-reset = reset a password
audit-action-unit-save = changed unit settings
audit-action-settings = changed settings
audit-action-password-change = changed own password
audit-action-totp-enable = turned on two-step sign-in
audit-action-totp-disable = turned off two-step sign-in

## Administration
admin-title = Administration
admin-officers = Accounts
admin-username = Username
admin-unit = Unit
admin-role = Role
admin-state = State
admin-active = active
admin-disabled = disabled
admin-enable = Enable
admin-disable = Disable
admin-reset = Reset password
admin-reset-confirm = Reset this password? The officer is signed out everywhere.
admin-reset-done = New temporary password for { $username } (shown once; ask them to change it):
admin-new-officer = New account
admin-password = Initial password
admin-create = Create
admin-units = Units
admin-display-name = Display name
admin-telegram = Telegram group chat id
admin-settings = Settings
admin-retention = Keep closed tips for (days)
admin-retention-help = Closed tips are deleted daily once this period has passed; they are flagged in the queue a week before.
admin-require-totp = Require two-step sign-in (TOTP) for every account
role-officer = Officer
role-lead = Lead
role-admin = Admin
role-supervisor = Province supervisor
role-national = National (read-only)
flash-error-role-unit = A supervisor account belongs to a provincial drug police unit (PC04-<province code>).

## Account
account-title = My account
account-totp = Two-step sign-in (TOTP)
account-totp-on = Two-step sign-in is on.
account-totp-off = Two-step sign-in is off. Turn it on to protect your account with an authenticator app.
account-totp-start = Turn on
account-totp-scan = Enter this key in your authenticator app (or paste the link below), then type the 6-digit code it shows:
account-totp-confirm = Confirm
account-totp-disable = Turn off
account-totp-disable-confirm = Turn off two-step sign-in?
account-totp-required = An administrator requires two-step sign-in. Set it up to continue.
account-password = Change password
account-current-password = Current password
account-new-password = New password (10+ characters)
account-password-change = Change password

## Class codes for teachers
nav-classes = Class codes
classes-title = Class codes for quizzes
classes-intro = Issue a class code of a school's own (no other school has it) and a secret link where the teacher reads the class's results without an account. The link is shown only once: send it to the teacher now. No student names or accounts are collected.
classes-label = Class name (for example: 10A1)
classes-create = Issue class code
audit-action-class-create = Class code issued
class-results-title = Quiz results of class { $code }
class-results-valid = This link works until the end of { $until }.
class-results-attempts = Attempts
class-results-mean = Mean score
class-results-missed = Questions the class most often missed
class-results-none-missed = No question has been answered wrongly yet.
class-results-right-share = ({ $correct } of { $answered } answers right)
class-results-empty = No student has taken the quiz with this class code yet.
class-results-privacy = Results are only counted per class; no student's name or account is recorded.
class-results-missing-title = These results cannot be opened
class-results-missing = The link is wrong or has expired (links work until the end of the school year). A teacher can get a new class code and link with /class in the bot.

## Local help points
help-points-title = Local help points (counselling, rehab)
help-points-intro = These points appear in the bot's /sos for their province, with the date they were verified. Only add places your unit has verified itself (by phone, or from an official list of the provincial Department of Health or police), say who verified them and when, and delete places you can no longer confirm. Every change is audited.
help-points-add = Add a point
help-points-province = Province or city
help-points-kind = Kind
help-points-kind-counselling = Counselling and support
help-points-kind-rehab = Rehab facility
help-points-name-vi = Name (Vietnamese)
help-points-name-en = Name (English)
help-points-address = Address
help-points-phone = Phone
help-points-hours-vi = Opening hours (Vietnamese)
help-points-hours-en = Opening hours (English)
help-points-source = Verified by (who, and how)
help-points-verified = Verified on
help-points-save = Save
help-points-delete = Delete this point
help-points-error-long = Each field takes at most 300 characters.
help-points-error-province = Choose a province or city.
help-points-error-kind = Choose the kind of point.
help-points-error-missing = Name, address, phone, who verified it and the date are required.
audit-action-help-add = Help point added
audit-action-help-edit = Help point edited
audit-action-help-delete = Help point deleted
