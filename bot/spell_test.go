package bot

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsbot/newsbot/knowledge/analysis"
)

// fakeTerms is a TermCounter over the terms of a few words, each in as
// many paragraphs as given.
type fakeTerms struct {
	dfs   map[string]int
	docs  int
	err   error
	calls int
}

func newFakeTerms(words map[string]int) *fakeTerms {
	f := &fakeTerms{dfs: map[string]int{}}
	for w, n := range words {
		for _, t := range analysis.Terms(w, nil) {
			f.dfs[t] += n
		}
	}
	return f
}

func (f *fakeTerms) DocCount(context.Context) (int, error) { return f.docs, f.err }

func (f *fakeTerms) DocFreqs(_ context.Context, terms []string) (map[string]int, error) {
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	out := map[string]int{}
	for _, t := range terms {
		if n := f.dfs[t]; n > 0 {
			out[t] = n
		}
	}
	return out, nil
}

func TestCorrectSpelling(t *testing.T) {
	store := newFakeTerms(map[string]int{
		"talks": 40, "Paris": 30, "Witkoff": 12, "met": 20, "Putin": 25, "trailers": 9, "Zelensky": 8,
		"said": 50, "take": 5, "recanted": 3, "banks": 30, "travel": 9, "negotiations": 14, "перемирие": 4, "evacuated": 6, "bricks": 5,
	})
	tests := []struct {
		in, want string
		said     []string // the corrections noteSpelling names, "from>to"
	}{
		{"whre are the tlaks?", "where are the talks?", []string{"tlaks>talks"}},
		{"Waht did Witkof say?", "What did Witkoff say?", nil}, // a letter left out of a name: quiet
		{"who met Ptuin", "who met Putin", []string{"Ptuin>Putin"}},
		{"where are the tallks", "where are the talks", []string{"tallks>talks"}},
		{"Is Zelenksy in Paris?", "Is Zelensky in Paris?", []string{"Zelenksy>Zelensky"}},
		{"Talks in Paris. Wehre are they?", "Talks in Paris. Where are they?", nil}, // a sentence's first word is no name
		{"Who is taknig part?", "Who is taking part?", []string{"taknig>taking"}},
		{"negotiatoins in PARIS", "negotiations in PARIS", nil}, // "negoti" starts "negotiatoin": quiet
		{"when will they travle", "when will they travel", []string{"travle>travel"}},
		{"Где пеермирие?", "Где перемирие?", []string{"пеермирие>перемирие"}},
		// Spelled right, only new to the store: left as typed.
		{"How long may trawlers fish?", "How long may trawlers fish?", nil},                             // not "trailers": w and i are no neighbours
		{"Which country won at the Decanter awards?", "Which country won at the Decanter awards?", nil}, // not "Recanted": the first letter stays
		{"What did Behn say?", "What did Behn say?", nil},                                               // a name is no stop word ("been")
		{"Who is Banksy?", "Who is Banksy?", nil},                                                       // "Banks" is another stem
		{"Which wireless carrier failed?", "Which wireless carrier failed?", nil},
		{"who met putn", "who met putn", nil}, // four letters: too many neighbours
		{"wehn, in Paris?", "when, in Paris?", nil},
		{"who won?", "who won?", nil},                                       // three letters: left alone
		{"What did BRICS leaders say?", "What did BRICS leaders say?", nil}, // an acronym, not "bricks"
		{"巴黎会谈在哪里", "巴黎会谈在哪里", nil},
		{"what about 2025?", "what about 2025?", nil},
	}
	for _, tt := range tests {
		got, fixes := correctSpelling(context.Background(), store, tt.in)
		var said []string
		for _, f := range fixes {
			if !f.Quiet {
				said = append(said, f.From+">"+f.To)
			}
			if !strings.Contains(tt.in, f.From) || !strings.Contains(got, f.To) {
				t.Errorf("%q: fix %+v is not a word of the question and of its correction %q", tt.in, f, got)
			}
		}
		if got != tt.want || !slices.Equal(said, tt.said) {
			t.Errorf("correctSpelling(%q) = %q, said %q; want %q, said %q", tt.in, got, said, tt.want, tt.said)
		}
	}
}

// Without a store to ask, or when it fails, the question is searched as
// typed; a question whose words the store all knows costs one lookup.
func TestCorrectSpellingFallsBack(t *testing.T) {
	q := "whre are the tlaks?"
	if got, fixes := correctSpelling(context.Background(), nil, q); got != q || fixes != nil {
		t.Errorf("nil TermCounter: %q, %v", got, fixes)
	}
	failing := newFakeTerms(map[string]int{"talks": 3})
	failing.err = errors.New("store down")
	if got, fixes := correctSpelling(context.Background(), failing, q); got != q || fixes != nil {
		t.Errorf("failing store: %q, %v", got, fixes)
	}
	known := newFakeTerms(map[string]int{"talks": 3, "Paris": 2})
	if got, _ := correctSpelling(context.Background(), known, "where are the talks in Paris?"); got != "where are the talks in Paris?" || known.calls != 1 {
		t.Errorf("known words: %q after %d lookups, want unchanged after 1", got, known.calls)
	}
}

