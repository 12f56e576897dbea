package bot

import (
	"strings"
	"testing"
	"time"
)

func TestParseWindow(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	// Wednesday 16 April 2025, 10:30 in Paris.
	now := time.Date(2025, 4, 16, 10, 30, 0, 0, paris)
	d := func(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, paris) }
	tests := []struct {
		q            string
		since, until time.Time // until exclusive
		label, rest  string
	}{
		{"What happened today?", d(2025, 4, 16), d(2025, 4, 17), "16 April 2025", "What happened ?"},
		{"What happened yesterday in Gaza?", d(2025, 4, 15), d(2025, 4, 17), "15–16 April 2025", "What happened in Gaza?"},
		{"news this morning", d(2025, 4, 16), d(2025, 4, 17), "16 April 2025", "news"},
		{"Who met Putin last week?", d(2025, 4, 7), d(2025, 4, 17), "7–16 April 2025", "Who met Putin ?"},
		{"What did the Fed say this week?", d(2025, 4, 14), d(2025, 4, 17), "14–16 April 2025", "What did the Fed say ?"},
		{"earthquakes since Monday", d(2025, 4, 14), d(2025, 4, 17), "14–16 April 2025", "earthquakes"},
		{"What did Apple release in April?", d(2025, 4, 1), d(2025, 5, 1), "April 2025", "What did Apple release ?"},
		{"elections in December", d(2024, 12, 1), d(2025, 1, 1), "December 2024", "elections"},
		{"What happened on April 16?", d(2025, 4, 16), d(2025, 4, 17), "16 April 2025", "What happened ?"},
		{"the vote on 3 March", d(2025, 3, 3), d(2025, 3, 4), "3 March 2025", "the vote"},
		{"Who won the election in 2024?", d(2024, 1, 1), d(2025, 1, 1), "2024", "Who won the election ?"},
		{"What happened over the weekend?", d(2025, 4, 12), d(2025, 4, 17), "12–16 April 2025", "What happened ?"},
		{"What happened last month?", d(2025, 3, 1), d(2025, 4, 17), "1 March – 16 April 2025", "What happened ?"},
		{"storms in the past 3 days", d(2025, 4, 13), d(2025, 4, 17), "13–16 April 2025", "storms in the"},
		{"What did Trump say on Monday?", d(2025, 4, 14), d(2025, 4, 17), "14–16 April 2025", "What did Trump say ?"},
		{"a quake three days ago", d(2025, 4, 13), d(2025, 4, 17), "13–16 April 2025", "a quake"},
		{"results from 2025-04-01", d(2025, 4, 1), d(2025, 4, 2), "1 April 2025", "results from"},
	}
	for _, tt := range tests {
		w, rest, ok := ParseWindow(tt.q, now)
		if !ok {
			t.Errorf("ParseWindow(%q): no window", tt.q)
			continue
		}
		if !w.Since.Equal(tt.since) || !w.Until.Equal(tt.until) {
			t.Errorf("ParseWindow(%q) = [%v, %v), want [%v, %v)", tt.q, w.Since, w.Until, tt.since, tt.until)
		}
		if got := w.Label(); got != tt.label {
			t.Errorf("ParseWindow(%q).Label() = %q, want %q", tt.q, got, tt.label)
		}
		if rest != tt.rest {
			t.Errorf("ParseWindow(%q) rest = %q, want %q", tt.q, rest, tt.rest)
		}
	}
	// Dates still to come name no publication window.
	for _, q := range []string{"Who may run for president?", "What is the March of Dimes?", "Who is the prime minister?", "Which 2024 model won?",
		"elections in May", "tariffs from 3 May", "who will host the Emmys in September?"} {
		if w, _, ok := ParseWindow(q, now); ok {
			t.Errorf("ParseWindow(%q) = %+v, want no window", q, w)
		}
	}
}

func TestParseWindowAtYearStart(t *testing.T) {
	now := time.Date(2026, 1, 2, 9, 0, 0, 0, time.UTC) // a Friday
	w, _, _ := ParseWindow("what happened last month", now)
	if w.Label() != "1 December 2025 – 2 January 2026" {
		t.Errorf("last month on 2 Jan 2026 = %q", w.Label())
	}
	w, _, _ = ParseWindow("what happened in December", now)
	if w.Label() != "December 2025" {
		t.Errorf("in December on 2 Jan 2026 = %q", w.Label())
	}
	w, _, _ = ParseWindow("news over the weekend", time.Date(2026, 1, 4, 9, 0, 0, 0, time.UTC)) // a Sunday
	if w.Label() != "3–4 January 2026" {
		t.Errorf("over the weekend on a Sunday = %q", w.Label())
	}
}

