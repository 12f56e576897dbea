package server

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

type runner struct {
	started, finished atomic.Bool
	err               error
}

func (r *runner) Name() string { return "test" }
func (r *runner) Run(ctx context.Context) error {
	r.started.Store(true)
	<-ctx.Done()
	time.Sleep(50 * time.Millisecond) // work in flight finishing
	r.finished.Store(true)
	return r.err
}

func TestRunAndGracefulStop(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	r := &runner{}
	addr := make(chan string, 1)
	s := &Server{Addr: "127.0.0.1:0", Runners: []Runner{r}, Listening: func(a string) { addr <- a },
		Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "app") })}
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	base := "http://" + <-addr
	for path, want := range map[string]string{"/healthz": "ok\n", "/anything": "app"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) != want {
			t.Errorf("GET %s = %q, want %q", path, body, want)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}
	if !r.started.Load() || !r.finished.Load() {
		t.Error("runner did not finish its work before Run returned")
	}
}

func TestRunnerErrorStopsServer(t *testing.T) {
	boom := errors.New("boom")
	r := &failing{err: boom}
	s := &Server{Runners: []Runner{r, &runner{}}}
	err := s.Run(context.Background())
	if !errors.Is(err, boom) {
		t.Errorf("Run = %v, want boom", err)
	}
}

type failing struct{ err error }

func (f *failing) Name() string                  { return "failing" }
func (f *failing) Run(ctx context.Context) error { return f.err }
