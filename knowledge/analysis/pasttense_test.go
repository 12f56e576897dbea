package analysis

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPastTense(t *testing.T) {
	for in, want := range map[string]string{
		"Who did Witkoff meet last week?":                            "Who did Witkoff met last week?",
		"What did Rubio say?":                                        "What did Rubio said?",
		"Where did the incident take place?":                         "Where did the incident took place?",
		"Which band did rock fans go wild for this week?":            "Which band did rock fans went wild for this week?",
		"What did they steal from the museum?":                       "What did they stole from the museum?",
		"DID the Jets win?":                                          "DID the Jets won?",
		"Which astronaut did not fly on the mission?":                "Which astronaut did not fly on the mission?",
		"Who didn't meet the deadline?":                              "Who didn't meet the deadline?",
		"Where did he once play?":                                    "Where did he once play?", // regular: the stemmer joins it
		"Who did it? Meet the suspects":                              "Who did it? Meet the suspects",
		"Did Go win?":                                                "Did Go won?", // a name is not a verb
		"When did the one two three four five six seven eight meet?": "When did the one two three four five six seven eight meet?",
		"Who met Putin?":                                             "Who met Putin?",
		"Wer hat Putin getroffen?":                                   "Wer hat Putin getroffen?",
	} {
		if got := PastTense(in); got != want {
			t.Errorf("PastTense(%q) = %q, want %q", in, got, want)
		}
	}
	// Its terms are the news's: "met" is found where "meet" is not.
	got := strings.Join(Terms(PastTense("Who did Witkoff meet last week?"), nil), " ")
	if want := strings.Join(Terms("Witkoff met last week", nil), " "); got != want {
		t.Errorf("terms %q, want %q", got, want)
	}
}

// FuzzPastTense checks that any question comes back valid where it went in
// valid, changed in at most one word, and the same when asked again
// without "did".
func FuzzPastTense(f *testing.F) {
	for _, s := range []string{"Who did Witkoff meet last week?", "did did did go", "Did\u00a0they say?", "did not go", "did 🎉 go", "\xffdid go", "did"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		got := PastTense(q)
		if utf8.ValidString(q) && !utf8.ValidString(got) {
			t.Fatalf("PastTense(%q) = %q: invalid UTF-8", q, got)
		}
		if d := len(got) - len(q); d < -3 || d > 4 {
			t.Fatalf("PastTense(%q) = %q: changed by %d bytes", q, got, d)
		}
		if got != q && len(strings.Fields(got)) != len(strings.Fields(q)) {
			t.Fatalf("PastTense(%q) = %q: words added or lost", q, got)
		}
	})
}
