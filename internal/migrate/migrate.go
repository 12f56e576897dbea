// Package migrate copies one store into another (`newsbot migrate`):
// SQLite into PostgreSQL and back, or any engine into any other. It copies
// the articles with their paragraphs (re-indexed on the target, so the
// boilerplate paragraphs stay stored but unsearchable there too), the
// stories, the feed poller's state and the paragraph vectors of every
// embedding model, then verifies the copy by counting each table on both
// sides and running a sample of searches on both.
//
// A copy is resumable: articles go in batches in the order the source
// stored them (by doc number, so that the target's docs come in the same
// order and an unfinished embedding pass's watermark means the same
// there), each batch one transaction, and an article already on the target
// with the same content is left alone; stories, feeds and vectors are
// upserts. So an interrupted copy run again continues and duplicates
// nothing.
package migrate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/feed"
	"github.com/newsbot/newsbot/knowledge/index"
)

// Store is what a copy needs of each side: knowledge/sqlite and
// knowledge/postgres implement it.
type Store interface {
	knowledge.Store
	knowledge.VectorStore
	knowledge.StoryStore
	feed.StateStore
	// ArticlesAfter returns up to limit articles whose first doc is above
	// after, in doc order, with paragraphs, hash and first doc.
	ArticlesAfter(ctx context.Context, after int64, limit int) ([]knowledge.StoredArticle, error)
	// EmbeddingModels returns each embedding model key with its watermark.
	EmbeddingModels(ctx context.Context) (map[string]int64, error)
	// Counts returns the number of rows of each table both engines have.
	Counts(ctx context.Context) (map[string]int64, error)
}

// ErrMismatch means the copy finished but the two sides differ: a table's
// count or a sample search's results.
var ErrMismatch = errors.New("the copy differs from the source")

// Options tune a copy; the zero value is ready to use.
type Options struct {
	// Batch is the number of articles per transaction; zero means 500.
	Batch int
	// Samples is the number of searches compared; zero means 8.
	Samples int
	// Logger receives progress; nil discards it.
	Logger *slog.Logger
	// Progress, when set, is called after each batch of articles with the
	// number read so far and the total.
	Progress func(done, total int)
}

// Summary is what a copy did and found; `newsbot migrate --json` prints it.
type Summary struct {
	Articles  Counted          `json:"articles"`
	Stories   int              `json:"stories"`
	Feeds     int              `json:"feeds"`
	Vectors   map[string]int   `json:"vectors"` // copied per model
	Tables    []TableCount     `json:"tables"`
	Searches  []SearchCompared `json:"searches"`
	Verified  bool             `json:"verified"`
	Seconds   float64          `json:"seconds"`
	Mismatch  []string         `json:"mismatch,omitempty"`
	From, To  string           `json:"-"`
	started   time.Time
	sampleIDs []string
}

// Counted says what became of the source's articles.
type Counted struct {
	Read      int `json:"read"`
	Copied    int `json:"copied"`    // added or replaced on the target
	Unchanged int `json:"unchanged"` // already there from an earlier run
}

// TableCount is one table's rows on each side.
type TableCount struct {
	Table  string `json:"table"`
	Source int64  `json:"source"`
	Target int64  `json:"target"`
}

// SearchCompared is one sample search's top results on each side (article
// id and paragraph number); Same when they agree on the best (see
// sameResults).
type SearchCompared struct {
	Query  string   `json:"query"`
	Source []string `json:"source"`
	Target []string `json:"target"`
	Same   bool     `json:"same"`
}

// sampleTop is how many results of each sample search are compared.
const sampleTop = 3

// docRange maps one article's paragraphs from source to target docs.
type docRange struct {
	src, dst int64
	n        int
	hashes   []string // TextHash of each paragraph, when vectors are copied
}

