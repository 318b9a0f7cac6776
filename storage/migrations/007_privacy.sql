-- Privacy round 5: leave nothing behind.

-- FEEDBACK_PER_DAY counts submissions here, not in feedback: /radera deletes the feedback rows but
-- must not reset the limit. quota_key is a hash of the pseudonym (not the pseudonym itself), and
-- rows older than 24 hours are deleted on every submit, so nothing outlives the window.
CREATE TABLE feedback_quota (
    quota_key  TEXT NOT NULL,
    created_at TEXT NOT NULL                -- UTC, ISO 8601 like feedback.created_at
);
CREATE INDEX feedback_quota_key_created ON feedback_quota (quota_key, created_at);
CREATE INDEX feedback_quota_created ON feedback_quota (created_at);

-- Residents' Telegram ids do not belong in the audit log: a refused staff command or a bad
-- invitation code from someone without a role keeps the event, not the person.
UPDATE audit_log SET actor_id = NULL
WHERE action IN ('refused', 'invite_failed')
  AND actor_id IS NOT NULL
  AND actor_id NOT IN (SELECT user_id FROM roles);

-- update_subscribers.pseudonym now holds a *subscriber alias* (HMAC of the chat id with its own
-- label), never the feedback pseudonym, so a copy of the database cannot join texts to chat ids.
-- Existing rows are re-keyed at start-up (storage.feedback.rekey_subscribers: SQL has no HMAC).
SELECT 1;
