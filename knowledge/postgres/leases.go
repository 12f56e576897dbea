package postgres

import (
	"context"
	"time"

	"github.com/newsbot/newsbot/knowledge/feed"
)

var _ feed.Leaser = (*Store)(nil)

// AcquireFeedLease implements feed.Leaser: one statement takes the lease
// when it is free, expired or already holder's, so that two instances
// asking at once cannot both get it.
func (s *Store) AcquireFeedLease(ctx context.Context, feedURL, holder string, ttl time.Duration) (bool, error) {
	tag, err := s.pool.Exec(ctx, `
INSERT INTO feed_leases (feed, holder, expires) VALUES ($1, $2, now() + make_interval(secs => $3))
ON CONFLICT (feed) DO UPDATE SET holder = EXCLUDED.holder, expires = EXCLUDED.expires
WHERE feed_leases.expires < now() OR feed_leases.holder = EXCLUDED.holder`,
		feedURL, holder, ttl.Seconds())
	if err != nil {
		return false, s.unreachable(err)
	}
	return tag.RowsAffected() == 1, nil
}

// ReleaseFeedLease implements feed.Leaser.
func (s *Store) ReleaseFeedLease(ctx context.Context, feedURL, holder string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM feed_leases WHERE feed = $1 AND holder = $2`, feedURL, holder); err != nil {
		return s.unreachable(err)
	}
	return nil
}
