-- Reporting upward (issue 19).

-- The outcome a lead records for a tip closed as actioned (case opened,
-- people detained, substances seized, venue closed, direct or corroborating):
-- the canonical JSON of domain::outcome::Outcome, NULL when none. Like the
-- status it is a mutable column written with an 'outcome' tip event in one
-- transaction; the event is ledgered and `ledger verify` replays the events
-- against this column. It is never shown to the reporter.
ALTER TABLE tips ADD COLUMN outcome TEXT;

-- Province oversight and province reports read a province's tips in queue
-- order and by time.
CREATE INDEX tips_province_queue ON tips (province_code, priority_rank, created_at DESC, id DESC);
CREATE INDEX tips_province_created ON tips (province_code, created_at);
