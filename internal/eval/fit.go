package eval

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/jsonout"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/index"
)

// FitReport is what `newsbot eval --fit` found. Recalls are answer-recall@5
// of re-ranking the first-stage results, as shares.
type FitReport struct {
	Questions int `json:"questions"`
	Depth     int `json:"depth"`
	// Given and Fitted are the recalls over all questions with the weights
	// in use and with the fitted ones (fitted to these same questions).
	Given  float64 `json:"answer_recall@5_given"`
	Fitted float64 `json:"answer_recall@5_fitted"`
	// CVGiven and CVFitted are the cross-validated recalls: weights fitted
	// to one half of the questions, scored on the other.
	CVGiven  float64 `json:"cv_answer_recall@5_given"`
	CVFitted float64 `json:"cv_answer_recall@5_fitted"`
	// Ranking is the ranking with the fitted weights, for
	// NEWSBOT_RANKING_FILE.
	Ranking index.Ranking `json:"ranking"`
	Skipped []EvalSkipped `json:"skipped,omitempty"`
}

// cvRepeats is how many random halvings cross-validation averages.
const cvRepeats = 5

// FitRerank reads questions as Eval does, searches each with s — which must
// return first-stage results (an index whose ranking has RerankDepth 0) —
// for r.RerankDepth passages, and fits r's re-ranking weights to put
// passages holding the answer first (knowledge.FitRerank).
func FitRerank(ctx context.Context, s Searcher, in io.Reader, r index.Ranking, opts EvalOptions) (*FitReport, error) {
	if r.RerankDepth <= 0 {
		return nil, fmt.Errorf("eval --fit: the ranking re-ranks nothing (RerankDepth %d)", r.RerankDepth)
	}
	loc := opts.Location
	if loc == nil {
		loc = time.UTC
	}
	qs, skipped, err := readEvalQuestions(in)
	if err != nil {
		return nil, err
	}
	rep := &FitReport{Questions: len(qs), Depth: r.RerankDepth, Skipped: skipped}
	lists := make([]index.RerankList, 0, len(qs))
	for i, q := range qs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		bq := q.botQuestion(loc)
		res, err := s.Search(ctx, bq, r.RerankDepth)
		if err != nil {
			return nil, fmt.Errorf("eval --fit %v: %w", q.ID, err)
		}
		// Fit on the query the bot searched (window phrase taken out, as-of
		// and preferences set), not on one rebuilt from the question.
		alts := answerAlternatives(q.Answer)
		lists = append(lists, index.NewRerankList(res.Query, res, r,
			func(p knowledge.Passage) bool { return containsAny(normalizeAnswerText(p.Text), alts) }))
		if opts.Progress != nil {
			opts.Progress(i+1, len(qs))
		}
	}
	rep.Ranking = index.FitRerank(lists, r)
	rep.Given = index.RerankRecall(lists, r, 5)
	rep.Fitted = index.RerankRecall(lists, rep.Ranking, 5)
	rep.CVGiven, rep.CVFitted = index.CrossValidateRerank(lists, r, 5, cvRepeats)
	return rep, nil
}

// WriteFitReport prints a fit report as text, or as one JSON object.
func WriteFitReport(w io.Writer, rep *FitReport, asJSON bool) error {
	if asJSON {
		return jsonout.Write(w, rep)
	}
	weights, err := json.Marshal(rep.Ranking)
	if err != nil {
		return fmt.Errorf("eval --fit: %w", err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "questions              %d (re-ranking the first-stage top %d)\n", rep.Questions, rep.Depth)
	fmt.Fprintf(&b, "answer-recall@5        %5.1f%% with the weights in use, %5.1f%% with the fitted ones\n", 100*rep.Given, 100*rep.Fitted)
	fmt.Fprintf(&b, "cross-validated        %5.1f%% with the weights in use, %5.1f%% fitted to the other half (2-fold, %d repeats)\n",
		100*rep.CVGiven, 100*rep.CVFitted, cvRepeats)
	for _, s := range rep.Skipped {
		fmt.Fprintf(&b, "skipped line %d: %s\n", s.Line, s.Error)
	}
	fmt.Fprintf(&b, "\nFitted ranking (save as a file and point NEWSBOT_RANKING_FILE at it):\n%s\n", weights)
	_, err = io.WriteString(w, b.String())
	return err
}

// Searcher is what fitting needs of the bot: the passages it would answer
// a question from.
type Searcher interface {
	Search(ctx context.Context, q bot.Question, k int) (*knowledge.Result, error)
}
