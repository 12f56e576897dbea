package index_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/testkit"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/ingest"
)

// The first stage skips a candidate whose raw score times the most the
// factors can give cannot enter the top K. Skipping must change nothing:
// over a generated corpus, with every factor in play (recency, the
// present-tense weight, a preferred window, filters), the first stage with
// the skip returns the same passages with the same scores as without it.
func TestPruningKeepsTheTopResults(t *testing.T) {
	ctx := context.Background()
	s := testkit.Store(t)
	rng := rand.New(rand.NewPCG(1, 2))
	vocab := make([]string, 600)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%03dx", i)
	}
	word := func() string { // Zipf-like: low indexes are common
		return vocab[int(float64(len(vocab))*rng.Float64()*rng.Float64()*rng.Float64())]
	}
	day := time.Date(2025, 4, 16, 0, 0, 0, 0, time.UTC)
	var arts []*knowledge.Article
	for a := range 400 {
		art := &knowledge.Article{URL: fmt.Sprintf("https://example.com/%d", a), Source: []string{"A", "B", "C"}[a%3],
			Published: day.AddDate(0, 0, -rng.IntN(90))}
		var title []string
		for range 3 + rng.IntN(5) {
			title = append(title, word())
		}
		art.Title = strings.Join(title, " ")
		for range 2 + rng.IntN(8) {
			var p []string
			for range 8 + rng.IntN(40) {
				p = append(p, word())
			}
			art.Paragraphs = append(art.Paragraphs, strings.Join(p, " ")+".")
		}
		arts = append(arts, art)
	}
	if _, _, err := (&ingest.Ingester{Store: s}).Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	pruned := index.NewIndex(s, nil)
	full := index.NewIndex(s, nil)
	index.WithoutPruning(full)
	skipped := 0
	for i := range 300 {
		var words []string
		for range 1 + rng.IntN(6) {
			words = append(words, word())
		}
		q := knowledge.Query{Text: strings.Join(words, " "), K: 1 + rng.IntN(60), AsOf: day.Add(12 * time.Hour)}
		switch i % 4 {
		case 1:
			q.Recent = true
		case 2:
			q.PreferSince, q.PreferUntil, q.PreferBoost = day.AddDate(0, 0, -7), day.AddDate(0, 0, 1), 4
		case 3:
			q.Since, q.Sources = day.AddDate(0, 0, -30), []string{"A", "C"}
		}
		a, err := pruned.FirstStage(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		b, err := full.FirstStage(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Passages) != len(b.Passages) {
			t.Fatalf("%+v: %d passages with pruning, %d without", q, len(a.Passages), len(b.Passages))
		}
		for j := range a.Passages {
			if a.Passages[j].Doc != b.Passages[j].Doc || a.Passages[j].Score != b.Passages[j].Score {
				t.Fatalf("%+v: result %d is doc %d (%v) with pruning, doc %d (%v) without", q, j,
					a.Passages[j].Doc, a.Passages[j].Score, b.Passages[j].Doc, b.Passages[j].Score)
			}
		}
		if len(a.Passages) == q.K || len(a.Passages) == 50 {
			skipped++ // the heap filled: pruning had something to skip
		}
	}
	if skipped < 100 {
		t.Errorf("only %d of 300 queries filled their top K; the test does not exercise pruning", skipped)
	}
}

// RecentWeight (the freshness weight of questions in the present tense)
// moves results: with it above RecencyWeight, a present-tense question
// prefers the newer of two paragraphs the older one matches better.
func TestRecentWeightPrefersNewer(t *testing.T) {
	ctx := context.Background()
	s := testkit.Store(t)
	asOf := time.Date(2025, 4, 16, 12, 0, 0, 0, time.UTC)
	arts := []*knowledge.Article{
		{URL: "https://example.com/old", Title: "Harbour budget splits the council", Source: "A", Published: asOf.AddDate(0, 0, -30),
			Paragraphs: []string{"The harbour budget split the council: the harbour budget vote was the council's longest."}},
		{URL: "https://example.com/new", Title: "Members speak", Source: "B", Published: asOf,
			Paragraphs: []string{"Members of the council spoke for hours on many matters, the harbour budget among them, and on roads, schools and parks."}},
		{URL: "https://example.com/other", Title: "Weather", Source: "C", Published: asOf,
			Paragraphs: []string{"Rain is expected on the coast."}},
	}
	if _, _, err := (&ingest.Ingester{Store: s}).Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	first := func(r *index.Ranking, recent bool) string {
		res, err := index.NewIndex(s, r).FirstStage(ctx, knowledge.Query{Text: "harbour budget council", K: 2, AsOf: asOf, Recent: recent})
		if err != nil || len(res.Passages) == 0 {
			t.Fatalf("search: %+v, %v", res, err)
		}
		return res.Passages[0].Source
	}
	strong := index.DefaultRanking
	strong.RecentWeight = 8
	if got := first(nil, true); got != "A" {
		t.Fatalf("default ranking, present tense: first is %s; want the better match A (the test needs it)", got)
	}
	if got := first(&strong, true); got != "B" {
		t.Errorf("RecentWeight 8, present tense: first is %s, want the newer B", got)
	}
	if got := first(&strong, false); got != "A" {
		t.Errorf("RecentWeight 8, a question not in the present tense: first is %s, want A (RecentWeight applies to Recent only)", got)
	}
}
