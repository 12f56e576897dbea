package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"
)

// migrations are the schema versions, applied in ascending order, each in
// its own transaction; a store records each version it has applied, and any
// version it lacks is applied on open (so migrations written on separate
// branches land in any order). Never edit a released migration: add one.
// Reserved: 2 feeds, 3 embeddings.
var migrations = map[int]string{
	1: `
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
`,
}

// migrate brings the schema up to date. A store already up to date is only
// read, so opening a store another process is writing to does not wait.
func migrate(ctx context.Context, db *sql.DB) error {
	var tables int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&tables); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if tables == 0 {
		if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	applied := map[int]bool{}
	rows, err := db.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return fmt.Errorf("migrate: %w", err)
		}
		applied[v] = true
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var versions []int
	for v := range migrations {
		versions = append(versions, v)
	}
	sort.Ints(versions)
	for v := range applied {
		if _, ok := migrations[v]; !ok {
			return fmt.Errorf("migrate: the database has schema version %d, which this newsbot does not know; upgrade newsbot", v)
		}
	}
	for _, v := range versions {
		if applied[v] {
			continue
		}
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate to %d: %w", v, err)
		}
		// Another process may have migrated while we waited for the lock.
		var done int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, v).Scan(&done); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to %d: %w", v, err)
		}
		if done > 0 {
			tx.Rollback()
			continue
		}
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to %d: %w", v, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(version, applied_at) VALUES (?, ?)`, v, time.Now().Unix()); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to %d: %w", v, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate to %d: %w", v, err)
		}
	}
	return nil
}
