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
