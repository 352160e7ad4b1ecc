-- No timing links between a person and a tip (issue 13). A copy of the
-- database must not join a session (keyed by a hash of the chat identity) or
-- a dedupe record to a tip by comparing times. So:
-- * a session remembers only the DAY it was last active (days since the unix
--   epoch, UTC), which is all the idle purge needs;
-- * a handled platform message is remembered until the end of a whole day
--   (days since the epoch), not until "its time + 24 h";
-- * tips, events and ledger entries store their time rounded down to the
--   minute (see storage::stored_time), so no session, dedupe, counter or
--   notice value equals one.
-- Existing rows are converted, and session states lose the exact time of
-- their last step, their throttle times (kept in minutes from now on) and
-- any tip they were looking at.

ALTER TABLE sessions RENAME COLUMN updated_at TO active_day;
UPDATE sessions SET active_day = active_day / 86400000;
DROP INDEX sessions_updated_at;
CREATE INDEX sessions_active_day ON sessions (active_day);
UPDATE sessions SET state = json_remove(state, '$.updated_at', '$.receipt_failures');
UPDATE sessions SET state = json_set(state, '$.step', json('{"at":"menu"}'))
    WHERE json_extract(state, '$.step.at') IN ('status_view', 'status_await_message');

ALTER TABLE processed_messages RENAME COLUMN expires_at TO expires_day;
UPDATE processed_messages SET expires_day = expires_day / 86400000 + 1;
DROP INDEX processed_messages_expires;
CREATE INDEX processed_messages_expires_day ON processed_messages (expires_day);
