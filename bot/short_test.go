package bot

import (
	"testing"

	"github.com/newsbot/newsbot/knowledge/analysis"
)

func TestSpans(t *testing.T) {
	words := map[string]bool{"who": true, "met": true, "homes": true, "burned": true, "how": true, "many": true}
	if got := nameSpan("Witkoff met last week with Russian President Vladimir Putin.", "putin", words); got != "Vladimir Putin" {
		t.Errorf("nameSpan = %q, want Vladimir Putin", got)
	}
	if got := nameSpan("The estate was bought by Longwood Gardens, officials said.", "longwood", words); got != "Longwood Gardens" {
		t.Errorf("nameSpan = %q, want Longwood Gardens", got)
	}
	if got := nameSpan("It was the Bank of England's decision.", "bank", words); got != "Bank of England" {
		t.Errorf("nameSpan = %q, want Bank of England", got)
	}
	if got := numberSpan("About 1,200 homes burned, officials said.", "1,200", words); got != "1,200 homes" {
		t.Errorf("numberSpan = %q, want 1,200 homes", got)
	}
	if got := numberSpan("The bonus would be $5,000 per baby.", "5,000", words); got != "$5,000" {
		t.Errorf("numberSpan = %q, want $5,000", got)
	}
	if got := dateSpan("When does it open?", "The festival opens on March 3, 2025 with a parade.", "march"); got != "March 3, 2025" {
		t.Errorf("dateSpan = %q, want March 3, 2025", got)
	}
	if got := findFold("Flights to İstanbul and TORONTO resumed.", "toronto"); got != "TORONTO" {
		t.Errorf("findFold = %q, want TORONTO", got)
	}
}

func TestPlausible(t *testing.T) {
	for _, c := range []string{"american", "u.s", "thursday", "2025", "march", "paris"} {
		if plausible(analysis.KindName, c) {
			t.Errorf("%q is a plausible name", c)
		}
	}
	if !plausible(analysis.KindName, "longwood") || !plausible(analysis.KindNumber, "1,200") || plausible(analysis.KindNumber, "feb") {
		t.Error("plausible rejects a good candidate or accepts a month as a number")
	}
}
