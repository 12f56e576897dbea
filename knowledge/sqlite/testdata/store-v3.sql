PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
INSERT INTO schema_migrations VALUES(1,1796220919);
INSERT INTO schema_migrations VALUES(2,1796220919);
INSERT INTO schema_migrations VALUES(3,1796220919);
CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO meta VALUES('generation',1);
INSERT INTO meta VALUES('next_doc',6);
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
INSERT INTO articles VALUES('a1','https://example.com/one','First','example.com','',1744243200,NULL,1796220919,'a2698262b9be3054c80d',1,2);
INSERT INTO articles VALUES('1c20c1d755f9','','Second','','Ann Lee, Bo Chan',1744363800,NULL,1796220919,'920607514998bb535c6b',3,1);
INSERT INTO articles VALUES('a36e2805b087','','Bad date','','',NULL,NULL,1796220919,'7687138e9e90a4fc90ce',4,1);
INSERT INTO articles VALUES('65352e97317f','','Fifth good','','',NULL,NULL,1796220919,'3f24436ae4ed6d13bddd',5,1);
CREATE TABLE paragraphs (
	doc INTEGER PRIMARY KEY,
	article_id TEXT NOT NULL,
	n INTEGER NOT NULL,         -- 1-based paragraph number
	text TEXT NOT NULL
);
INSERT INTO paragraphs VALUES(1,'a1',1,'Paragraph one.');
INSERT INTO paragraphs VALUES(2,'a1',2,'Paragraph two.');
INSERT INTO paragraphs VALUES(3,'1c20c1d755f9',1,'Only paragraph.');
INSERT INTO paragraphs VALUES(4,'a36e2805b087',1,'Kept anyway.');
INSERT INTO paragraphs VALUES(5,'65352e97317f',1,'Still read after the bad lines.');
CREATE TABLE segments (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	created INTEGER NOT NULL,
	docs INTEGER NOT NULL,
	min_doc INTEGER NOT NULL,
	max_doc INTEGER NOT NULL,
	doc_table BLOB NOT NULL
);
INSERT INTO segments VALUES(1,1796220919,5,1,5,X'010402613101b8bb020b6578616d706c652e636f6d010202020c31633230633164373535663903babb02000101010c61333665323830356230383704ffffffff0f000201020c36353335326539373331376605ffffffff0f00020104');
CREATE TABLE postings (
	term TEXT NOT NULL,
	segment INTEGER NOT NULL,
	data BLOB NOT NULL,
	PRIMARY KEY (term, segment)
) WITHOUT ROWID;
INSERT INTO postings VALUES('anyway',1,X'010501');
INSERT INTO postings VALUES('bad',1,X'010601');
INSERT INTO postings VALUES('kept',1,X'010501');
INSERT INTO postings VALUES('line',1,X'010601');
INSERT INTO postings VALUES('one',1,X'010201');
INSERT INTO postings VALUES('paragraph',1,X'03020101010101');
INSERT INTO postings VALUES('read',1,X'010601');
INSERT INTO postings VALUES('still',1,X'010601');
INSERT INTO postings VALUES('t:bad',1,X'010501');
INSERT INTO postings VALUES('t:date',1,X'010501');
INSERT INTO postings VALUES('t:fifth',1,X'010601');
INSERT INTO postings VALUES('t:first',1,X'010201');
INSERT INTO postings VALUES('t:good',1,X'010601');
INSERT INTO postings VALUES('t:second',1,X'010401');
INSERT INTO postings VALUES('two',1,X'010301');
CREATE TABLE tombstones (first_doc INTEGER PRIMARY KEY);
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
CREATE TABLE embeddings (
	id INTEGER PRIMARY KEY AUTOINCREMENT, -- ScanVectors position
	model TEXT NOT NULL,
	doc INTEGER NOT NULL,
	hash TEXT NOT NULL,                    -- knowledge.TextHash of the paragraph
	vec BLOB NOT NULL                      -- knowledge.EncodeVector
);
CREATE TABLE embedding_state (
	model TEXT PRIMARY KEY,
	through INTEGER NOT NULL               -- every doc <= through has been considered
);
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('segments',1);
CREATE INDEX articles_recent ON articles (coalesce(published, first_seen));
CREATE INDEX postings_segment ON postings (segment);
CREATE UNIQUE INDEX embeddings_doc ON embeddings (model, doc);
CREATE INDEX embeddings_hash ON embeddings (model, hash);
COMMIT;
