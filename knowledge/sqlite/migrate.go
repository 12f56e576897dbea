package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"time"

	"github.com/newsbot/newsbot/internal/migrations"
)

// migrationFiles are the schema versions, one file per version named
// NNNN_what.sql (see internal/migrations), applied in ascending order, each
// in its own transaction; a store records each version it has applied, and
// any version it lacks is applied on open (so migrations written on
// separate branches land in any order). Never edit a released migration:
// add a file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrate brings the schema up to date. A store already up to date is only
// read, so opening a store another process is writing to does not wait.
func migrate(ctx context.Context, db *sql.DB) error {
	ms, err := migrations.Load(migrationFiles, "migrations")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	known := map[int]bool{}
	for _, m := range ms {
		known[m.Version] = true
	}
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
	for v := range applied {
		if !known[v] {
			return fmt.Errorf("migrate: the database has schema version %d, which this newsbot does not know; upgrade newsbot", v)
		}
	}
	for _, m := range ms {
		v := m.Version
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
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
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
