package bot

import (
	"testing"
	"time"
)

// What the extractors read from a sentence, and what they leave alone.
func TestClaimsInKinds(t *testing.T) {
	for _, c := range []struct {
		s, kind, about, val string // val "" when no claim of kind
	}{
		{"Regulators fined Northwind Airlines $2.5 million over the outage.", kindAmount, "the amount fined", "USD 2.5e+06"},
		{"The council approved a budget of 42 million dollars.", kindAmount, "the budget", "USD 4.2e+07"},
		{"It signed a €40m deal with the club.", kindAmount, "the deal", "EUR 4e+07"},
		{"The charges carry a maximum penalty of six years and a $350,000 fine.", kindAmount, "", ""},
		{"Winners can choose a lump sum of $410.3 million.", kindAmount, "", ""},
		{"Gas costs consumers roughly $105 a month.", kindAmount, "", ""},
		{"The developer must pay $2.3 million in fees.", kindAmount, "", ""}, // "pay": any sum
		{"The outage began on Monday, officials said.", kindDate, "when the outage began", "2025-06-02"},
		{"The fire broke out on June 3 near the town.", kindDate, "when the fire broke out", "2025-06-03"},
		{"Ortiz said on Thursday that crews were tired.", kindDate, "", ""}, // when it was said
		{"He was arrested on Monday.", kindDate, "", ""},                    // whose arrest?
		{"Investigators blamed Corvid Systems for the outage.", kindName, "who was blamed for the outage", "corvid systems"},
		{"On Sunday Helen Marsh won the vote.", kindName, "who won the vote", "helen marsh"},
		{"The Buckeyes won their first national title.", kindName, "", ""},
		{"He won the race.", kindName, "", ""},
	} {
		var got *claim
		for _, cl := range claimsIn(c.s) {
			if cl.kind == c.kind {
				cl := cl
				if cl.kind == kindDate && !resolveDate(&cl, time.Date(2025, 6, 4, 12, 0, 0, 0, time.UTC)) {
					continue
				}
				got = &cl
			}
		}
		switch {
		case c.val == "" && got != nil:
			t.Errorf("%q: %s %+v, want none", c.s, c.kind, *got)
		case c.val != "" && (got == nil || got.about != c.about || got.val != c.val):
			t.Errorf("%q: %s %+v, want about %q, value %q", c.s, c.kind, got, c.about, c.val)
		}
	}
}

// Values differ only when they cannot both be true.
func TestSameValue(t *testing.T) {
	v := func(kind, qual string, x float64, val string) claim {
		return claim{kind: kind, qual: qual, value: x, val: val}
	}
	for _, c := range []struct {
		a, b claim
		same bool
	}{
		{v(kindCount, "", 1200, "1200"), v(kindCount, "about", 900, "900"), false},
		{v(kindCount, "", 950, "950"), v(kindCount, "about", 900, "900"), true},
		{v(kindAmount, "", 945e6, "USD 9.45e+08"), v(kindAmount, "more than", 400e6, "USD 4e+08"), true},
		{v(kindAmount, "", 2.5e6, "USD 2.5e+06"), v(kindAmount, "", 4e6, "USD 4e+06"), false},
		{v(kindName, "", 0, "ramon ortiz"), v(kindName, "", 0, "ortiz"), true},
		{v(kindName, "", 0, "corvid systems"), v(kindName, "", 0, "tellus data"), false},
		{v(kindDate, "", 0, "2025-06-01"), v(kindDate, "", 0, "2025-06-02"), false},
	} {
		if got := sameValue(c.a, c.b); got != c.same || sameValue(c.b, c.a) != c.same {
			t.Errorf("sameValue(%+v, %+v) = %v, want %v", c.a, c.b, got, c.same)
		}
	}
}
