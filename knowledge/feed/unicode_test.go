package feed_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsbot/newsbot/knowledge/feed"
	"github.com/newsbot/newsbot/knowledge/parse"
)

func TestIsURLCaseForms(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"https://example.com/feed", true},
		{"HTTP://EXAMPLE.COM", true},
		{"hTtPs://x", true},
		{"httpſ://x", false},      // long s: folds to s, but is no scheme
		{"\u212attp://x", false},  // Kelvin sign
		{"Ⱥhttp://x", false},      // a case form of another length first
		{"İhttps://x", false},     //
		{"http:/x", false},        //
		{"\xffhttp://x", false},   // invalid UTF-8
		{"\u200bhttp://x", false}, // zero-width space first
		{"./http://x", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := feed.IsURL(tt.in); got != tt.want {
			t.Errorf("IsURL(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestDeAMPCaseFormsAndNesting(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://AMP.example.com/story", "https://www.example.com/story"},
		{"https://Amp.example.com/story", "https://www.example.com/story"},
		{"https://ⱥmp.example.com/story", "https://ⱥmp.example.com/story"},
		{"https://\u212amp.example.com/story", "https://\u212amp.example.com/story"},
		{"https://example.com/amp/amp/story", "https://example.com/story"},
		{"https://www.google.com/amp/s/amp.example.com/story/amp", "https://www.example.com/story"},
		{"https://example.com/Ⱥ/story.amp.html?amp=1", "https://example.com/%C8%BA/story.html"},
	}
	for _, tt := range tests {
		got := feed.DeAMP(tt.in)
		if got != tt.want {
			t.Errorf("DeAMP(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if again := feed.DeAMP(got); again != got {
			t.Errorf("DeAMP(%q) = %q, not a fixed point (then %q)", tt.in, got, again)
		}
	}
}

func TestLongFeedAndPageParagraphsSplit(t *testing.T) {
	long := strings.TrimSpace(strings.Repeat("ẞtreet Ⱥ tokens without end ", 8000))
	check := func(what string, paras []string) {
		t.Helper()
		if len(paras) < utf8.RuneCountInString(long)/parse.MaxParagraphRunes {
			t.Errorf("%s: %d paragraphs, want the long one split", what, len(paras))
		}
		for i, p := range paras {
			if n := utf8.RuneCountInString(p); p == "" || n > parse.MaxParagraphRunes {
				t.Fatalf("%s: paragraph %d has %d runes", what, i+1, n)
			}
		}
	}
	check("html summary", feed.HTMLParagraphs("<p>"+long+"</p><p>After.</p>"))
	check("text summary", feed.HTMLParagraphs(long))
	page, err := feed.ExtractPage([]byte("<html><head><title>T</title></head><body><article><h1>T</h1><p>"+long+"</p></article></body></html>"), "text/html", "https://news.example/a")
	if err != nil {
		t.Fatal(err)
	}
	check("page", page.Article.Paragraphs)
}
