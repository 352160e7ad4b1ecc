-- Teacher class codes (issue 21). A teacher asks for a code ("10A1" ->
-- "10A1-7KQ"); students enter it in the quiz; the teacher reads the class's
-- results through a secret link. Only the SHA-256 of the link's token is kept,
-- so a database copy cannot open the results pages. Nothing names the teacher
-- or a student. valid_until is the end of the school year (day precision).
CREATE TABLE quiz_classes (
    code TEXT PRIMARY KEY NOT NULL,
    label TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    valid_until BIGINT NOT NULL
);

-- Local help points an admin maintains in the dashboard, beside the operator's
-- help-directory file. Each has its source and the date it was last verified,
-- which the bot shows beside the entry. Edits are audited.
CREATE TABLE help_points (
    id BIGSERIAL PRIMARY KEY,
    province_code BIGINT NOT NULL,
    kind TEXT NOT NULL,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL,
    address TEXT NOT NULL,
    phone TEXT NOT NULL,
    hours_vi TEXT NOT NULL,
    hours_en TEXT NOT NULL,
    source TEXT NOT NULL,
    verified_on TEXT NOT NULL
);
