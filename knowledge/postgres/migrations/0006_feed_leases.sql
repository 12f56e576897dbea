-- Which instance polls each feed (leases.go): a row per feed held, until
-- it expires, so that instances sharing the database poll each feed once
-- per interval and a dead holder's feeds are taken over when its lease
-- runs out.
CREATE TABLE feed_leases (
	feed text COLLATE "C" PRIMARY KEY,
	holder text NOT NULL,
	expires timestamptz NOT NULL
);
