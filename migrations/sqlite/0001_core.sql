-- Core schema: sessions, tips, their events and attachments, and the ledger.
-- Times are unix milliseconds (BIGINT): sqlx's Any driver shares integers
-- between SQLite and PostgreSQL, not timestamp types.

-- A session is keyed by HMAC-SHA256(server secret, "channel:user_id").
-- No chat id, user id, username or phone number is stored anywhere.
-- `version` makes every save a compare-and-swap, so two racing messages of
-- one user cannot overwrite each other's progress.
CREATE TABLE sessions (
    key TEXT PRIMARY KEY NOT NULL,
    state TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX sessions_updated_at ON sessions (updated_at);

-- Tips never reference a session key. The reporter reaches a tip only
-- through the receipt, of which only the SHA-256 is kept.
-- The "reported" columns are immutable and covered by the tip's ledger entry;
-- unit/status/priority/resolution change through tip_events, which the
-- ledger also covers, and `ledger verify` replays them against these columns.
CREATE TABLE tips (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reference TEXT NOT NULL UNIQUE,
    receipt_hash TEXT NOT NULL UNIQUE,
    category TEXT NOT NULL,
    province_code BIGINT NOT NULL,
    ward_code BIGINT,
    routed_unit TEXT NOT NULL,
    informed_unit TEXT,
    routing_reason TEXT NOT NULL,
    reported_priority TEXT NOT NULL,
    when_seen TEXT NOT NULL,
    description TEXT NOT NULL,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    lang TEXT NOT NULL,
    channel TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    unit TEXT NOT NULL,
    status TEXT NOT NULL,
    resolution TEXT,
    priority TEXT NOT NULL,
    priority_rank BIGINT NOT NULL,
    assignee_id BIGINT,
    labels TEXT NOT NULL DEFAULT '',
    duplicate_of TEXT,
    first_response_at BIGINT,
    closed_at BIGINT,
    updated_at BIGINT NOT NULL,
    ledger_hash TEXT NOT NULL
);
-- The officer queue: one unit, most urgent then newest first.
CREATE INDEX tips_queue ON tips (unit, priority_rank, created_at DESC, id DESC);
CREATE INDEX tips_informed ON tips (informed_unit, created_at DESC);
CREATE INDEX tips_created ON tips (created_at);

-- Everything that happens to a tip after submission, in order: status,
-- transfer, priority, assignment, labels, internal notes, officer replies and
-- reporter follow-ups. `value` holds the new setting, `body` free text.
CREATE TABLE tip_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tip_id BIGINT NOT NULL REFERENCES tips (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    value TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX tip_events_tip ON tip_events (tip_id, id);

-- Photos and files, already stripped of metadata by the channel. They are
-- stored before the tip exists (tip_id NULL) and linked on submit; orphans
-- of abandoned drafts are purged.
CREATE TABLE attachments (
    id TEXT PRIMARY KEY NOT NULL,
    tip_id BIGINT REFERENCES tips (id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    bytes BLOB NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX attachments_tip ON attachments (tip_id);

-- The hash chain. entry hash = SHA-256(prev hash, seq, content hash); the
-- content hash is recomputed from the subject row on verify. Keeping it here
-- lets the chain stay checkable after a retention purge deletes the subject.
CREATE TABLE ledger (
    seq BIGINT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    tip_id BIGINT NOT NULL,
    content_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX ledger_subject ON ledger (kind, subject_id);

-- One row: the chain's head. Appending starts with an UPDATE of this row,
-- which serialises appenders on both SQLite and PostgreSQL.
CREATE TABLE ledger_head (
    id BIGINT PRIMARY KEY NOT NULL,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO ledger_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Tips deleted by the retention purge: their ledger entries stay and are
-- checked by content hash alone.
CREATE TABLE purged_tips (
    tip_id BIGINT PRIMARY KEY NOT NULL,
    reference TEXT NOT NULL,
    purged_at BIGINT NOT NULL
);
