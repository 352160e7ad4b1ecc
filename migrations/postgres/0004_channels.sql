-- Channel state (Telegram, Zalo) and the unit notification outbox.
-- Nothing here identifies a citizen: no chat id, user id, phone number or
-- message text. Times are unix milliseconds (BIGINT), as in 0001.

-- Small named values a channel keeps across restarts and replicas, e.g.
-- 'telegram.offset': the next getUpdates offset, saved after a batch is
-- handled, so a restart neither replays nor skips updates.
CREATE TABLE channel_state (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Platform messages already taken, so a redelivered webhook is handled once.
-- The key is SHA-256("channel:platform message id"): opaque, and rows expire.
CREATE TABLE processed_messages (
    key TEXT PRIMARY KEY NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX processed_messages_expires ON processed_messages (expires_at);

-- The Zalo OA token pair: one row, id = 1. A refresh token works only once,
-- so one replica at a time refreshes: it takes the lease with a conditional
-- UPDATE (lease_until in the past, or already its own), calls Zalo, and
-- writes the new pair in one UPDATE that checks it still holds the lease.
-- seed_fingerprint is SHA-256 of the configured ZALO_REFRESH_TOKEN that
-- seeded the row: a different configured token means the operator
-- re-authorised the OA, and the configured pair replaces the stored one.
CREATE TABLE zalo_tokens (
    id BIGINT PRIMARY KEY NOT NULL,
    access_token TEXT NOT NULL,
    refresh_token TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    seed_fingerprint TEXT NOT NULL,
    lease_holder TEXT NOT NULL DEFAULT '',
    lease_until BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);

-- Outbox of notices to units' Telegram groups. Rows are written in the same
-- transaction as the tip, so a notice is never lost and never sent for a tip
-- that was rolled back. Workers claim rows with a lease (claimed_by,
-- claimed_until) instead of FOR UPDATE SKIP LOCKED, so one SQL text serves
-- SQLite and PostgreSQL. kind: routed | informed | transferred.
-- outcome: sent | no_group | failed (after the last attempt).
CREATE TABLE unit_notifications (
    id BIGSERIAL PRIMARY KEY,
    tip_id BIGINT NOT NULL REFERENCES tips (id) ON DELETE CASCADE,
    unit TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_by TEXT NOT NULL DEFAULT '',
    claimed_until BIGINT NOT NULL DEFAULT 0,
    done_at BIGINT,
    outcome TEXT
);
CREATE INDEX unit_notifications_pending ON unit_notifications (done_at, next_attempt_at);
