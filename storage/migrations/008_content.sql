-- Council content edited in the chat (/innehall). Every version is kept; the newest one that
-- has not been withdrawn (/innehall tillbaka) is live, else COUNCIL_FILE (version 0).
CREATE TABLE content_versions (
    id           INTEGER PRIMARY KEY,             -- the version number shown to admins
    created_at   TEXT NOT NULL,                   -- UTC, ISO 8601 like feedback.created_at
    created_by   INTEGER NOT NULL,                -- the admin's Telegram id (staff, not residents)
    author_name  TEXT NOT NULL DEFAULT '',
    yaml         TEXT NOT NULL,                   -- the file exactly as uploaded (comments kept)
    summary      TEXT NOT NULL DEFAULT '',        -- what it changed, for the audit log
    withdrawn_at TEXT,                            -- set by /innehall tillbaka
    withdrawn_by INTEGER
);
CREATE INDEX content_versions_live ON content_versions (withdrawn_at, id);

-- An uploaded, validated file waiting for "Använd" or "Avbryt". base_version is the live
-- version it was compared with: if another change went live meanwhile, it must be re-sent.
CREATE TABLE content_uploads (
    id           INTEGER PRIMARY KEY,
    created_at   TEXT NOT NULL,
    created_by   INTEGER NOT NULL,
    author_name  TEXT NOT NULL DEFAULT '',
    base_version INTEGER NOT NULL,
    yaml         TEXT NOT NULL,
    summary      TEXT NOT NULL
);
