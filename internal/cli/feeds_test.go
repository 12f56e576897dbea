package cli_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/cli"
	"github.com/newsbot/newsbot/knowledge/feed"
)

func TestWriteFeedsGolden(t *testing.T) {
	now := time.Date(2025, 4, 16, 12, 0, 0, 0, time.UTC)
	sts := []feed.Status{
		{Source: feed.Source{URL: "https://feeds.example/world.xml"}, Interval: 30 * time.Minute, Polled: true, State: feed.FeedState{
			URL: "https://feeds.example/world.xml", Title: "Example World", LastFetch: now.Add(-2 * time.Minute),
			LastSuccess: now.Add(-2 * time.Minute), NextFetch: now.Add(28 * time.Minute), Items: 48, Articles: 1}},
		{Source: feed.Source{URL: "https://flaky.example/rss"}, Interval: 15 * time.Minute, Polled: true, State: feed.FeedState{
			URL: "https://flaky.example/rss", Title: "Flaky News", LastFetch: now.Add(-5 * time.Minute), LastSuccess: now.Add(-26 * time.Hour),
			LastError: "fetch https://flaky.example/rss: HTTP 503 Service Unavailable", Failures: 4,
			NextFetch: now.Add(115 * time.Minute), Items: 20, Articles: 20}},
		{Source: feed.Source{URL: "https://down.example/atom"}, Interval: time.Hour, Polled: true, State: feed.FeedState{
			URL: "https://down.example/atom", LastFetch: now.Add(-30 * time.Second),
			LastError: "fetch https://down.example/atom: dial tcp: lookup down.example: no such host", Failures: 1, NextFetch: now.Add(time.Hour)}},
		{Source: feed.Source{URL: "https://new.example/feed.json", Interval: 2 * time.Hour}, Interval: 2 * time.Hour},
	}
	var b bytes.Buffer
	if err := cli.WriteFeeds(&b, sts, now); err != nil {
		t.Fatal(err)
	}
	b.WriteString("---\n")
	cli.WriteFeeds(&b, nil, now)
	golden(t, "feeds.golden", b.String())
}

func TestFetchProgressLines(t *testing.T) {
	var b bytes.Buffer
	p := &cli.FetchProgress{W: &b}
	p.Event(feed.Event{Kind: feed.FeedStarted, Feed: "a"})
	p.Event(feed.Event{Kind: feed.FeedFetched, Feed: "a", Items: 2})
	p.Event(feed.Event{Kind: feed.ItemDone, Feed: "a", Items: 2, Done: 1})
	p.Event(feed.Event{Kind: feed.FeedDone, Feed: "a", Result: &feed.FeedResult{URL: "a", Title: "Alpha", Added: 2, FromSummary: 1}})
	p.Event(feed.Event{Kind: feed.FeedDone, Feed: "b", Result: &feed.FeedResult{URL: "https://b.example/rss", Err: errors.New("HTTP 404 Not Found")}})
	p.Stop()
	p.Event(feed.Event{Kind: feed.FeedDone, Feed: "c", Result: &feed.FeedResult{URL: "c", Title: "Gamma"}})
	want := "  Alpha: 2 new, 0 updated (1 from the feed's summary: page unavailable)\n  https://b.example/rss: failed: HTTP 404 Not Found\n"
	if b.String() != want {
		t.Errorf("progress:\n%s\nwant:\n%s", b.String(), want)
	}
}

// fakePoller answers Poll with a round, after release is closed.
type fakePoller struct {
	round   feed.Round
	release chan struct{}
}

func (f *fakePoller) Poll(ctx context.Context, force bool) (feed.Round, error) {
	<-f.release
	return f.round, nil
}

func (f *fakePoller) Status(ctx context.Context) ([]feed.Status, error) { return nil, nil }

func TestFirstFetch(t *testing.T) {
	offline := feed.Round{Feeds: []feed.FeedResult{
		{URL: "a", Err: fmt.Errorf("fetch a: %w", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")})},
	}}
	tests := []struct {
		name        string
		round       feed.Round
		wait        time.Duration
		released    bool
		wantOffline bool
		want        string
	}{
		{"done", feed.Round{Feeds: []feed.FeedResult{{Added: 3}, {Added: 2, Updated: 1}, {Err: errors.New("HTTP 500")}}}, time.Hour, true, false,
			"Fetched 6 articles from 2 of 3 feeds in 0s."},
		{"offline", offline, time.Hour, true, true, "I couldn't reach the network (connection refused), so I'm answering from the articles already in the store."},
		{"too slow", feed.Round{}, time.Millisecond, false, false, "Still fetching in the background"},
	}
	for _, tt := range tests {
		f := &fakePoller{round: tt.round, release: make(chan struct{})}
		if tt.released {
			close(f.release)
		}
		var b bytes.Buffer
		got := cli.FirstFetch(context.Background(), f, &cli.FetchProgress{W: &b}, 3, tt.wait)
		if !tt.released {
			close(f.release)
		}
		if got != tt.wantOffline || !strings.Contains(b.String(), tt.want) {
			t.Errorf("%s: offline %v, output %q; want %v and %q", tt.name, got, b.String(), tt.wantOffline, tt.want)
		}
	}
}
