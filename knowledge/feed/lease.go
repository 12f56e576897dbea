package feed

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"time"
)

// Leaser coordinates polling between instances sharing one store: a feed
// is polled by the instance holding its lease. The PostgreSQL store is
// one; a SQLite file serves one machine and needs none.
type Leaser interface {
	// AcquireFeedLease takes the lease of feed for holder until ttl from
	// now, when nobody holds it, its holder's lease expired (the holder
	// died), or holder already holds it. It reports whether holder has it.
	AcquireFeedLease(ctx context.Context, feed, holder string, ttl time.Duration) (bool, error)
	// ReleaseFeedLease gives up holder's lease of feed (if it still has it).
	ReleaseFeedLease(ctx context.Context, feed, holder string) error
}

// DefaultLeaseTTL is how long a feed's lease lasts when LeaseTTL is zero:
// another instance takes over a dead holder's feeds this long after.
const DefaultLeaseTTL = 5 * time.Minute

func (p *Poller) leaseTTL() time.Duration {
	if p.LeaseTTL > 0 {
		return p.LeaseTTL
	}
	return DefaultLeaseTTL
}

// leaseHolder names this poller in lease rows: LeaseHolder, or the host,
// the process and a random suffix.
func (p *Poller) leaseHolder() string {
	if p.LeaseHolder != "" {
		return p.LeaseHolder
	}
	if p.holder == "" {
		host, _ := os.Hostname()
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		p.holder = fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b))
	}
	return p.holder
}

// lease keeps the due feeds whose lease this poller takes and that are
// still due once it has it (another instance may have polled them since
// states were read), with the states read after taking the leases. release
// gives the leases back. Called with p.round held.
func (p *Poller) lease(ctx context.Context, due []Source, force bool) (kept []Source, states map[string]FeedState, release func(), err error) {
	holder := p.leaseHolder()
	var held []Source
	release = func() {
		rctx := context.WithoutCancel(ctx)
		for _, s := range held {
			if err := p.Leases.ReleaseFeedLease(rctx, s.URL, holder); err != nil {
				p.logger().Warn("feed lease: release", "feed", s.URL, "err", err)
			}
		}
	}
	var errs error
	for _, s := range due {
		ok, err := p.Leases.AcquireFeedLease(ctx, s.URL, holder, p.leaseTTL())
		if err != nil {
			errs = errors.Join(errs, fmt.Errorf("feed lease %s: %w", s.URL, err))
			continue
		}
		if ok {
			held = append(held, s)
		} else {
			p.logger().Debug("feed lease held by another instance", "feed", s.URL)
		}
	}
	if states, err = p.states(ctx); err != nil {
		release()
		return nil, nil, func() {}, err
	}
	now := p.now()
	for _, s := range held {
		st := states[s.URL]
		if force || st.NextFetch.IsZero() || !now.Before(st.NextFetch) {
			kept = append(kept, s)
		}
	}
	return kept, states, release, errs
}
