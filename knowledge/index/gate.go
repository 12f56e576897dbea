package index

import (
	"context"
	"runtime"
	"sync"
)

// gate lets at most n callers in at once; the others wait in arrival
// order (a channel's senders are served first come, first served). Its
// zero value is ready; n is read on first use.
type gate struct {
	once  sync.Once
	slots chan struct{}
}

// enter waits for a free slot, or for ctx to end (returning its error).
// It returns the function that gives the slot back. n ≤ 0 means
// GOMAXPROCS.
func (g *gate) enter(ctx context.Context, n int) (leave func(), err error) {
	g.once.Do(func() {
		if n <= 0 {
			n = runtime.GOMAXPROCS(0)
		}
		g.slots = make(chan struct{}, n)
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	select {
	case g.slots <- struct{}{}:
		return func() { <-g.slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
