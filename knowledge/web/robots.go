package web

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Robots is the part of a robots.txt file (RFC 9309) that applies to one
// crawler.
type Robots struct {
	rules []robotsRule
	// CrawlDelay is the group's Crawl-delay, zero when absent.
	CrawlDelay time.Duration
}

type robotsRule struct {
	allow   bool
	pattern string
}

// ParseRobots reads a robots.txt file and keeps the rules of the group that
// names agent (case-insensitively), or of the "*" group when none does.
// Unknown lines are ignored, as the RFC asks.
func ParseRobots(data []byte, agent string) *Robots {
	agent = strings.ToLower(agent)
	type group struct {
		agents []string
		rules  []robotsRule
		delay  time.Duration
	}
	var groups []*group
	var cur *group
	inAgents := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		val = strings.TrimSpace(val)
		switch key {
		case "user-agent":
			if !inAgents || cur == nil {
				cur = &group{}
				groups = append(groups, cur)
			}
			cur.agents = append(cur.agents, strings.ToLower(val))
			inAgents = true
		case "allow", "disallow":
			inAgents = false
			if cur == nil || val == "" {
				continue
			}
			cur.rules = append(cur.rules, robotsRule{allow: key == "allow", pattern: val})
		case "crawl-delay":
			inAgents = false
			if cur == nil {
				continue
			}
			if secs, err := strconv.ParseFloat(val, 64); err == nil && secs > 0 {
				cur.delay = time.Duration(secs * float64(time.Second))
			}
		default:
			inAgents = false
		}
	}
	r := &Robots{}
	pick := func(name string) bool {
		found := false
		for _, g := range groups {
			for _, a := range g.agents {
				if a == name {
					r.rules = append(r.rules, g.rules...)
					r.CrawlDelay = max(r.CrawlDelay, g.delay)
					found = true
					break
				}
			}
		}
		return found
	}
	if agent == "" || !pick(agent) {
		pick("*")
	}
	return r
}

// Allowed reports whether the URL path (with its query) may be fetched: the
// longest matching rule wins, Allow on a tie; no matching rule allows.
func (r *Robots) Allowed(u *url.URL) bool {
	if r == nil {
		return true
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if path == "/robots.txt" {
		return true
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	best, allow := -1, true
	for _, rule := range r.rules {
		if !robotsMatch(rule.pattern, path) {
			continue
		}
		n := len(rule.pattern)
		if n > best || (n == best && rule.allow) {
			best, allow = n, rule.allow
		}
	}
	return allow
}

// robotsMatch matches a robots.txt path pattern, where * is any sequence
// and a final $ anchors the end, against the start of path.
func robotsMatch(pattern, path string) bool {
	anchored := strings.HasSuffix(pattern, "$")
	if anchored {
		pattern = pattern[:len(pattern)-1]
	}
	parts := strings.Split(pattern, "*")
	// Encode each part the way request paths come (percent-encoding case,
	// non-ASCII characters).
	for i, part := range parts {
		if p, err := url.PathUnescape(part); err == nil && !strings.ContainsAny(p, "?#") {
			parts[i] = (&url.URL{Path: p}).EscapedPath()
		}
	}
	if !strings.HasPrefix(path, parts[0]) {
		return false
	}
	pos := len(parts[0])
	for i, part := range parts[1:] {
		last := i == len(parts)-2
		if last && anchored {
			return strings.HasSuffix(path[pos:], part)
		}
		j := strings.Index(path[pos:], part)
		if j < 0 {
			return false
		}
		pos += j + len(part)
	}
	return !anchored || pos == len(path)
}

// robotsEntry caches one host's robots.txt; ready is closed once r is set.
type robotsEntry struct {
	ready   chan struct{}
	r       *Robots
	err     error // why robots.txt could not be read; pages are not fetched
	expires time.Time
}

// agentToken is the name newsbot goes by in robots.txt: the User-Agent's
// first word, before any "/".
func (c *Client) agentToken() string {
	ua := c.userAgent()
	if i := strings.IndexAny(ua, "/ "); i >= 0 {
		ua = ua[:i]
	}
	return strings.ToLower(ua)
}

// allowed consults (and caches, per scheme and host) robots.txt for u.
// A missing robots.txt (4xx) allows everything; a server error or an
// unreachable host disallows for a while (RFC 9309, section 2.3.1).
func (c *Client) allowed(ctx context.Context, u *url.URL) (bool, error) {
	key := u.Scheme + "://" + strings.ToLower(u.Host)
	c.mu.Lock()
	e := c.robots[key]
	if e != nil {
		select {
		case <-e.ready:
			if time.Now().After(e.expires) {
				e = nil
			}
		default:
		}
	}
	owner := false
	if e == nil {
		e = &robotsEntry{ready: make(chan struct{})}
		c.robots[key] = e
		owner = true
	}
	c.mu.Unlock()
	if owner {
		r, ttl, err := c.fetchRobots(ctx, u)
		if err != nil && ctx.Err() != nil {
			// Not the host's fault: forget the entry and let a later
			// request try again.
			c.mu.Lock()
			delete(c.robots, key)
			c.mu.Unlock()
			e.r, e.expires = &Robots{}, time.Now()
			close(e.ready)
			return false, err
		}
		e.r, e.err, e.expires = r, err, time.Now().Add(ttl)
		if r.CrawlDelay > 0 {
			c.host(u.Host).atLeast(min(r.CrawlDelay, 30*time.Second))
		}
		close(e.ready)
	}
	select {
	case <-e.ready:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	if e.err != nil {
		return false, fmt.Errorf("unavailable, so no pages from %s for now: %w", u.Host, e.err)
	}
	return e.r.Allowed(u), nil
}

func (c *Client) fetchRobots(ctx context.Context, page *url.URL) (*Robots, time.Duration, error) {
	ru := &url.URL{Scheme: page.Scheme, Host: page.Host, Path: "/robots.txt"}
	resp, err := c.get(ctx, ru, Request{URL: ru.String(), Accept: "text/plain"})
	var se *StatusError
	switch {
	case err == nil:
		return ParseRobots(resp.Body, c.agentToken()), 24 * time.Hour, nil
	case errors.As(err, &se) && se.Code >= 400 && se.Code < 500 && se.Code != 429:
		return &Robots{}, 24 * time.Hour, nil
	case errors.Is(err, ErrTooLarge):
		return &Robots{}, 24 * time.Hour, nil
	default:
		c.logger().Info("robots.txt unavailable; not fetching pages from this host for now", "host", page.Host, "err", err)
		return &Robots{}, 10 * time.Minute, err
	}
}
