// Package prompts holds the text newsbot writes from templates: the wording
// of template answers and, for LLM mode, the prompts. The templates are
// text/template files embedded in the binary; a directory given to Load may
// override any of them by file name, so wording changes need no rebuild.
//
// The files at the top (answer.tmpl, words.tmpl, …) are English. A
// directory named after a language's ISO 639-1 code (fr/, de/, …) holds
// that language's versions of any of them; a file or a word it lacks is
// the English one. words.tmpl defines the short words and formats used
// outside the templates (the "Sources" label, "date unknown", the date
// layouts and month names, the thousands separator); see Set.Word.
package prompts

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/template"
	"time"
)

//go:embed *.tmpl */*.tmpl
var embedded embed.FS

// Set is a loaded set of templates in one language, with the sets of the
// other languages. It is safe for concurrent use.
type Set struct {
	t    *template.Template
	lang string
	// langs holds every language's set, English included; shared by all
	// of them.
	langs map[string]*Set
	// The formats of words.tmpl, read once parsed.
	dateLayout, longLayout, monthLayout string
	months, longMonths                  []string
	thousands                           string
}

// Words are the keys words.tmpl defines: every language's words.tmpl must
// define them all (TestLanguagesComplete).
var Words = []string{"language", "sources", "undated", "updated", "paragraph", "also-reported-by", "read-as",
	"date-layout", "long-date-layout", "month-layout", "months", "long-months", "thousands"}

// Funcs are the functions templates may call, as English formats them; each
// language's set formats dates and numbers its own way (words.tmpl).
var Funcs = template.FuncMap{
	// date formats a time as "16 Apr 2025"; "" for the zero time.
	"date": func(t time.Time) string { return englishFormat(t, "2 Jan 2006") },
	// longdate formats a time as "16 April 2025"; "" for the zero time.
	"longdate": func(t time.Time) string { return englishFormat(t, "2 January 2006") },
	// isodate formats a time as "2025-04-16"; "" for the zero time.
	"isodate": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02")
	},
	// num formats an integer with the thousands separator: "12,345".
	"num":   func(n int) string { return (&Set{thousands: ","}).Number(n) },
	"join":  strings.Join,
	"trim":  strings.TrimSpace,
	"upper": strings.ToUpper,
	"add":   func(a, b int) int { return a + b },
}

func englishFormat(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(layout)
}

// Default returns the embedded templates, parsed once.
var Default = sync.OnceValue(func() *Set {
	s, err := Load("")
	if err != nil {
		panic(err) // the embedded templates are tested
	}
	return s
})

// source is where template files come from: a file system and the
// directory in it.
type source struct {
	fsys fs.FS
	dir  string
	name func(file string) string // for error messages
}

// Load returns the embedded templates, each overridden by the file of the
// same name in dir when dir is not empty (and a language's by the file in
// dir/LANG/). A missing dir is an error; a file in dir that does not parse
// is an error naming the file. The set returned is English; Lang gives
// the others.
func Load(dir string) (*Set, error) {
	emb := source{fsys: embedded, dir: ".", name: func(f string) string { return "embedded " + f }}
	var over *source
	if dir != "" {
		if _, err := os.ReadDir(dir); err != nil {
			return nil, fmt.Errorf("prompts: override directory: %w", err)
		}
		over = &source{fsys: os.DirFS(dir), dir: ".", name: func(f string) string { return filepath.Join(dir, filepath.FromSlash(f)) }}
	}
	langs := map[string]*Set{}
	codes := map[string]bool{"en": true}
	for _, src := range []*source{&emb, over} {
		if src == nil {
			continue
		}
		entries, err := fs.ReadDir(src.fsys, ".")
		if err != nil {
			return nil, fmt.Errorf("prompts: %w", err)
		}
		for _, e := range entries {
			if e.IsDir() && isLangCode(e.Name()) {
				codes[e.Name()] = true
			}
		}
	}
	for code := range codes {
		s := &Set{lang: code, langs: langs}
		root := template.New("").Funcs(Funcs).Funcs(s.funcs())
		layers := []*source{&emb, over}
		if code != "en" {
			layers = append(layers, &source{fsys: emb.fsys, dir: code, name: emb.name})
			if over != nil {
				layers = append(layers, &source{fsys: over.fsys, dir: code, name: over.name})
			}
		}
		for _, src := range layers {
			if src == nil {
				continue
			}
			if err := parseDir(root, src); err != nil {
				return nil, err
			}
		}
		s.t = root
		if err := s.readFormats(); err != nil {
			return nil, err
		}
		langs[code] = s
	}
	return langs["en"], nil
}

func isLangCode(name string) bool {
	return len(name) == 2 && strings.ToLower(name) == name && name[0] >= 'a' && name[0] <= 'z' && name[1] >= 'a' && name[1] <= 'z'
}

