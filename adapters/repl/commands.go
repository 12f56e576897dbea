package repl

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/jsonout"
	"github.com/newsbot/newsbot/internal/safe"
)

// Searcher is the retrieval the search command uses: the bot's, so that
// spelling, time expressions and as-of dates count as they do for answers.
type Searcher interface {
	SearchAsked(ctx context.Context, q bot.Question, k int) (*bot.Searched, error)
}

// CitationJSON is one citation in `ask --json` output.
type CitationJSON struct {
	N         int    `json:"n"`
	ArticleID string `json:"article_id"`
	Title     string `json:"title"`
	Source    string `json:"source"`
	// Published is "" for an undated article; FirstSeen is when it was
	// first stored, Lang its language ("" when unknown).
	Published string `json:"published"`
	FirstSeen string `json:"first_seen"`
	Lang      string `json:"lang,omitempty"`
	Updated   string `json:"updated,omitempty"`
	URL       string `json:"url"`
	Paragraph int    `json:"paragraph"`
	Quote     string `json:"quote"`
	// Weak flags a citation of an LLM answer that a sentence citing it
	// barely supports.
	Weak bool `json:"weak"`
	// AlsoIn lists other articles carrying the same paragraph (wire copies).
	AlsoIn []CopyJSON `json:"also_in,omitempty"`
}

// CopyJSON is another article carrying a cited paragraph.
type CopyJSON struct {
	ArticleID string `json:"article_id"`
	Title     string `json:"title"`
	Source    string `json:"source"`
	Published string `json:"published"`
	URL       string `json:"url"`
	Paragraph int    `json:"paragraph"`
}

// AnswerJSON is the `ask --json` output.
type AnswerJSON struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
	Found    bool   `json:"found"`
	Mode     string `json:"mode"`
	// FallbackReason says why a template answer was given when an LLM
	// answer was wanted (bot.Fallback*).
	FallbackReason string `json:"fallback_reason,omitempty"`
	// Lang is the language of the answer's wording ("en", "fr").
	Lang      string         `json:"lang"`
	Citations []CitationJSON `json:"citations"`
	// NewestSource is the newest cited article's publication date
	// (YYYY-MM-DD), empty without citations; Stale is true when the
	// question is about the present and that date is older than
	// NEWSBOT_STALE_AFTER before the day asked.
	// ShortAnswer is a short answer (a name, number, date or place) when
	// the question asks for one and the sources agree; empty otherwise.
	ShortAnswer  string `json:"short_answer"`
	NewestSource string `json:"newest_source"`
	Stale        bool   `json:"stale"`
	// Disagreements are the things the cited sources give different
	// values for, each value with the citation (n) that gives it; empty
	// when they agree.
	Disagreements []DisagreementJSON `json:"disagreements"`
	// Story names the story the answer cites several articles of.
	Story *StoryJSON `json:"story,omitempty"`
	// Corrected are the words of the question read as others before
	// searching; omitted when none.
	Corrected []CorrectionJSON `json:"corrected,omitempty"`
}

// DisagreementJSON is one thing the sources disagree on.
type DisagreementJSON struct {
	About  string              `json:"about"`
	Values []DisagreeValueJSON `json:"values"`
}

// DisagreeValueJSON is one source's value and its citation's number.
type DisagreeValueJSON struct {
	Value    string `json:"value"`
	Citation int    `json:"citation"`
}

// StoryJSON is the story an answer draws on.
type StoryJSON struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Outlets  []string `json:"outlets"`
	Articles int      `json:"articles"`
	Cited    int      `json:"cited"`
}

// CorrectionJSON is one word of a question read as another (`ask`,
// `search`): from as typed, to as read; quiet when the text output leaves
// it unsaid (a stop word, another form of the same word or name).
type CorrectionJSON struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Quiet bool   `json:"quiet,omitempty"`
}

// correctionsJSON converts corrections to their JSON form; nil for none.
func correctionsJSON(cs []bot.Correction) []CorrectionJSON {
	var out []CorrectionJSON
	for _, c := range cs {
		out = append(out, CorrectionJSON{From: c.From, To: c.To, Quiet: c.Quiet})
	}
	return out
}

// SearchJSON is the output of `search --json`.
type SearchJSON struct {
	Query     string           `json:"query"`
	Corrected []CorrectionJSON `json:"corrected,omitempty"`
	Results   []ResultJSON     `json:"results"`
}

// ResultJSON is one passage in `search --json` and `--batch` output.
type ResultJSON struct {
	ArticleID string  `json:"article_id"`
	URL       string  `json:"url"`
	Title     string  `json:"title"`
	Source    string  `json:"source"`
	Published string  `json:"published"`
	Lang      string  `json:"lang,omitempty"`
	Paragraph int     `json:"paragraph"`
	Text      string  `json:"text"`
	Score     float64 `json:"score"`
}

