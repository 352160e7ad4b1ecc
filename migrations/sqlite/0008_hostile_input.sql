-- Hostile input and hostile users (issue 14).

-- An upload waiting for its draft carries the draft's session key (already a
-- keyed hash, the same key the draft itself is stored under), so the per-draft
-- count and byte cap can be checked in the same transaction as the insert.
-- The key is cleared when the tip is submitted: a stored tip's attachments
-- never point back at a chat.
ALTER TABLE attachments ADD COLUMN draft_key TEXT;
CREATE INDEX attachments_draft ON attachments (draft_key);

-- Login backoff: an attempt is admitted only at or after next_at; each failure
-- past the free allowance pushes it further out (capped), instead of a hard
-- lockout that anyone could trigger for a named officer.
ALTER TABLE login_throttle ADD COLUMN next_at BIGINT NOT NULL DEFAULT 0;

-- The last TOTP time step accepted, so a captured code cannot be replayed
-- within its window; and whether the password was set by an admin and must be
-- changed at the next login.
ALTER TABLE officers ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
ALTER TABLE officers ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;

-- Closes and transfers waiting for a lead's approval, in units whose lead
-- requires it. `value` is what the action would set ("closed:spam" or a unit
-- code); it never holds note or reply text. Both the request and the decision
-- are also ledger entries.
CREATE TABLE tip_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tip_id BIGINT NOT NULL REFERENCES tips (id) ON DELETE CASCADE,
    unit TEXT NOT NULL,
    officer_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    decided_by BIGINT,
    approved BIGINT
);
CREATE INDEX tip_requests_pending ON tip_requests (unit, decided_at, id);
CREATE INDEX tip_requests_tip ON tip_requests (tip_id, id);
