-- Slack installs in many workspaces (slack_installs.go): one row per
-- workspace (team ID) that installed the app through OAuth, shared by the
-- instances using this database. token is the installation as
-- adapters/slack sealed it (AES-256-GCM with SLACK_TOKEN_KEY, bound to the
-- team ID): the bot token never reaches the store in clear. The same table
-- as knowledge/sqlite's.
CREATE TABLE slack_installs (
	team_id text COLLATE "C" PRIMARY KEY,
	token bytea NOT NULL,
	installed_at timestamptz NOT NULL DEFAULT now(), -- the first install
	updated_at timestamptz NOT NULL DEFAULT now()    -- the last (re)install
);
