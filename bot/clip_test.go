package bot

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClip(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"exactly ten", 11, "exactly ten"},
		{"the quick brown fox jumps", 12, "the quick…"},
		{"the quick, brown fox", 12, "the quick…"},
		{strings.Repeat("x", 20), 8, "xxxxxxx…"},
		{"Ⱥ Ⱥ Ⱥ Ⱥ Ⱥ Ⱥ", 6, "Ⱥ Ⱥ…"},
		{"👩‍👩‍👧 family news today", 14, "👩‍👩‍👧 family…"},
	}
	for _, tt := range tests {
		if got := clip(tt.in, tt.max); got != tt.want {
			t.Errorf("clip(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func FuzzClip(f *testing.F) {
	f.Add("the quick brown fox jumps over the lazy dog", 12)
	f.Add("\xff\xfe bad bytes here", 5)
	f.Add(strings.Repeat("Ⱥ", 50), 7)
	f.Fuzz(func(t *testing.T, s string, max int) {
		max = max%1000 + 2
		if max < 2 {
			max += 1000
		}
		got := clip(s, max)
		if n := utf8.RuneCountInString(got); n > max && got != s {
			t.Fatalf("clip(%q, %d) = %q: %d runes", s, max, got, n)
		}
		if got != s && !strings.HasPrefix(s, strings.TrimSuffix(got, "…")) {
			t.Fatalf("clip(%q, %d) = %q: not a prefix of the input", s, max, got)
		}
		if utf8.RuneCountInString(s) <= max && got != s {
			t.Fatalf("clip(%q, %d) = %q: changed a short text", s, max, got)
		}
	})
}
