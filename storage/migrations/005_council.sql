-- Council: weekly digest subscriptions, published "this is what we did" notes, and indexes that
-- let summaries be answered from the index alone (measured in benchmarks/bench_summary.py).

-- A chat (private or the council's group) that gets the weekly digest.
CREATE TABLE council_digests (
    chat_id    INTEGER PRIMARY KEY,
    language   TEXT NOT NULL,
    created_by INTEGER NOT NULL,               -- council member who subscribed (staff id)
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- "Det här har vi gjort": short notes per district, readable by everyone via /nytt.
CREATE TABLE council_notes (
    id         INTEGER PRIMARY KEY,
    district   TEXT NOT NULL,
    text       TEXT NOT NULL,
    language   TEXT NOT NULL,                  -- the language the member wrote in
    author_id  INTEGER NOT NULL,               -- staff id; never shown to residents
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    recipients INTEGER NOT NULL DEFAULT 0      -- how many subscribed residents it reached
);
CREATE INDEX council_notes_district_created ON council_notes (district, created_at);
CREATE INDEX council_notes_created ON council_notes (created_at);

-- Covering indexes for the summary queries (whole municipality by time; one district by time).
CREATE INDEX feedback_summary_time
    ON feedback (created_at, status, district, topic, rating);
CREATE INDEX feedback_summary_district
    ON feedback (district, created_at, status, topic, rating);
