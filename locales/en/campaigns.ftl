### Campaign subscriptions (English)

menu-campaigns = 📣 Campaign news
subscribe-intro = 📣 Campaign news: a few messages a year from the police, e.g. for the Month of Action against drugs in June and for 26 June. Only if you subscribe do we keep your chat ID (in a separate list, never linked to a report); unsubscribing deletes it.
    For news from your province too, type /subscribe and its name, e.g. /subscribe Đà Nẵng.
subscribe-button = ✅ Subscribe
unsubscribe-button = 🔕 Unsubscribe
subscribe-done-national = ✅ You will receive national campaign messages. For news from your province too, type /subscribe and its name, e.g. /subscribe Đà Nẵng. Type /unsubscribe at any time to stop and delete your chat ID.
subscribe-done-province = ✅ You will receive national campaign messages and news for { $province }. Type /unsubscribe at any time to stop and delete your chat ID.
subscribe-province-unknown = I could not find a province called “{ $query }”. Try its name without the prefix, e.g. /subscribe Hà Nội or /subscribe Đồng Nai.
subscribe-unavailable = Campaign messages can only be delivered on Telegram and Zalo, not here.
unsubscribe-done = 🔕 Done: you will not receive campaign messages, and your chat ID has been deleted from our list.
campaign-footer = — Tipline · type /unsubscribe to stop these messages
