-- Staff: one-time invitations to a role, per-moderator skips in the review queue, and which
-- pending feedback moderators have already been reminded about.

-- An invitation link carries a random code; only its SHA-256 is stored, so a copy of the
-- database cannot be turned into working links. Single use: used_by/used_at are set once.
CREATE TABLE invites (
    code_hash  TEXT PRIMARY KEY,
    role       TEXT NOT NULL CHECK (role IN ('moderator', 'council')),
    created_by INTEGER NOT NULL,
    created_at TEXT NOT NULL,                 -- UTC, ISO 8601 like feedback.created_at
    expires_at TEXT NOT NULL,
    used_by    INTEGER,
    used_at    TEXT
) WITHOUT ROWID;

-- "Hoppa över": the moderator does not get this item again until they start /granska anew.
CREATE TABLE moderation_skips (
    moderator_id INTEGER NOT NULL,
    feedback_id  INTEGER NOT NULL REFERENCES feedback (id) ON DELETE CASCADE,
    PRIMARY KEY (moderator_id, feedback_id)
) WITHOUT ROWID;

-- Feedback that moderators have been reminded about (one digest per item, never two).
CREATE TABLE moderation_reminders (
    feedback_id INTEGER PRIMARY KEY REFERENCES feedback (id) ON DELETE CASCADE,
    reminded_at TEXT NOT NULL
);
