-- The officer's workspace (issue 22): citizens' follow-ups must never go
-- unseen, on open and on closed tips alike.
--
-- `last_followup_id` is the tip_events id of the newest reporter follow-up,
-- and `last_activity_at` its stored time (already rounded to the minute, like
-- every event). Both are derived from tip_events and kept here only so the
-- queue can sort and filter on them; neither is ledgered, because the event
-- they point at is.
ALTER TABLE tips ADD COLUMN last_followup_id BIGINT;
ALTER TABLE tips ADD COLUMN last_activity_at BIGINT;
CREATE INDEX tips_activity ON tips (unit, last_activity_at);

-- What each officer has seen of each tip: the newest event id they had on
-- screen when they opened it. "Unread" means a follow-up newer than that.
-- An event id, not a time: nothing here can be lined up with a session.
CREATE TABLE tip_seen (
    officer_id BIGINT NOT NULL,
    tip_id BIGINT NOT NULL,
    event_id BIGINT NOT NULL,
    PRIMARY KEY (officer_id, tip_id)
);
CREATE INDEX tip_seen_tip ON tip_seen (tip_id);
