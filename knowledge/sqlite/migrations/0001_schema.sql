-- The articles, their paragraphs, and the inverted index: segments of postings,
-- and tombstones of replaced articles' documents.
CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO meta(key, value) VALUES ('generation', 0), ('next_doc', 1);
CREATE TABLE articles (
	id TEXT PRIMARY KEY,
	url TEXT NOT NULL DEFAULT '',
	title TEXT NOT NULL,
	source TEXT NOT NULL DEFAULT '',
	byline TEXT NOT NULL DEFAULT '',
	published INTEGER,          -- unix seconds; NULL when unknown
	updated INTEGER,            -- unix seconds of the latest replacement
	first_seen INTEGER NOT NULL,
	hash TEXT NOT NULL,
	first_doc INTEGER NOT NULL, -- doc number of paragraph 1
	paragraphs INTEGER NOT NULL
);
CREATE INDEX articles_recent ON articles (coalesce(published, first_seen));
CREATE TABLE paragraphs (
	doc INTEGER PRIMARY KEY,
	article_id TEXT NOT NULL,
	n INTEGER NOT NULL,         -- 1-based paragraph number
	text TEXT NOT NULL
);
CREATE TABLE segments (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	created INTEGER NOT NULL,
	docs INTEGER NOT NULL,
	min_doc INTEGER NOT NULL,
	max_doc INTEGER NOT NULL,
	doc_table BLOB NOT NULL
);
CREATE TABLE postings (
	term TEXT NOT NULL,
	segment INTEGER NOT NULL,
	data BLOB NOT NULL,
	PRIMARY KEY (term, segment)
) WITHOUT ROWID;
CREATE INDEX postings_segment ON postings (segment);
CREATE TABLE tombstones (first_doc INTEGER PRIMARY KEY);
