-- Stories (stories.go): articles that report the same event, as
-- knowledge/story groups them; the same tables as knowledge/sqlite's.
CREATE TABLE stories (
	id text COLLATE "C" PRIMARY KEY,  -- the id of the article that started it
	title text NOT NULL,
	sources text[] NOT NULL DEFAULT '{}', -- outlets, the lead's first
	first timestamptz NOT NULL,       -- the date of its oldest article
	last timestamptz NOT NULL,        -- and of its newest
	articles integer NOT NULL
);
CREATE INDEX stories_last ON stories (last);
CREATE TABLE story_articles (
	article_id text COLLATE "C" PRIMARY KEY,
	story_id text COLLATE "C" NOT NULL,
	title text NOT NULL DEFAULT '',
	source text NOT NULL DEFAULT '',
	url text NOT NULL DEFAULT '',
	published timestamptz NOT NULL,   -- publication date, else first seen
	features text NOT NULL DEFAULT ''
);
CREATE INDEX story_articles_story ON story_articles (story_id);
CREATE INDEX story_articles_published ON story_articles (published);
