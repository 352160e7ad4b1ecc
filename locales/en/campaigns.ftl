### Campaign subscriptions (English)

menu-campaigns = 📣 Awareness messages
subscribe-intro = 📣 Awareness messages: a few a year from the police, e.g. for the Month of Action against drugs in June and for 26 June. Only if you subscribe do we keep your chat ID (in a separate list, never linked to a report); unsubscribing deletes it.
    For news from your province too, type /subscribe and its name, e.g. /subscribe Đà Nẵng.
subscribe-button = ✅ Subscribe
unsubscribe-button = 🔕 Unsubscribe
subscribe-done-national = ✅ You will receive national awareness messages. For news from your province too, type /subscribe and its name, e.g. /subscribe Đà Nẵng. Type /unsubscribe at any time to stop and delete your chat ID.
subscribe-done-province = ✅ You will receive national awareness messages and news for { $province }. Type /unsubscribe at any time to stop and delete your chat ID.
subscribe-province-unknown = We could not find a province called “{ $query }”. Try its name without the prefix, e.g. /subscribe Hà Nội or /subscribe Đồng Nai.
subscribe-unavailable = Awareness messages can only be delivered on Telegram and Zalo, not here.
unsubscribe-done = 🔕 Done: you will not receive awareness messages any more, and your chat ID has been deleted from our list.
campaign-footer = — Tipline · type /unsubscribe to stop these messages

## Dashboard (admins)

nav-campaigns = Campaigns
campaigns-title = Campaigns
campaigns-new = New campaign
campaigns-none = No campaigns yet. Start from a preset for 1/6 or 26/6.
campaigns-col-title = Title
campaigns-col-state = State
campaigns-col-scheduled = Scheduled (Vietnam time)
campaigns-col-progress = Progress
campaign-state-scheduled = scheduled
campaign-state-running = sending
campaign-state-paused = paused
campaign-state-cancelled = cancelled
campaign-state-done = finished
campaigns-target-all = all subscribers
campaigns-sent = Sent
campaigns-failed = Failed
campaigns-removed = Removed (blocked the bot or left the OA)
campaigns-undeliverable = Undeliverable (outside Zalo's messaging window)
campaigns-outside-window = Not sent: outside Zalo's free 48-hour window (or the paid 7 days, if allowed)
campaigns-unknown = Unknown (interrupted mid-send)
campaigns-skipped = Skipped (unsubscribed or cancelled)
campaigns-remaining = Remaining
campaigns-eta = About { $minutes } min left at the configured rate; finishing around { $at }.
campaigns-unknown-help = “Unknown” messages were being sent when a server stopped abruptly. They may or may not have arrived; to avoid sending anyone the same message twice, they are not resent.
campaigns-refresh-help = This page does not update by itself.
campaigns-refresh = Refresh
campaigns-pause = Pause
campaigns-resume = Resume
campaigns-cancel = Cancel campaign
campaigns-cancel-confirm = Cancel this campaign? Messages not yet sent will never be sent.
campaigns-text = Text
campaigns-presets = Presets:
campaigns-schedule = Send at
campaigns-schedule-help = Leave empty (or “now”) to send now; or a Vietnam date and time as dd/mm/yyyy hh:mm, e.g. 26/06/2027 08:00.
campaigns-target = Target
campaigns-target-help = “All”, or province names separated by commas, e.g. Hà Nội, Đồng Nai.
campaigns-footer-help = Every message ends with a line telling people how to unsubscribe; the preview shows it.
campaigns-preview = Preview
campaigns-preview-help = Exactly what subscribers receive: plain text, the same on both platforms. Telegram allows 4096 UTF-16 units per message, Zalo 2000 characters.
campaigns-create = Create campaign
campaigns-create-confirm = Create this campaign? It is sent at the scheduled time to everyone subscribed then.
campaigns-error-title = Give the campaign a title (at most 120 characters).
campaigns-error-target = Target must be “all” or province names separated by commas, e.g. Hà Nội, Đồng Nai.
campaigns-error-province = No province called “{ $code }”.
campaigns-error-schedule = Send at must be empty (send now) or a Vietnam time like 26/06/2027 08:00.
campaigns-error-empty = The { $lang } text is empty.
campaigns-error-zalo = The { $lang } text is { $length } characters with the unsubscribe line; Zalo accepts at most 2000.
campaigns-error-telegram = The { $lang } text is { $length } UTF-16 units with the unsubscribe line; Telegram accepts at most 4096.
flash-campaign-created = Campaign created.
flash-campaign-pause = Campaign paused.
flash-campaign-resume = Campaign resumed.
flash-campaign-cancel = Campaign cancelled.
flash-campaign-wrong-state = The campaign has changed meanwhile; nothing was done.

campaigns-schedule-placeholder = empty: send now · 26/06/2027 08:00
campaigns-target-placeholder = All · Hà Nội, Đồng Nai
campaigns-text-vi = Vietnamese text
campaigns-text-en = English text (optional)
campaigns-text-en-help = If left empty, English-speaking subscribers get the Vietnamese text.
campaigns-confirm-title = Confirm before sending
campaigns-confirm-audience = { $count ->
    [one] This campaign goes to { $count } subscriber.
   *[other] This campaign goes to { $count } subscribers.
}
campaigns-confirm-now = Sending starts as soon as you confirm.
campaigns-confirm-at = It will be sent at { $time } (Vietnam time).
campaigns-confirm-send = Confirm and create the campaign
campaigns-confirm-edit = Edit
campaigns-unit-utf16 = UTF-16 units
campaigns-unit-chars = characters
