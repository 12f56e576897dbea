package bot_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/prompts"
)

// The built-in templates pass; an override with a field the bot does not
// give fails the check, naming its file and line, even in a branch the
// first questions would not reach.
func TestCheckPrompts(t *testing.T) {
	if err := bot.CheckPrompts(prompts.Default()); err != nil {
		t.Fatalf("built-in templates: %v", err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notfound.tmpl"), []byte("{{if .Empty}}Empty.{{else}}Nothing in {{.Artcles}} articles.{{end}}\n"), 0o644)
	set, err := prompts.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	err = bot.CheckPrompts(set)
	if err == nil || !strings.Contains(err.Error(), "notfound.tmpl:1") || !strings.Contains(err.Error(), "Artcles") {
		t.Errorf("CheckPrompts with a typo = %v; want the file, line and field", err)
	}
}
