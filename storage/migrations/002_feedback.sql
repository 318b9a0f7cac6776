-- Residents' feedback ("tyck till"), stored under a pseudonym, never with names or coordinates.

CREATE TABLE feedback (
    id             INTEGER PRIMARY KEY,
    ref            TEXT NOT NULL UNIQUE,           -- short reference shown to the resident
    submission_key TEXT NOT NULL UNIQUE,           -- makes a retried "Skicka" store once only
    created_at     TEXT NOT NULL,                  -- UTC, ISO 8601 (YYYY-MM-DDTHH:MM:SS.fffZ)
    district       TEXT NOT NULL,                  -- district id from the council file, or 'other'
    topic          TEXT NOT NULL,                  -- focus area id, or 'other'
    rating         INTEGER CHECK (rating BETWEEN 1 AND 5),  -- perceived safety, NULL = skipped
    text           TEXT,                           -- redacted free text; NULL once retention removed it
    language       TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'approved', 'rejected')),
    pseudonym      TEXT NOT NULL,                  -- HMAC-SHA256 of the Telegram user id
    redactions     INTEGER NOT NULL DEFAULT 0,     -- how many personal-data items were removed
    -- moderation
    reject_reason  TEXT,
    moderated_by   INTEGER,
    moderated_at   TEXT,
    edited         INTEGER NOT NULL DEFAULT 0,
    claimed_by     INTEGER,                        -- moderator currently looking at it
    claimed_at     TEXT,
    text_removed_at TEXT
);
CREATE INDEX feedback_district_created ON feedback (district, created_at);
CREATE INDEX feedback_created ON feedback (created_at);
CREATE INDEX feedback_status_created ON feedback (status, created_at);
CREATE INDEX feedback_pseudonym_created ON feedback (pseudonym, created_at);

-- Residents who said yes to hearing what the council did in a district. The chat id is kept
-- only for them, and removed by /radera.
CREATE TABLE update_subscribers (
    pseudonym  TEXT NOT NULL,
    district   TEXT NOT NULL,
    chat_id    INTEGER NOT NULL,
    language   TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (pseudonym, district)
) WITHOUT ROWID;