// Copy copies everything from into to, then verifies the copy. It returns
// ErrMismatch (with the summary filled in) when the verification finds a
// difference, and the first failure otherwise; an interrupted copy (ctx
// cancelled) can be run again to complete it.
func Copy(ctx context.Context, from, to Store, opts Options) (Summary, error) {
	sum := Summary{Vectors: map[string]int{}, started: time.Now()}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	batch := opts.Batch
	if batch <= 0 {
		batch = 500
	}
	models, err := from.EmbeddingModels(ctx)
	if err != nil {
		return sum, fmt.Errorf("migrate: %w", err)
	}
	st, err := from.Stats(ctx)
	if err != nil {
		return sum, fmt.Errorf("migrate: %w", err)
	}
	samples := opts.Samples
	if samples <= 0 {
		samples = 8
	}
	every := max(st.Articles/samples, 1)
	var ranges []docRange
	for after := int64(0); ; {
		arts, err := from.ArticlesAfter(ctx, after, batch)
		if err != nil {
			return sum, fmt.Errorf("migrate: read articles: %w", err)
		}
		if len(arts) == 0 {
			break
		}
		prepared := make([]*index.Prepared, len(arts))
		for i, sa := range arts {
			if (sum.Articles.Read+i)%every == 0 && len(sum.sampleIDs) < samples {
				sum.sampleIDs = append(sum.sampleIDs, sa.ID)
			}
			a := *sa.Article
			p := index.Prepare(&a)
			p.Hash = sa.Hash // the source's, so that a re-run finds it unchanged
			prepared[i] = p
		}
		res, err := index.Restore(ctx, to, prepared)
		if err != nil {
			return sum, fmt.Errorf("migrate: write articles after doc %d: %w", after, err)
		}
		sum.Articles.Read += len(arts)
		sum.Articles.Copied += res.Added + res.Updated
		sum.Articles.Unchanged += res.Unchanged
		if len(models) > 0 {
			for _, sa := range arts {
				r := docRange{src: sa.FirstDoc, dst: res.FirstDocs[sa.ID], n: len(sa.Paragraphs), hashes: make([]string, len(sa.Paragraphs))}
				for i, t := range sa.Paragraphs {
					r.hashes[i] = knowledge.TextHash(t)
				}
				ranges = append(ranges, r)
			}
		}
		after = arts[len(arts)-1].FirstDoc
		if opts.Progress != nil {
			opts.Progress(sum.Articles.Read, st.Articles)
		}
		log.Debug("migrate: articles", "read", sum.Articles.Read, "of", st.Articles)
	}
	log.Info("migrate: articles copied", "read", sum.Articles.Read, "copied", sum.Articles.Copied, "unchanged", sum.Articles.Unchanged)
	if sum.Stories, err = copyStories(ctx, from, to, batch); err != nil {
		return sum, err
	}
	if sum.Feeds, err = copyFeeds(ctx, from, to); err != nil {
		return sum, err
	}
	for _, model := range slices.Sorted(maps.Keys(models)) {
		n, err := copyVectors(ctx, from, to, model, models[model], ranges, batch)
		if err != nil {
			return sum, err
		}
		sum.Vectors[model] = n
	}
	log.Info("migrate: stories, feeds and vectors copied", "stories", sum.Stories, "feeds", sum.Feeds, "vectors", sum.Vectors)
	err = verify(ctx, from, to, &sum)
	sum.Seconds = math.Round(time.Since(sum.started).Seconds()*10) / 10
	return sum, err
}

// copyStories copies every story with its members, batch stories at a time.
func copyStories(ctx context.Context, from, to Store, batch int) (int, error) {
	stories, err := from.Stories(ctx, knowledge.LatestQuery{Limit: math.MaxInt32})
	if err != nil {
		return 0, fmt.Errorf("migrate: read stories: %w", err)
	}
	for start := 0; start < len(stories); start += batch {
		part := stories[start:min(start+batch, len(stories))]
		ids := make([]string, len(part))
		for i := range part {
			part[i].Members = nil
			ids[i] = part[i].ID
		}
		members, err := from.StoryMembersOf(ctx, ids) // with their features, which Stories leaves out
		if err != nil {
			return 0, fmt.Errorf("migrate: read story members: %w", err)
		}
		if err := to.PutStories(ctx, part, members); err != nil {
			return 0, fmt.Errorf("migrate: write stories: %w", err)
		}
	}
	return len(stories), nil
}

// copyFeeds copies the poller's state of every feed and its items.
func copyFeeds(ctx context.Context, from, to Store) (int, error) {
	states, err := from.FeedStates(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrate: read feeds: %w", err)
	}
	for _, fs := range states {
		items, err := from.FeedItems(ctx, fs.URL)
		if err != nil {
			return 0, fmt.Errorf("migrate: read items of feed %s: %w", fs.URL, err)
		}
		if len(items) > 0 {
			if err := to.PutFeedItems(ctx, fs.URL, items); err != nil {
				return 0, fmt.Errorf("migrate: write items of feed %s: %w", fs.URL, err)
			}
		}
		if err := to.PutFeedState(ctx, fs); err != nil {
			return 0, fmt.Errorf("migrate: write feed %s: %w", fs.URL, err)
		}
	}
	return len(states), nil
}

// copyVectors copies one model's vectors, each to its paragraph's doc on
// the target, and then the model's watermark: the target's docs below the
// first one copied from a paragraph the source had not yet considered.
// The watermark is raised only at the end, so that vectors an interrupted
// copy left out are not taken as considered.
func copyVectors(ctx context.Context, from, to Store, model string, through int64, ranges []docRange, batch int) (int, error) {
	sort.Slice(ranges, func(i, j int) bool { return ranges[i].src < ranges[j].src })
	find := func(doc int64) (int64, string, bool) {
		i := sort.Search(len(ranges), func(i int) bool { return ranges[i].src+int64(ranges[i].n) > doc })
		if i == len(ranges) || doc < ranges[i].src {
			return 0, "", false
		}
		r := ranges[i]
		return r.dst + (doc - r.src), r.hashes[doc-r.src], true
	}
	var buf []knowledge.DocVector
	n := 0
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		if err := to.PutVectors(ctx, model, buf, 0); err != nil {
			return fmt.Errorf("migrate: write vectors of %s: %w", model, err)
		}
		n += len(buf)
		buf = buf[:0]
		return nil
	}
	if _, err := from.ScanVectors(ctx, model, 0, func(doc int64, vec []float32) error {
		dst, hash, ok := find(doc)
		if !ok {
			return nil
		}
		buf = append(buf, knowledge.DocVector{Doc: dst, Hash: hash, Vec: vec})
		if len(buf) >= batch {
			return flush()
		}
		return nil
	}); err != nil {
		return n, fmt.Errorf("migrate: read vectors of %s: %w", model, err)
	}
	if err := flush(); err != nil {
		return n, err
	}
	target := int64(0)
	firstUnconsidered := int64(math.MaxInt64)
	for _, r := range ranges {
		if r.n == 0 {
			continue
		}
		target = max(target, r.dst+int64(r.n)-1)
		if last := r.src + int64(r.n) - 1; last > through {
			firstUnconsidered = min(firstUnconsidered, r.dst+max(through+1-r.src, 0))
		}
	}
	if firstUnconsidered != math.MaxInt64 {
		target = firstUnconsidered - 1
	}
	if err := to.PutVectors(ctx, model, nil, target); err != nil {
		return n, fmt.Errorf("migrate: write watermark of %s: %w", model, err)
	}
	return n, nil
}

