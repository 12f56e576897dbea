// Package server runs `newsbot serve`: the chat adapters that are
// configured, side by side, plus one HTTP server for the adapters that take
// HTTP requests, and shuts them all down gracefully.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"golang.org/x/sync/errgroup"
)

// Runner is a long-running part of the server, such as a chat adapter
// connected to its platform or a feed poller. When ctx is done, Run stops
// taking new work, finishes the work in flight (answers being written,
// including those started by HTTP requests already acknowledged) within the
// server's ShutdownTimeout, and returns. An error stops the whole server.
type Runner interface {
	Name() string
	Run(ctx context.Context) error
}

// Server is the process behind `newsbot serve`. Zero values of optional
// fields mean "off".
type Server struct {
	// Addr is the HTTP listen address; empty means no HTTP server. ":0"
	// picks a free port (see Listening).
	Addr string
	// Listener, when set, is served instead of listening on Addr, and left
	// open when Run returns, for the next server (see Listener).
	Listener *Listener
	// Handler serves HTTP; /healthz (alive), /readyz (Checks) and /metrics
	// are answered by Server itself.
	Handler http.Handler
	// Runners run for the life of the server.
	Runners []Runner
	// ShutdownTimeout bounds the wait for work in flight after ctx is done;
	// zero means 20 seconds.
	ShutdownTimeout time.Duration
	Logger          *slog.Logger
	// Listening, when set, receives the HTTP address once listening.
	Listening func(addr string)
	// Checks are the conditions /readyz reports; it answers 503 while any
	// fails, and from the start of shutdown.
	Checks []Check
	// Metrics, when set, serves GET /metrics.
	Metrics http.Handler
}

// Run serves until ctx is done (SIGTERM), then stops accepting work, lets
// what is in flight finish within ShutdownTimeout, and returns. It returns
// the first error that stopped a runner or the HTTP server.
func (s *Server) Run(ctx context.Context) error {
	log := s.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	timeout := s.ShutdownTimeout
	if timeout <= 0 {
		timeout = 20 * time.Second
	}
	g, gctx := errgroup.WithContext(ctx)
	for _, r := range s.Runners {
		g.Go(func() error {
			log.Info("starting", "adapter", r.Name())
			err := r.Run(gctx)
			if err != nil && !errors.Is(err, context.Canceled) {
				return fmt.Errorf("%s: %w", r.Name(), err)
			}
			log.Info("stopped", "adapter", r.Name())
			return nil
		})
	}
	if s.Addr != "" || s.Listener != nil {
		var ln net.Listener
		if s.Listener != nil {
			ln = s.Listener.view()
		} else {
			var err error
			if ln, err = net.Listen("tcp", s.Addr); err != nil {
				return fmt.Errorf("serve: listen %s: %w", s.Addr, err)
			}
		}
		mux := http.NewServeMux()
		mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Write([]byte("ok\n"))
		})
		mux.Handle("GET /readyz", readyHandler(s.Checks, func() bool { return gctx.Err() != nil }))
		if s.Metrics != nil {
			mux.Handle("GET /metrics", s.Metrics)
		}
		if s.Handler != nil {
			mux.Handle("/", s.Handler)
		}
		srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
		if s.Listening != nil {
			s.Listening(ln.Addr().String())
		}
		log.Info("listening", "addr", ln.Addr().String())
		g.Go(func() error {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return fmt.Errorf("http: %w", err)
			}
			return nil
		})
		g.Go(func() error {
			<-gctx.Done()
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
			defer cancel()
			if err := srv.Shutdown(sctx); err != nil {
				return fmt.Errorf("http shutdown: %w", err)
			}
			return nil
		})
	}
	return g.Wait()
}
