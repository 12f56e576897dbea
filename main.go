// Command newsbot answers questions about the news, citing its sources, in
// a terminal, Discord or Slack. See README.md.
//
// main only wires: flags and settings -> config -> store -> bot -> adapter.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"golang.org/x/term"

	"github.com/newsbot/newsbot/adapters/repl"
	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/internal/redact"
	"github.com/newsbot/newsbot/internal/safe"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	stdinTTY := term.IsTerminal(int(os.Stdin.Fd()))
	stdoutTTY := term.IsTerminal(int(os.Stdout.Fd()))
	stderrTTY := term.IsTerminal(int(os.Stderr.Fd()))
	err := run(ctx, os.Args[1:], &stdio{
		in: os.Stdin, out: os.Stdout, err: os.Stderr,
		interactive: stdinTTY && stdoutTTY, progress: stderrTTY,
		logOutput: log.SetOutput,
	})
	os.Exit(report(os.Stderr, err))
}

// Exit codes.
const (
	exitOK      = 0 // success
	exitFailure = 1 // failure at run time (and an ingest that rejected input)
	exitUsage   = 2 // a command-line mistake
)

// report prints err, with a hint for usage errors, and returns the exit
// code for it.
func report(w io.Writer, err error) int {
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(w, "newsbot:", err)
	var ue *usageError
	if errors.As(err, &ue) {
		if ue.hint != "" {
			fmt.Fprintln(w, ue.hint)
		}
		return exitUsage
	}
	if errors.Is(err, repl.ErrUsage) {
		return exitUsage
	}
	return exitFailure
}

// stdio is the process's terminal, replaceable in tests.
type stdio struct {
	in          io.Reader
	out, err    io.Writer
	interactive bool // stdin and stdout are a terminal
	progress    bool // stderr is a terminal
	getenv      func(string) (string, bool)
	// environ lists the environment (for warnings about unknown
	// variables); nil with getenv nil means os.Environ.
	environ func() []string
	// listening, when set, is told the address `serve` listens on.
	listening func(addr string)
	// logOutput, when set, redirects the standard library's log (which
	// dependencies and slog.Default write to) to the redacted stderr.
	logOutput func(io.Writer)
}

// redacted returns a copy of sio whose output passes through r, so that
// no configured secret is printed, whoever prints it.
func (sio *stdio) redacted(r *redact.Redactor) *stdio {
	c := *sio
	c.out, c.err = r.Writer(sio.out), r.Writer(sio.err)
	if c.logOutput != nil {
		c.logOutput(c.err)
	}
	return &c
}

// recovered logs a panic that reached run, with its stack, through the
// redacting logger, and returns it as an error.
func recovered(ctx context.Context, cfg *config.Config, sio *stdio, cmd string, v any) error {
	pe := &safe.PanicError{Where: "newsbot " + cmd, Value: v, Stack: debug.Stack()}
	config.NewLogger(cfg, sio.err).ErrorContext(ctx, "recovered from a panic", "where", pe.Where, "panic", fmt.Sprint(v), "stack", string(pe.Stack))
	return pe
}
