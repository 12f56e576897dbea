// Package prompts holds the text newsbot writes from templates: the wording
// of template answers and, for LLM mode, the prompts. The templates are
// text/template files embedded in the binary; a directory given to Load may
// override any of them by file name, so wording changes need no rebuild.
package prompts

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"text/template"
	"time"
)

//go:embed *.tmpl
var embedded embed.FS

// Set is a loaded set of templates. It is safe for concurrent use.
type Set struct {
	t *template.Template
}

// Funcs are the functions templates may call.
var Funcs = template.FuncMap{
	// date formats a time as "16 Apr 2025"; "" for the zero time.
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2 Jan 2006")
	},
	// isodate formats a time as "2025-04-16"; "" for the zero time.
	"isodate": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02")
	},
	"join":  strings.Join,
	"trim":  strings.TrimSpace,
	"upper": strings.ToUpper,
	"add":   func(a, b int) int { return a + b },
}

// Default returns the embedded templates, parsed once.
var Default = sync.OnceValue(func() *Set {
	s, err := Load("")
	if err != nil {
		panic(err) // the embedded templates are tested
	}
	return s
})

// Load returns the embedded templates, each overridden by the file of the
// same name in dir when dir is not empty. A missing dir is an error; a file
// in dir that does not parse is an error naming the file.
func Load(dir string) (*Set, error) {
	root := template.New("").Funcs(Funcs)
	names, err := fs.Glob(embedded, "*.tmpl")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		data, err := embedded.ReadFile(name)
		if err != nil {
			return nil, err
		}
		if _, err := root.New(name).Parse(string(data)); err != nil {
			return nil, fmt.Errorf("prompts: embedded %s: %w", name, err)
		}
	}
	if dir != "" {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("prompts: override directory: %w", err)
		}
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".tmpl") {
				continue
			}
			data, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				return nil, fmt.Errorf("prompts: %w", err)
			}
			if _, err := root.New(e.Name()).Parse(string(data)); err != nil {
				return nil, fmt.Errorf("prompts: %s: %w", filepath.Join(dir, e.Name()), err)
			}
		}
	}
	return &Set{t: root}, nil
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
