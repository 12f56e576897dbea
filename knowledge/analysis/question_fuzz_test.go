package analysis

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

var questionSeeds = [][2]string{
	{"Which country won?", "France beat Brazil in Paris on Sunday."},
	{"Ⱥ who met Putin last week?", "Steve Witkoff met Vladimir Putin in St. Petersburg."},
	{"How many homes burned?", "About 1,200 homes burned, officials said. Another 300 were damaged."},
	{"What percentage voted?", "Turnout was 61.5% in İstanbul and 58 percent in Ankara."},
	{"Which city hosts it?", "The games open in Los Angeles. The Kelvin sign K and ſ fold."},
	{"\u202ewho\u202c won\xff?", "\xff\xfe Ⱥ Ⱥ. 👩‍👩‍👧 The “Winner” said."},
	{"when?", "It opens on March 3 with a parade."},
}

// FuzzQuestionAnalysis runs a question's analysis (its kind, words,
// candidate answers and the kind check) over any question and text and
// checks what the re-ranker and the templates rely on: candidate answers
// are non-empty valid UTF-8, lower case, taken from the text, and (for
// place questions) not already named by the question.
func FuzzQuestionAnalysis(f *testing.F) {
	for _, s := range questionSeeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, question, text string) {
		k := QuestionKind(question)
		words := QuestionWords(question)
		for w := range words {
			if w == "" || !utf8.ValidString(w) {
				t.Fatalf("question word %q of %q", w, question)
			}
		}
		_ = HasKind(text, k, question, words)
		lowText, lowQ := strings.ToLower(text), strings.ToLower(question)
		for _, kind := range []AnswerKind{k, KindAny, KindPercent, KindCountry, KindCity} {
			for c := range CandidateAnswers(text, kind, question, words) {
				if c == "" || !utf8.ValidString(c) {
					t.Fatalf("candidate %q from %q", c, text)
				}
				if c != strings.ToLower(c) {
					t.Fatalf("candidate %q is not lower case", c)
				}
				if kind.places() == nil && !strings.Contains(lowText, c) {
					t.Fatalf("candidate %q (kind %v) is not in the text %q", c, kind, text)
				}
				if kind.places() != nil && strings.Contains(lowQ, c) {
					t.Fatalf("candidate place %q is named by the question %q", c, question)
				}
			}
		}
	})
}

// FuzzSentences checks that splitting a paragraph into sentences loses and
// adds nothing but the spaces between them, and gives trimmed, non-empty
// sentences.
func FuzzSentences(f *testing.F) {
	for _, s := range questionSeeds {
		f.Add(s[1])
	}
	f.Add(`He said “it’s over.” Then he left. U.S. Sen. John F. Kennedy spoke at 3.5 p.m. Today!`)
	f.Fuzz(func(t *testing.T, p string) {
		var joined strings.Builder
		for _, s := range Sentences(p) {
			if s == "" || s != strings.TrimSpace(s) {
				t.Fatalf("sentence %q of %q is empty or untrimmed", s, p)
			}
			joined.WriteString(s)
		}
		noSpace := func(s string) string {
			return strings.Map(func(r rune) rune {
				if unicode.IsSpace(r) {
					return -1
				}
				return r
			}, s)
		}
		if got, want := noSpace(joined.String()), noSpace(p); got != want {
			t.Fatalf("Sentences(%q) joined = %q, want %q (spaces aside)", p, got, want)
		}
	})
}

// FuzzTerms checks that index terms are non-empty, valid UTF-8 and hold no
// space, whatever the text.
func FuzzTerms(f *testing.F) {
	for _, s := range questionSeeds {
		f.Add(s[0] + " " + s[1])
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, term := range Terms(text, nil) {
			if term == "" || !utf8.ValidString(term) || strings.ContainsFunc(term, unicode.IsSpace) {
				t.Fatalf("term %q from %q", term, text)
			}
		}
	})
}
