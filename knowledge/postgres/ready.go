package postgres

import (
	"context"
	"fmt"

	"github.com/newsbot/newsbot/internal/migrations"
)

// Ready reports whether the database answers and has every schema version
// this newsbot knows applied (for /readyz): nil when it is ready.
func (s *Store) Ready(ctx context.Context) error {
	ms, err := migrations.Load(migrationFiles, "migrations")
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	want := make([]int32, 0, len(ms))
	for _, m := range ms {
		want = append(want, int32(m.Version))
	}
	var missing []int32
	if err := s.pool.QueryRow(ctx, `SELECT coalesce(array_agg(v), '{}') FROM unnest($1::int[]) AS v WHERE v NOT IN (SELECT version FROM schema_migrations)`, want).Scan(&missing); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	if len(missing) > 0 {
		return fmt.Errorf("postgres: schema versions %v are not applied", missing)
	}
	return nil
}
