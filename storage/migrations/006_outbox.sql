-- Outbox: messages the bot owes to many chats (council notes, the weekly digest, moderation
-- reminders), written in the same transaction as what caused them and sent by one paced sender
-- job (bot/outbox.py) that survives restarts.

-- One publication: a note to its subscribers, one digest, one reminder round.
CREATE TABLE outbox_batches (
    id                  INTEGER PRIMARY KEY,
    kind                TEXT NOT NULL CHECK (kind IN ('note', 'digest', 'reminder')),
    subject             TEXT,               -- note: the district; digest: the chat id
    note_id             INTEGER REFERENCES council_notes (id) ON DELETE SET NULL,
    author_chat         INTEGER,            -- where progress is reported (NULL: nobody)
    author_language     TEXT,
    progress_message_id INTEGER,            -- the author's progress message, edited in place
    total               INTEGER NOT NULL,
    sent                INTEGER NOT NULL DEFAULT 0,  -- final counts, kept when rows are purged
    gone                INTEGER NOT NULL DEFAULT 0,
    failed              INTEGER NOT NULL DEFAULT 0,
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    finished_at         TEXT
);

-- The message of a batch, rendered once per language.
CREATE TABLE outbox_texts (
    batch_id INTEGER NOT NULL REFERENCES outbox_batches (id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    text     TEXT NOT NULL,
    markup   TEXT,                          -- inline keyboard as Bot API JSON, or NULL
    PRIMARY KEY (batch_id, language)
) WITHOUT ROWID;

-- One row per recipient. pending → sending → sent | gone | failed; a row found 'sending' at
-- start-up may or may not have reached Telegram and becomes 'unknown' (never sent twice).
-- Rows are deleted when their batch is finished (the counts stay on the batch).
CREATE TABLE outbox (
    id        INTEGER PRIMARY KEY,
    batch_id  INTEGER NOT NULL REFERENCES outbox_batches (id) ON DELETE CASCADE,
    chat_id   INTEGER NOT NULL,
    language  TEXT NOT NULL,
    pseudonym TEXT,                         -- note: the subscription to drop if the chat is gone
    state     TEXT NOT NULL DEFAULT 'pending'
              CHECK (state IN ('pending', 'sending', 'sent', 'gone', 'failed', 'unknown'))
);
CREATE INDEX outbox_open ON outbox (state, id) WHERE state IN ('pending', 'sending');
CREATE INDEX outbox_batch_state ON outbox (batch_id, state);
CREATE INDEX outbox_chat ON outbox (chat_id);
CREATE INDEX outbox_batches_open ON outbox_batches (id) WHERE finished_at IS NULL;
