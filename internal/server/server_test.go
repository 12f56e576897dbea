package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
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

// /readyz is 200 while every check passes and 503 with the failing check
// named while one fails or panics; /healthz stays 200 throughout.
func TestReadyz(t *testing.T) {
	var storeDown atomic.Bool
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr := make(chan string, 1)
	s := &Server{Addr: "127.0.0.1:0", Listening: func(a string) { addr <- a }, Checks: []Check{
		{Name: "store", Ready: func(context.Context) error {
			if storeDown.Load() {
				return errors.New("store down")
			}
			return nil
		}},
		{Name: "chat", Ready: func(context.Context) error { return nil }},
	}}
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	base := "http://" + <-addr
	ready := func() (int, Readiness) {
		t.Helper()
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var r Readiness
		if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, r
	}
	if code, r := ready(); code != 200 || !r.Ready || len(r.Checks) != 2 || !r.Checks[0].OK || !r.Checks[1].OK {
		t.Errorf("ready: %d %+v", code, r)
	}
	storeDown.Store(true)
	if code, r := ready(); code != 503 || r.Ready || r.Checks[0].OK || r.Checks[0].Error != "store down" || !r.Checks[1].OK {
		t.Errorf("store down: %d %+v", code, r)
	}
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("/healthz while not ready: %d", resp.StatusCode)
	}
	storeDown.Store(false)
	if code, _ := ready(); code != 200 {
		t.Errorf("store back: %d", code)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestReadinessPanickingCheck(t *testing.T) {
	r := readiness(context.Background(), []Check{{Name: "boom", Ready: func(context.Context) error { panic("boom") }}}, false)
	if r.Ready || r.Checks[0].OK || !strings.Contains(r.Checks[0].Error, "panic: boom") {
		t.Errorf("panicking check: %+v", r)
	}
	r = readiness(context.Background(), nil, true)
	if r.Ready || len(r.Checks) != 1 || r.Checks[0].Name != "shutdown" {
		t.Errorf("while stopping: %+v", r)
	}
}
