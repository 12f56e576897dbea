package postgres

import (
	"context"
	"embed"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/newsbot/newsbot/internal/migrations"
)

// migrationFiles are the schema versions, one file per version named
// NNNN_what.sql (see internal/migrations), applied in ascending order, each
// in its own transaction; a database records each version it has applied,
// and any version it lacks is applied on open (so migrations written on
// separate branches land in any order). Never edit a released migration:
// add a file.
//
// The schema mirrors knowledge/sqlite's. Dates are timestamptz, in whole
// seconds like SQLite's unix seconds. Terms and ids use the "C" collation:
// byte order, as in Go and SQLite, and faster than a linguistic one.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrateLock is the advisory lock key that serialises migrations across
// processes (distinct from writeLock, so that migrating never waits for
// writers).
const migrateLock int64 = 0x6e657773_626f7401 // "newsbot" 1

// migrate brings the schema up to date. Instances opening the same database
// at once take turns (an advisory lock): the first applies what is missing,
// the others find it applied.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	ms, err := migrations.Load(migrationFiles, "migrations")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	known := map[int]bool{}
	for _, m := range ms {
		known[m.Version] = true
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrateLock); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer func() {
		if _, err := conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLock); err != nil {
			conn.Conn().Close(context.Background()) // closing the session releases the lock
		}
	}()
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	rows, err := conn.Query(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	applied := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return fmt.Errorf("migrate: %w", err)
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
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
		tx, err := conn.Begin(ctx)
		if err != nil {
			return fmt.Errorf("migrate to %d: %w", v, err)
		}
		if _, err := tx.Exec(ctx, m.SQL); err != nil {
			tx.Rollback(context.WithoutCancel(ctx))
			return fmt.Errorf("migrate to %d: %w", v, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations(version) VALUES ($1)`, v); err != nil {
			tx.Rollback(context.WithoutCancel(ctx))
			return fmt.Errorf("migrate to %d: %w", v, err)
		}
		if err := tx.Commit(ctx); err != nil {
			return fmt.Errorf("migrate to %d: %w", v, err)
		}
	}
	return nil
}
