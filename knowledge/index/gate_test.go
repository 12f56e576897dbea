package index_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/testkit"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/index"
)

// heldReader is a store whose Passages (called inside a search, after the
// ranking) waits until release is closed, counting the searches inside.
type heldReader struct {
	knowledge.Reader
	release chan struct{}
	entered chan struct{} // one value per search that reached Passages

	mu     sync.Mutex
	inside int
	most   int
}

func (h *heldReader) Passages(ctx context.Context, docs []int64) ([]knowledge.Passage, error) {
	h.mu.Lock()
	h.inside++
	h.most = max(h.most, h.inside)
	h.mu.Unlock()
	h.entered <- struct{}{}
	<-h.release
	h.mu.Lock()
	h.inside--
	h.mu.Unlock()
	return h.Reader.Passages(ctx, docs)
}

// waitEntered waits for n searches to reach Passages; it fails the test
// after 20 seconds (a deadlock guard, not a timing assertion).
func (h *heldReader) waitEntered(t *testing.T, n int) {
	t.Helper()
	for range n {
		select {
		case <-h.entered:
		case <-time.After(20 * time.Second):
			t.Fatal("searches did not start")
		}
	}
}

// At most MaxSearches searches run at once; the others wait and are all
// answered; a waiting search whose context ends returns its error.
func TestIndexBoundsSearchesInFlight(t *testing.T) {
	ctx := context.Background()
	h := &heldReader{Reader: testkit.SampleStore(t), release: make(chan struct{}), entered: make(chan struct{}, 16)}
	ix := index.NewIndex(h, nil)
	ix.MaxSearches = 2
	q := knowledge.Query{Text: "negotiations Saudi Arabia", K: 3}

	const n = 6
	type outcome struct {
		res *knowledge.Result
		err error
	}
	out := make(chan outcome, n)
	for range n {
		go func() {
			res, err := ix.Search(ctx, q)
			out <- outcome{res, err}
		}()
	}
	h.waitEntered(t, 2) // the gate is full: two searches are held in Passages

	// One more, whose context ends while it waits its turn.
	cctx, cancel := context.WithCancel(ctx)
	waited := make(chan error, 1)
	go func() {
		_, err := ix.Search(cctx, q)
		waited <- err
	}()
	cancel()
	if err := <-waited; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled waiting search: err = %v, want context.Canceled", err)
	}

	close(h.release)
	for range n {
		o := <-out
		if o.err != nil {
			t.Errorf("search: %v", o.err)
		} else if len(o.res.Passages) == 0 {
			t.Error("a queued search found nothing")
		}
	}
	h.waitEntered(t, n-2) // the rest went through Passages too
	if h.most > 2 {
		t.Errorf("%d searches inside at once, want at most 2", h.most)
	}
}
