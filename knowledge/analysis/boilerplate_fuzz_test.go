package analysis

import (
	"strings"
	"testing"
)

func FuzzBoilerplate(f *testing.F) {
	for _, s := range []string{"Kevin Frayer/Getty Images", "Updated July 8, 2026, 7:02 a.m.", "AI-assisted summary: x", "Subscribers pay $14.99.", "• Photo: Bloomberg", "Il y a 3 heures"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		kind := BoilerplateKind(p)
		if len([]rune(strings.TrimSpace(p))) > 300 && kind != "" {
			t.Fatalf("a paragraph of %d characters classed %q", len([]rune(p)), kind)
		}
		if s := StripLabel(p); !strings.HasSuffix(p, s) || s == "" && p != "" {
			t.Fatalf("StripLabel(%q) = %q: not a non-empty suffix", p, s)
		}
	})
}
