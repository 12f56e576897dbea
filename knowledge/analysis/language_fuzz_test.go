package analysis

import (
	"testing"
	"unicode/utf8"
)

func FuzzTermsInLanguage(f *testing.F) {
	f.Add("Combien coûtera le tramway ?")
	f.Add("中 NASA宇航员返回地面")
	f.Add("Сколько стоил мост?")
	f.Add("ｶﾀｶﾅ\xff漢")
	f.Fuzz(func(t *testing.T, s string) {
		_ = Language(s)
		for _, term := range Terms(s, nil) {
			if term == "" || utf8.ValidString(s) && !utf8.ValidString(term) {
				t.Fatalf("Terms(%q) holds %q", s, term)
			}
		}
	})
}