// parseDir parses the .tmpl files of src.dir into root, each replacing the
// template of its name.
func parseDir(root *template.Template, src *source) error {
	entries, err := fs.ReadDir(src.fsys, src.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("prompts: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".tmpl") {
			continue
		}
		file := path.Join(src.dir, e.Name())
		data, err := fs.ReadFile(src.fsys, file)
		if err != nil {
			return fmt.Errorf("prompts: %w", err)
		}
		if _, err := root.New(e.Name()).Parse(string(data)); err != nil {
			return fmt.Errorf("prompts: %s: %w", src.name(file), err)
		}
	}
	return nil
}

// funcs are the functions that format in s's language.
func (s *Set) funcs() template.FuncMap {
	return template.FuncMap{"date": s.Date, "longdate": s.LongDate, "num": s.Number}
}

func (s *Set) readFormats() error {
	word := func(key string) (string, error) {
		w, err := s.Word(key, nil)
		if err != nil {
			return "", fmt.Errorf("prompts: %s words: %w", s.lang, err)
		}
		return w, nil
	}
	var err error
	if s.dateLayout, err = word("date-layout"); err != nil {
		return err
	}
	if s.longLayout, err = word("long-date-layout"); err != nil {
		return err
	}
	if s.monthLayout, err = word("month-layout"); err != nil {
		return err
	}
	m, err := word("months")
	if err != nil {
		return err
	}
	lm, err := word("long-months")
	if err != nil {
		return err
	}
	s.months, s.longMonths = strings.Fields(m), strings.Fields(lm)
	if len(s.months) != 12 || len(s.longMonths) != 12 {
		return fmt.Errorf("prompts: %s words: months and long-months must name 12 months each", s.lang)
	}
	s.thousands, err = s.Word("thousands", nil)
	if err != nil {
		return fmt.Errorf("prompts: %s words: %w", s.lang, err)
	}
	s.thousands = strings.Trim(s.thousands, "\n") // a space is a separator
	return nil
}

// Lang returns the set of language code (ISO 639-1, "fr"); English for a
// language without templates.
func (s *Set) Lang(code string) *Set {
	if l, ok := s.langs[code]; ok {
		return l
	}
	return s.langs["en"]
}

// Code is the set's language, e.g. "fr".
func (s *Set) Code() string { return s.lang }

// Has reports whether code has templates of its own ("en" always).
func (s *Set) Has(code string) bool { _, ok := s.langs[code]; return ok }

// Languages lists the codes of the languages with templates, sorted.
func (s *Set) Languages() []string {
	out := make([]string, 0, len(s.langs))
	for c := range s.langs {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// ErrNoTemplate means Render was asked for a template that does not exist.
var ErrNoTemplate = errors.New("no such template")

// Render executes the named template (e.g. "answer.tmpl") with data.
func (s *Set) Render(name string, data any) (string, error) {
	t := s.t.Lookup(name)
	if t == nil {
		return "", fmt.Errorf("render %s: %w", name, ErrNoTemplate)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("render %s: %w", name, err)
	}
	return b.String(), nil
}

// Word renders one of the words words.tmpl defines (Words), trimmed of the
// newlines around it: Word("sources", nil) is "Sources" in English,
// "Quellen" in German; Word("undated", firstSeen) is "date unknown, first
// seen 2 Dec 2026".
func (s *Set) Word(key string, data any) (string, error) {
	w, err := s.Render(key, data)
	return strings.Trim(w, "\n"), err
}

// MustWord is Word for the keys every set has; "" on an error.
func (s *Set) MustWord(key string, data any) string {
	w, _ := s.Word(key, data)
	return w
}

// Date formats t in the language's short date ("16 Apr 2025", "16 avr.
// 2025", "2025年4月16日"); "" for the zero time.
func (s *Set) Date(t time.Time) string { return s.format(t, s.dateLayout) }

// LongDate formats t with the month written out ("16 April 2025").
func (s *Set) LongDate(t time.Time) string { return s.format(t, s.longLayout) }

// Month formats t's month and year ("April 2025").
func (s *Set) Month(t time.Time) string { return s.format(t, s.monthLayout) }

// format formats t with a Go layout whose month names ("Jan", "January")
// are the language's.
func (s *Set) format(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	// Stand-ins no layout element contains, replaced after formatting.
	l := strings.ReplaceAll(layout, "January", "\x00L")
	l = strings.ReplaceAll(l, "Jan", "\x00S")
	out := t.Format(l)
	out = strings.ReplaceAll(out, "\x00L", s.longMonths[t.Month()-1])
	return strings.ReplaceAll(out, "\x00S", s.months[t.Month()-1])
}

// Number formats n with the language's thousands separator ("12,345",
// "12 345", "12.345").
func (s *Set) Number(n int) string {
	digits := strconv.Itoa(n)
	neg := strings.HasPrefix(digits, "-")
	digits = strings.TrimPrefix(digits, "-")
	if len(digits) <= 4 && s.thousands != "," || len(digits) <= 3 {
		// 4-digit numbers take no separator in most European styles.
		if neg {
			return "-" + digits
		}
		return digits
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(s.thousands)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Names lists the templates in the set.
func (s *Set) Names() []string {
	var out []string
	for _, t := range s.t.Templates() {
		if t.Name() != "" {
			out = append(out, t.Name())
		}
	}
	return out
}
