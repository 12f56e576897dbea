package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/pgtest"
)

func TestFirstSeen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openURL(t, pgtest.NewDatabase(t))
	for i, c := range []struct {
		key  string
		ttl  time.Duration
		want bool
	}{
		{"event:Ev1", time.Hour, true},
		{"event:Ev1", time.Hour, false},
		{"command:T1:1.2.3", 10 * time.Minute, true},
		{"command:T1:1.2.3", 10 * time.Minute, false},
		{"event:Ev1", time.Hour, false},
		// A key whose record has expired (ttl ≤ 0 expires at once) is new
		// again, and recorded anew.
		{"gone", -time.Second, true},
		{"gone", time.Hour, true},
		{"gone", time.Hour, false},
	} {
		got, err := s.FirstSeen(ctx, c.key, c.ttl)
		if err != nil || got != c.want {
			t.Errorf("%d: FirstSeen(%q) = %v, %v; want %v", i, c.key, got, err, c.want)
		}
	}
}

// Two instances sharing the database: of all the calls racing with one
// key, on either instance, exactly one reports it new.
func TestFirstSeenSharedByTwoInstances(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	a, b := openURL(t, url), openURL(t, url)
	const keys, racers = 20, 8
	var mu sync.Mutex
	firsts := map[string]int{}
	var wg sync.WaitGroup
	for r := range racers {
		s := a
		if r%2 == 1 {
			s = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range keys {
				key := fmt.Sprintf("command:T1:%d.2.3", k)
				first, err := s.FirstSeen(ctx, key, 5*time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if first {
					mu.Lock()
					firsts[key]++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	for k := range keys {
		key := fmt.Sprintf("command:T1:%d.2.3", k)
		if firsts[key] != 1 {
			t.Errorf("%s reported new %d times across two instances, want once", key, firsts[key])
		}
	}
	// What one instance recorded, the other sees.
	if first, err := a.FirstSeen(ctx, "event:EvShared", time.Hour); err != nil || !first {
		t.Fatalf("instance a: FirstSeen = %v, %v", first, err)
	}
	if first, err := b.FirstSeen(ctx, "event:EvShared", time.Hour); err != nil || first {
		t.Errorf("instance b: FirstSeen of a key a recorded = %v, %v; want false", first, err)
	}
}

// Expired keys are deleted as calls go by (every 256th call sweeps).
func TestFirstSeenSweepsExpiredKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	s := openURL(t, url)
	for i := range 600 {
		if _, err := s.FirstSeen(ctx, fmt.Sprint("old", i), -time.Second); err != nil {
			t.Fatal(err)
		}
	}
	conn := pgtest.Connect(t, url)
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM dedupe_keys`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n >= 600 {
		t.Errorf("%d keys kept, all expired; want the sweeps to have deleted some", n)
	}
}
