// Command nearmiss sorts out why retrieval misses answers that are in the
// store near the question's date. For each question (JSON Lines {id,
// question, answer, date}, as `newsbot eval` reads them) it asks the bot's
// search as of the question's date and, when no passage of the top -k holds
// the answer, looks at every stored article published from -before days
// before the question's date to -after days after it whose text holds the
// answer, and classifies the miss (see classify). See docs/performance.md.
//
//	go run ./internal/cmd/nearmiss -db /tmp/rt.db -questions questions-dev.jsonl
//	go run ./internal/cmd/nearmiss -db /tmp/rt.db -questions … -json > misses.jsonl
//
// It reads the store only; it never writes.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/eval"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/analysis"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/sqlite"
)

// options are the command line's settings.
type options struct {
	db, questions string
	k, depth      int
	before, after int
	// relevant is the share of the question's weight an article (title and
	// paragraphs) must hold for its holding the answer to count as more
	// than a chance match of the answer's words.
	relevant float64
	asJSON   bool
}

func main() {
	var o options
	flag.StringVar(&o.db, "db", "", "the SQLite store")
	flag.StringVar(&o.questions, "questions", "", "JSON Lines questions {id, question, answer, date}")
	flag.IntVar(&o.k, "k", 10, "a question is a hit when a passage of the top k holds its answer")
	flag.IntVar(&o.depth, "depth", 3000, "how deep to look in the first stage's ranking")
	flag.IntVar(&o.before, "before", 7, "days before the question's date an article may be published")
	flag.IntVar(&o.after, "after", 3, "days after the question's date an article may be published")
	flag.Float64Var(&o.relevant, "relevant", 0.3, "share of the question's weight an article must hold to be about it")
	flag.BoolVar(&o.asJSON, "json", false, "print one JSON object per question instead of the summary")
	flag.Parse()
	if o.db == "" || o.questions == "" {
		fmt.Fprintln(os.Stderr, "nearmiss: -db and -questions are required")
		os.Exit(2)
	}
	if err := run(context.Background(), o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "nearmiss:", err)
		os.Exit(1)
	}
}

// The classes of a question, in the order the summary lists them.
const (
	classHit        = "hit: a top-k passage holds the answer"
	classNone       = "miss: no article near the date holds the answer"
	classLater      = "miss: only articles after the question's date hold it (unseen as of it)"
	classChance     = "miss: near articles hold the answer by chance (not about the question)"
	classReranked   = "miss: answer paragraph in the re-ranked pool, ranked out of the top k"
	classLow        = "miss: answer paragraph found by the first stage below the re-ranked pool"
	classArticleTop = "miss: the first stage does not find the answer paragraph (no word of the question); its article is in the pool"
	classArticleLow = "miss: the first stage does not find the answer paragraph; its article ranks below the pool"
)

var classes = []string{classHit, classNone, classLater, classChance, classReranked, classLow, classArticleTop, classArticleLow}

// record is what nearmiss found for one question.
type record struct {
	ID       string  `json:"id"`
	Question string  `json:"question"`
	Answer   string  `json:"answer"`
	Date     string  `json:"date"`
	Class    string  `json:"class"`
	Rank     int     `json:"rank,omitempty"` // of the first top-k passage holding the answer
	Paras    []found `json:"paragraphs,omitempty"`
}

// found is a paragraph of a near article holding the answer.
type found struct {
	Article   string `json:"article_id"`
	Published string `json:"published"`
	Paragraph int    `json:"paragraph"`
	// FirstStage is its rank in the first stage (0: beyond -depth or no
	// candidate); ArticleRank the best rank of its article's paragraphs.
	FirstStage  int     `json:"first_stage_rank"`
	ArticleRank int     `json:"article_rank"`
	Coverage    float64 `json:"coverage"`         // share of the question's weight in the paragraph
	ArticleCov  float64 `json:"article_coverage"` // in its article's title and paragraphs
	Text        string  `json:"text"`
}

type question struct {
	ID, Question, Answer, Date string
}

func run(ctx context.Context, o options, w io.Writer) error {
	qs, err := readQuestions(o.questions)
	if err != nil {
		return err
	}
	st, err := sqlite.Open(ctx, o.db)
	if err != nil {
		return err
	}
	defer st.Close()
	ix := index.NewIndex(st, nil)
	b := &bot.Bot{Retriever: ix, Library: st, Location: time.UTC}
	cache := map[string]*knowledge.Article{}
	counts := map[string]int{}
	enc := json.NewEncoder(w)
	for _, q := range qs {
		rec, err := examine(ctx, o, st, ix, b, cache, q)
		if err != nil {
			return fmt.Errorf("nearmiss %s: %w", q.ID, err)
		}
		counts[rec.Class]++
		if o.asJSON {
			if err := enc.Encode(rec); err != nil {
				return err
			}
		}
	}
	if o.asJSON {
		return nil
	}
	fmt.Fprintf(w, "questions %d (articles from %d days before to %d days after each question's date; top %d; first stage to %d)\n",
		len(qs), o.before, o.after, o.k, o.depth)
	for _, c := range classes {
		fmt.Fprintf(w, "%5d  %5.1f%%  %s\n", counts[c], 100*float64(counts[c])/float64(max(len(qs), 1)), c)
	}
	return nil
}

