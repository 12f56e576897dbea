-- The keys of requests already handled (dedupe.go: a Slack event's event_id,
-- a slash command's trigger_id), each until it expires, so that several
-- instances sharing the database answer a request once.
CREATE TABLE dedupe_keys (
	key text COLLATE "C" PRIMARY KEY,
	expires timestamptz NOT NULL
);
CREATE INDEX dedupe_keys_expires ON dedupe_keys (expires);
