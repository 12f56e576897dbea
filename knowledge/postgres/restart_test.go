package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/pgtest"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/ingest"
	"github.com/newsbot/newsbot/knowledge/postgres"
	"github.com/newsbot/newsbot/knowledge/sample"
)

// phase of TestRestartUnderLoad.
const (
	before = iota
	outage
	back
	phases
)

// tally counts the answers and errors of one phase.
type tally struct {
	mu      sync.Mutex
	ok, bad int
	errs    map[string]int // error message -> count
}

func (t *tally) add(err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err == nil {
		t.ok++
		return
	}
	t.bad++
	if t.errs == nil {
		t.errs = map[string]int{}
	}
	t.errs[err.Error()]++
}

func (t *tally) counts() (int, int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.ok, t.bad
}

// The server is restarted while questions keep coming, as a PostgreSQL
// failover or upgrade does to a running newsbot: questions during the
// outage fail with an error saying which database is unreachable (never a
// panic, never a hang past the question's deadline), and once the server is back the same
// store answers again, without being reopened.
func TestRestartUnderLoad(t *testing.T) {
	srv := pgtest.NewServer(t)
	ctx := context.Background()
	s, err := postgres.Open(ctx, srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, err := sample.LoadIfEmpty(ctx, s, &ingest.Ingester{Store: s}); err != nil || n != 1 {
		t.Fatalf("load the sample: %d, %v", n, err)
	}
	b := &bot.Bot{Retriever: index.NewIndex(s, nil), Library: s, Location: time.UTC,
		Now: func() time.Time { return time.Date(2025, 4, 16, 15, 0, 0, 0, time.UTC) }}

	var phase atomic.Int32
	var tallies [phases]tally
	stop := make(chan struct{})
	var wg sync.WaitGroup
	const askers = 4
	for range askers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				p := phase.Load()
				qctx, cancel := context.WithTimeout(ctx, 10*time.Second)
				a, err := b.Ask(qctx, bot.Question{Text: "Where were earlier rounds of negotiations held?", Mode: bot.ModeTemplate})
				cancel()
				if err == nil && !strings.Contains(a.Text, "Saudi Arabia") {
					t.Errorf("phase %d: answer %q", p, a.Text)
				}
				if p == phase.Load() { // a question straddling two phases counts in neither
					tallies[p].add(err)
				}
				if p == outage {
					time.Sleep(5 * time.Millisecond) // failures come fast: don't spin
				}
			}
		}()
	}
	// waitFor waits until cond holds, failing the test after a minute (a
	// guard against a hang, not a timing assertion).
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(time.Minute)
		for !cond() {
			if time.Now().After(deadline) {
				close(stop)
				wg.Wait()
				t.Fatalf("gave up waiting for %s; tallies: %+v", what, report(&tallies))
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitFor("answers before the restart", func() bool { ok, _ := tallies[before].counts(); return ok >= 20 })

	phase.Store(outage) // from the first signal: questions during the shutdown fail too
	srv.Stop()
	waitFor("failures during the outage", func() bool { _, bad := tallies[outage].counts(); return bad >= 20 })

	srv.Start()
	phase.Store(back)
	waitFor("answers after the restart", func() bool { ok, _ := tallies[back].counts(); return ok >= 50 })
	close(stop)
	wg.Wait()

	t.Logf("restart under load with %d askers: %s", askers, report(&tallies))
	if _, bad := tallies[before].counts(); bad > 0 {
		t.Errorf("errors before the restart: %v", tallies[before].errs)
	}
	for msg := range tallies[outage].errs {
		if !strings.Contains(msg, s.String()+" is unreachable") {
			t.Errorf("an error during the outage does not say the database is unreachable: %q", msg)
		}
	}
	// Connections cut by the restart may fail the questions that were
	// using them; after that, every question is answered.
	if ok, bad := tallies[back].counts(); bad > askers {
		t.Errorf("after the restart %d questions failed (more than the %d in flight), %d answered: %v", bad, askers, ok, tallies[back].errs)
	}
}

func report(ts *[phases]tally) string {
	var b strings.Builder
	for i, name := range []string{"before", "outage", "back"} {
		ok, bad := ts[i].counts()
		fmt.Fprintf(&b, "%s: %d answered, %d failed", name, ok, bad)
		ts[i].mu.Lock()
		for m, n := range ts[i].errs {
			fmt.Fprintf(&b, " (%d distinct errors, e.g. %d× %q)", len(ts[i].errs), n, m)
			break
		}
		ts[i].mu.Unlock()
		b.WriteString("; ")
	}
	return b.String()
}
