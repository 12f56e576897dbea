-- The feed poller's state (feeds.go): one row per feed, and one per item of a
-- feed; the same tables as knowledge/sqlite's.
CREATE TABLE feeds (
	url text COLLATE "C" PRIMARY KEY,
	title text NOT NULL DEFAULT '',
	etag text NOT NULL DEFAULT '',
	last_modified text NOT NULL DEFAULT '',
	last_fetch timestamptz,          -- the last attempt
	last_success timestamptz,
	last_error text NOT NULL DEFAULT '',
	failures integer NOT NULL DEFAULT 0,
	next_fetch timestamptz,
	items integer NOT NULL DEFAULT 0,
	articles integer NOT NULL DEFAULT 0
);
CREATE TABLE feed_items (
	feed_url text COLLATE "C" NOT NULL,
	key text COLLATE "C" NOT NULL,
	fingerprint text NOT NULL,
	link text NOT NULL DEFAULT '',
	title text NOT NULL DEFAULT '',
	published timestamptz,
	article_id text NOT NULL DEFAULT '',
	from_page boolean NOT NULL DEFAULT false,
	attempts integer NOT NULL DEFAULT 0,
	first_seen timestamptz NOT NULL,
	last_seen timestamptz NOT NULL,
	PRIMARY KEY (feed_url, key)
);
