### Telegram and Zalo channels, and unit notices (English)

telegram-command-start = Start and choose a language
telegram-command-report = Report anonymously
telegram-command-status = Follow up a report with its receipt code
telegram-command-menu = Main menu
telegram-command-cancel = Discard the report in progress
telegram-command-lang = Change language
telegram-command-privacy = What we keep, and for how long
telegram-command-help = How to use Tipline
telegram-group-private-only = To keep reports anonymous, they can only be made in a private chat with { $bot }. Please message the bot directly; nothing from this group is recorded.

## Notices to a unit's Telegram group: no description, no reporter data.
notice-routed = 🔔 New tip { $reference } for { $unit }
    Category: { $category }
    Place: { $place }
    Priority: { $priority }
    Open in the dashboard: { $link }
notice-informed = ℹ️ For information: tip { $reference } was routed to another unit; { $unit } is kept informed.
    Category: { $category }
    Place: { $place }
    Priority: { $priority }
    Open in the dashboard: { $link }
notice-transferred = 🔁 Tip { $reference } was transferred to { $unit }
    Category: { $category }
    Place: { $place }
    Priority: { $priority }
    Open in the dashboard: { $link }
notice-priority-urgent = URGENT
notice-priority-high = High
notice-priority-normal = Normal
notice-priority-low = Low

# Posted to unit groups daily and after a purge; the line is a signed ledger checkpoint.
ledger-checkpoint-notice =
    📒 Tipline ledger checkpoint. Keep this message: `tipline ledger verify --checkpoints` checks the database against it.
    { $line }

## Messenger: the Page's welcome screen and persistent menu (tipline messenger setup).
## Greeting at most 160 characters, menu titles at most 30.
messenger-greeting = Anonymous drug-crime tips, drug awareness and help. No name or chat ID is stored with a tip.
messenger-menu-report = Report anonymously
messenger-menu-status = Follow up a report
messenger-menu-learn = Learn about drugs
messenger-menu-main = Main menu
