package bot

import (
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
