// Package safe keeps one stranger's input from ending the process: Go runs
// a function and turns a panic inside it into a logged error (with its
// stack) and a count, so the caller can apologise and go on with the next
// message, line or item.
//
// Use it at every boundary where input from outside is handled: an HTTP
// handler, a goroutine answering after an acknowledgement, a gateway event,
// a REPL or batch line, a feed item.
package safe

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync/atomic"
)

// panics counts the panics recovered since the process started.
var panics atomic.Int64

// Panics returns how many panics Do and Go have recovered since the
// process started (for metrics and tests). It is safe for concurrent use.
func Panics() int64 { return panics.Load() }

// PanicError is the error Do returns when fn panicked.
type PanicError struct {
	// Where names the boundary ("slack command", "repl line").
	Where string
	// Value is what was passed to panic.
	Value any
	// Stack is the goroutine's stack at the panic.
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("%s: panic: %v", e.Where, e.Value) }

// Do runs fn. If fn panics, Do recovers, logs the panic and its stack at
// error level on log (nil means slog.Default()), counts it and returns a
// *PanicError; otherwise it returns nil. A panic with http.ErrAbortHandler
// is re-raised: net/http uses it on purpose to abort a response.
func Do(ctx context.Context, log *slog.Logger, where string, fn func()) (err error) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if isAbort(v) {
			panic(v)
		}
		panics.Add(1)
		pe := &PanicError{Where: where, Value: v, Stack: debug.Stack()}
		if log == nil {
			log = slog.Default()
		}
		log.ErrorContext(ctx, "recovered from a panic", "where", where, "panic", fmt.Sprint(v), "stack", string(pe.Stack))
		err = pe
	}()
	fn()
	return nil
}

// Go runs fn in a new goroutine under Do, so a panic in it is logged and
// counted instead of ending the process.
func Go(ctx context.Context, log *slog.Logger, where string, fn func()) {
	go func() { _ = Do(ctx, log, where, fn) }()
}
