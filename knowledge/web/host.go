package web

import (
	"context"
	"strings"
	"sync"
	"time"
)

// host is the gate every request to one host passes: at most PerHost
// requests at once, starts at least the host delay apart, and none before
// a Retry-After has passed.
type host struct {
	name  string
	slots chan struct{}

	mu        sync.Mutex
	delay     time.Duration
	next      time.Time // earliest start of the next request
	notBefore time.Time // from Retry-After
}

func (c *Client) host(name string) *host {
	name = strings.ToLower(name)
	c.mu.Lock()
	defer c.mu.Unlock()
	h := c.hosts[name]
	if h == nil {
		per := c.PerHost
		if per <= 0 {
			per = 2
		}
		delay := c.HostDelay
		switch {
		case delay == 0:
			delay = time.Second
		case delay < 0:
			delay = 0
		}
		h = &host{name: name, slots: make(chan struct{}, per), delay: delay}
		c.hosts[name] = h
	}
	return h
}

// acquire waits for a slot and the host's turn. It fails at once with a
// WaitError when the host asked to be left alone for longer than maxWait.
// The caller must call release when the request is done.
func (h *host) acquire(ctx context.Context, maxWait time.Duration) (release func(), err error) {
	h.mu.Lock()
	if until := h.notBefore; time.Until(until) > maxWait {
		h.mu.Unlock()
		return nil, &WaitError{Host: h.name, Until: until}
	}
	h.mu.Unlock()
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	release = func() { <-h.slots }
	h.mu.Lock()
	now := time.Now()
	start := now
	if h.next.After(start) {
		start = h.next
	}
	if h.notBefore.After(start) {
		start = h.notBefore
	}
	if start.Equal(h.notBefore) && start.Sub(now) > maxWait {
		h.mu.Unlock()
		release()
		return nil, &WaitError{Host: h.name, Until: h.notBefore}
	}
	h.next = start.Add(h.delay)
	h.mu.Unlock()
	if wait := time.Until(start); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			release()
			return nil, ctx.Err()
		}
	}
	return release, nil
}

// holdUntil keeps requests away from the host until t.
func (h *host) holdUntil(t time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if t.After(h.notBefore) {
		h.notBefore = t
	}
}

// atLeast raises the host's delay to d (a robots.txt Crawl-delay).
func (h *host) atLeast(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if d > h.delay {
		h.delay = d
	}
}