// BatchResultJSON is one output line of `search --batch`.
type BatchResultJSON struct {
	ID        any              `json:"id"`
	Corrected []CorrectionJSON `json:"corrected,omitempty"`
	Results   []ResultJSON     `json:"results"`
	Error     string           `json:"error,omitempty"`
}

func isoDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// NewAnswerJSON converts an answer to its JSON form.
func NewAnswerJSON(a *bot.Answer) AnswerJSON {
	out := AnswerJSON{Question: a.Question, Answer: a.Text, Found: a.Found, Mode: a.Mode, FallbackReason: a.FallbackReason, Citations: []CitationJSON{},
		ShortAnswer: a.Short, Stale: a.Stale, Lang: a.Lang, Disagreements: []DisagreementJSON{}}
	for _, d := range a.Disagreements {
		dj := DisagreementJSON{About: d.About}
		for _, v := range d.Values {
			dj.Values = append(dj.Values, DisagreeValueJSON{Value: v.Value, Citation: v.Citation})
		}
		out.Disagreements = append(out.Disagreements, dj)
	}
	out.Corrected = correctionsJSON(a.Corrected)
	if st := a.Story; st != nil {
		out.Story = &StoryJSON{ID: st.ID, Title: st.Title, Outlets: st.Outlets, Articles: st.Articles, Cited: st.Cited}
	}
	if !a.NewestSource.IsZero() {
		out.NewestSource = a.NewestSource.Format("2006-01-02")
	}
	for _, c := range a.Citations {
		cj := CitationJSON{
			N: c.N, ArticleID: c.ArticleID, Title: c.Title, Source: c.Source, Published: isoDate(c.Published),
			FirstSeen: isoDate(c.FirstSeen), Lang: c.Lang, Updated: isoDate(c.Updated), URL: c.URL, Paragraph: c.Paragraph, Quote: c.Quote, Weak: c.Weak,
		}
		for _, o := range c.AlsoIn {
			cj.AlsoIn = append(cj.AlsoIn, CopyJSON{ArticleID: o.ArticleID, Title: o.Title, Source: o.Source,
				Published: isoDate(o.Published), URL: o.URL, Paragraph: o.Paragraph})
		}
		out.Citations = append(out.Citations, cj)
	}
	return out
}

func resultsJSON(ps []bot.Passage) []ResultJSON {
	out := make([]ResultJSON, 0, len(ps))
	for _, p := range ps {
		out = append(out, ResultJSON{
			ArticleID: p.ArticleID, URL: p.URL, Title: p.Title, Source: p.Source, Published: isoDate(p.Published), Lang: p.Lang,
			Paragraph: p.Paragraph, Text: p.Text, Score: float64(int64(p.Score*1e4+0.5)) / 1e4,
		})
	}
	return out
}

// Ask answers one question on w, as text (streamed as an LLM writes it)
// or JSON.
func Ask(ctx context.Context, b Asker, q bot.Question, asJSON bool, w io.Writer) error {
	if asJSON {
		ans, err := b.Ask(ctx, q)
		if err != nil {
			return err
		}
		return jsonout.Write(w, NewAnswerJSON(ans))
	}
	ans, shown, err := askStreaming(ctx, b, q, w)
	if err != nil {
		if shown != "" {
			fmt.Fprintln(w)
		}
		return err
	}
	return WriteStreamedAnswer(w, ans, shown)
}

// askStreaming asks q, writing the answer's text to w as it grows, and
// returns the answer and the text already written.
func askStreaming(ctx context.Context, b Asker, q bot.Question, w io.Writer) (*bot.Answer, string, error) {
	shown := ""
	q.OnPartial = func(text string) {
		if strings.HasPrefix(text, shown) {
			io.WriteString(w, text[len(shown):])
			shown = text
		}
	}
	ans, err := b.Ask(ctx, q)
	return ans, shown, err
}

// Search runs one query and prints the k best passages, as text or JSON,
// with the words it read as others: in text, the note an answer ends with
// ("I read “tlaks” as “talks”."), above the passages it found.
func Search(ctx context.Context, s Searcher, q bot.Question, k int, asJSON bool, w io.Writer) error {
	res, err := s.SearchAsked(ctx, q, k)
	if err != nil {
		return err
	}
	if asJSON {
		return jsonout.Write(w, SearchJSON{Query: q.Text, Corrected: correctionsJSON(res.Corrected), Results: resultsJSON(res.Result.Passages)})
	}
	if res.ReadAs != "" && len(res.Result.Passages) > 0 {
		if _, err := fmt.Fprintf(w, "%s\n\n", res.ReadAs); err != nil {
			return err
		}
	}
	return WritePassages(w, res.Result.Passages)
}

