package index_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/testkit"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/ingest"
)

// With Rerank.ContextArticles set, the first stage also reads the
// paragraphs nearest to the best paragraph of its best articles (not
// among its results) for the re-ranking's votes, from a real SQLite store;
// they are never results. Off (the default), it reads none.
func TestFirstStageReadsContextParagraphs(t *testing.T) {
	ctx := context.Background()
	s := testkit.Store(t)
	day := time.Date(2025, 5, 23, 0, 0, 0, 0, time.UTC)
	long := &knowledge.Article{URL: "https://news.example/airbnb", Title: "Housing rules tighten", Source: "news.example", Published: day}
	for i := range 9 {
		long.Paragraphs = append(long.Paragraphs, fmt.Sprintf("Paragraph %d of the housing story.", i+1))
	}
	long.Paragraphs[4] = "The government ordered Airbnb to remove 65,000 rental listings."
	other := &knowledge.Article{URL: "https://news.example/other", Title: "Markets", Source: "news.example", Published: day,
		Paragraphs: []string{"Airbnb shares fell.", "Traders were calm."}}
	if _, _, err := (&ingest.Ingester{Store: s}).Add(ctx, []*knowledge.Article{long, other}); err != nil {
		t.Fatal(err)
	}
	r := index.DefaultRanking
	r.ContextArticles, r.ContextParas, r.ContextWeight = 1, 3, 0.3
	q := knowledge.Query{Text: "Who ordered Airbnb to remove rental listings?", AsOf: day.Add(12 * time.Hour)}
	res, err := index.NewIndex(s, &r).FirstStage(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Passages) == 0 || res.Passages[0].Paragraph != 5 {
		t.Fatalf("first-stage results %+v, want paragraph 5 of the housing story first", res.Passages)
	}
	results := map[string]bool{}
	for _, p := range res.Passages {
		results[fmt.Sprintf("%s/%d", p.ArticleID, p.Paragraph)] = true
	}
	var got []int
	for _, p := range res.Context {
		if p.ArticleID != res.Passages[0].ArticleID || results[fmt.Sprintf("%s/%d", p.ArticleID, p.Paragraph)] {
			t.Errorf("context paragraph %s/%d: not another paragraph of the best article", p.ArticleID, p.Paragraph)
		}
		if p.Score != res.Passages[0].Score {
			t.Errorf("context paragraph %d scored %v, want its article's best %v", p.Paragraph, p.Score, res.Passages[0].Score)
		}
		got = append(got, p.Paragraph)
	}
	// The leading paragraphs 1–3 are results (a title match's); of the
	// others, the nearest to 5 first: 6, 4, 7.
	if fmt.Sprint(got) != fmt.Sprint(nearestOthers(results, res.Passages[0].ArticleID, 5, 9, 3)) {
		t.Errorf("context paragraphs %v, want %v", got, nearestOthers(results, res.Passages[0].ArticleID, 5, 9, 3))
	}
	full, err := index.NewIndex(s, &r).Search(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range full.Passages {
		if !results[fmt.Sprintf("%s/%d", p.ArticleID, p.Paragraph)] {
			t.Errorf("search result %s/%d is a context paragraph", p.ArticleID, p.Paragraph)
		}
	}
	plain, err := index.NewIndex(s, nil).FirstStage(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if plain.Context != nil {
		t.Errorf("the default ranking read %d context paragraphs", len(plain.Context))
	}
}

// nearestOthers lists the paragraphs of article (1..n) nearest to best,
// the one after first, that are not results, at most k.
func nearestOthers(results map[string]bool, article string, best, n, k int) []int {
	var out []int
	for dist := 1; len(out) < k && dist < n; dist++ {
		for _, p := range []int{best + dist, best - dist} {
			if len(out) < k && p >= 1 && p <= n && !results[fmt.Sprintf("%s/%d", article, p)] {
				out = append(out, p)
			}
		}
	}
	return out
}
