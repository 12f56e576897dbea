package prompts

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
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
