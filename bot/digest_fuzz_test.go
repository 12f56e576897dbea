package bot

import (
	"testing"
	"unicode/utf8"
)

// FuzzAsksForNews feeds the "what's new?" trigger any question text (it
// reads every chat message). Properties: no panic; the same answer twice;
// a question for the news in general stops being one when it names a
// subject (a word in no language's news words), and stays one with
// punctuation and spaces around it; asksForHeadlines does not panic.
func FuzzAsksForNews(f *testing.F) {
	for _, q := range []string{"What's new?", "Was gibt es Neues?", "Quoi de neuf ?", "¿Qué pasó?", "有什么新闻？", "何があった？",
		"最新消息", "Что нового?", "Cosa c'è di nuovo?", "What happened to the bridge?", "", "？？", "news news news", "\xff\xfe"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if !utf8.ValidString(q) || len(q) > 500 {
			return
		}
		news := asksForNews(q)
		if news != asksForNews(q) {
			t.Fatalf("asksForNews(%q) changed between calls", q)
		}
		if news && asksForNews(q+" zqxjvbrlk") {
			t.Fatalf("asksForNews(%q) stays true with a subject word added", q)
		}
		if news && !asksForNews("  "+q+" ?! ") {
			t.Fatalf("asksForNews(%q) is false with punctuation around it", q)
		}
		asksForHeadlines(q)
	})
}
