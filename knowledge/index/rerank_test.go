package index

import (
	"testing"
	"time"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/analysis"
)

// The answer is often a paragraph of the best article that repeats few of
// the question's words: re-ranking reads the article, the names its titles
// and paragraphs repeat, and the date, and lifts it above a paragraph of an
// older article that only repeats the question.
func TestRerankLiftsTheAnswerOfTheBestArticle(t *testing.T) {
	asOf := time.Date(2025, 5, 20, 12, 0, 0, 0, time.UTC)
	recent := time.Date(2025, 5, 16, 0, 0, 0, 0, time.UTC)
	q := knowledge.Query{Text: "Which company did the Justice Department drop charges against?", AsOf: asOf}
	ps := []knowledge.Passage{
		{ArticleID: "a", Title: "DOJ drops its case against Boeing", Published: recent, Paragraph: 1, Score: 10,
			Text: "The Justice Department said it would drop the criminal charges, lawyers for the families said."},
		{ArticleID: "b", Title: "Prosecutors weigh charges", Published: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), Paragraph: 2, Score: 8,
			Text: "The Justice Department has charged many companies over the years."},
		{ArticleID: "a", Title: "DOJ drops its case against Boeing", Published: recent, Paragraph: 5, Score: 3,
			Text: "In 2021, Boeing reached a deal with prosecutors."},
	}
	res := rerankQuestion(q.Text, ps)
	fs, _ := rerankFeatures(q, res, DefaultRanking)
	if len(fs) != 3 {
		t.Fatalf("%d feature rows, want 3", len(fs))
	}
	answer, other, best := fs[2].f, fs[1].f, fs[0].f
	if answer[featArticle] != 1 || other[featArticle] != 0.8 {
		t.Errorf("article feature = %v and %v, want 1 (its article holds the best result) and 0.8", answer[featArticle], other[featArticle])
	}
	if answer[featType] != 1 || other[featType] != 0 {
		t.Errorf("type feature = %v and %v, want a new name only in the answer", answer[featType], other[featType])
	}
	if !(answer[featTitleVote] > answer[featVote] && answer[featVote] > 0) {
		t.Errorf("votes for Boeing: title %v, text %v; want both, more from the titles", answer[featTitleVote], answer[featVote])
	}
	if !(best[featSentence] >= other[featSentence] && other[featSentence] > answer[featSentence]) {
		t.Errorf("sentence coverage = %v, %v, %v; want the question's words in the first two only", best[featSentence], other[featSentence], answer[featSentence])
	}
	if !(best[featFresh] > 0.7 && other[featFresh] < 1e-6) {
		t.Errorf("freshness = %v (4 days old), %v (5 years old)", best[featFresh], other[featFresh])
	}
	rerank(q, res, DefaultRanking)
	var order []int
	for _, p := range res.Passages {
		order = append(order, p.Paragraph)
	}
	if order[0] != 5 && order[1] != 5 || order[2] != 2 {
		t.Errorf("paragraphs after re-ranking: %v, want the Boeing paragraph (5) above the old article's (2)", order)
	}
	// Without the re-ranking weights the first-stage order stands.
	res = rerankQuestion(q.Text, append([]knowledge.Passage(nil), ps...))
	rerank(q, res, DefaultRanking.withFeatureWeights([nFeatures]float64{}))
	if res.Passages[0].Paragraph != 1 || res.Passages[2].Paragraph != 5 {
		t.Errorf("zero weights changed the order")
	}
}

// rerankQuestion builds first-stage results for a question, term
// statistics included, as rank would return them.
func rerankQuestion(question string, ps []knowledge.Passage) *knowledge.Result {
	res := &knowledge.Result{Passages: ps}
	for _, t := range uniqueTerms(analysis.Terms(question, nil)) {
		res.Terms = append(res.Terms, knowledge.TermStat{Term: t, DocFreq: 10, IDF: 2})
	}
	return res
}

// The best article's other paragraphs (Result.Context) vote for the
// candidate answers they name when the ranking asks for it: a result naming
// the name they repeat gains vote share, one naming another name loses
// it, and Result.Votes stays the results' own.
func TestContextParagraphsVote(t *testing.T) {
	q := knowledge.Query{Text: "Which country ordered the platform to remove rental listings?"}
	ps := []knowledge.Passage{
		{ArticleID: "a", Paragraph: 1, Score: 10, Text: "The government ordered the platform to remove 65,000 rental listings."},
		{ArticleID: "b", Paragraph: 3, Score: 6, Text: "Portugal said rental listings would be checked."},
		{ArticleID: "a", Paragraph: 7, Score: 5, Text: "Spain said the platform broke the rules on rental listings."},
	}
	context := []knowledge.Passage{
		{ArticleID: "a", Paragraph: 2, Score: 10, Text: "Housing in Spain has become a heated issue."},
		{ArticleID: "a", Paragraph: 3, Score: 10, Text: "The consumer ministry of Spain spoke in a statement."},
	}
	on := DefaultRanking
	on.ContextArticles, on.ContextParas, on.ContextWeight = 1, 2, 0.3
	without, votes := rerankFeatures(q, rerankQuestion(q.Text, ps), on)
	res := rerankQuestion(q.Text, ps)
	res.Context = context
	with, ctxVotes := rerankFeatures(q, res, on)
	spain, portugal := 2, 1
	if !(with[spain].f[featVote] > without[spain].f[featVote]) {
		t.Errorf("vote share of the Spain result %v with the context, %v without; want more", with[spain].f[featVote], without[spain].f[featVote])
	}
	if !(with[portugal].f[featVote] < without[portugal].f[featVote]) {
		t.Errorf("vote share of the Portugal result %v with the context, %v without; want less", with[portugal].f[featVote], without[portugal].f[featVote])
	}
	if len(votes) != len(ctxVotes) {
		t.Errorf("Result.Votes %v with the context, %v without; want the results' own", ctxVotes, votes)
	}
	for n, v := range votes {
		if ctxVotes[n] != v {
			t.Errorf("Result.Votes[%q] = %v with the context, %v without", n, ctxVotes[n], v)
		}
	}
	// Off (the default), the context changes nothing.
	off, _ := rerankFeatures(q, res, DefaultRanking)
	for i := range off {
		if off[i] != without[i] {
			t.Errorf("result %d: features %v with the context but ContextWeight 0, %v without", i, off[i], without[i])
		}
	}
}
