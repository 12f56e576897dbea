-- Stories (stories.go): articles that report the same event, as
-- knowledge/story groups them; one row per story, and one per article in a
-- story with what clustering kept of it. Version 5 as in knowledge/postgres.
CREATE TABLE stories (
	id TEXT PRIMARY KEY,              -- the id of the article that started it
	title TEXT NOT NULL,
	sources TEXT NOT NULL DEFAULT '', -- outlets, one per line, the lead's first
	first INTEGER NOT NULL,           -- unix seconds of its oldest article
	last INTEGER NOT NULL,            -- and of its newest
	articles INTEGER NOT NULL
);
CREATE INDEX stories_last ON stories (last);
CREATE TABLE story_articles (
	article_id TEXT PRIMARY KEY,
	story_id TEXT NOT NULL,
	title TEXT NOT NULL DEFAULT '',
	source TEXT NOT NULL DEFAULT '',
	url TEXT NOT NULL DEFAULT '',
	published INTEGER NOT NULL,       -- publication date, else first seen
	features TEXT NOT NULL DEFAULT ''
);
CREATE INDEX story_articles_story ON story_articles (story_id);
CREATE INDEX story_articles_published ON story_articles (published);
