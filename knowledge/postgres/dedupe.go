package postgres

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// dedupeSweepEvery is how many FirstSeen calls pass between two deletions
// of expired keys.
const dedupeSweepEvery = 256

// dedupeCalls counts each Store's FirstSeen calls (keyed by its pool; a
// map here rather than a field, to keep the store's struct as it was).
var dedupeCalls sync.Map // *pgxpool.Pool -> *atomic.Int64

func (s *Store) dedupeCounter() *atomic.Int64 {
	if c, ok := dedupeCalls.Load(s.pool); ok {
		return c.(*atomic.Int64)
	}
	c, _ := dedupeCalls.LoadOrStore(s.pool, new(atomic.Int64))
	return c.(*atomic.Int64)
}

// FirstSeen records key for ttl and reports whether it was new: never
// recorded, or its last record expired. It is atomic across every
// instance sharing the database (one INSERT … ON CONFLICT, timed by the
// database's clock), so of concurrent calls with one key exactly one
// reports true. It returns an error when the database cannot be reached.
// It is safe for concurrent use. (It is the adapters' dedupe store, e.g.
// adapters/slack's Deduper.)
func (s *Store) FirstSeen(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if s.dedupeCounter().Add(1)%dedupeSweepEvery == 0 {
		if _, err := s.pool.Exec(ctx, `DELETE FROM dedupe_keys WHERE expires < now()`); err != nil {
			return false, fmt.Errorf("dedupe sweep: %w", err)
		}
	}
	rows, err := s.pool.Query(ctx, `
INSERT INTO dedupe_keys (key, expires) VALUES ($1, now() + $2 * interval '1 microsecond')
ON CONFLICT (key) DO UPDATE SET expires = EXCLUDED.expires WHERE dedupe_keys.expires <= now()
RETURNING true`, key, ttl.Microseconds())
	if err != nil {
		return false, fmt.Errorf("dedupe %q: %w", key, err)
	}
	defer rows.Close()
	first := rows.Next()
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("dedupe %q: %w", key, err)
	}
	return first, nil
}
