package bot

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzClaimsIn reads counts from any sentence (article text is untrusted):
// no panic; every claim has a noun, a verb, a value of at least zero and a
// text that starts with the sentence's own words and says what is counted.
func FuzzClaimsIn(f *testing.F) {
	for _, s := range []string{"The Alder Creek fire has destroyed 1,200 homes, Fire Chief Ramon Ortiz said.",
		"About 900 homes were destroyed, according to the county.", "It killed at least 12 people in 2024.",
		"The fire burned 14,000 acres", "1,2,3 4.5.6 homes destroyed", "In 1999 flats burned", "\xff 12 \xfe homes destroyed", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range claimsIn(s) {
			if c.noun == "" || c.verb == "" || c.value < 0 || c.about == "" || c.sentence != s {
				t.Fatalf("claimsIn(%q): bad claim %+v", s, c)
			}
			if !strings.HasSuffix(strings.SplitN(c.text, ",", 2)[0], c.about) && !strings.Contains(c.text, c.about) {
				t.Fatalf("claimsIn(%q): %q does not say %q", s, c.text, c.about)
			}
			if utf8.ValidString(s) && !utf8.ValidString(c.text) {
				t.Fatalf("claimsIn(%q): %q is not valid UTF-8", s, c.text)
			}
		}
	})
}

// FuzzTimelineQuestion reads any question: no panic, and a subject it
// finds is the question's own words.
func FuzzTimelineQuestion(f *testing.F) {
	for _, s := range []string{"timeline of the Alder Creek fire", "How did the strike unfold?", "what has happened with Ukraine since June 4?",
		"how did ?", "timeline of", "What has happened to    ??", "\u202etimeline of x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		subject, ok := timelineQuestion(s)
		if ok && (subject == "" || !strings.Contains(s, subject)) {
			t.Fatalf("timelineQuestion(%q) = %q, not its own words", s, subject)
		}
	})
}

// FuzzDateline strips a lead's dateline: only from its start, never
// everything but the dateline's own words.
func FuzzDateline(f *testing.F) {
	for _, s := range []string{"FORESTHILL, Calif. (AP) — A wildfire broke out.", "ROTTERDAM (Reuters) - Dockworkers walked out.", "(AP) —", "No dateline here."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := reDateline.ReplaceAllString(s, "")
		if !strings.HasSuffix(s, out) {
			t.Fatalf("dateline of %q: %q is not the end of the lead", s, out)
		}
	})
}
