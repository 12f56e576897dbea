package backoff

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestRetryUntilSuccess(t *testing.T) {
	n := 0
	err := Retry(context.Background(), nil, "step", Policy{Base: time.Microsecond, Max: 4 * time.Microsecond}, func(context.Context) error {
		n++
		if n < 5 {
			return errors.New("unreachable")
		}
		return nil
	})
	if err != nil || n != 5 {
		t.Fatalf("Retry = %v after %d calls, want nil after 5", err, n)
	}
}

func TestRetryStopsOnPermanent(t *testing.T) {
	bad := errors.New("token revoked")
	n := 0
	err := Retry(context.Background(), nil, "step", Policy{Base: time.Microsecond}, func(context.Context) error {
		n++
		if n == 2 {
			return Permanent(bad)
		}
		return errors.New("unreachable")
	})
	if !errors.Is(err, bad) || !IsPermanent(err) || n != 2 {
		t.Fatalf("Retry = %v after %d calls", err, n)
	}
}

func TestRetryEndsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	last := errors.New("unreachable")
	err := Retry(ctx, nil, "step", Policy{Base: time.Hour}, func(context.Context) error {
		cancel()
		return last
	})
	if !errors.Is(err, context.Canceled) || !errors.Is(err, last) {
		t.Fatalf("Retry = %v", err)
	}
}
