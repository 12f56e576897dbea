package bot

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzClaimsIn reads counts, amounts, dates and names from any sentence
// (article text is untrusted): no panic; every claim has a kind, what it
// is of (noun, verb, about) and the sentence's own words it was read from;
// a count's or an amount's value is at least zero and its text says what
// is counted; a date's is a real day of a month or a weekday.
func FuzzClaimsIn(f *testing.F) {
	for _, s := range []string{"The Alder Creek fire has destroyed 1,200 homes, Fire Chief Ramon Ortiz said.",
		"About 900 homes were destroyed, according to the county.", "It killed at least 12 people in 2024.",
		"The fire burned 14,000 acres", "1,2,3 4.5.6 homes destroyed", "In 1999 flats burned", "\xff 12 \xfe homes destroyed", "",
		"The authority fined Northwind Airlines $2.5 million, a fine of €40m; a $3bn deal and 2.5 billion dollars spent.",
		"The outage began on Monday; the fire broke out on June 31 and crews arrived on 3 June.",
		"Investigators blamed Corvid Systems for the outage, and Helen Marsh won the vote.", "blamed The for the x", "$ 9,999,999bn fine"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range claimsIn(s) {
			if c.kind == "" || c.noun == "" || c.verb == "" || c.about == "" || c.sentence != s || c.raw == "" || !strings.Contains(s, c.raw) {
				t.Fatalf("claimsIn(%q): bad claim %+v", s, c)
			}
			if utf8.ValidString(s) && !utf8.ValidString(c.text) {
				t.Fatalf("claimsIn(%q): %q is not valid UTF-8", s, c.text)
			}
			switch c.kind {
			case kindCount:
				if c.value < 0 || !strings.HasSuffix(strings.SplitN(c.text, ",", 2)[0], c.about) && !strings.Contains(c.text, c.about) {
					t.Fatalf("claimsIn(%q): %q does not say %q", s, c.text, c.about)
				}
			case kindAmount:
				if c.value < 0 || c.val == "" || !strings.Contains(s, strings.SplitN(c.text, ", ", 2)[0]) {
					t.Fatalf("claimsIn(%q): bad amount %+v", s, c)
				}
			case kindDate:
				if c.weekday < 0 || c.weekday > 7 || c.weekday == 0 && (c.month < 1 || c.month > 12 || c.day < 1 || c.day > 31) {
					t.Fatalf("claimsIn(%q): bad date %+v", s, c)
				}
				pub := time.Date(2025, 6, 5, 0, 0, 0, 0, time.UTC)
				if resolveDate(&c, pub) {
					d, err := time.Parse("2006-01-02", c.val)
					if err != nil || c.weekday > 0 && (d.After(pub) || pub.Sub(d) > 6*24*time.Hour) {
						t.Fatalf("claimsIn(%q): %+v resolves to %q", s, c, c.val)
					}
				}
			case kindName:
				if c.val == "" || !strings.Contains(s, c.text) {
					t.Fatalf("claimsIn(%q): bad name %+v", s, c)
				}
			default:
				t.Fatalf("claimsIn(%q): kind %q", s, c.kind)
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
