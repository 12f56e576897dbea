package bot

import (
	"sync"
	"time"
)

// Conversations remembers the recent questions of each conversation — a
// Slack thread, a Discord thread or channel, a DM — so that follow-ups can
// lean on them (Question.History). Conversations idle for longer than TTL
// are forgotten, and at most Max are kept (the least recently used go
// first). The zero value keeps 10,000 conversations for 30 minutes, 5
// questions each. It is safe for concurrent use.
type Conversations struct {
	TTL       time.Duration
	Max       int
	Questions int
	// Now returns the current time; nil means time.Now.
	Now func() time.Time

	mu sync.Mutex
	m  map[string]*conversation
}

type conversation struct {
	questions []string
	last      time.Time
}

func (c *Conversations) limits() (time.Duration, int, int) {
	ttl, max, qs := c.TTL, c.Max, c.Questions
	if ttl <= 0 {
		ttl = 30 * time.Minute
	}
	if max <= 0 {
		max = 10000
	}
	if qs <= 0 {
		qs = 5
	}
	return ttl, max, qs
}

func (c *Conversations) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// History returns the questions asked in conversation key, oldest first.
func (c *Conversations) History(key string) []string {
	ttl, _, _ := c.limits()
	c.mu.Lock()
	defer c.mu.Unlock()
	conv, ok := c.m[key]
	if !ok {
		return nil
	}
	if c.now().Sub(conv.last) > ttl {
		delete(c.m, key)
		return nil
	}
	return append([]string(nil), conv.questions...)
}

// Add records a question asked in conversation key.
func (c *Conversations) Add(key, question string) {
	ttl, max, qs := c.limits()
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]*conversation{}
	}
	conv, ok := c.m[key]
	if !ok || now.Sub(conv.last) > ttl {
		conv = &conversation{}
		c.m[key] = conv
	}
	conv.questions = append(conv.questions, question)
	if len(conv.questions) > qs {
		conv.questions = conv.questions[len(conv.questions)-qs:]
	}
	conv.last = now
	if len(c.m) > max {
		c.evict(now, ttl, max)
	}
}

// evict drops expired conversations, then the least recently used ones
// until at most max remain.
func (c *Conversations) evict(now time.Time, ttl time.Duration, max int) {
	for k, v := range c.m {
		if now.Sub(v.last) > ttl {
			delete(c.m, k)
		}
	}
	for len(c.m) > max {
		var oldest string
		var at time.Time
		for k, v := range c.m {
			if oldest == "" || v.last.Before(at) {
				oldest, at = k, v.last
			}
		}
		delete(c.m, oldest)
	}
}
