// Package web is newsbot's polite HTTP fetcher: the one way feeds and
// article pages are downloaded. It sends a User-Agent that names newsbot and
// a contact URL, makes conditional requests (ETag, Last-Modified), runs at
// most a few requests per host at a time with a delay between them, bounds
// every request in time and size, honours Retry-After on 429 and 503 for the
// whole host, and (for article pages, when enabled) robots.txt.
package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultUserAgent names newsbot and where to reach its maintainers.
const DefaultUserAgent = "newsbot/0.1 (+https://github.com/newsbot/newsbot)"

// Errors returned by Client.Get. Callers branch on them with errors.Is or
// errors.As.
var (
	// ErrTooLarge means the response body was larger than MaxBytes; nothing
	// of it is returned.
	ErrTooLarge = errors.New("response larger than the size limit")
	// ErrDisallowed means robots.txt does not allow newsbot to fetch the page.
	ErrDisallowed = errors.New("disallowed by robots.txt")
)

// StatusError is a response with a status other than 2xx or 304.
type StatusError struct {
	URL  string
	Code int
	// RetryAfter is when the server asked to be contacted again (429, 503
	// with a Retry-After header); zero otherwise.
	RetryAfter time.Time
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("%s: HTTP %d %s", e.URL, e.Code, http.StatusText(e.Code))
	if !e.RetryAfter.IsZero() {
		s += ", retry after " + e.RetryAfter.UTC().Format(time.RFC3339)
	}
	return s
}

// WaitError means the host asked newsbot (by Retry-After) to stay away
// until Until, which is further off than the client is willing to wait, so
// no request was sent.
type WaitError struct {
	Host  string
	Until time.Time
}

func (e *WaitError) Error() string {
	return fmt.Sprintf("%s asked us to wait until %s", e.Host, e.Until.UTC().Format(time.RFC3339))
}

// RetryAt returns the time a server asked to be contacted again, when err
// carries one (a 429 or 503 with Retry-After, or a WaitError).
func RetryAt(err error) (time.Time, bool) {
	var se *StatusError
	if errors.As(err, &se) && !se.RetryAfter.IsZero() {
		return se.RetryAfter, true
	}
	var we *WaitError
	if errors.As(err, &we) {
		return we.Until, true
	}
	return time.Time{}, false
}

// IsNetworkError reports whether err means the network or the host could
// not be reached at all (name resolution or connection failed), as opposed
// to a server that answered badly.
func IsNetworkError(err error) bool {
	if errors.Is(err, ErrBlockedAddress) {
		return false // refused here, not unreachable
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// Client fetches web resources politely. The zero value works, with the
// defaults documented on each field. Set fields before the first Get and do
// not change them afterwards. A Client is safe for concurrent use; share one
// per process so that its per-host limits hold across feeds.
type Client struct {
	// UserAgent is sent with every request; empty means DefaultUserAgent.
	// Its first word (before "/") is the name matched in robots.txt.
	UserAgent string
	// Timeout bounds one request, redirects and body included; zero means
	// 30 seconds.
	Timeout time.Duration
	// MaxBytes bounds a response body; zero means 10 MiB.
	MaxBytes int64
	// PerHost is how many requests may run at once against one host; zero
	// means 2.
	PerHost int
	// HostDelay is the least time between the starts of two requests to one
	// host; zero means 1 second, negative means none. A larger Crawl-delay
	// in robots.txt (up to 30 seconds) wins.
	HostDelay time.Duration
	// Robots, when set, makes page requests (Request.Page) obey robots.txt.
	Robots bool
	// MaxWait is the longest a request waits for its host when the host
	// asked, by Retry-After, to be left alone; past it Get returns a
	// WaitError at once. Zero means 30 seconds.
	MaxWait time.Duration
	// Transport carries the requests; nil means a clone of
	// http.DefaultTransport. Unless AllowLinkLocal is set, an
	// *http.Transport is cloned and its dials guarded (see AllowLinkLocal);
	// another RoundTripper is used as it is and must guard its own dials.
	Transport http.RoundTripper
	// AllowLinkLocal lets requests reach link-local addresses
	// (169.254.0.0/16, fe80::/10) and cloud metadata services
	// (169.254.169.254, metadata.google.internal, fd00:ec2::254,
	// 100.100.100.200, ...). By default they are refused with
	// ErrBlockedAddress — checked on the URL, on every redirect and, for
	// names, at connect time on the address DNS gave — because feed and
	// page URLs come from strangers. Loopback and private addresses are
	// always allowed (self-hosted feeds). See docs/security.md.
	AllowLinkLocal bool
	// Logger receives debug lines about requests; nil discards them.
	Logger *slog.Logger

	once   sync.Once
	hc     *http.Client
	mu     sync.Mutex
	hosts  map[string]*host
	robots map[string]*robotsEntry
}

// Request is one GET.
type Request struct {
	URL string
	// ETag and LastModified, from an earlier Response, make the request
	// conditional: an unchanged resource comes back as NotModified.
	ETag, LastModified string
	// Page marks an article page: robots.txt applies when Client.Robots is
	// set.
	Page bool
	// Accept is the Accept header; empty means any.
	Accept string
}

// Response is a successful (2xx or 304) response.
type Response struct {
	// URL is the final URL, after redirects.
	URL string
	// Status is the HTTP status code.
	Status int
	// NotModified is set for a 304 answer to a conditional request; Body is
	// then empty.
	NotModified bool
	// ETag and LastModified are the validators to send next time.
	ETag, LastModified string
	// ContentType is the Content-Type header as sent.
	ContentType string
	// Body is the response body, after any Content-Encoding was removed;
	// never longer than MaxBytes.
	Body []byte
}

func (c *Client) init() {
	c.once.Do(func() {
		tr := c.Transport
		switch {
		case !c.AllowLinkLocal:
			tr = guardTransport(tr)
		case tr == nil:
			tr = http.DefaultTransport.(*http.Transport).Clone()
		}
		c.hc = &http.Client{
			Transport: tr,
			CheckRedirect: func(req *http.Request, via []*http.Request) error {
				if len(via) >= 5 {
					return errors.New("more than 5 redirects")
				}
				if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
					return fmt.Errorf("redirect to unsupported scheme %q", req.URL.Scheme)
				}
				if err := c.checkURL(req.URL); err != nil {
					return fmt.Errorf("redirect to %w", err)
				}
				return nil
			},
		}
		c.hosts = map[string]*host{}
		c.robots = map[string]*robotsEntry{}
	})
}

func (c *Client) userAgent() string {
	if c.UserAgent != "" {
		return c.UserAgent
	}
	return DefaultUserAgent
}

func (c *Client) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return 30 * time.Second
}

