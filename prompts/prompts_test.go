package prompts

import (
	"errors"
	"os"
	"path"
	"path/filepath"
	"slices"
	"testing"
	"text/template"
	"time"
)

func TestLoadOverride(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notfound.tmpl"), []byte("nothing about {{.Question}}"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Render("notfound.tmpl", map[string]any{"Question": "Mars"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "nothing about Mars"; got != want {
		t.Errorf("overridden template = %q, want %q", got, want)
	}
	// The templates not overridden are still the embedded ones.
	if _, err := s.Render("answer.tmpl", map[string]any{}); err != nil {
		t.Errorf("answer.tmpl after override: %v", err)
	}
}

func TestLoadErrors(t *testing.T) {
	if _, err := Load(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("Load(missing dir): got nil error")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "answer.tmpl"), []byte("{{.Broken"), 0o644)
	if _, err := Load(dir); err == nil {
		t.Error("Load(dir with broken template): got nil error")
	}
	if _, err := Default().Render("nope.tmpl", nil); !errors.Is(err, ErrNoTemplate) {
		t.Errorf("Render(nope.tmpl) error = %v, want ErrNoTemplate", err)
	}
}

// The answer templates each language translates; the LLM prompts
// (system, ask, rewrite) are English for every language and ask the model
// for the question's language.
var translated = []string{"answer.tmpl", "notfound.tmpl", "stale.tmpl", "meta.tmpl", "words.tmpl"}

// Every bundled language has its own version of every translated template
// and defines every word, and each parses on its own.
func TestLanguagesComplete(t *testing.T) {
	want := []string{"de", "en", "es", "fr", "it", "ja", "pt", "ru", "zh"}
	if got := Default().Languages(); !slices.Equal(got, want) {
		t.Errorf("Languages() = %q, want %q", got, want)
	}
	for _, code := range want {
		dir := code
		if code == "en" {
			dir = "."
		}
		defined := map[string]bool{}
		for _, name := range translated {
			data, err := embedded.ReadFile(path.Join(dir, name))
			if err != nil {
				t.Errorf("%s: %v", code, err)
				continue
			}
			tmpl, err := template.New(name).Funcs(Funcs).Parse(string(data))
			if err != nil {
				t.Errorf("%s: %s: %v", code, name, err)
				continue
			}
			for _, d := range tmpl.Templates() {
				defined[d.Name()] = true
			}
		}
		for _, key := range Words {
			if !defined[key] {
				t.Errorf("%s/words.tmpl does not define %q", code, key)
			}
			data := any(time.Time{})
			if key == "read-as" {
				data = []struct{ From, To string }{{"Zelenski", "Zelensky"}}
			}
			if w, err := Default().Lang(code).Word(key, data); err != nil || w == "" && key != "thousands" {
				t.Errorf("%s: Word(%q) = %q, %v", code, key, w, err)
			}
		}
	}
}

func TestLanguageFormats(t *testing.T) {
	day := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		lang, date, long, month, undated, number string
	}{
		{"en", "2 Dec 2026", "2 December 2026", "December 2026", "date unknown, first seen 2 Dec 2026", "12,345"},
		{"fr", "2 déc. 2026", "2 décembre 2026", "décembre 2026", "date inconnue, vu pour la première fois le 2 déc. 2026", "12\u202f345"},
		{"de", "2. Dez. 2026", "2. Dezember 2026", "Dezember 2026", "Datum unbekannt, zuerst gesehen am 2. Dez. 2026", "12.345"},
		{"es", "2 dic. 2026", "2 de diciembre de 2026", "diciembre de 2026", "fecha desconocida, visto por primera vez el 2 dic. 2026", "12.345"},
		{"pt", "2 dez. 2026", "2 de dezembro de 2026", "dezembro de 2026", "data desconhecida, visto pela primeira vez em 2 dez. 2026", "12.345"},
		{"it", "2 dic 2026", "2 dicembre 2026", "dicembre 2026", "data sconosciuta, visto per la prima volta il 2 dic 2026", "12.345"},
		{"ru", "2 дек. 2026", "2 декабря 2026 г.", "12.2026", "дата неизвестна, впервые замечено 2 дек. 2026", "12\u00a0345"},
		{"zh", "2026年12月2日", "2026年12月2日", "2026年12月", "日期不详，首次收录于2026年12月2日", "12,345"},
		{"ja", "2026年12月2日", "2026年12月2日", "2026年12月", "日付不明（初回取得 2026年12月2日）", "12,345"},
		{"xx", "2 Dec 2026", "2 December 2026", "December 2026", "date unknown, first seen 2 Dec 2026", "12,345"},
	}
	for _, tt := range tests {
		s := Default().Lang(tt.lang)
		got := []string{s.Date(day), s.LongDate(day), s.Month(day), s.MustWord("undated", day), s.Number(12345)}
		want := []string{tt.date, tt.long, tt.month, tt.undated, tt.number}
		if !slices.Equal(got, want) {
			t.Errorf("%s: got %q, want %q", tt.lang, got, want)
		}
	}
	if got := Default().Lang("fr").Number(1234); got != "1234" {
		t.Errorf("fr 1234 = %q", got)
	}
	if got := Default().MustWord("undated", time.Time{}); got != "date unknown" {
		t.Errorf("undated without first seen = %q", got)
	}
	// Templates call date in their language.
	got, err := Default().Lang("de").Render("stale.tmpl", map[string]any{"Newest": day})
	if err != nil || got != "Das Neueste, das ich dazu habe, ist vom 2. Dez. 2026.\n" {
		t.Errorf("de stale = %q, %v", got, err)
	}
}

// A language directory in the override directory adds or overrides a
// language; what it lacks is English.
func TestLoadLanguageOverride(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "nl"), 0o755)
	os.WriteFile(filepath.Join(dir, "nl", "stale.tmpl"), []byte("Het nieuwste is van {{date .Newest}}."), 0o644)
	os.WriteFile(filepath.Join(dir, "nl", "words.tmpl"), []byte(`{{define "sources"}}Bronnen{{end}}{{define "long-months"}}januari februari maart april mei juni juli augustus september oktober november december{{end}}{{define "long-date-layout"}}2 January 2006{{end}}`), 0o644)
	s, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	nl := s.Lang("nl")
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	if got, _ := nl.Render("stale.tmpl", map[string]any{"Newest": day}); got != "Het nieuwste is van 2 Mar 2026." {
		t.Errorf("nl stale = %q", got)
	}
	if got := nl.MustWord("sources", nil); got != "Bronnen" {
		t.Errorf("nl sources = %q", got)
	}
	if got := nl.LongDate(day); got != "2 maart 2026" {
		t.Errorf("nl long date = %q", got)
	}
	if got := nl.MustWord("paragraph", 3); got != "paragraph 3" {
		t.Errorf("nl paragraph = %q (want the English fallback)", got)
	}
	if _, err := nl.Render("notfound.tmpl", map[string]any{"Empty": true}); err != nil {
		t.Error(err)
	}
}
