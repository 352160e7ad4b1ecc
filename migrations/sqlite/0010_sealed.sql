-- Sealed at rest (issue 13). The sensitive columns hold values sealed with
-- XChaCha20-Poly1305 under the data key file (TIPLINE_DATA_KEY_FILE), which
-- is never in the database: tips.description, tips.location (new, below),
-- tip_events.body, attachments.bytes, sessions.state, officers.totp_secret,
-- zalo_tokens.access_token and refresh_token, subscriptions.address. Each
-- value names its key (`ts1.<key id>.<nonce and ciphertext>`), so a key
-- rotation re-seals row by row and can resume after a crash.
-- Rows written before this migration are plaintext until the first start
-- with a data key seals them (storage::reseal), before anything is served.

-- GPS, sealed as text "lat,lon". The old DOUBLE columns are emptied by that
-- first start and stay NULL.
ALTER TABLE tips ADD COLUMN location TEXT;

-- A sealed address cannot be found by equality, so subscriptions are found
-- by a keyed hash of "channel:address" under the data key (not the server
-- secret, which sits in the data directory): without the key file it cannot
-- be reversed by trying every chat id.
ALTER TABLE subscriptions ADD COLUMN address_key TEXT;
CREATE UNIQUE INDEX subscriptions_address_key ON subscriptions (channel, address_key);

-- The data keys that sealed something in this database, each with a value
-- it sealed. Startup opens every probe, so a wrong or missing key file is a
-- clear error naming the file, before any officer could see garbage. A
-- rotation adds the new key first and removes the old ones last.
CREATE TABLE data_keys_in_use (
    key_id TEXT PRIMARY KEY NOT NULL,
    probe TEXT NOT NULL
);
