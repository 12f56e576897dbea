package bot

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/analysis"
)

// A further sentence too long for what is left of the quote budget is
// quoted cut to the room left when that is at least ClipRoom runes, and
// skipped when it is less.
func TestSelectClipsToRoomLeft(t *testing.T) {
	question := "Which harbour did the Halden ferry strike close?"
	terms := evenTerms(question)
	filler := func(n int) string { // words without a term of the question
		return strings.Repeat("more words here ", n/16+1)[:n]
	}
	first := "The Halden ferry strike closed the harbour on Monday, " + filler(190) + "."
	long := "Union leaders said the Halden ferry strike would keep the harbour shut, " + filler(330) + "."
	res := func(second string) *knowledge.Result {
		return &knowledge.Result{Terms: terms, Passages: []knowledge.Passage{
			{Doc: 1, ArticleID: "a", Title: "Halden ferry strike closes harbour", Text: first, Score: 2},
			{Doc: 2, ArticleID: "b", Title: "Halden ferry strike goes on", Text: second, Score: 1.9},
		}}
	}
	texts := func(sel []picked) []string {
		var out []string
		for _, s := range sel {
			out = append(out, s.text)
		}
		return out
	}
	sel := selectSentences(question, res(long), selectOptions{})
	if len(sel) != 2 {
		t.Fatalf("quoted %d sentences, want 2: %q", len(sel), texts(sel))
	}
	room := sentenceScoring.Budget - utf8.RuneCountInString(first)
	if got := sel[1].text; !strings.HasSuffix(got, "…") || utf8.RuneCountInString(got) > room || !strings.HasPrefix(got, "Union leaders said the Halden ferry strike") {
		t.Errorf("second quote = %q (%d runes), want the long sentence cut to the %d runes left", got, utf8.RuneCountInString(got), room)
	}
	saved := sentenceScoring
	defer func() { sentenceScoring = saved }()
	sentenceScoring.ClipRoom = room + 1
	if sel := selectSentences(question, res(long), selectOptions{}); len(sel) != 1 {
		t.Errorf("with less room than ClipRoom quoted %d sentences, want 1: %q", len(sel), texts(sel))
	}
}

// evenTerms are question's terms, each in one paragraph with an IDF of 3:
// a search result's Terms for tests of the sentence chooser.
func evenTerms(question string) []knowledge.TermStat {
	var terms []knowledge.TermStat
	for _, term := range analysis.Terms(question, nil) {
		terms = append(terms, knowledge.TermStat{Term: term, DocFreq: 1, IDF: 3})
	}
	return terms
}
