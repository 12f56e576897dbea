package pgtest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// Server is a PostgreSQL server of one test's own, which the test may stop
// and start again: an outage, or a restart under load. Its URL stays the
// same across restarts (a Unix socket in the cluster's directory). Create
// it with NewServer; its methods are safe for concurrent use.
type Server struct {
	tb testing.TB
	mu sync.Mutex
	c  *cluster
	up bool
}

// NewServer creates and starts a cluster for tb alone, stopped and removed
// when tb ends. It needs the PostgreSQL binaries (an existing server named
// by NEWSBOT_TEST_POSTGRES_URL is shared and must not be restarted): without
// them tb is skipped, or fails when NEWSBOT_TEST_POSTGRES_REQUIRED=1.
func NewServer(tb testing.TB) *Server {
	tb.Helper()
	bin, err := findBinaries()
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		var c *cluster
		if c, err = startCluster(ctx, bin); err == nil {
			s := &Server{tb: tb, c: c, up: true}
			tb.Cleanup(func() {
				if err := c.stop(); err != nil {
					tb.Errorf("pgtest: %v", err)
				}
			})
			return s
		}
		if !errors.Is(err, errCannotRun) {
			tb.Fatalf("pgtest: %v", err)
		}
	}
	if required() {
		tb.Fatalf("pgtest: PostgreSQL is required (%s=1) but a server of the test's own cannot be run: %v", EnvRequired, err)
	}
	tb.Skipf("pgtest: skipping, cannot run a PostgreSQL server of the test's own: %v", err)
	return nil
}

// URL is the connection string of the server's maintenance database
// (postgres), reached over its Unix socket.
func (s *Server) URL() string { return s.c.url }

// Stop shuts the server down (fast shutdown: open sessions are cut) and
// waits for it to exit. Stopping a stopped server does nothing.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.up {
		s.c.halt()
		s.up = false
	}
}

// Start starts a stopped server again and waits until it accepts
// connections, failing the test if it does not within a minute. Starting
// a running server does nothing.
func (s *Server) Start() {
	s.tb.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.up {
		return
	}
	if err := s.c.launch(context.Background()); err != nil {
		s.tb.Fatalf("pgtest: restart: %v", err)
	}
	s.up = true
}

// Restart stops the server and starts it again.
func (s *Server) Restart() {
	s.tb.Helper()
	s.Stop()
	s.Start()
}

// String names the server for messages.
func (s *Server) String() string { return fmt.Sprintf("PostgreSQL in %s", s.c.dir) }