// Characters whose case forms differ in byte length, invisible and bidi
// controls, combining marks, emoji sequences and invalid UTF-8 around a
// time expression: the window is found and the rest keeps every other
// byte of the question.
func TestParseWindowUnicode(t *testing.T) {
	now := time.Date(2025, 4, 16, 10, 30, 0, 0, time.UTC)
	tests := []struct {
		q, expr, rest string
	}{
		{"Ⱥ yesterday", "yesterday", "Ⱥ"}, // Ⱥ: 2 bytes, ⱥ: 3
		{"ȺȺȺȺ what happened yesterday?", "yesterday", "ȺȺȺȺ what happened ?"},
		{"İstanbul news last week", "last week", "İstanbul news"}, // İ lower-cases to i + combining dot
		{"ẞ STRAẞE news this week", "this week", "ẞ STRAẞE news"},
		{"Ⱦ Ɐ Ɑ today please", "today", "Ⱦ Ɐ Ɑ please"},
		{"what happened \u200byesterday\u200b", "yesterday", "what happened \u200b \u200b"},
		{"\u202ewhat happened\u202c yesterday", "yesterday", "\u202ewhat happened\u202c"},
		{"cafe\u0301 news yesterday", "yesterday", "cafe\u0301 news"},
		{"👩‍👩‍👧 news 🇫🇷 yesterday", "yesterday", "👩‍👩‍👧 news 🇫🇷"},
		{"\xff\xfe news yesterday \xc3", "yesterday", "\xff\xfe news \xc3"},
		{"Was ist YESTERDAY passiert", "YESTERDAY", "Was ist passiert"},
		{"news on \u212Aelvin day yesterday", "yesterday", "news on \u212Aelvin day"},
		{"What happened on April 16?", "on April 16", "What happened ?"},
		{"WHAT HAPPENED ON APRIL 16?", "ON APRIL 16", "WHAT HAPPENED ?"},
	}
	for _, tt := range tests {
		w, rest, ok := ParseWindow(tt.q, now)
		if !ok {
			t.Errorf("ParseWindow(%q): no window", tt.q)
			continue
		}
		if w.Expr != tt.expr || rest != tt.rest {
			t.Errorf("ParseWindow(%q) = expr %q, rest %q; want %q, %q", tt.q, w.Expr, rest, tt.expr, tt.rest)
		}
	}
	// A look-alike that folds to an ASCII letter under (?i) ("ſ" folds to
	// "s") is read as that letter, as the pattern matched it.
	if w, _, ok := ParseWindow("news ſince Monday", now); !ok || w.Since.Day() != 14 {
		t.Errorf(`ParseWindow("news ſince Monday") = %+v, %v; want since Monday 14 April`, w, ok)
	}
}

// FuzzParseWindow checks, for any question, that ParseWindow does not
// panic, that a window's expression is a piece of the question and its
// bounds are ordered, that the rest only holds the question's words, and
// that without a window the question comes back unchanged.
func FuzzParseWindow(f *testing.F) {
	for _, s := range []string{"Ⱥ yesterday", "What happened last week?", "since 16 April", "in 2024",
		"results from 2025-04-01", "past 3 days", "two weeks ago", "on Tuesday", "İ\u0307 this month",
		"\xff yesterday", "ȺȺ on 3 March, 2025", "last   weekend",
		"en avril", "ȺȺ im März 2024", "le 1er février", "3 апреля 2025 года", "с мая", "2025年4月3日", "13月", "4月31日以来"} {
		f.Add(s)
	}
	now := time.Date(2025, 4, 16, 10, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, q string) {
		w, rest, ok := ParseWindow(q, now)
		if !ok {
			if rest != q || !w.IsZero() {
				t.Fatalf("no window, but rest %q (want the question) and window %+v", rest, w)
			}
			return
		}
		if w.Expr == "" || !strings.Contains(q, w.Expr) {
			t.Fatalf("window expression %q is not in the question %q", w.Expr, q)
		}
		if !w.Since.Before(w.Until) {
			t.Fatalf("window %v – %v is empty", w.Since, w.Until)
		}
		if w.Since.After(now) {
			t.Fatalf("window starts %v, after now", w.Since)
		}
		for _, word := range strings.Fields(rest) {
			if !strings.Contains(q, word) {
				t.Fatalf("rest %q has %q, not in the question %q", rest, word, q)
			}
		}
	})
}
