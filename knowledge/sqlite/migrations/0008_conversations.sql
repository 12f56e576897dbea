-- Conversation turns (conversations.go): the questions asked in each chat
-- conversation (a Slack thread, a Discord channel or thread, a DM), so a
-- follow-up knows the earlier turns even after a restart. Bounded by turns
-- per conversation and by age. Version 8 as in knowledge/postgres.
CREATE TABLE conversation_turns (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	conv_key TEXT NOT NULL,
	question TEXT NOT NULL,
	asked_at INTEGER NOT NULL -- unix nanoseconds, the asking instance's clock
);
CREATE INDEX conversation_turns_key ON conversation_turns (conv_key, id);
CREATE INDEX conversation_turns_asked ON conversation_turns (asked_at);
