-- Slack installs in many workspaces (slack_installs.go): one row per
-- workspace (team ID) that installed the app through OAuth. token is the
-- installation as adapters/slack sealed it (AES-256-GCM with
-- SLACK_TOKEN_KEY, bound to the team ID): the bot token never reaches the
-- store in clear. Version 7 as in knowledge/postgres.
CREATE TABLE slack_installs (
	team_id TEXT PRIMARY KEY,
	token BLOB NOT NULL,
	installed_at INTEGER NOT NULL, -- unix seconds of the first install
	updated_at INTEGER NOT NULL    -- and of the last (re)install
);
