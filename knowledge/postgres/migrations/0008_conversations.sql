-- Conversation turns (conversations.go): the questions asked in each chat
-- conversation (a Slack thread, a Discord channel or thread, a DM), so a
-- follow-up answered by another instance knows the earlier turns. Bounded
-- by turns per conversation and by age. Version 8 as in knowledge/sqlite.
CREATE TABLE conversation_turns (
	id bigserial PRIMARY KEY,
	conv_key text COLLATE "C" NOT NULL,
	question text NOT NULL,
	asked_at timestamptz NOT NULL
);
CREATE INDEX conversation_turns_key ON conversation_turns (conv_key, id);
CREATE INDEX conversation_turns_asked ON conversation_turns (asked_at);
