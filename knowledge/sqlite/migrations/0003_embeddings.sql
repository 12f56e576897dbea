-- Paragraph vectors per model key, and how far each model's embedding pass
-- has come (embeddings.go). A vector's row stays when its paragraph is
-- replaced, so that unchanged text of a re-ingested article reuses it (by
-- hash); ScanVectors leaves such rows out.
CREATE TABLE embeddings (
	id INTEGER PRIMARY KEY AUTOINCREMENT, -- ScanVectors position
	model TEXT NOT NULL,
	doc INTEGER NOT NULL,
	hash TEXT NOT NULL,                    -- knowledge.TextHash of the paragraph
	vec BLOB NOT NULL                      -- knowledge.EncodeVector
);
CREATE UNIQUE INDEX embeddings_doc ON embeddings (model, doc);
CREATE INDEX embeddings_hash ON embeddings (model, hash);
CREATE TABLE embedding_state (
	model TEXT PRIMARY KEY,
	through INTEGER NOT NULL               -- every doc <= through has been considered
);
