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

// DefaultLeaseTTL is how long a feed's lease lasts when LeaseTTL is zero.
// The holder renews its leases every third of it while its round runs, so
// a long round keeps them, and another instance takes over a dead
// holder's feeds at most this long after it died (well within the
// shortest poll interval, a minute).
const DefaultLeaseTTL = 30 * time.Second

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
	stopRenewing := func() {}
	release = func() {
		stopRenewing()
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
	stopRenewing = p.renew(ctx, held, holder)
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

// renew keeps holder's leases of feeds alive, every third of the lease's
// time to live, until the returned function is called (it waits for the
// renewing goroutine to end). A lease found lost (another instance took
// it after a stall longer than the TTL) is logged: that round's feed may
// then be polled twice, which the article store tolerates.
func (p *Poller) renew(ctx context.Context, feeds []Source, holder string) (stop func()) {
	if len(feeds) == 0 {
		return func() {}
	}
	ttl := p.leaseTTL()
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(ttl / 3)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			for _, s := range feeds {
				ok, err := p.Leases.AcquireFeedLease(ctx, s.URL, holder, ttl)
				switch {
				case err != nil && ctx.Err() == nil:
					p.logger().Warn("feed lease: renew", "feed", s.URL, "err", err)
				case err == nil && !ok:
					p.logger().Warn("feed lease: lost to another instance", "feed", s.URL)
				}
			}
		}
	}()
	return func() { cancel(); <-done }
}
