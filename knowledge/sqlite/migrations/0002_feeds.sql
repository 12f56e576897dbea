-- The feed poller's state (feeds.go): one row per feed, and one per item of a
-- feed.
CREATE TABLE feeds (
	url TEXT PRIMARY KEY,
	title TEXT NOT NULL DEFAULT '',
	etag TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	last_fetch INTEGER,          -- unix seconds of the last attempt
	last_success INTEGER,
	last_error TEXT NOT NULL DEFAULT '',
	failures INTEGER NOT NULL DEFAULT 0,
	next_fetch INTEGER,
	items INTEGER NOT NULL DEFAULT 0,
	articles INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE feed_items (
	feed_url TEXT NOT NULL,
	key TEXT NOT NULL,
	fingerprint TEXT NOT NULL,
	link TEXT NOT NULL DEFAULT '',
	title TEXT NOT NULL DEFAULT '',
	published INTEGER,
	article_id TEXT NOT NULL DEFAULT '',
	from_page INTEGER NOT NULL DEFAULT 0,
	attempts INTEGER NOT NULL DEFAULT 0,
	first_seen INTEGER NOT NULL,
	last_seen INTEGER NOT NULL,
	PRIMARY KEY (feed_url, key)
) WITHOUT ROWID;
