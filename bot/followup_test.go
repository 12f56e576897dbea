package bot

import (
	"slices"
	"testing"
	"time"
)

// A question for the news of a day or window is the headlines even in a
// conversation, unless it refers back; "what happened?" alone after a
// question is about its subject.
func TestAsksForDigest(t *testing.T) {
	now := time.Date(2025, 4, 16, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		q              string
		first, midConv bool
	}{
		{"What happened on April 15?", true, true},
		{"what happened yesterday?", true, true},
		{"What happened last week?", true, true},
		{"what's new?", true, true},
		{"any news from Monday?", true, true},
		{"Was ist gestern passiert?", true, true},
		{"Qu'est-ce qui s'est passé hier ?", true, true},
		{"昨天发生了什么？", true, true},
		{"what happened?", true, false},
		{"what happened to him?", true, false},
		{"what happened to him yesterday?", true, false},
		{"and then what happened?", true, false},
		{"and what happened on Monday?", true, false},
		{"what happened next?", false, false},
		{"What happened in Paris yesterday?", false, false},
		{"Who won the Oslo chess championship?", false, false},
	}
	for _, tt := range tests {
		text := tt.q
		w, rest, ok := ParseWindow(tt.q, now)
		if ok {
			text = rest
		}
		if got := asksForDigest(text, !w.IsZero(), false); got != tt.first {
			t.Errorf("%q as a first question: digest %v, want %v", tt.q, got, tt.first)
		}
		if got := asksForDigest(text, !w.IsZero(), true); got != tt.midConv {
			t.Errorf("%q in a conversation: digest %v, want %v", tt.q, got, tt.midConv)
		}
	}
}

// The subject a follow-up leans on skips the questions answered with the
// headlines and those with only time words of their own.
func TestRetrievalTextsSubject(t *testing.T) {
	tests := []struct {
		history []string
		q, want string
	}{
		{[]string{"Who won the Oslo chess championship?", "What happened on April 15?"}, "how much did she win?",
			"how much did she win? Who won the Oslo chess championship?"},
		{[]string{"Did the council approve the budget?", "what happened to them yesterday?"}, "and then what happened?",
			"and then what happened? Did the council approve the budget?"},
		{[]string{"Where are Rubio and Witkoff travelling this week?"}, "On which day?",
			"On which day? Where are Rubio and Witkoff travelling this week?"},
	}
	for _, tt := range tests {
		got := retrievalTexts(Question{Text: tt.q, History: tt.history})
		if len(got) == 0 || got[0] != tt.want {
			t.Errorf("%q after %q: searched %q first, want %q", tt.q, tt.history, got, tt.want)
		}
	}
}

// Bare follow-ups in each language answers are worded in have no words of
// their own, are worded in their language, and the whys ask for a reason,
// as "why?" and "on which day?" do in English.
func TestForeignFollowUps(t *testing.T) {
	tests := []struct {
		q, lang string
		why     bool
	}{
		{"Warum?", "de", true}, {"Und warum?", "de", true}, {"Wieso?", "de", true},
		{"An welchem Tag?", "de", false}, {"Wann?", "de", false}, {"Wo?", "de", false},
		{"Pourquoi ?", "fr", true}, {"Et pourquoi ?", "fr", true}, {"Quel jour ?", "fr", false}, {"Où ?", "fr", false},
		{"¿Por qué?", "es", true}, {"¿Qué día?", "es", false},
		{"Perché?", "it", true}, {"In quale giorno?", "it", false},
		{"Por quê?", "pt", true}, {"Em que dia?", "pt", false},
		{"Почему?", "ru", true}, {"В какой день?", "ru", false},
		{"为什么？", "zh", true}, {"哪一天？", "zh", false},
		{"なぜ？", "ja", true}, {"何曜日？", "ja", false},
		{"why?", "en", true}, {"On which day?", "en", false},
	}
	for _, tt := range tests {
		if own := ownTerms(tt.q); len(own) > 0 || !isFollowUp(tt.q) {
			t.Errorf("%q: words of its own %q; want a bare follow-up", tt.q, own)
		}
		if got := questionLang(tt.q); got != tt.lang {
			t.Errorf("%q: worded in %q, want %q", tt.q, got, tt.lang)
		}
		if got := asksWhy.MatchString(tt.q); got != tt.why {
			t.Errorf("%q: asks why %v, want %v", tt.q, got, tt.why)
		}
	}
	// The other languages' words do not take an English question's own.
	for q, want := range map[string]string{
		"What data did the report use?":          "data",
		"What did Tim Cook announce?":            "tim",
		"How many sons does the king have?":      "son",
		"Who is the friend of the Russian envoy": "friend",
		"Where is the Porto office?":             "porto",
	} {
		if own := ownTerms(q); !slices.Contains(own, want) {
			t.Errorf("%q: own words %q, want %q among them", q, own, want)
		}
	}
	for _, q := range []string{"Porque é que os motoristas de autocarros estão em greve?", "Warum streikten die Busfahrer in Altdorf?", "公交司机为什么罢工？"} {
		if isFollowUp(q) {
			t.Errorf("%q is taken for a follow-up", q)
		}
	}
}
