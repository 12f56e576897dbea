package eval_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/internal/eval"
	"github.com/newsbot/newsbot/knowledge/index"
)

// evalQuestions are quiz lines about the sample article, one the store
// cannot answer, and three lines eval must skip with a reason.
const evalQuestions = `{"id": 1, "question": "Where have several rounds of negotiations been held?", "answer": "Saudi Arabia", "date": "2025-04-16"}
{"id": 2, "question": "Who is President Trump's special envoy?", "answer": "Steve Witkoff | Witkoff", "date": "2025-04-16"}
{"id": 3, "question": "What is the capital of Mongolia?", "answer": "Ulaanbaatar"}
{"id": 4, "question":
{"id": 5, "question": " ", "answer": "x"}
{"id": 6, "question": "Who?", "answer": "Witkoff", "date": "16/04/2025"}

`

func TestEvalScoresRetrievalAndAnswers(t *testing.T) {
	b := seed(t)
	rep, err := eval.Eval(context.Background(), b, strings.NewReader(evalQuestions), eval.EvalOptions{Failures: 5})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Questions != 3 || rep.K != 10 {
		t.Fatalf("questions = %d, k = %d; want 3 usable questions, k 10", rep.Questions, rep.K)
	}
	if rep.Recall1 != 2.0/3 || rep.Recall5 != 2.0/3 || rep.Recall10 != 2.0/3 || rep.MRR10 != 2.0/3 {
		t.Errorf("R@1 %v R@5 %v R@10 %v MRR %v; want both answerable questions found first", rep.Recall1, rep.Recall5, rep.Recall10, rep.MRR10)
	}
	if rep.Template != 2.0/3 || rep.Found != 2.0/3 {
		t.Errorf("template %v found %v; want the two answers quoted and Mongolia not answered", rep.Template, rep.Found)
	}
	if len(rep.Misses) != 1 || rep.Misses[0].Question != "What is the capital of Mongolia?" {
		t.Errorf("misses = %+v, want the Mongolia question", rep.Misses)
	}
	var lines []int
	for _, s := range rep.Skipped {
		lines = append(lines, s.Line)
	}
	if len(lines) != 3 || lines[0] != 4 || lines[1] != 5 || lines[2] != 6 ||
		!strings.Contains(rep.Skipped[0].Error, "malformed JSON") || !strings.Contains(rep.Skipped[2].Error, "YYYY-MM-DD") {
		t.Errorf("skipped = %+v, want lines 4, 5 and 6 with their reasons", rep.Skipped)
	}
	if rep.SearchP50 <= 0 || rep.SearchP99 < rep.SearchP50 || rep.AskP99 < rep.AskP50 {
		t.Errorf("latencies: search p50 %v p99 %v, ask p50 %v p99 %v", rep.SearchP50, rep.SearchP99, rep.AskP50, rep.AskP99)
	}
	var text, js bytes.Buffer
	if err := eval.WriteEvalReport(&text, rep, false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"questions          3 (k=10)", "answer-recall@5     66.7%", "MRR@10             0.667", "skipped line 4: malformed JSON", "miss 1: 3 () What is the capital of Mongolia?"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, text.String())
		}
	}
	if err := eval.WriteEvalReport(&js, rep, true); err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || back["answer_recall@5"] != 2.0/3 || back["questions"] != 3.0 {
		t.Errorf("JSON report: %v\n%s", err, js.String())
	}
}

// ContainsAnswer is the RealTime QA rule: case, curly quotes and runs of
// whitespace do not matter; " | " separates alternatives.
func TestContainsAnswer(t *testing.T) {
	tests := []struct {
		text, answer string
		want         bool
	}{
		{"Talks were held in Saudi Arabia.", "saudi arabia", true},
		{"Talks were held in Saudi\n  Arabia.", "Saudi Arabia", true},
		{"It is Trump’s “plan”.", `Trump's "plan"`, true},
		{"Witkoff met Putin.", "Steve Witkoff | Witkoff", true},
		{"Witkoff met Putin.", "Rubio | Lavrov", false},
		{"Talks were held in Saudi Arabia.", " | ", false},
	}
	for _, tt := range tests {
		if got := eval.ContainsAnswer(tt.text, tt.answer); got != tt.want {
			t.Errorf("ContainsAnswer(%q, %q) = %v", tt.text, tt.answer, got)
		}
	}
}

// eval --fit searches the first stage only, fits the re-ranking weights
// and prints a ranking that NEWSBOT_RANKING_FILE reads back.
func TestFitRerankReportsARankingToUse(t *testing.T) {
	first := index.DefaultRanking
	first.RerankDepth = 0
	b := seedRanked(t, &first)
	rep, err := eval.FitRerank(context.Background(), b, strings.NewReader(evalQuestions), index.DefaultRanking, eval.EvalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Questions != 3 || rep.Depth != index.DefaultRanking.RerankDepth || len(rep.Skipped) != 3 {
		t.Errorf("report: %d questions, depth %d, %d skipped", rep.Questions, rep.Depth, len(rep.Skipped))
	}
	// Both answers are in the one article's paragraphs; the fitted weights
	// put them in the top 5 as the shipped ones do.
	if rep.Given != 2.0/3 || rep.Fitted != 2.0/3 {
		t.Errorf("recall@5 given %v, fitted %v; want 2/3", rep.Given, rep.Fitted)
	}
	if rep.Ranking.K1 != index.DefaultRanking.K1 || rep.Ranking.RerankDepth != index.DefaultRanking.RerankDepth {
		t.Errorf("fitting changed the first stage: %+v", rep.Ranking)
	}
	var out bytes.Buffer
	if err := eval.WriteFitReport(&out, rep, false); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	i := strings.Index(text, "{")
	if !strings.Contains(text, "NEWSBOT_RANKING_FILE") || i < 0 {
		t.Fatalf("fit report:\n%s", text)
	}
	back, err := index.ReadRanking(strings.NewReader(text[i:]))
	if err != nil || back != rep.Ranking {
		t.Errorf("the printed ranking reads back as %+v, %v; want %+v", back, err, rep.Ranking)
	}
	// A ranking that re-ranks nothing has nothing to fit.
	if _, err := eval.FitRerank(context.Background(), b, strings.NewReader(evalQuestions), first, eval.EvalOptions{}); err == nil {
		t.Error("fitting a ranking without re-ranking: no error")
	}
}
