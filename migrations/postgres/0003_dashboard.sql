-- Officer dashboard: accounts, web sessions, login throttling, the audit log,
-- unit settings, notifications for the channels, and deployment settings.
-- Times are unix milliseconds (BIGINT); flags are BIGINT 0/1 because sqlx's
-- Any driver does not share a boolean type between SQLite and PostgreSQL.

-- Officers belong to one unit. `role` is officer | lead | admin; an admin's
-- unit only says where they sit, their scope is every unit.
-- Passwords are argon2id PHC strings. The TOTP secret (base32) is NULL until
-- the officer sets it up, and only used once `totp_enabled` is 1.
CREATE TABLE officers (
    id BIGSERIAL PRIMARY KEY,
    unit TEXT NOT NULL,
    username TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    totp_secret TEXT,
    totp_enabled BIGINT NOT NULL DEFAULT 0,
    disabled BIGINT NOT NULL DEFAULT 0,
    lang TEXT NOT NULL DEFAULT 'vi',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX officers_unit ON officers (unit);

-- Only the SHA-256 of the cookie value is stored, so a leaked database
-- cannot be replayed as a login. Sessions expire when idle (last_seen_at).
CREATE TABLE web_sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    officer_id BIGINT NOT NULL REFERENCES officers (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX web_sessions_officer ON web_sessions (officer_id);
CREATE INDEX web_sessions_seen ON web_sessions (last_seen_at);

-- Failed logins per account and per client address. Keys are daily-rotating
-- keyed hashes (never an IP address in plaintext); old windows are purged.
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY NOT NULL,
    failures BIGINT NOT NULL,
    window_start BIGINT NOT NULL
);

-- Who looked at or changed what, and when. No foreign key to tips: the trail
-- must outlive a retention purge. `unit` is the scope the entry belongs to
-- (the tip's unit at that moment, else the actor's unit); leads read by it.
-- `detail` names the setting changed, never note or reply text.
CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    officer_id BIGINT NOT NULL,
    username TEXT NOT NULL,
    unit TEXT NOT NULL,
    tip_id BIGINT,
    tip_reference TEXT,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX audit_log_unit ON audit_log (unit, id);
CREATE INDEX audit_log_tip ON audit_log (tip_id, id);

-- Operator-set unit details. Units themselves derive from the ward list, so a
-- unit without a row here still exists and gets a generated name.
CREATE TABLE units (
    code TEXT PRIMARY KEY NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    telegram_chat_id TEXT,
    updated_at BIGINT NOT NULL
);

-- Transfers waiting to be announced to the receiving unit, written in the
-- transfer's transaction. Rows carry no tip content; the channel notifier
-- reads them (Store::pending_unit_notifications), sends a short notice with a
-- dashboard link, and sets delivered_at. Named apart from the channel
-- outbox so the two migrations never collide.
CREATE TABLE transfer_notices (
    id BIGSERIAL PRIMARY KEY,
    unit TEXT NOT NULL,
    tip_id BIGINT NOT NULL REFERENCES tips (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    delivered_at BIGINT
);
CREATE INDEX transfer_notices_pending ON transfer_notices (delivered_at, id);

-- Settings an admin changes at run time (retention days, TOTP required).
CREATE TABLE dashboard_settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

-- Queue orders for informed units and for admins (all units), matching the
-- core `tips_queue` index, so keyset pages stay index scans at 100k tips.
CREATE INDEX tips_informed_queue ON tips (informed_unit, priority_rank, created_at DESC, id DESC);
CREATE INDEX tips_all_queue ON tips (priority_rank, created_at DESC, id DESC);
-- The "new tips" counter and the retention purge.
CREATE INDEX tips_unit_status ON tips (unit, status);
CREATE INDEX tips_closed_at ON tips (closed_at);
-- A tip's own ledger entries, for the per-tip check on its detail page.
CREATE INDEX ledger_tip ON ledger (tip_id, seq);
