-- What residents ask that the bot could not answer (or only hedged), and "Fick du svar?" votes.
-- Never who asked: no user id, chat id or pseudonym; the text is redacted before it is stored
-- and a text that accuses someone (GDPR art. 10) is not stored at all. Text older than
-- RETENTION_MONTHS is removed by the daily retention job, like feedback text.
CREATE TABLE question_log (
    id          INTEGER PRIMARY KEY,
    created_at  TEXT NOT NULL,                      -- UTC, ISO 8601
    band        TEXT NOT NULL CHECK (band IN ('dont_know', 'hedge')),
    language    TEXT NOT NULL,
    text        TEXT,                               -- redacted; NULL after retention
    entry       TEXT                                -- the closest entry (a hedge), else NULL
);
CREATE INDEX question_log_created ON question_log (created_at);

-- One tap under an answer: helpful or not. ``entry`` is the answer's knowledge entry ('' for
-- "vet inte"); ``question_id`` links a vote on a logged question to it.
CREATE TABLE answer_votes (
    id          INTEGER PRIMARY KEY,
    created_at  TEXT NOT NULL,
    entry       TEXT NOT NULL DEFAULT '',
    question_id INTEGER REFERENCES question_log (id) ON DELETE SET NULL,
    helpful     INTEGER NOT NULL CHECK (helpful IN (0, 1))
);
CREATE INDEX answer_votes_created ON answer_votes (created_at);

-- Staff names for /roller and /logg (staff only: residents are never named). Kept after a role
-- is revoked, so the log still says who did what; admins (ADMIN_IDS) get theirs when they act.
CREATE TABLE staff_names (
    user_id      INTEGER PRIMARY KEY,
    display_name TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
