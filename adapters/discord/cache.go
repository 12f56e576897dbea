package discord

import (
	"sync"
	"time"
)

// keyCache is a small map with a size bound and an expiry: entries older
// than ttl are gone, and when full the oldest entry goes first. It is safe
// for concurrent use.
type keyCache[V any] struct {
	max int
	ttl time.Duration
	now func() time.Time

	mu    sync.Mutex
	m     map[string]cacheEntry[V]
	order []string // keys in insertion order (may hold stale keys)
}

type cacheEntry[V any] struct {
	val V
	at  time.Time
}

func newKeyCache[V any](max int, ttl time.Duration, now func() time.Time) *keyCache[V] {
	if now == nil {
		now = time.Now
	}
	return &keyCache[V]{max: max, ttl: ttl, now: now, m: map[string]cacheEntry[V]{}}
}

// get returns the value stored for key, if any and not expired.
func (c *keyCache[V]) get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || c.now().Sub(e.at) > c.ttl {
		var zero V
		return zero, false
	}
	return e.val, true
}

// put stores val for key, and reports whether key was already present (and
// not expired).
func (c *keyCache[V]) put(key string, val V) (existed bool) {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[key]; ok && now.Sub(e.at) <= c.ttl {
		existed = true
	}
	c.m[key] = cacheEntry[V]{val: val, at: now}
	c.order = append(c.order, key)
	for len(c.m) > c.max || len(c.order) > 2*c.max {
		k := c.order[0]
		c.order = c.order[1:]
		if e, ok := c.m[k]; ok && (len(c.m) > c.max || now.Sub(e.at) > c.ttl) {
			delete(c.m, k)
		}
	}
	return existed
}
