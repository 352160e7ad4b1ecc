-- Anonymous awareness counters. Nothing here links to a user or session:
-- only a day (Vietnam time), a language and an article id or class code.
CREATE TABLE daily_counters (
    day TEXT NOT NULL,          -- 'YYYY-MM-DD' in Vietnam time (UTC+7)
    kind TEXT NOT NULL,         -- 'article_view' | 'quiz_completed'
    lang TEXT NOT NULL,
    subject TEXT NOT NULL,      -- article id, or class code ('' when none)
    n BIGINT NOT NULL,
    PRIMARY KEY (day, kind, lang, subject)
);

-- Quiz results aggregated per class code ('' = no class): attempts and
-- total score, and per-question correctness. No personal data, no sessions.
CREATE TABLE quiz_class_stats (
    class_code TEXT PRIMARY KEY NOT NULL,
    attempts BIGINT NOT NULL,
    total_score BIGINT NOT NULL,
    total_questions BIGINT NOT NULL
);

CREATE TABLE quiz_question_stats (
    class_code TEXT NOT NULL,
    question_id TEXT NOT NULL,
    answered BIGINT NOT NULL,
    correct BIGINT NOT NULL,
    PRIMARY KEY (class_code, question_id)
);
