// Package statetest is the test suite every feed.StateStore passes
// (knowledge/sqlite, knowledge/postgres): engines call Run with a function
// that opens a fresh, empty store.
package statetest

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/newsbot/newsbot/knowledge/feed"
)

// Opener returns a new, empty state store for one test.
type Opener func(t *testing.T) feed.StateStore

var t0 = time.Date(2025, 4, 16, 12, 0, 0, 0, time.UTC)

// Run runs the suite against stores from open.
func Run(t *testing.T, open Opener) {
	t.Run("FeedStateRoundTrip", func(t *testing.T) { testFeedState(t, open(t)) })
	t.Run("ItemsRoundTripAndPrune", func(t *testing.T) { testItems(t, open(t)) })
	t.Run("ConcurrentWriters", func(t *testing.T) { testConcurrent(t, open(t)) })
}

func testFeedState(t *testing.T, s feed.StateStore) {
	ctx := context.Background()
	if got, err := s.FeedStates(ctx); err != nil || len(got) != 0 {
		t.Fatalf("empty store: %v, %v", got, err)
	}
	a := feed.FeedState{URL: "https://a.example/rss", Title: "A", ETag: `W/"1"`, LastModified: "Wed, 16 Apr 2025 10:00:00 GMT",
		LastFetch: t0, LastSuccess: t0, NextFetch: t0.Add(30 * time.Minute), Items: 50, Articles: 48}
	b := feed.FeedState{URL: "https://b.example/atom", LastFetch: t0, LastError: "HTTP 500", Failures: 3, NextFetch: t0.Add(4 * time.Hour)}
	for _, st := range []feed.FeedState{a, b} {
		if err := s.PutFeedState(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.FeedStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []feed.FeedState{a, b}; !reflect.DeepEqual(got, want) {
		t.Errorf("FeedStates:\n got %+v\nwant %+v", got, want)
	}
	// Replacing keeps one row per URL.
	a.Failures, a.LastError, a.ETag = 1, "timeout", ""
	a.LastSuccess = time.Time{}
	if err := s.PutFeedState(ctx, a); err != nil {
		t.Fatal(err)
	}
	got, _ = s.FeedStates(ctx)
	if len(got) != 2 || !reflect.DeepEqual(got[0], a) {
		t.Errorf("after replace: %+v, want first %+v", got, a)
	}
}

func testItems(t *testing.T, s feed.StateStore) {
	ctx := context.Background()
	const f = "https://a.example/rss"
	items := []feed.ItemState{
		{Key: "guid-1", Fingerprint: "f1", Link: "https://a.example/1", Title: "One", Published: t0, ArticleID: "abc", FromPage: true, FirstSeen: t0, LastSeen: t0},
		{Key: "guid-2", Fingerprint: "f2", Link: "https://a.example/2", Title: "Two", Attempts: 2, FirstSeen: t0, LastSeen: t0.Add(time.Hour)},
	}
	if err := s.PutFeedItems(ctx, f, items); err != nil {
		t.Fatal(err)
	}
	if err := s.PutFeedItems(ctx, "https://other.example/rss", items[:1]); err != nil {
		t.Fatal(err)
	}
	got, err := s.FeedItems(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, items) {
		t.Errorf("FeedItems:\n got %+v\nwant %+v", got, items)
	}
	items[1].ArticleID, items[1].FromPage, items[1].Attempts = "def", true, 0
	if err := s.PutFeedItems(ctx, f, items[1:]); err != nil {
		t.Fatal(err)
	}
	got, _ = s.FeedItems(ctx, f)
	if len(got) != 2 || !reflect.DeepEqual(got[1], items[1]) {
		t.Errorf("after update: %+v", got)
	}
	n, err := s.PruneFeedItems(ctx, f, t0.Add(time.Minute))
	if err != nil || n != 1 {
		t.Fatalf("prune: %d, %v; want 1 (guid-1 last seen at t0)", n, err)
	}
	got, _ = s.FeedItems(ctx, f)
	if len(got) != 1 || got[0].Key != "guid-2" {
		t.Errorf("after prune: %+v", got)
	}
	if other, _ := s.FeedItems(ctx, "https://other.example/rss"); len(other) != 1 {
		t.Errorf("prune touched another feed: %+v", other)
	}
}

func testConcurrent(t *testing.T, s feed.StateStore) {
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u := fmt.Sprintf("https://f%d.example/rss", i)
			for j := range 10 {
				if err := s.PutFeedState(ctx, feed.FeedState{URL: u, Items: j, LastFetch: t0}); err != nil {
					errs <- err
					return
				}
				it := feed.ItemState{Key: fmt.Sprint(j), Fingerprint: "x", FirstSeen: t0, LastSeen: t0}
				if err := s.PutFeedItems(ctx, u, []feed.ItemState{it}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got, err := s.FeedStates(ctx)
	if err != nil || len(got) != 8 {
		t.Fatalf("FeedStates: %d states, %v", len(got), err)
	}
	for _, st := range got {
		if st.Items != 9 {
			t.Errorf("%s: Items = %d, want the last write (9)", st.URL, st.Items)
		}
		if items, _ := s.FeedItems(ctx, st.URL); len(items) != 10 {
			t.Errorf("%s: %d items, want 10", st.URL, len(items))
		}
	}
}
