package knowledge

import (
	"net/url"
	"strings"
	"testing"
)

func FuzzNormalizeURL(f *testing.F) {
	for _, s := range []string{
		"https://www.example.com/a/b/?utm_source=x&b=2&a=1#frag",
		"http://EXAMPLE.com:8080/Path/?fbclid=1",
		"https://[::1]:80/x?a=%20b",
		"https://www.www.example.com/",
		"https://Ⱥ.example/İ?ẞ=K",
		"http://a.com/%zz",
		"https://amp.example.com/amp/story.amp.html?amp=1&outputType=amp",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c := NormalizeURL(raw)
		if c == "" {
			return
		}
		again := NormalizeURL("https://" + c)
		if again != c {
			t.Fatalf("NormalizeURL(%q) = %q, but NormalizeURL of that = %q", raw, c, again)
		}
		_, query, _ := strings.Cut(c, "?")
		q, err := url.ParseQuery(query)
		if err != nil {
			t.Fatalf("NormalizeURL(%q) = %q: query: %v", raw, c, err)
		}
		for k := range q {
			if isTrackingParam(k) {
				t.Fatalf("NormalizeURL(%q) = %q keeps %q", raw, c, k)
			}
		}
		if strings.ContainsAny(c, "#") {
			t.Fatalf("NormalizeURL(%q) = %q keeps a fragment", raw, c)
		}
	})
}

func TestDisplayURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://apnews.com/article/x?utm_source=tw&utm_medium=social": "https://apnews.com/article/x",
		"https://example.com/a?id=7&fbclid=abc":                        "https://example.com/a?id=7",
		"https://example.com/a?page=2":                                 "https://example.com/a?page=2",
		"https://example.com/a":                                        "https://example.com/a",
		"not a url %zz?utm_x=1":                                        "not a url %zz?utm_x=1",
	} {
		if got := DisplayURL(in); got != want {
			t.Errorf("DisplayURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// DisplayURL of a feed's or page's link: idempotent, no tracking
// parameter left, and a URL without any returned as it is.
func FuzzDisplayURL(f *testing.F) {
	for _, s := range []string{"https://a.example/x?utm_source=t&id=2", "https://a.example/x?fbclid=1", "%zz?utm_a=1", "https://a.example/?a=1&b=2", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		d := DisplayURL(raw)
		if again := DisplayURL(d); again != d {
			t.Fatalf("DisplayURL(%q) = %q, but DisplayURL of that = %q", raw, d, again)
		}
		u, err := url.Parse(strings.TrimSpace(d))
		if err != nil {
			return
		}
		for k := range u.Query() {
			if isTrackingParam(k) {
				t.Fatalf("DisplayURL(%q) = %q keeps %q", raw, d, k)
			}
		}
	})
}
