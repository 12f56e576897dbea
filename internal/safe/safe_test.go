package safe

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestDoRecoversAndCounts(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	before := Panics()
	err := Do(context.Background(), log, "test boundary", func() {
		var s []int
		_ = s[3] // index out of range
	})
	var pe *PanicError
	if !errors.As(err, &pe) {
		t.Fatalf("Do = %v, want a *PanicError", err)
	}
	if pe.Where != "test boundary" || len(pe.Stack) == 0 {
		t.Errorf("PanicError = %+v, want where and a stack", pe)
	}
	if got := Panics() - before; got != 1 {
		t.Errorf("Panics grew by %d, want 1", got)
	}
	out := buf.String()
	if !strings.Contains(out, "level=ERROR") || !strings.Contains(out, "index out of range") || !strings.Contains(out, "safe_test.go") {
		t.Errorf("log = %q, want an error line with the panic and its stack", out)
	}
}

func TestDoNoPanic(t *testing.T) {
	ran := false
	if err := Do(context.Background(), nil, "x", func() { ran = true }); err != nil || !ran {
		t.Fatalf("Do = %v, ran %v; want nil, true", err, ran)
	}
}

func TestDoReraisesAbort(t *testing.T) {
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Fatalf("recovered %v, want http.ErrAbortHandler re-raised", v)
		}
	}()
	_ = Do(context.Background(), nil, "x", func() { panic(http.ErrAbortHandler) })
	t.Fatal("Do returned after an abort")
}

func TestGo(t *testing.T) {
	done := make(chan struct{})
	before := Panics()
	Go(context.Background(), slog.New(slog.DiscardHandler), "goroutine", func() {
		defer close(done)
		panic("boom")
	})
	<-done
	// The deferred close runs before Do's recover; wait for the count.
	for deadline := time.Now().Add(5 * time.Second); Panics() == before; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the goroutine's panic was not counted")
		}
	}
}
