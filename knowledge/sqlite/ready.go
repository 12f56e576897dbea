package sqlite

import (
	"context"
	"fmt"

	"github.com/newsbot/newsbot/internal/migrations"
)

// Ready reports whether the store can be read and has every schema version
// this newsbot knows applied (for /readyz): nil when it is ready.
func (s *Store) Ready(ctx context.Context) error {
	if err := s.read.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	ms, err := migrations.Load(migrationFiles, "migrations")
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	for _, m := range ms {
		var n int
		if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&n); err != nil {
			return fmt.Errorf("sqlite: schema version %d: %w", m.Version, err)
		}
		if n == 0 {
			return fmt.Errorf("sqlite: schema version %d is not applied", m.Version)
		}
	}
	return nil
}
