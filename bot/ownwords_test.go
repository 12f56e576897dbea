package bot

import (
	"testing"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/analysis"
)

// A story spreads the question's words over its paragraphs: the headline
// names the place, one paragraph the emergency, another the blackout. The
// quoted paragraph alone holds too few of the question's words, but its
// article does, with its other paragraphs among the results; another
// article's paragraphs do not count for it.
func TestAnswersOwnWordsOverTheArticle(t *testing.T) {
	question := "Which country declared a state of emergency following a massive electricity blackout?"
	var stats []knowledge.TermStat
	for _, term := range analysis.Terms(question, nil) {
		idf := 1.0
		if term == analysis.Terms("blackout", nil)[0] || term == analysis.Terms("massive", nil)[0] {
			idf = 4 // the rare words weigh the most
		}
		stats = append(stats, knowledge.TermStat{Term: term, IDF: idf})
	}
	quoted := knowledge.Passage{ArticleID: "outage", Paragraph: 2, Title: "Power outage hits Ruritania",
		Text: "At 8 p.m. local time, the government declared a state of emergency and a curfew."}
	sameStory := knowledge.Passage{ArticleID: "outage", Paragraph: 1, Title: quoted.Title,
		Text: "A massive blackout left millions of people without electricity."}
	otherStory := sameStory
	otherStory.ArticleID = "heatwave"
	sel := []picked{{text: quoted.Text, passage: quoted}}
	for _, tt := range []struct {
		name   string
		others []knowledge.Passage
		want   bool
	}{
		{"the quoted paragraph alone", nil, false},
		{"with its article's other paragraph", []knowledge.Passage{sameStory}, true},
		{"with another article's paragraph", []knowledge.Passage{otherStory}, false},
	} {
		res := &knowledge.Result{Terms: stats, Passages: append([]knowledge.Passage{quoted}, tt.others...)}
		if got := answersOwnWords(question, sel, res); got != tt.want {
			t.Errorf("%s: answersOwnWords = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// A question is answerable when one article's top passages together hold
// enough of its weight, though none does alone; passages of two articles
// do not add up, and a follow-up (weighed by the earlier question's words)
// still needs a passage of its own.
func TestAnswerableOverTheArticle(t *testing.T) {
	question := "Which highly anticipated fantasy novel by Rebecca Yarros hit the shelves?"
	var stats []knowledge.TermStat
	for _, term := range analysis.Terms(question, nil) {
		stats = append(stats, knowledge.TermStat{Term: term, IDF: 1})
	}
	title := "Books of the year"
	listing := knowledge.Passage{ArticleID: "books", Paragraph: 6, Title: title, Text: "“Onyx Storm” by Rebecca Yarros (Jan. 21)"}
	review := knowledge.Passage{ArticleID: "books", Paragraph: 7, Title: title, Text: "It hits the shelves in January."}
	elsewhere := review
	elsewhere.ArticleID = "reviews"
	for _, tt := range []struct {
		name     string
		second   knowledge.Passage
		followUp bool
		want     bool
	}{
		{"one article", review, false, true},
		{"two articles", elsewhere, false, false},
		{"a follow-up", review, true, false},
	} {
		res := &knowledge.Result{Terms: stats, Passages: []knowledge.Passage{listing, tt.second}}
		var cands []picked
		for _, p := range res.Passages {
			w, total := weights(stats)
			f := sentenceFeatures{FollowUp: tt.followUp, PassageCoverage: coverage(w, total, restrict(termSet(p.Title, p.Text), w))}
			if f.PassageCoverage >= followUpCoverage {
				t.Fatalf("%s: passage %d alone covers %.2f; the test needs each below %v", tt.name, p.Paragraph, f.PassageCoverage, followUpCoverage)
			}
			cands = append(cands, picked{text: p.Text, passage: p, features: f})
		}
		if got := answerable(cands, res); got != tt.want {
			t.Errorf("%s: answerable = %v, want %v", tt.name, got, tt.want)
		}
	}
}
