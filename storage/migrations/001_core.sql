-- Core schema: conversation/user state for python-telegram-bot, staff roles and the audit log.

-- State that python-telegram-bot persists (conversation states, user_data, chat_data) as JSON,
-- so a resident mid-dialogue continues after a restart.
CREATE TABLE ptb_state (
    kind TEXT NOT NULL CHECK (kind IN ('user', 'chat', 'conversation')),
    name TEXT NOT NULL DEFAULT '',   -- conversation name; '' for user/chat data
    key  TEXT NOT NULL,              -- user id, chat id or JSON-encoded conversation key
    data TEXT NOT NULL,              -- JSON
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (kind, name, key)
) WITHOUT ROWID;

-- Staff roles. Admins come from ADMIN_IDS and are not stored here.
CREATE TABLE roles (
    user_id    INTEGER NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('moderator', 'council')),
    granted_by INTEGER,
    granted_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    display_name TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (user_id, role)
) WITHOUT ROWID;

-- Who did what and when: moderation decisions, invites, role changes, refused staff actions.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    actor_id   INTEGER,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_created ON audit_log (created_at);
