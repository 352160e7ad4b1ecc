-- Full ledger coverage (issue 12). Every tip, tip event, attachment and
-- audit row has exactly one ledger entry, and so does every retention purge.
-- Ledgers written before this migration (no attachment or audit entries,
-- event bodies hashed in plaintext) do not verify under the new rules.

-- Attachments are keyed by text: their entries carry subject_id = tip id and
-- subject_key = attachment id. Other kinds leave subject_key empty. The unique
-- index keeps the application honest; verify checks the same thing itself,
-- because an insider can drop an index.
ALTER TABLE ledger ADD COLUMN subject_key TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX ledger_one_entry_per_row ON ledger (kind, subject_id, subject_key);

-- The preimage of a purge entry (JSON of privacy::ledger::PurgeFacts): the
-- removed entries' hashes and the event skeletons (free text only as a
-- digest) that prove the tip was closed and past retention. No tip content.
ALTER TABLE purged_tips ADD COLUMN facts TEXT NOT NULL DEFAULT '';

-- Signed checkpoints this server published, for the dashboard badge only.
-- Verification never trusts this table: it reads copies kept outside the
-- database (the checkpoint file, unit groups, anyone's notes).
CREATE TABLE ledger_checkpoints (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    seq BIGINT NOT NULL,
    head TEXT NOT NULL,
    signed_at BIGINT NOT NULL,
    line TEXT NOT NULL
);
CREATE INDEX ledger_checkpoints_seq ON ledger_checkpoints (seq);
