package slack

import (
	"context"
	"sync"
	"time"

	"github.com/newsbot/newsbot/bot"
)

// seenSet is the Deduper of one process: it remembers keys (event IDs,
// trigger IDs, message timestamps) for their ttl, at most 10,000 of them
// (the oldest are forgotten first). It is safe for concurrent use.
type seenSet struct {
	mu sync.Mutex
	m  map[string]time.Time // key -> when it expires
}

const seenMax = 10000

var _ Deduper = (*seenSet)(nil)

// FirstSeen records key for ttl and reports whether it was new. It never
// fails.
func (s *seenSet) FirstSeen(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]time.Time{}
	}
	if exp, ok := s.m[key]; ok && now.Before(exp) {
		return false, nil
	}
	if len(s.m) >= seenMax {
		s.sweep(now)
	}
	s.m[key] = now.Add(ttl)
	return true, nil
}

// sweep drops expired keys, then the soonest to expire until there is
// room.
func (s *seenSet) sweep(now time.Time) {
	for k, exp := range s.m {
		if !now.Before(exp) {
			delete(s.m, k)
		}
	}
	for len(s.m) >= seenMax {
		var oldest string
		var at time.Time
		for k, t := range s.m {
			if oldest == "" || t.Before(at) {
				oldest, at = k, t
			}
		}
		delete(s.m, oldest)
	}
}

// shared is an ephemeral answer that its asker may share in the channel.
type shared struct {
	question string
	answer   *bot.Answer
	at       time.Time
}

// shareCache keeps ephemeral answers for 30 minutes (as long as Slack
// keeps a response_url), at most 1,000, keyed by the ID on their "Share in
// channel" button. It is safe for concurrent use.
type shareCache struct {
	mu sync.Mutex
	m  map[string]shared
}

const (
	shareTTL = 30 * time.Minute
	shareMax = 1000
)

func (c *shareCache) put(id, question string, a *bot.Answer) {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]shared{}
	}
	if len(c.m) >= shareMax {
		var oldest string
		var at time.Time
		for k, v := range c.m {
			if now.Sub(v.at) > shareTTL {
				delete(c.m, k)
				continue
			}
			if oldest == "" || v.at.Before(at) {
				oldest, at = k, v.at
			}
		}
		if len(c.m) >= shareMax {
			delete(c.m, oldest)
		}
	}
	c.m[id] = shared{question: question, answer: a, at: now}
}

// take returns the answer saved under id and forgets it (an answer is
// shared once).
func (c *shareCache) take(id string) (shared, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.m[id]
	delete(c.m, id)
	if !ok || time.Since(s.at) > shareTTL {
		return shared{}, false
	}
	return s, true
}
