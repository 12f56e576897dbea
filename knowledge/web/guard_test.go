package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// countingTransport answers every request with 200 and counts them.
type countingTransport struct{ n atomic.Int32 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader("ok")), Header: http.Header{}, Request: r}, nil
}

func TestBlockedAddressesNeverRequested(t *testing.T) {
	for _, u := range []string{
		"http://169.254.169.254/latest/meta-data/iam/security-credentials/",
		"http://169.254.1.1:8080/",
		"http://[fe80::1]/",
		"http://[fe80::1%25eth0]/",
		"http://[::ffff:169.254.169.254]/",
		"http://[fd00:ec2::254]/latest/meta-data/",
		"http://100.100.100.200/latest/meta-data/",
		"http://metadata.google.internal/computeMetadata/v1/",
		"http://METADATA.Google.Internal./computeMetadata/v1/",
		"https://metadata/computeMetadata/v1/",
	} {
		tr := &countingTransport{}
		c := &Client{HostDelay: -1, Transport: tr}
		_, err := c.Get(context.Background(), Request{URL: u})
		if !errors.Is(err, ErrBlockedAddress) {
			t.Errorf("Get(%s) = %v, want ErrBlockedAddress", u, err)
		}
		if IsNetworkError(err) {
			t.Errorf("Get(%s): IsNetworkError(%v) = true, want false (refused, not unreachable)", u, err)
		}
		if n := tr.n.Load(); n != 0 {
			t.Errorf("Get(%s) sent %d requests, want 0", u, n)
		}
	}
}

func TestAllowLinkLocal(t *testing.T) {
	tr := &countingTransport{}
	c := &Client{HostDelay: -1, Transport: tr, AllowLinkLocal: true}
	resp, err := c.Get(context.Background(), Request{URL: "http://169.254.169.254/latest/meta-data/"})
	if err != nil || string(resp.Body) != "ok" || tr.n.Load() != 1 {
		t.Fatalf("Get with AllowLinkLocal = %+v, %v (%d requests); want the answer", resp, err, tr.n.Load())
	}
}

func TestRedirectToMetadataBlocked(t *testing.T) {
	for _, target := range []string{"http://169.254.169.254/latest/meta-data/", "http://metadata.google.internal/", "http://[fe80::a9fe:a9fe]/"} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target, http.StatusFound)
		}))
		c := &Client{HostDelay: -1}
		_, err := c.Get(context.Background(), Request{URL: srv.URL + "/feed.xml"})
		srv.Close()
		if !errors.Is(err, ErrBlockedAddress) {
			t.Errorf("redirect to %s: Get = %v, want ErrBlockedAddress", target, err)
		}
	}
}

func TestLoopbackAndNamesAllowed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "feed") }))
	defer srv.Close()
	// By name: resolved by DNS (the hosts file), checked at dial time.
	byName := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	for _, u := range []string{srv.URL, byName} {
		c := &Client{HostDelay: -1}
		resp, err := c.Get(context.Background(), Request{URL: u})
		if err != nil || string(resp.Body) != "feed" {
			t.Errorf("Get(%s) = %+v, %v; want the body (loopback is allowed)", u, resp, err)
		}
	}
}

func TestCustomTransportGuarded(t *testing.T) {
	// An *http.Transport given by the caller is cloned and guarded; the
	// redirect is refused by the check at redirect time, before any dial.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://169.254.169.254/", http.StatusFound)
	}))
	defer srv.Close()
	c := &Client{HostDelay: -1, Transport: &http.Transport{}}
	if _, err := c.Get(context.Background(), Request{URL: srv.URL}); !errors.Is(err, ErrBlockedAddress) {
		t.Fatalf("Get = %v, want ErrBlockedAddress", err)
	}
	if _, ok := c.hc.Transport.(*http.Transport); !ok || c.hc.Transport == c.Transport {
		t.Fatalf("transport %T not a guarded clone", c.hc.Transport)
	}
}

func TestDialControl(t *testing.T) {
	tests := []struct {
		addr    string
		blocked bool
	}{
		{"169.254.169.254:80", true},
		{"169.254.0.1:443", true},
		{"[fe80::1]:80", true},
		{"[fe80::1%eth0]:80", true},
		{"[::ffff:169.254.169.254]:80", true},
		{"[fd00:ec2::254]:80", true},
		{"100.100.100.200:80", true},
		{"168.63.129.16:80", true},
		{"127.0.0.1:8080", false},
		{"[::1]:8080", false},
		{"10.0.0.5:80", false},
		{"192.168.1.10:80", false},
		{"172.16.0.1:80", false},
		{"[fd00::1]:80", false},
		{"93.184.216.34:443", false},
		{"not-an-address:80", true},
	}
	for _, tt := range tests {
		err := dialControl("tcp", tt.addr, nil)
		if got := errors.Is(err, ErrBlockedAddress); got != tt.blocked {
			t.Errorf("dialControl(%s) = %v, want blocked %v", tt.addr, err, tt.blocked)
		}
	}
}

func TestGuardedTransportRefusesAtDial(t *testing.T) {
	// The transport alone, past the URL checks: as if DNS had answered a
	// public name with a metadata address. The dialer's Control refuses
	// before any packet is sent.
	tr := guardTransport(nil)
	for _, u := range []string{"http://169.254.169.254/latest/meta-data/", "http://[fe80::1]:8080/", "http://100.100.100.200/"} {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		resp, err := tr.RoundTrip(req)
		if err == nil {
			resp.Body.Close()
		}
		if !errors.Is(err, ErrBlockedAddress) {
			t.Errorf("RoundTrip(%s) = %v, want ErrBlockedAddress at dial time", u, err)
		}
	}
	// Loopback passes the same dialer.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatalf("RoundTrip(loopback) = %v", err)
	}
	resp.Body.Close()
}