// Limit returns the largest body Get returns.
func (c *Client) Limit() int64 {
	if c.MaxBytes > 0 {
		return c.MaxBytes
	}
	return 10 << 20
}

func (c *Client) logger() *slog.Logger {
	if c.Logger != nil {
		return c.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// Get fetches req.URL, waiting its turn for the host. It returns the
// response for a 2xx or 304 status; otherwise an error: a *StatusError for
// other statuses, ErrTooLarge, ErrDisallowed, ErrBlockedAddress (see
// AllowLinkLocal), a *WaitError when the host
// asked to be left alone for longer than MaxWait, ctx's error, or the
// transport's error (see IsNetworkError). Errors name the URL.
func (c *Client) Get(ctx context.Context, req Request) (*Response, error) {
	c.init()
	u, err := url.Parse(req.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("fetch %q: not an http(s) URL", req.URL)
	}
	if err := c.checkURL(u); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", req.URL, err)
	}
	if req.Page && c.Robots {
		ok, err := c.allowed(ctx, u)
		if err != nil {
			return nil, fmt.Errorf("fetch %s: robots.txt: %w", req.URL, err)
		}
		if !ok {
			return nil, fmt.Errorf("fetch %s: %w", req.URL, ErrDisallowed)
		}
	}
	return c.get(ctx, u, req)
}

// get sends one request through the host's gate.
func (c *Client) get(ctx context.Context, u *url.URL, req Request) (*Response, error) {
	h := c.host(u.Host)
	release, err := h.acquire(ctx, c.maxWait())
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	defer release()

	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	hr.Header.Set("User-Agent", c.userAgent())
	if req.Accept != "" {
		hr.Header.Set("Accept", req.Accept)
	}
	if req.ETag != "" {
		hr.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hr.Header.Set("If-Modified-Since", req.LastModified)
	}
	resp, err := c.hc.Do(hr)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, unwrapURLError(err))
	}
	defer resp.Body.Close()
	final := resp.Request.URL.String()
	c.logger().Debug("fetched", "url", u.String(), "final", final, "status", resp.StatusCode)
	out := &Response{
		URL: final, Status: resp.StatusCode,
		ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"),
		ContentType: resp.Header.Get("Content-Type"),
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		out.NotModified = true
		return out, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		se := &StatusError{URL: u.String(), Code: resp.StatusCode}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			if at, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
				se.RetryAfter = at
				h.holdUntil(at)
			}
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // let the connection be reused
		return nil, se
	}
	limit := c.Limit()
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("fetch %s: %w (%d bytes announced, limit %d)", u, ErrTooLarge, resp.ContentLength, limit)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: read body: %w", u, unwrapURLError(err))
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("fetch %s: %w (limit %d bytes)", u, ErrTooLarge, limit)
	}
	out.Body = body
	return out, nil
}

// unwrapURLError drops the *url.Error layer, whose message repeats the URL
// the caller already names.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func (c *Client) maxWait() time.Duration {
	if c.MaxWait > 0 {
		return c.MaxWait
	}
	return 30 * time.Second
}

// parseRetryAfter reads a Retry-After value: delay seconds or an HTTP date.
// Delays are capped at a day.
func parseRetryAfter(v string, now time.Time) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return time.Time{}, false
		}
		return now.Add(min(time.Duration(secs)*time.Second, 24*time.Hour)), true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return time.Time{}, false
	}
	if t.After(now.Add(24 * time.Hour)) {
		t = now.Add(24 * time.Hour)
	}
	return t, true
}
