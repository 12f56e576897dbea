package parse

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsbot/newsbot/knowledge"
)

// The characters of the class of bugs where positions found in a
// transformed string (lower-cased, folded) are applied to the original:
// their case forms differ in byte length.
const (
	capAWithStroke = "Ⱥ"      // U+023A, 2 bytes; lower case ⱥ is 3
	capIWithDot    = "İ"      // U+0130, 2 bytes; lower case i is 1 (or i̇, 3)
	capSharpS      = "ẞ"      // U+1E9E, 3 bytes; lower case ß is 2
	kelvin         = "\u212a" // 3 bytes; lower case k is 1
)

func TestCleanUnicode(t *testing.T) {
	a := &knowledge.Article{
		Title: "  " + capAWithStroke + " \u202eevil\u202c title \xff ",
		Paragraphs: []string{
			"Zero\u200bwidth and \u2066isolated\u2069 text",
			"Combining e\u0301 and 👩\u200d👩\u200d👧 family " + capIWithDot + capSharpS + kelvin,
			"\u202a\u202b\u202d",
		},
		URL: "https://WWW." + capAWithStroke + "bc.example/" + capIWithDot + "?utm_source=x",
	}
	if _, err := Clean(a); err != nil {
		t.Fatal(err)
	}
	if want := capAWithStroke + " evil title \uFFFD"; a.Title != want {
		t.Errorf("title = %q, want %q (bidi controls dropped, invalid byte replaced)", a.Title, want)
	}
	want := []string{
		"Zero\u200bwidth and isolated text",
		"Combining e\u0301 and 👩\u200d👩\u200d👧 family " + capIWithDot + capSharpS + kelvin,
	}
	if len(a.Paragraphs) != 2 || a.Paragraphs[0] != want[0] || a.Paragraphs[1] != want[1] {
		t.Errorf("paragraphs = %q, want %q (zero-width, combining and emoji kept; bidi-only paragraph dropped)", a.Paragraphs, want)
	}
}

func TestParseTextCaseFormsOfOtherLengths(t *testing.T) {
	for _, s := range []string{capAWithStroke, capIWithDot, capSharpS, kelvin, "\xff", "e\u0301", "👩\u200d👩\u200d👧"} {
		text := "DATE 2025-04-16 " + s + " talks resume VIEW PHOTO\n\n" +
			"WASHINGTON (AP) — " + s + " said more.\n\nBY " + strings.ToUpper(s) + "ERIC LEE\n"
		a, err := ParseText(text)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if a.Title != s+" talks resume" || a.Published.IsZero() || a.Source != "AP" {
			t.Errorf("%q: title %q, published %v, source %q", s, a.Title, a.Published, a.Source)
		}
		// The byline is recognised when it starts with a capital letter;
		// otherwise it stays a paragraph.
		if len(a.Paragraphs) == 0 || len(a.Paragraphs) > 2 || StripDateline(a.Paragraphs[0]) != s+" said more." {
			t.Errorf("%q: paragraphs %q", s, a.Paragraphs)
		}
		if !utf8.ValidString(a.Byline) && utf8.ValidString(s) {
			t.Errorf("%q: byline %q is not valid UTF-8", s, a.Byline)
		}
	}
	// An upper-case byline with a Kelvin sign: names cased rune by rune.
	a, err := ParseText("T\n\nText.\n\nBY " + kelvin + "ARL " + capIWithDot + "NCE")
	if err != nil {
		t.Fatal(err)
	}
	if a.Byline != "Karl Ince" && a.Byline != "Karl İnce" {
		t.Errorf("byline = %q, want Karl Ince", a.Byline)
	}
}

func TestHeadlineCaseForms(t *testing.T) {
	p := strings.Repeat(capAWithStroke+capSharpS+" ", 60)
	h := headline(p)
	if !utf8.ValidString(h) || !strings.HasSuffix(h, "…") || utf8.RuneCountInString(h) > 101 {
		t.Errorf("headline = %q", h)
	}
}

func TestNormalizeURLCaseForms(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://WWW." + capAWithStroke + ".example/A?utm_medium=x&b=1", "ⱥ.example/A?b=1"},
		{"https://" + kelvin + ".example/x/", "k.example/x"},
		{"https://www.www.example.com/a", "example.com/a"},
		{"http://[::1]:8080/a", "[::1]/a"},
		{"http://www./a", ""},
		{"//::", ""},
		{"https://example.com/%E2%84%AA?" + capSharpS + "=" + kelvin, "example.com/%E2%84%AA?%E1%BA%9E=%E2%84%AA"},
	}
	for _, tt := range tests {
		got := knowledge.NormalizeURL(tt.in)
		if got != tt.want {
			t.Errorf("NormalizeURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got != "" && knowledge.NormalizeURL("https://"+got) != got {
			t.Errorf("NormalizeURL(%q) = %q is not a fixed point", tt.in, got)
		}
	}
}
