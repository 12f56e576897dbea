package analysis

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
)

// TestBoilerplateSample scores the classifier on a hand-labelled sample of
// invented news-page paragraphs (testdata/labels/boilerplate.labels, JSON
// Lines; not named .jsonl so that ingesting testdata/ leaves it alone): captions,
// time stamps, bios, prompts, share lines and ads, and story text that
// mentions photos, updates and subscriptions in prose.
func TestBoilerplateSample(t *testing.T) {
	f, err := os.Open("testdata/labels/boilerplate.labels")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var tp, fp, fn, tn int
	perKind := map[string][2]int{} // kind -> found, total
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l struct{ Text, Kind string }
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		got := BoilerplateKind(l.Text)
		switch {
		case l.Kind != "none" && got != "":
			tp++
		case l.Kind != "none":
			fn++
			t.Logf("missed %s: %q", l.Kind, l.Text)
		case got != "":
			fp++
			t.Logf("false %s: %q", got, l.Text)
		default:
			tn++
		}
		if l.Kind != "none" {
			k := perKind[l.Kind]
			k[1]++
			if got != "" {
				k[0]++
			}
			perKind[l.Kind] = k
		}
	}
	precision, recall := float64(tp)/float64(tp+fp), float64(tp)/float64(tp+fn)
	t.Logf("precision %.3f recall %.3f (%d boilerplate, %d story paragraphs); per kind %v", precision, recall, tp+fn, tn+fp, perKind)
	if precision < 0.95 || recall < 0.7 {
		t.Errorf("precision %.3f recall %.3f; want at least 0.95 and 0.7", precision, recall)
	}
}

func TestStripLabel(t *testing.T) {
	for in, want := range map[string]string{
		"AI-assisted summary: The council voted 7-2.":                               "The council voted 7-2.",
		"AI-generated summary — Rates held.":                                        "Rates held.",
		"The AI-assisted summary was wrong.":                                        "The AI-assisted summary was wrong.",
		"AI summary:":                                                               "AI summary:",
		"7:55 pm ET May 2, 2026 Share this update Watch the race again.":            "Watch the race again.",
		"10:49 PM ET Sept. 7, 2026 Captain speaks.":                                 "Captain speaks.",
		"2:18 am Share this update Scotland wins.":                                  "Scotland wins.",
		"10:15 a.m.: The president arrived.":                                        "10:15 a.m.: The president arrived.",
		"9:30 am ET Monday, the market opened.":                                     "9:30 am ET Monday, the market opened.",
		"7:55 pm ET May 2, 2026 Share this update":                                  "7:55 pm ET May 2, 2026 Share this update",
		"7:55 pm ET May 2, 2026 Share this update AI-assisted summary: Rates held.": "Rates held.",
	} {
		if got := StripLabel(in); got != want {
			t.Errorf("StripLabel(%q) = %q, want %q", in, got, want)
		}
	}
}
