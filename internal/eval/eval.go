package eval

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/jsonout"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/analysis"
)

// Evaluator is what `newsbot eval` measures: the bot's retrieval and its
// answers.
type Evaluator interface {
	Search(ctx context.Context, q bot.Question, k int) (*knowledge.Result, error)
	Ask(ctx context.Context, q bot.Question) (*bot.Answer, error)
}

// EvalOptions shape an evaluation; zero values work.
type EvalOptions struct {
	// K is the number of passages scored per question; zero means 10.
	K int
	// Failures is how many missed questions to list.
	Failures int
	// Location is the time zone of the questions' dates; nil means UTC.
	Location *time.Location
	// Progress, when set, is told how many questions are done.
	Progress func(done, total int)
}

// EvalReport summarises an evaluation. Shares are fractions of Questions.
type EvalReport struct {
	Questions int     `json:"questions"`
	K         int     `json:"k"`
	Recall1   float64 `json:"answer_recall@1"`
	Recall5   float64 `json:"answer_recall@5"`
	Recall10  float64 `json:"answer_recall@10"`
	MRR10     float64 `json:"mrr@10"`
	// Template is the share of questions whose template answer, as a
	// person reads it (its short answer, Answer.Lead, then its quotes),
	// contains the answer; Quotes the share whose quotes alone do; Found
	// the share the bot answered at all.
	Template float64 `json:"template_answer_contains"`
	Quotes   float64 `json:"quotes_contain"`
	Found    float64 `json:"found"`
	// ShortGiven is the share of questions given a short answer,
	// ShortCorrect the share whose short answer holds the answer, and
	// ShortPrecision ShortCorrect over ShortGiven.
	ShortGiven     float64 `json:"short_answer_given"`
	ShortCorrect   float64 `json:"short_answer_correct"`
	ShortPrecision float64 `json:"short_answer_precision"`
	// OldSources is the share of answers whose newest source is more than
	// a year older than the question, OldSaid the share of those that say
	// so (Answer.Stale), and FreshFlagged the share of the answers whose
	// newest source is at most 30 days old flagged stale all the same.
	OldSources   float64 `json:"old_sources"`
	OldSaid      float64 `json:"old_sources_said"`
	FreshFlagged float64 `json:"fresh_flagged_stale"`
	// Boilerplate is the share of answers that quote a boilerplate
	// paragraph (a caption, time stamp, bio, prompt; see
	// knowledge.BoilerplateKind).
	Boilerplate float64 `json:"answers_quoting_boilerplate"`
	// MedianAnswerRunes is the median length of the answers given, in
	// characters.
	MedianAnswerRunes int `json:"median_answer_chars"`
	// Latencies of retrieval (search) and of whole answers (ask), in
	// milliseconds.
	SearchP50 float64       `json:"search_p50_ms"`
	SearchP95 float64       `json:"search_p95_ms"`
	SearchP99 float64       `json:"search_p99_ms"`
	AskP50    float64       `json:"ask_p50_ms"`
	AskP99    float64       `json:"ask_p99_ms"`
	Misses    []EvalFailure `json:"failures,omitempty"`
	Skipped   []EvalSkipped `json:"skipped,omitempty"`
	byRank    map[int]int
}

// EvalFailure is a question whose answer was not in the top K passages.
type EvalFailure struct {
	ID       any    `json:"id"`
	Question string `json:"question"`
	Answer   string `json:"answer"`
	Date     string `json:"date,omitempty"`
	Top      string `json:"top_passage"`
	TopTitle string `json:"top_title"`
}

// EvalSkipped is an input line that could not be used.
type EvalSkipped struct {
	Line  int    `json:"line"`
	Error string `json:"error"`
}

type evalQuestion struct {
	ID       any    `json:"id"`
	Question string `json:"question"`
	Answer   string `json:"answer"`
	Date     string `json:"date"`
}

var quoteMap = strings.NewReplacer("\u2018", "'", "\u2019", "'", "\u201b", "'", "\u2032", "'",
	"\u201c", `"`, "\u201d", `"`, "\u201e", `"`, "\u2033", `"`)

var spaces = regexp.MustCompile(`\s+`)

// normalizeAnswerText is the RealTime QA scoring rule: lower case, curly
// quotes and apostrophes made straight, whitespace collapsed.
func normalizeAnswerText(s string) string {
	return strings.TrimSpace(spaces.ReplaceAllString(quoteMap.Replace(strings.ToLower(s)), " "))
}

