package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/newsbot/newsbot/internal/backoff"
	"github.com/newsbot/newsbot/internal/pgtest"
)

// freePort returns a loopback address nothing listens on (yet).
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// proxyTo listens on addr and forwards each connection to the PostgreSQL
// server of pgURL (its Unix socket or TCP address), byte for byte: that
// server, reachable at addr from now on.
func proxyTo(t *testing.T, addr, pgURL string) {
	t.Helper()
	cfg, err := pgconn.ParseConfig(pgURL)
	if err != nil {
		t.Fatal(err)
	}
	network, target := "tcp", net.JoinHostPort(cfg.Host, itoa(int(cfg.Port)))
	if strings.HasPrefix(cfg.Host, "/") {
		network, target = "unix", cfg.Host+"/.s.PGSQL."+itoa(int(cfg.Port))
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				s, err := net.Dial(network, target)
				if err != nil {
					return
				}
				defer s.Close()
				go io.Copy(s, c)
				io.Copy(c, s)
			}()
		}
	}()
}

func itoa(n int) string { return strconv.Itoa(n) }

// fetch is get that reports a refused connection (between the waiting
// server and serve's own) as status 0.
func fetch(url string) (int, string) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// PostgreSQL unreachable when serve starts: it stays up, /healthz 200 and
// /readyz 503 saying why, retrying; once the server can be reached (here a
// proxy to pgtest's server starts listening on the port the URL names)
// serve opens the store and /readyz turns 200.
func TestServeWaitsForPostgres(t *testing.T) {
	storeRetry = backoff.Policy{Base: 50 * time.Millisecond, Max: 200 * time.Millisecond}
	t.Cleanup(func() { storeRetry = backoff.Policy{} })
	real := pgtest.NewDatabase(t)
	cfg, err := pgconn.ParseConfig(real)
	if err != nil {
		t.Fatal(err)
	}
	pgAddr := freePort(t)
	u := url.URL{Scheme: "postgres", User: url.User(cfg.User), Host: pgAddr, Path: "/" + cfg.Database, RawQuery: "sslmode=disable"}
	httpAddr := freePort(t)
	env := map[string]string{"NEWSBOT_DATABASE_URL": u.String(), "NEWSBOT_HTTP_ADDR": httpAddr, "NEWSBOT_HISTORY_FILE": "",
		"NEWSBOT_FEEDS": "", "NEWSBOT_DB": t.TempDir() + "/unused.db", "NEWSBOT_SAMPLE": "false"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, &stdio{in: strings.NewReader(""), out: io.Discard, err: stderr,
			getenv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }})
	}()
	base := "http://" + httpAddr
	until := func(what string, ok func(code int, body string) bool) (int, string) {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for {
			code, body := fetch(base + "/readyz")
			if ok(code, body) {
				return code, body
			}
			select {
			case err := <-done:
				t.Fatalf("serve ended waiting for %s: %v\n%s", what, err, stderr.String())
			case <-time.After(20 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				t.Fatalf("no %s after 60s: last %d %s\n%s", what, code, body, stderr.String())
			}
		}
	}
	_, body := until("503 while waiting", func(code int, body string) bool { return code == http.StatusServiceUnavailable })
	if !strings.Contains(body, "waiting for the database") || !strings.Contains(body, "connection refused") {
		t.Errorf("/readyz while PostgreSQL is down: %s", body)
	}
	if code, _ := fetch(base + "/healthz"); code != http.StatusOK {
		t.Errorf("/healthz while waiting: %d", code)
	}
	// A retry has failed (and been logged) before the database appears.
	until("a failed retry", func(int, string) bool {
		return strings.Contains(stderr.String(), "open the database: failed, retrying")
	})
	proxyTo(t, pgAddr, real)
	// The port the waiting server answered on is handed to serve's own
	// server: no request in between is refused (status 0).
	refused := 0
	until("200 once reachable", func(code int, body string) bool {
		if code == 0 {
			refused++
		}
		return code == http.StatusOK
	})
	if refused > 0 {
		t.Errorf("%d requests to /readyz were refused while serve went from waiting to serving", refused)
	}
	logs := stderr.String()
	for _, want := range []string{"the database is unreachable at start: retrying", "open the database: failed, retrying", "the database is reachable now: starting"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, "unreachable at start") && !strings.Contains(l, "connection refused") {
			t.Errorf("the first warning does not say why: %s", l)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
}

// What retrying cannot fix ends serve at once: a malformed URL, a database
// that does not exist.
func TestServeGivesUpOnPermanentDatabaseErrors(t *testing.T) {
	real := pgtest.NewDatabase(t)
	cfg, err := pgconn.ParseConfig(real)
	if err != nil {
		t.Fatal(err)
	}
	pgAddr := freePort(t)
	proxyTo(t, pgAddr, real)
	missing := url.URL{Scheme: "postgres", User: url.User(cfg.User), Host: pgAddr, Path: "/no_such_database", RawQuery: "sslmode=disable"}
	for _, tt := range []struct{ url, want string }{
		{"postgres://u@127.0.0.1:99999999/db", "invalid port"},
		{missing.String(), "does not exist"},
	} {
		env := map[string]string{"NEWSBOT_DATABASE_URL": tt.url, "NEWSBOT_HTTP_ADDR": "127.0.0.1:0", "NEWSBOT_HISTORY_FILE": "",
			"NEWSBOT_FEEDS": "", "NEWSBOT_DB": t.TempDir() + "/unused.db"}
		err := run(context.Background(), []string{"serve"}, &stdio{in: strings.NewReader(""), out: io.Discard, err: io.Discard,
			getenv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("serve with %s: %v, want an error saying %q", tt.url, err, tt.want)
		}
	}
}

// newsbot healthcheck exits 0 while serve answers /healthz, and 1 (with
// the reason) for /readyz while serve is not ready, and when nothing
// listens.
func TestHealthcheckCommand(t *testing.T) {
	storeRetry = backoff.Policy{Base: 50 * time.Millisecond, Max: 200 * time.Millisecond}
	t.Cleanup(func() { storeRetry = backoff.Policy{} })
	httpAddr := freePort(t)
	env := map[string]string{"NEWSBOT_DATABASE_URL": "postgres://u@" + freePort(t) + "/db?sslmode=disable", "NEWSBOT_HTTP_ADDR": httpAddr,
		"NEWSBOT_HISTORY_FILE": "", "NEWSBOT_FEEDS": "", "NEWSBOT_DB": t.TempDir() + "/unused.db"}
	check := func(args ...string) error {
		return run(context.Background(), append([]string{"healthcheck"}, args...), &stdio{in: strings.NewReader(""), out: io.Discard, err: io.Discard,
			getenv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }})
	}
	if err := check(); err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("healthcheck with nothing listening: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, &stdio{in: strings.NewReader(""), out: io.Discard, err: io.Discard,
			getenv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }})
	}()
	deadline := time.Now().Add(60 * time.Second)
	for check() != nil && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if err := check(); err != nil {
		t.Errorf("healthcheck while serve waits for the database: %v", err)
	}
	if err := check("--ready"); err == nil || !strings.Contains(err.Error(), "503") {
		t.Errorf("healthcheck --ready while waiting: %v", err)
	}
	cancel()
	<-done
}
