// Package backoff retries a start-up step (connecting to Slack, Discord or
// the database) with exponential backoff until it succeeds, fails in a way
// retrying cannot fix, or the context ends.
package backoff

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Policy is how long to wait between attempts: Base after the first
// failure, doubling up to Max. Zero values mean 1 second and 1 minute.
type Policy struct {
	Base, Max time.Duration
}

// Permanent marks err as one retrying cannot fix (a revoked token, a
// malformed URL): Retry returns it at once.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanent{err}
}

type permanent struct{ err error }

func (p *permanent) Error() string { return p.err.Error() }
func (p *permanent) Unwrap() error { return p.err }

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var p *permanent
	return errors.As(err, &p)
}

// Retry calls fn until it returns nil or a Permanent error, waiting
// between attempts as p says and logging each failure (what, the attempt,
// the error, the wait) at warn. It returns fn's permanent error, or ctx's
// error when ctx ends first (wrapping the last failure).
func Retry(ctx context.Context, log *slog.Logger, what string, p Policy, fn func(ctx context.Context) error) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	base, max := p.Base, p.Max
	if base <= 0 {
		base = time.Second
	}
	if max <= 0 {
		max = time.Minute
	}
	wait := base
	for attempt := 1; ; attempt++ {
		err := fn(ctx)
		if err == nil {
			if attempt > 1 {
				log.Info(what+": succeeded after retrying", "attempt", attempt)
			}
			return nil
		}
		if IsPermanent(err) {
			return err
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%s: %w (last error: %w)", what, ctx.Err(), err)
		}
		log.Warn(what+": failed, retrying", "attempt", attempt, "err", err, "retry_in", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%s: %w (last error: %w)", what, ctx.Err(), err)
		case <-t.C:
		}
		wait = min(wait*2, max)
	}
}