// answerAlternatives splits an answer on " | " into normalised alternatives.
func answerAlternatives(answer string) []string {
	var out []string
	for _, a := range strings.Split(answer, " | ") {
		if a = normalizeAnswerText(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// ContainsAnswer reports whether text contains one of the alternatives of
// answer (separated by " | "), by the RealTime QA rule.
func ContainsAnswer(text, answer string) bool {
	return containsAny(normalizeAnswerText(text), answerAlternatives(answer))
}

func containsAny(normText string, alts []string) bool {
	for _, a := range alts {
		if strings.Contains(normText, a) {
			return true
		}
	}
	return false
}

// Eval reads questions as JSON Lines {"id", "question", "answer", "date"?}
// and measures the bot on them: answer recall at 1, 5 and 10, MRR@10, the
// share of template answers containing the answer, and latency. A
// question's date is its as-of date.
func Eval(ctx context.Context, e Evaluator, r io.Reader, opts EvalOptions) (*EvalReport, error) {
	k := opts.K
	if k <= 0 {
		k = 10
	}
	loc := opts.Location
	if loc == nil {
		loc = time.UTC
	}
	qs, skipped, err := readEvalQuestions(r)
	if err != nil {
		return nil, err
	}
	t := &tally{rep: &EvalReport{K: k, Skipped: skipped}, hits: map[int]int{}, failures: opts.Failures}
	for i, q := range qs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		bq := q.botQuestion(loc)
		alts := answerAlternatives(q.Answer)
		start := time.Now()
		res, err := e.Search(ctx, bq, k)
		t.searchLat = append(t.searchLat, time.Since(start))
		if err != nil {
			return nil, fmt.Errorf("eval %v: %w", q.ID, err)
		}
		t.retrieval(q, res, alts, k)
		start = time.Now()
		ans, err := e.Ask(ctx, bq)
		t.askLat = append(t.askLat, time.Since(start))
		if err != nil {
			return nil, fmt.Errorf("eval %v: %w", q.ID, err)
		}
		t.answer(bq, ans, alts)
		if opts.Progress != nil {
			opts.Progress(i+1, len(qs))
		}
	}
	return t.report(len(qs)), nil
}

// tally adds up what Eval measures, question by question.
type tally struct {
	rep                                                               *EvalReport
	failures                                                          int
	searchLat, askLat                                                 []time.Duration
	rr                                                                float64
	hits                                                              map[int]int
	template, quotes, found                                           int
	shortGiven, shortRight, old, oldSaid, fresh, freshFlagged, boiler int
	lengths                                                           []int
}

// retrieval scores where the first passage holding the answer ranks.
func (t *tally) retrieval(q evalQuestion, res *knowledge.Result, alts []string, k int) {
	rank := 0
	for j, p := range res.Passages {
		if j >= k {
			break
		}
		if containsAny(normalizeAnswerText(p.Text), alts) {
			rank = j + 1
			break
		}
	}
	if rank > 0 {
		t.rr += 1 / float64(rank)
		for _, at := range []int{1, 5, 10} {
			if rank <= at {
				t.hits[at]++
			}
		}
		return
	}
	if len(t.rep.Misses) < t.failures {
		f := EvalFailure{ID: q.ID, Question: q.Question, Answer: q.Answer, Date: q.Date}
		if len(res.Passages) > 0 {
			f.Top, f.TopTitle = res.Passages[0].Text, res.Passages[0].Title
		}
		t.rep.Misses = append(t.rep.Misses, f)
	}
}

// answer scores the template answer: whether it holds the answer, its
// short answer, what it quotes, its length and what it says of its
// sources' age.
func (t *tally) answer(bq bot.Question, ans *bot.Answer, alts []string) {
	if ans.Found {
		t.found++
	}
	if ans.Found && containsAny(normalizeAnswerText(ans.Text), alts) {
		t.quotes++
	}
	read := readText(ans)
	if ans.Found && containsAny(normalizeAnswerText(read), alts) {
		t.template++
	}
	if ans.Short != "" {
		t.shortGiven++
		if containsAny(normalizeAnswerText(ans.Short), alts) {
			t.shortRight++
		}
	}
	for _, c := range ans.Citations {
		if analysis.BoilerplateKind(c.Text) != "" {
			t.boiler++
			break
		}
	}
	if !ans.Found {
		return
	}
	t.lengths = append(t.lengths, utf8.RuneCountInString(read))
	asked := bq.AsOf
	if asked.IsZero() {
		asked = time.Now()
	}
	switch {
	case ans.NewestSource.IsZero():
	case ans.NewestSource.Before(asked.AddDate(-1, 0, 0)):
		t.old++
		if ans.Stale {
			t.oldSaid++
		}
	case !ans.NewestSource.Before(asked.Add(-bot.DefaultStaleAfter)):
		t.fresh++
		if ans.Stale {
			t.freshFlagged++
		}
	}
}

// readText is a template answer as a person reads it: its short answer
// on a line of its own (as the terminal shows it; the chat adapters set it
// in bold), then the quotes.
func readText(ans *bot.Answer) string {
	if lead := ans.Lead(); lead != "" {
		return lead + "\n" + ans.Text
	}
	return ans.Text
}

// report turns the tally over n questions into the report.
func (t *tally) report(n int) *EvalReport {
	rep := t.rep
	rep.Questions = n
	if n > 0 {
		f := float64(n)
		rep.Recall1, rep.Recall5, rep.Recall10 = float64(t.hits[1])/f, float64(t.hits[5])/f, float64(t.hits[10])/f
		rep.MRR10 = t.rr / f
		rep.Template, rep.Quotes, rep.Found = float64(t.template)/f, float64(t.quotes)/f, float64(t.found)/f
		rep.ShortGiven, rep.ShortCorrect = float64(t.shortGiven)/f, float64(t.shortRight)/f
		rep.ShortPrecision = share(t.shortRight, t.shortGiven)
		rep.OldSources, rep.OldSaid, rep.FreshFlagged = float64(t.old)/f, share(t.oldSaid, t.old), share(t.freshFlagged, t.fresh)
		rep.Boilerplate = float64(t.boiler) / f
	}
	if len(t.lengths) > 0 {
		sort.Ints(t.lengths)
		rep.MedianAnswerRunes = t.lengths[len(t.lengths)/2]
	}
	rep.SearchP50, rep.SearchP95, rep.SearchP99 = percentile(t.searchLat, 50), percentile(t.searchLat, 95), percentile(t.searchLat, 99)
	rep.AskP50, rep.AskP99 = percentile(t.askLat, 50), percentile(t.askLat, 99)
	return rep
}

// share is part/whole, 0 for an empty whole.
func share(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

// readEvalQuestions reads JSON Lines questions, listing the lines it cannot
// use.
func readEvalQuestions(r io.Reader) ([]evalQuestion, []EvalSkipped, error) {
	var qs []evalQuestion
	var skipped []EvalSkipped
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	line := 0
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var q evalQuestion
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			skipped = append(skipped, EvalSkipped{line, "malformed JSON: " + err.Error()})
			continue
		}
		if strings.TrimSpace(q.Question) == "" || len(answerAlternatives(q.Answer)) == 0 {
			skipped = append(skipped, EvalSkipped{line, "question or answer is empty"})
			continue
		}
		if q.Date != "" {
			if _, err := time.Parse("2006-01-02", q.Date); err != nil {
				skipped = append(skipped, EvalSkipped{line, fmt.Sprintf("date %q is not YYYY-MM-DD", q.Date)})
				continue
			}
		}
		qs = append(qs, q)
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("eval: read questions: %w", err)
	}
	return qs, skipped, nil
}

// botQuestion is q as the bot is asked it: as of midday of its date.
func (q evalQuestion) botQuestion(loc *time.Location) bot.Question {
	bq := bot.Question{Text: q.Question}
	if q.Date != "" {
		d, _ := time.ParseInLocation("2006-01-02", q.Date, loc)
		bq.AsOf = d.Add(12 * time.Hour)
	}
	return bq
}

// percentile returns the p-th percentile of ds in milliseconds (nearest
// rank).
func percentile(ds []time.Duration, p int) float64 {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := (p*len(s) + 99) / 100
	i = min(max(i-1, 0), len(s)-1)
	return float64(s[i].Microseconds()) / 1000
}

// WriteEvalReport prints a report as a table, or as one JSON object.
func WriteEvalReport(w io.Writer, rep *EvalReport, asJSON bool) error {
	if asJSON {
		return jsonout.Write(w, rep)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "questions          %d (k=%d)\n", rep.Questions, rep.K)
	fmt.Fprintf(&b, "answer-recall@1    %5.1f%%\n", 100*rep.Recall1)
	fmt.Fprintf(&b, "answer-recall@5    %5.1f%%\n", 100*rep.Recall5)
	fmt.Fprintf(&b, "answer-recall@10   %5.1f%%\n", 100*rep.Recall10)
	fmt.Fprintf(&b, "MRR@10             %.3f\n", rep.MRR10)
	fmt.Fprintf(&b, "template answer    %5.1f%% contain the answer (%.1f%% in the quotes alone; %.1f%% answered)\n", 100*rep.Template, 100*rep.Quotes, 100*rep.Found)
	fmt.Fprintf(&b, "short answer       %5.1f%% hold the answer (%.1f%% given, precision %.1f%%)\n", 100*rep.ShortCorrect, 100*rep.ShortGiven, 100*rep.ShortPrecision)
	fmt.Fprintf(&b, "old sources        %5.1f%% of answers rest on sources over a year old; %.1f%% of those say so (%.1f%% of answers from the last 30 days flagged)\n",
		100*rep.OldSources, 100*rep.OldSaid, 100*rep.FreshFlagged)
	fmt.Fprintf(&b, "answer length      median %d characters; %.1f%% of answers quote boilerplate\n", rep.MedianAnswerRunes, 100*rep.Boilerplate)
	fmt.Fprintf(&b, "search latency     p50 %.2f ms, p95 %.2f ms, p99 %.2f ms\n", rep.SearchP50, rep.SearchP95, rep.SearchP99)
	fmt.Fprintf(&b, "answer latency     p50 %.2f ms, p99 %.2f ms\n", rep.AskP50, rep.AskP99)
	for _, s := range rep.Skipped {
		fmt.Fprintf(&b, "skipped line %d: %s\n", s.Line, s.Error)
	}
	for i, f := range rep.Misses {
		fmt.Fprintf(&b, "\nmiss %d: %v (%s) %s\n  answer: %s\n  top:    %s — %s\n", i+1, f.ID, f.Date, f.Question, f.Answer, f.TopTitle, truncate(f.Top, 200))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// truncate cuts s to at most n runes at a word boundary, adding "…".
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}
