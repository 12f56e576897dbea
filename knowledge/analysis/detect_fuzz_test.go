package analysis

import (
	"slices"
	"testing"
)

// Detect reads strangers' questions: on any text it names one of the
// languages it knows, and where the script decides,
// it agrees with Language, which the analyser uses.
func FuzzDetect(f *testing.F) {
	for _, s := range []string{"", "What's new?", "Qui a gagné hier ?", "¿Quién ganó ayer?", "Wer hat gestern gewonnen?",
		"昨天谁赢了？", "昨日は誰が勝った？", "Кто победил вчера?", "어제 누가 이겼어?", "l'année d’euros", "\xff\xfe", "👩‍👩‍👧 news"} {
		f.Add(s)
	}
	known := []string{"en", "fr", "de", "es", "pt", "it", "ru", "zh", "ja", "ko"}
	f.Fuzz(func(t *testing.T, text string) {
		lang, sure := Detect(text)
		if !slices.Contains(known, lang) {
			t.Fatalf("Detect(%q) = %q, not a language it knows", text, lang)
		}
		if script, ok := scriptLanguage(text); ok && (lang != script || !sure || Language(text) != script) {
			t.Fatalf("Detect(%q) = %q %v, Language = %q; the script says %q", text, lang, sure, Language(text), script)
		}
	})
}
