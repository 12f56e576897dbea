package slack

import (
	"context"
	"time"
)

// Deduper remembers keys for a while, so that a request Slack delivers
// twice (an event retried, a slash command replayed) is answered once.
// Implementations must be safe for concurrent use, and, to serve several
// instances of newsbot behind one Slack app, shared between them
// (knowledge/postgres's Store is one).
type Deduper interface {
	// FirstSeen records key for ttl and reports whether it was new: not
	// recorded before, or recorded longer than its ttl ago. An error means
	// it could not tell; the adapter then answers (a duplicate answer is
	// better than none).
	FirstSeen(ctx context.Context, key string, ttl time.Duration) (bool, error)
}

// How long keys are remembered.
const (
	// eventTTL: Slack retries an event for about an hour at most.
	eventTTL = time.Hour
	// commandTTL: a slash command's signature is accepted while its
	// timestamp is within five minutes of the clock, either way, so a
	// replay can come for up to ten minutes after the first delivery.
	commandTTL = 10 * time.Minute
)

// dedupeTimeout bounds one question to the Deduper.
const dedupeTimeout = 2 * time.Second

// closing reports whether the adapter has stopped taking work. Requests
// are turned away before their key is recorded, so that Slack's later
// delivery (to this instance or another) is not taken for a duplicate.
func (a *Adapter) closing() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.closed
}

// firstSeen asks the deduper whether key is new, answering yes (and
// logging) when it cannot tell. An empty key is always new.
func (a *Adapter) firstSeen(ctx context.Context, key string, ttl time.Duration) bool {
	if key == "" {
		return true
	}
	// Slack waits three seconds for the acknowledgement.
	ctx, cancel := context.WithTimeout(ctx, dedupeTimeout)
	defer cancel()
	first, err := a.seen.FirstSeen(ctx, key, ttl)
	if err != nil {
		a.log.Warn("dedupe store failed; handling the request anyway", "err", err)
		return true
	}
	return first
}