// batchQuestion is one input line of `search --batch`.
type batchQuestion struct {
	ID       any    `json:"id"`
	Question string `json:"question"`
	Date     string `json:"date"`
}

// SearchBatch reads JSON Lines questions {"id", "question", "date"?} from r
// and writes one JSON line {"id", "results": [...]} per question, the k best
// first. A question's date is its as-of date (in loc; nil means UTC); base
// supplies the filters. A bad line gets an output line with "error" (and
// its id when readable), so outputs stay aligned with inputs.
func SearchBatch(ctx context.Context, s Searcher, base bot.Question, k int, loc *time.Location, r io.Reader, w io.Writer) error {
	return eachBatchLine(ctx, base, loc, r, w, func(q bot.Question, id any, errText string) any {
		out := BatchResultJSON{ID: id, Results: []ResultJSON{}, Error: errText}
		if errText != "" {
			return out
		}
		res, err := s.SearchAsked(ctx, q, k)
		if err != nil {
			out.Error = bot.UserMessage(err)
			return out
		}
		out.Corrected, out.Results = correctionsJSON(res.Corrected), resultsJSON(res.Result.Passages)
		return out
	})
}

// BatchAnswerJSON is one output line of `ask --batch`: the `ask --json`
// object with the input line's id, or an error for a line that could not
// be answered.
type BatchAnswerJSON struct {
	ID any `json:"id"`
	AnswerJSON
	Error string `json:"error,omitempty"`
}

// AskBatch reads JSON Lines questions {"id", "question", "date"?} from r
// and writes one `ask --json` object per line, with its id, on w: one line
// per input line, an "error" on lines that are malformed or could not be
// answered.
func AskBatch(ctx context.Context, b Asker, base bot.Question, loc *time.Location, r io.Reader, w io.Writer) error {
	return eachBatchLine(ctx, base, loc, r, w, func(q bot.Question, id any, errText string) any {
		out := BatchAnswerJSON{ID: id, AnswerJSON: AnswerJSON{Question: q.Text, Citations: []CitationJSON{}}, Error: errText}
		if errText != "" {
			return out
		}
		ans, err := b.Ask(ctx, q)
		if err != nil {
			out.Error = bot.UserMessage(err)
			return out
		}
		out.AnswerJSON = NewAnswerJSON(ans)
		return out
	})
}

// eachBatchLine reads JSON Lines questions and writes, for each non-blank
// line, the value answer returns for it. answer gets errText set (and
// should only report it) for a line that is malformed or has a bad date. A
// panic answering one line is logged and reported on that line; reading
// or writing failures end the batch.
func eachBatchLine(ctx context.Context, base bot.Question, loc *time.Location, r io.Reader, w io.Writer,
	answer func(q bot.Question, id any, errText string) any) error {
	if loc == nil {
		loc = time.UTC
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	line := 0
	for sc.Scan() {
		line++
		raw := strings.TrimSpace(sc.Text())
		if raw == "" {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		q, id, errText := parseBatchLine(base, loc, line, raw)
		var out any
		if perr := safe.Do(ctx, nil, "batch line", func() { out = answer(q, id, errText) }); perr != nil {
			out = answer(q, id, fmt.Sprintf("line %d: internal error answering this line (logged)", line))
		}
		if err := jsonout.Write(bw, out); err != nil {
			return fmt.Errorf("batch line %d: %w", line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("batch: read line %d: %w", line+1, err)
	}
	return nil
}

// parseBatchLine reads one batch line into a question; errText says what
// is wrong with a line that cannot be used.
func parseBatchLine(base bot.Question, loc *time.Location, line int, raw string) (q bot.Question, id any, errText string) {
	var bq batchQuestion
	if err := json.Unmarshal([]byte(raw), &bq); err != nil {
		return base, nil, fmt.Sprintf("line %d: malformed JSON: %v", line, err)
	}
	q = base
	q.Text = bq.Question
	if bq.Date != "" {
		d, err := time.ParseInLocation("2006-01-02", bq.Date, loc)
		if err != nil {
			return q, bq.ID, fmt.Sprintf("line %d: date %q is not YYYY-MM-DD", line, bq.Date)
		}
		q.AsOf = d.Add(12 * time.Hour)
	}
	if _, err := bot.CleanQuestion(q.Text); err != nil {
		return q, bq.ID, fmt.Sprintf("line %d: %v", line, err)
	}
	return q, bq.ID, ""
}

// ErrUsage marks command-line mistakes; main prints usage for them.
var ErrUsage = errors.New("usage")