// examine searches q as the bot does and, on a miss, classifies it.
func examine(ctx context.Context, o options, st *sqlite.Store, ix *index.Index, b *bot.Bot, cache map[string]*knowledge.Article, q question) (*record, error) {
	rec := &record{ID: q.ID, Question: q.Question, Answer: q.Answer, Date: q.Date}
	day, err := time.Parse("2006-01-02", q.Date)
	if err != nil {
		return nil, fmt.Errorf("date %q: %w", q.Date, err)
	}
	res, err := b.Search(ctx, bot.Question{Text: q.Question, AsOf: day.Add(12 * time.Hour)}, o.k)
	if err != nil {
		return nil, err
	}
	for i, p := range res.Passages {
		if i < o.k && eval.ContainsAnswer(p.Text, q.Answer) {
			rec.Class, rec.Rank = classHit, i+1
			return rec, nil
		}
	}
	near, err := st.Latest(ctx, knowledge.LatestQuery{Since: day.AddDate(0, 0, -o.before), Until: day.AddDate(0, 0, o.after+1), Limit: 1 << 20})
	if err != nil {
		return nil, err
	}
	weight, total := termWeights(res.Terms)
	share := func(text string) float64 {
		if total == 0 {
			return 0
		}
		got, seen := 0.0, map[string]bool{}
		for _, t := range analysis.Terms(text, nil) {
			if !seen[t] {
				seen[t] = true
				got += weight[t]
			}
		}
		return got / total
	}
	var visible []*knowledge.Article
	later := false
	for _, meta := range near {
		a, ok := cache[meta.ID]
		if !ok {
			if a, err = st.Article(ctx, meta.ID); err != nil {
				return nil, err
			}
			cache[meta.ID] = a
		}
		if a == nil || !eval.ContainsAnswer(strings.Join(a.Paragraphs, "\n"), q.Answer) {
			continue
		}
		if a.Published.After(day.AddDate(0, 0, 1)) || a.Published.Equal(day.AddDate(0, 0, 1)) {
			later = true
			continue
		}
		visible = append(visible, a)
	}
	if len(visible) == 0 {
		rec.Class = classNone
		if later {
			rec.Class = classLater
		}
		return rec, nil
	}
	// Where the first stage ranks each paragraph and article.
	deep := res.Query
	deep.K = o.depth
	fr, err := ix.FirstStage(ctx, deep)
	if err != nil {
		return nil, err
	}
	rank, artRank := map[string]int{}, map[string]int{}
	for i, p := range fr.Passages {
		key := fmt.Sprintf("%s/%d", p.ArticleID, p.Paragraph)
		if rank[key] == 0 {
			rank[key] = i + 1
		}
		if artRank[p.ArticleID] == 0 {
			artRank[p.ArticleID] = i + 1
		}
	}
	for _, a := range visible {
		acov := share(a.Title + "\n" + strings.Join(a.Paragraphs, "\n"))
		for j, p := range a.Paragraphs {
			if !eval.ContainsAnswer(p, q.Answer) {
				continue
			}
			rec.Paras = append(rec.Paras, found{Article: a.ID, Published: a.Published.Format("2006-01-02"), Paragraph: j + 1,
				FirstStage: rank[fmt.Sprintf("%s/%d", a.ID, j+1)], ArticleRank: artRank[a.ID],
				Coverage: share(p), ArticleCov: acov, Text: clip(p, 300)})
		}
	}
	rec.Class = classify(rec.Paras, o.relevant, index.DefaultRanking.RerankDepth)
	sort.SliceStable(rec.Paras, func(i, j int) bool { return better(rec.Paras[i], rec.Paras[j]) })
	return rec, nil
}

// classify names a miss by the best of the paragraphs holding the answer in
// near articles about the question (holding at least relevant of its
// weight): re-ranked out of the top k (first-stage rank within the pool
// the re-ranking reads), found by the first stage below the pool, or not
// found at all while its article is (in the pool or below it).
func classify(ps []found, relevant float64, pool int) string {
	best := 0 // the best first-stage rank of a paragraph about the question
	bestArt := 0
	about := false
	for _, p := range ps {
		if p.ArticleCov < relevant {
			continue
		}
		about = true
		if p.FirstStage > 0 && (best == 0 || p.FirstStage < best) {
			best = p.FirstStage
		}
		if p.ArticleRank > 0 && (bestArt == 0 || p.ArticleRank < bestArt) {
			bestArt = p.ArticleRank
		}
	}
	switch {
	case !about:
		return classChance
	case best > 0 && best <= pool:
		return classReranked
	case best > 0:
		return classLow
	case bestArt > 0 && bestArt <= pool:
		return classArticleTop
	default:
		return classArticleLow
	}
}

// better orders paragraphs by first-stage rank (found first), then by
// their article's rank.
func better(a, b found) bool {
	ra, rb := rankKey(a.FirstStage), rankKey(b.FirstStage)
	if ra != rb {
		return ra < rb
	}
	return rankKey(a.ArticleRank) < rankKey(b.ArticleRank)
}

func rankKey(r int) int {
	if r == 0 {
		return math.MaxInt
	}
	return r
}

// termWeights are the question's term weights as the ranking weighs them
// (IDF^IDFExp), and their sum.
func termWeights(ts []knowledge.TermStat) (map[string]float64, float64) {
	w := make(map[string]float64, len(ts))
	total := 0.0
	for _, t := range ts {
		v := math.Pow(t.IDF, index.DefaultRanking.IDFExp)
		w[t.Term] += v
		total += v
	}
	return w, total
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

func readQuestions(path string) ([]question, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("questions: %w", err)
	}
	defer f.Close()
	var qs []question
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for line := 1; sc.Scan(); line++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var q struct {
			ID       any    `json:"id"`
			Question string `json:"question"`
			Answer   string `json:"answer"`
			Date     string `json:"date"`
		}
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			return nil, fmt.Errorf("questions line %d: %w", line, err)
		}
		if q.Date == "" || strings.Trim(q.Answer, " |") == "" {
			continue
		}
		qs = append(qs, question{ID: fmt.Sprint(q.ID), Question: q.Question, Answer: q.Answer, Date: q.Date})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("questions: %w", err)
	}
	return qs, nil
}
