-- Issue 13, the reporter's phone: erasing the report conversation from the
-- chat, the optional reply notice, and notice times that cannot date a tip.

-- The platform's ids of the messages of one report or /status conversation
-- (the bot's and the reporter's), kept so the bot can delete them from the
-- chat when the reporter asks (Telegram allows it for 48 hours). Keyed by
-- the session's keyed hash, so no new identity is stored; the day only. A
-- row goes when its conversation is erased, when the reporter declines or
-- leaves it, and at the latest two days on (the purge), whichever is first.
CREATE TABLE erasable_messages (
    owner TEXT NOT NULL,
    message_id BIGINT NOT NULL,
    day BIGINT NOT NULL,
    PRIMARY KEY (owner, message_id)
);
CREATE INDEX erasable_messages_day ON erasable_messages (day);

-- Opt-in only: a sealed chat address linked to one tip, so an officer's
-- reply can be announced ("you have a reply: send /status and your code"),
-- never with the reply's text. Deleted when the tip closes, on /forget, and
-- with the tip. No time is kept: `due` counts replies not yet announced.
-- Nothing on the dashboard reads this table, so officers cannot tell which
-- tips have a link.
CREATE TABLE reply_notices (
    id BIGSERIAL PRIMARY KEY,
    tip_id BIGINT NOT NULL REFERENCES tips (id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    address BYTEA NOT NULL,
    lang TEXT NOT NULL,
    due BIGINT NOT NULL DEFAULT 0,
    attempts BIGINT NOT NULL DEFAULT 0,
    claimed_until BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX reply_notices_tip ON reply_notices (tip_id);
CREATE INDEX reply_notices_due ON reply_notices (due, claimed_until);

-- Unit and transfer notices kept their tip's time to the millisecond (and
-- the moment they were sent, seconds later). From now on they keep days
-- (see storage::stored_time), and a new notice is due at once (time 0).
UPDATE unit_notifications SET created_at = created_at / 86400000 WHERE created_at > 1000000000;
UPDATE unit_notifications SET done_at = done_at / 86400000 WHERE done_at > 1000000000;
UPDATE unit_notifications SET next_attempt_at = 0 WHERE done_at IS NULL AND attempts = 0;
UPDATE transfer_notices SET created_at = created_at / 86400000 WHERE created_at > 1000000000;
UPDATE transfer_notices SET delivered_at = delivered_at / 86400000 WHERE delivered_at > 1000000000;
