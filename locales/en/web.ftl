### Web chat (/chat and the widget embedded in an agency's site)

web-title = Tipline – Anonymous tips
web-intro = This conversation lives only in this page and is gone when you close the tab. Tipline uses no cookies and does not record your IP address or browser.
web-leave = Leave quickly
web-leave-hint = Clear the conversation from this page and go to another site
web-log-label = Conversation
web-input-label = Your message
web-input-placeholder = Type a message…
web-send = Send
web-photo = Add photo
web-copy = Copy the receipt code
web-copied = Copied. Keep the code somewhere safe.
web-copy-failed = Could not copy. Select the code and copy it by hand.
web-copy-hint = Copy and keep this receipt code: only with it can you read the officers' answers. When you close the tab, the conversation is gone.
web-you = You
web-bot = Tipline
web-offline = Connection lost. Retrying…
web-sending-photo = Sending the photo…
web-photo-sent = 📷 Photo sent
web-launcher = 💬 Report anonymously
web-close = Minimise
web-noscript = The chat needs JavaScript. You can also report through the police's Telegram or Zalo.

web-error-token-missing = The conversation code is missing. Reload the page to start.
web-error-token-malformed = The conversation code is not in the right format. Reload the page to start again.
web-error-token-forged = The conversation code is not valid. Reload the page to start again.
web-error-bad-json = The request could not be read (invalid JSON).
web-error-bad-request = The request is not valid (a missing or wrong message number).
web-error-empty = The message is empty. Type something or press an option.
web-error-too-long = The message is too long. Shorten it (4,000 characters at most) and send it again.
web-error-photo-too-large = The photo is too large (10 MB at most). Choose a smaller one.
web-error-not-a-photo = Only JPEG or PNG photos are accepted.
web-error-replayed = This message was received already.
web-error-too-fast = You are sending too fast. Wait a minute, then go on.
web-error-busy = The system is overloaded. Try again in a few minutes.
web-error-too-many-new = Too many new conversations from your network. Try again in a minute.