// verify counts each table on both sides and compares sample searches (the
// titles of articles spread over the id range), filling in sum.
func verify(ctx context.Context, from, to Store, sum *Summary) error {
	src, err := from.Counts(ctx)
	if err != nil {
		return fmt.Errorf("migrate: verify: %w", err)
	}
	dst, err := to.Counts(ctx)
	if err != nil {
		return fmt.Errorf("migrate: verify: %w", err)
	}
	for _, t := range slices.Sorted(maps.Keys(src)) {
		tc := TableCount{Table: t, Source: src[t], Target: dst[t]}
		sum.Tables = append(sum.Tables, tc)
		if tc.Source != tc.Target {
			sum.Mismatch = append(sum.Mismatch, fmt.Sprintf("%s: %d rows in the source, %d in the copy", t, tc.Source, tc.Target))
		}
	}
	srcIx, dstIx := index.NewIndex(from, &index.DefaultRanking), index.NewIndex(to, &index.DefaultRanking)
	for _, id := range sum.sampleIDs {
		a, err := from.Article(ctx, id)
		if err != nil {
			return fmt.Errorf("migrate: verify: %w", err)
		}
		q := knowledge.Query{Text: a.Title, K: sampleTop + 2}
		if strings.TrimSpace(q.Text) == "" && len(a.Paragraphs) > 0 {
			q.Text = a.Paragraphs[0]
		}
		sc := SearchCompared{Query: q.Text}
		var srcP, dstP []knowledge.Passage
		if sc.Source, srcP, err = top(ctx, srcIx, q); err != nil {
			return fmt.Errorf("migrate: verify: search the source: %w", err)
		}
		if sc.Target, dstP, err = top(ctx, dstIx, q); err != nil {
			return fmt.Errorf("migrate: verify: search the copy: %w", err)
		}
		sc.Same = sameResults(srcP, dstP)
		if !sc.Same {
			sum.Mismatch = append(sum.Mismatch, fmt.Sprintf("search %q: %v in the source, %v in the copy", q.Text, sc.Source, sc.Target))
		}
		sum.Searches = append(sum.Searches, sc)
	}
	sum.Verified = len(sum.Mismatch) == 0
	if !sum.Verified {
		return fmt.Errorf("migrate: %w: %s", ErrMismatch, strings.Join(sum.Mismatch, "; "))
	}
	return nil
}

// SearchTop names the best results of a search of s for text, as
// "article#paragraph", as the verification compares them.
func SearchTop(ctx context.Context, s knowledge.Reader, text string) ([]string, error) {
	names, _, err := top(ctx, index.NewIndex(s, &index.DefaultRanking), knowledge.Query{Text: text, K: sampleTop + 2})
	return names, err
}

// top returns a search's results, naming the best sampleTop as
// "article#paragraph".
func top(ctx context.Context, ix *index.Index, q knowledge.Query) ([]string, []knowledge.Passage, error) {
	res, err := ix.Search(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	out := []string{}
	for _, p := range res.Passages {
		if len(out) == sampleTop {
			break
		}
		out = append(out, fmt.Sprintf("%s#%d", p.ArticleID, p.Paragraph))
	}
	return out, res.Passages, nil
}

// sameResults reports whether two result lists agree on the best
// paragraph: the same one, or each side's best scored within half a per
// cent of the other side's best (a tie, which may fall either way). Scores
// themselves differ a little: the source's index may still count the
// paragraphs of replaced articles that its next merge drops, the copy's
// does not.
func sameResults(a, b []knowledge.Passage) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	same := func(x, y knowledge.Passage) bool { return x.ArticleID == y.ArticleID && x.Paragraph == y.Paragraph }
	if same(a[0], b[0]) {
		return true
	}
	tiedWithBest := func(ps []knowledge.Passage, p knowledge.Passage) bool {
		for _, q := range ps {
			if same(q, p) {
				return q.Score >= ps[0].Score*(1-0.005)
			}
		}
		return false
	}
	return tiedWithBest(a, b[0]) && tiedWithBest(b, a[0])
}
