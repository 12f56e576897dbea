package bot

import (
	"slices"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/knowledge"
)

// A further sentence that says again what a chosen one says is pushed
// down (sentenceScoring.Redundancy): the sentence naming the harbour is
// quoted instead of a second restatement of the question.
func TestSelectPushesDownRestatements(t *testing.T) {
	question := "Which harbour did the Halden ferry strike close on Monday?"
	terms := evenTerms(question)
	res := &knowledge.Result{Terms: terms, Passages: []knowledge.Passage{
		{Doc: 1, ArticleID: "a", Title: "Strike", Text: "The Halden ferry strike closed a harbour on Monday, the union said in a statement."},
		{Doc: 2, ArticleID: "b", Title: "Strike", Text: "A harbour was closed on Monday by the Halden ferry strike, workers' leaders announced."},
		{Doc: 3, ArticleID: "c", Title: "Strike", Text: "Ferry workers in Halden shut the port of Fredrikstad, the strike's organisers said."},
		{Doc: 4, ArticleID: "d", Title: "Strike", Text: "The Halden ferry strike closed a harbour on Monday, the union told reporters."},
	}}
	for i := range res.Passages {
		res.Passages[i].Score = 2 - 0.01*float64(i)
	}
	quoted := func(redundancy float64) []string {
		saved := sentenceScoring
		defer func() { sentenceScoring = saved }()
		sentenceScoring.Redundancy = redundancy
		var out []string
		for _, p := range selectSentences(question, res, selectOptions{}) {
			out = append(out, p.text)
		}
		return out
	}
	names := func(texts []string) bool {
		return slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(s, "Fredrikstad") })
	}
	if got := quoted(0); names(got) {
		t.Fatalf("without Redundancy the sentence naming the harbour is quoted all the same, so the test shows nothing: %q", got)
	}
	if got := quoted(2); !names(got) || len(got) != 3 {
		t.Errorf("with Redundancy 2 quoted %q, want the sentence naming the harbour among three", got)
	}
	if sentenceScoring.Redundancy <= 0 {
		t.Errorf("Redundancy = %v, want it on by default", sentenceScoring.Redundancy)
	}
}
