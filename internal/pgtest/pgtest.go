// Package pgtest gives tests a throw-away PostgreSQL server, so that
// `go test ./...` stays one command.
//
// A package whose tests need PostgreSQL calls Main from its TestMain, and
// each test calls NewDatabase for a fresh, empty database of its own (so
// tests may run in parallel). The server is found in this order:
//
//   - NEWSBOT_TEST_POSTGRES_URL, when set: an existing server, reached with
//     a role that may CREATE DATABASE (a postgres:// URL or key=value
//     string naming its maintenance database);
//   - else the PostgreSQL binaries (initdb, postgres) in PATH or in
//     /usr/lib/postgresql/*/bin: a cluster is created in a temporary
//     directory, started on a Unix socket there (no TCP port, so parallel
//     test processes never collide), and stopped and removed when the tests
//     end. PostgreSQL refuses to run as root: as root, the server runs as
//     the postgres user.
//
// With neither, tests that ask for a database are skipped with a message
// saying why, unless NEWSBOT_TEST_POSTGRES_REQUIRED=1, when they fail.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Environment variables read by this package.
const (
	// EnvURL names an existing server to use instead of starting one.
	EnvURL = "NEWSBOT_TEST_POSTGRES_URL"
	// EnvRequired, when "1", turns "no PostgreSQL available" from a skip
	// into a failure (CI sets it).
	EnvRequired = "NEWSBOT_TEST_POSTGRES_REQUIRED"
)

var (
	mainCalled atomic.Bool
	startOnce  sync.Once
	srv        *server // the server, once started; nil when there is none
	unusable   error   // why there is no server: skip, or fail when required
	broken     error   // the server was meant to exist but failed: always fail
	dbSeq      atomic.Int64

	sharedMu sync.Mutex
	shared   = map[string]string{} // SharedDatabase key -> database name
)

// Main runs the package's tests and then stops the server, if one was
// started, and removes its files. Call it from TestMain:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
// The server is started lazily, by the first NewDatabase or SharedDatabase.
func Main(m *testing.M) {
	mainCalled.Store(true)
	code := m.Run()
	sharedMu.Lock()
	for _, name := range shared {
		if err := srv.dropDatabase(context.Background(), name); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
		}
	}
	sharedMu.Unlock()
	if srv != nil {
		if err := srv.stop(); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
		}
	}
	os.Exit(code)
}

func required() bool { return os.Getenv(EnvRequired) == "1" }

// NewDatabase creates a new, empty database for tb and returns its
// connection string (a URL when the server's is one). The database is
// dropped when tb ends; close connections to it in an earlier Cleanup (a
// store opened after NewDatabase and closed with tb.Cleanup is). Without a
// server tb is skipped, or fails when NEWSBOT_TEST_POSTGRES_REQUIRED=1.
// Safe for concurrent use.
func NewDatabase(tb testing.TB) string {
	tb.Helper()
	ensureServer(tb)
	name := createDatabase(tb)
	tb.Cleanup(func() {
		if err := srv.dropDatabase(context.Background(), name); err != nil {
			tb.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	return withDatabase(srv.url, name)
}

// ensureServer starts the server on first use, and skips or fails tb when
// there is none.
func ensureServer(tb testing.TB) {
	tb.Helper()
	if !mainCalled.Load() {
		tb.Fatal("pgtest: this package's TestMain must call pgtest.Main(m), which stops the server after the tests")
	}
	startOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		srv, unusable, broken = start(ctx)
	})
	switch {
	case broken != nil:
		tb.Fatalf("pgtest: %v", broken)
	case unusable != nil && required():
		tb.Fatalf("pgtest: PostgreSQL is required (%s=1) but unavailable: %v", EnvRequired, unusable)
	case unusable != nil:
		tb.Skipf("pgtest: skipping, no PostgreSQL: %v (install the PostgreSQL server, e.g. apt-get install postgresql, or set %s)", unusable, EnvURL)
	}
}

// SharedDatabase returns the connection string of a database that lives
// until the end of the test binary: the same one for every call with the
// same key (created empty by the first), dropped by Main. Benchmarks use it
// to load a corpus once for all their runs. Skips or fails like NewDatabase.
func SharedDatabase(tb testing.TB, key string) string {
	tb.Helper()
	ensureServer(tb)
	sharedMu.Lock()
	defer sharedMu.Unlock()
	name, ok := shared[key]
	if !ok {
		name = createDatabase(tb)
		shared[key] = name
	}
	return withDatabase(srv.url, name)
}

// Connect opens a connection to url for tb, closed when tb ends.
func Connect(tb testing.TB, url string) *pgx.Conn {
	tb.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func createDatabase(tb testing.TB) string {
	tb.Helper()
	name := fmt.Sprintf("newsbot_test_%d_%d", os.Getpid(), dbSeq.Add(1))
	if err := srv.admin(context.Background(), "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		tb.Fatalf("pgtest: create database %s: %v", name, err)
	}
	return name
}

// server is a PostgreSQL server that tests create databases on.
type server struct {
	url     string // connection string of the maintenance database
	cluster *cluster
}

// admin runs one statement on the maintenance database.
func (s *server) admin(ctx context.Context, sql string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.url)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql)
	return err
}

func (s *server) dropDatabase(ctx context.Context, name string) error {
	err := s.admin(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	if err != nil && strings.Contains(err.Error(), "syntax error") { // before PostgreSQL 13
		err = s.admin(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize())
	}
	return err
}

func (s *server) stop() error {
	if s.cluster == nil {
		return nil
	}
	return s.cluster.stop()
}

// start finds or starts the server. It returns the server, or why there is
// none: unusable (skip unless required) or broken (always fail).
func start(ctx context.Context) (s *server, unusable, broken error) {
	if u := os.Getenv(EnvURL); u != "" {
		s := &server{url: u}
		if err := s.admin(ctx, "SELECT 1"); err != nil {
			return nil, nil, fmt.Errorf("%s is set but its server cannot be reached: %w", EnvURL, err)
		}
		return s, nil, nil
	}
	bin, err := findBinaries()
	if err != nil {
		return nil, err, nil
	}
	c, err := startCluster(ctx, bin)
	if errors.Is(err, errCannotRun) {
		return nil, err, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return &server{url: c.url, cluster: c}, nil, nil
}

// withDatabase returns connection string conn with its database replaced
// by name.
func withDatabase(conn, name string) string {
	if strings.HasPrefix(conn, "postgres://") || strings.HasPrefix(conn, "postgresql://") {
		if u, err := url.Parse(conn); err == nil {
			u.Path = "/" + name
			u.RawPath = ""
			return u.String()
		}
	}
	return conn + " dbname=" + name // key=value: a later key wins
}
