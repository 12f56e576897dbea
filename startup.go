package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/internal/backoff"
	"github.com/newsbot/newsbot/internal/server"
	"github.com/newsbot/newsbot/knowledge/postgres"
)

// storeRetry is how `serve` waits for an unreachable PostgreSQL at start.
var storeRetry = backoff.Policy{}

// openPostgresWaiting opens the PostgreSQL store for `serve`, retrying with
// backoff while the server cannot be reached; meanwhile the HTTP address
// answers /healthz and, with 503 and the reason, /readyz, so that an
// orchestrator sees the instance alive but not ready. Errors retrying
// cannot fix (a malformed URL, refused credentials, a missing database)
// end it at once. The socket of that address is returned open, for serve's
// own server: the port never refuses connections in between.
func openPostgresWaiting(ctx context.Context, cfg *config.Config, log *slog.Logger, sio *stdio) (*postgres.Store, *server.Listener, error) {
	attempt := func(ctx context.Context) (*postgres.Store, error) {
		actx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		s, err := postgres.Open(actx, cfg.DatabaseURL)
		if err == nil {
			return s, nil
		}
		if postgres.Retryable(err) || (ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded)) {
			return nil, err
		}
		return nil, backoff.Permanent(err)
	}
	s, err := attempt(ctx)
	if err == nil || backoff.IsPermanent(err) || ctx.Err() != nil {
		return s, nil, err
	}
	// Unreachable: serve the health endpoints while retrying.
	var mu sync.Mutex
	last := err
	wctx, stopWaiting := context.WithCancel(ctx)
	defer stopWaiting()
	var srvErr error
	var wg sync.WaitGroup
	var ln *server.Listener
	if cfg.HTTPAddr != "" {
		var lerr error
		if ln, lerr = server.Listen(cfg.HTTPAddr); lerr != nil {
			return nil, nil, lerr
		}
		srv := &server.Server{Listener: ln, Logger: log, Listening: sio.listening, ShutdownTimeout: cfg.ShutdownTimeout,
			Checks: []server.Check{{Name: "store", Ready: func(context.Context) error {
				mu.Lock()
				defer mu.Unlock()
				return fmt.Errorf("waiting for the database, unreachable at start: %w", last)
			}}}}
		wg.Add(1)
		go func() { defer wg.Done(); srvErr = srv.Run(wctx) }()
	}
	log.Warn("the database is unreachable at start: retrying; not ready meanwhile", "err", err)
	err = backoff.Retry(ctx, log, "open the database", storeRetry, func(ctx context.Context) error {
		var err error
		if s, err = attempt(ctx); err != nil {
			mu.Lock()
			last = err
			mu.Unlock()
		}
		return err
	})
	stopWaiting()
	wg.Wait() // the socket stays open: serve's own server goes on serving it
	if err == nil && srvErr != nil {
		s.Close()
		err = srvErr
	}
	if err != nil {
		if ln != nil {
			ln.Close()
		}
		return nil, nil, err
	}
	log.Warn("the database is reachable now: starting", "database", s.String())
	return s, ln, nil
}