func TestSlips(t *testing.T) {
	for _, tt := range []struct {
		a, b rune
		want bool
	}{
		{'q', 'w', true}, {'a', 'q', true}, {'a', 'w', true}, {'z', 's', true}, {'m', 'k', true}, {'e', 'é', true},
		{'ü', 'u', true}, {'q', 'p', false}, {'a', 'e', false}, {'w', 'i', false}, {'é', 'è', true}, {'y', 'o', false},
	} {
		if got := slipOf(tt.a, tt.b); got != tt.want || slipOf(tt.b, tt.a) != tt.want {
			t.Errorf("slipOf(%q, %q) = %v, want %v both ways", tt.a, tt.b, got, tt.want)
		}
	}
	for _, tt := range []struct {
		word, term, typed, typedTerm string
		want                         bool
	}{
		{"talks", "talk", "tlaks", "tlak", true}, {"zelensky", "zelenski", "zelenksy", "zelenksi", true},
		{"brücke", "bruck", "brükce", "brukc", true}, {"witkoff", "witkoff", "witkof", "witkof", true},
		{"evacueds", "evacu", "evacuees", "evacue", false}, {"banks", "bank", "banksy", "banksi", false},
		{"streiketen", "streik", "streikten", "streikt", false},
	} {
		if got := sameEnding(tt.word, tt.term, tt.typed, tt.typedTerm); got != tt.want {
			t.Errorf("sameEnding(%q, %q, %q, %q) = %v, want %v", tt.word, tt.term, tt.typed, tt.typedTerm, got, tt.want)
		}
	}
	for _, tt := range []struct {
		word, term string
		want       bool
	}{
		{"negotiations", "negoti", true}, {"taking", "take", true}, {"cities", "citi", true}, {"running", "run", true}, {"happy", "happi", true},
		{"talks", "talk", true}, {"witkoff", "witkoff", true}, {"trawleds", "trawl", false}, {"banksy", "bank", false},
	} {
		if got := inflects(tt.word, tt.term); got != tt.want {
			t.Errorf("inflects(%q, %q) = %v, want %v", tt.word, tt.term, got, tt.want)
		}
	}
	vs := edits1("tlaks", true, 5)
	for _, want := range []string{"talks", "tlakss", "tlaka"} {
		if !slices.Contains(vs, want) {
			t.Errorf("edits1(tlaks) lacks %q", want)
		}
	}
	for _, not := range []string{"tlaks", "rlaks", "laks", "tlaki", "tlak"} { // no stray "s" after "k"
		if slices.Contains(vs, not) {
			t.Errorf("edits1(tlaks) holds %q", not)
		}
	}
	if vs := edits1("meeeting", true, 8); !slices.Contains(vs, "meeting") || !slices.Contains(edits1("talkls", true, 6), "talks") {
		t.Error("edits1: a doubled letter or a stray key next to its neighbour's not deleted")
	}
	if vs := edits1("evacuees", true, 6); slices.Contains(vs, "evacuers") || !slices.Contains(vs, "evaceues") {
		t.Error("edits1: a slip past the stem, or none within it")
	}
	if !slices.IsSorted(vs) {
		t.Error("edits1 not in byte order")
	}
	if vs := edits1("decanter", false, 8); slices.Contains(vs, "devanter") || !slices.Contains(vs, "decnater") {
		t.Error("edits1 without replacements: a neighbour's key replaced, or no swap")
	}
}

// FuzzCorrectSpelling: any question, against a store of a few words,
// comes back valid, at most a letter longer per correction, its
// corrections words of the question, and unchanged when nothing is
// corrected.
func FuzzCorrectSpelling(f *testing.F) {
	for _, s := range []string{"whre are the tlaks?", "Waht did Witkof say?", "Где перемирее?", "巴黎会谈", "ÉTÉ été", "a'b'c'' ’x", "\xff\xfe", "ǅungla Ǆ", "İstanbul", "straße STRASSE"} {
		f.Add(s)
	}
	store := newFakeTerms(map[string]int{"talks": 40, "Witkoff": 12, "перемирие": 4, "evacuated": 6, "bricks": 5, "istanbul": 3, "été": 5, "strasse": 2})
	f.Fuzz(func(t *testing.T, q string) {
		got, fixes := correctSpelling(context.Background(), store, q)
		if len(fixes) == 0 {
			if got != q {
				t.Fatalf("no fixes, but %q became %q", q, got)
			}
			return
		}
		if !utf8.ValidString(got) && utf8.ValidString(q) {
			t.Fatalf("%q became invalid %q", q, got)
		}
		if len(fixes) > maxSpellWords {
			t.Fatalf("%d corrections", len(fixes))
		}
		if n, m := utf8.RuneCountInString(got), utf8.RuneCountInString(q); n > m+len(fixes) {
			t.Fatalf("%q (%d runes) became %q (%d)", q, m, got, n)
		}
		for _, fx := range fixes {
			if !strings.Contains(q, fx.From) {
				t.Fatalf("fix %+v: not in %q", fx, q)
			}
		}
	})
}
