package bot

import (
	"testing"

	"github.com/newsbot/newsbot/knowledge"
)

// Without a short answer, the headline of the first quoted article whose
// headline names something of the kind asked for that no quote names is
// shown beside its quotes.
func TestHeadlineFor(t *testing.T) {
	quote := func(article, title, text string) picked {
		return picked{text: text, passage: knowledge.Passage{ArticleID: article, Title: title, Text: text}}
	}
	ousted := quote("a", "Nestlé CEO Laurent Freixe ousted over office romance", "The board ousted the chief executive on Monday.")
	for _, tt := range []struct {
		name, question string
		sel            []picked
		want           int
	}{
		{"the headline names him", "Which company ousted its CEO this week?", []picked{ousted}, 0},
		{"the quote names him too", "Which company ousted its CEO this week?",
			[]picked{ousted, quote("a", ousted.passage.Title, "Laurent Freixe was dismissed.")}, -1},
		{"the second article's headline", "Which company ousted its CEO this week?",
			[]picked{quote("b", "Markets close higher", "Shares rose on Monday."), ousted}, 1},
		{"no date in the headline", "When did the outage begin?",
			[]picked{quote("c", "Airline fined over Halden Airport outage", "The outage stranded 30,000 passengers.")}, -1},
		{"a question for no kind of thing", "Why was the CEO ousted?", []picked{ousted}, -1},
	} {
		if got := headlineFor(tt.question, tt.sel); got != tt.want {
			t.Errorf("%s: headlineFor = %d, want %d", tt.name, got, tt.want)
		}
	}
}
