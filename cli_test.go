package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	goldenfile "github.com/newsbot/newsbot/internal/golden"
)

// The help of every command is a promise: golden files.
func TestHelpGolden(t *testing.T) {
	for _, cmd := range [][]string{{"--help"}, {"ask", "--help"}, {"search", "--help"}, {"latest", "--help"},
		{"ingest", "--help"}, {"feeds", "--help"}, {"eval", "--help"}, {"serve", "--help"}, {"config", "--help"}, {"repl", "--help"}, {"migrate", "--help"}, {"healthcheck", "--help"}} {
		out, _, err := newsbot(t, "/tmp/unused.db", "", cmd...)
		if err != nil {
			t.Fatalf("newsbot %v: %v", cmd, err)
		}
		name := "help-" + strings.TrimPrefix(strings.Join(cmd[:len(cmd)-1], "-"), "-") + ".txt"
		if len(cmd) == 1 {
			name = "help.txt"
		}
		goldenfile.Check(t, name, []byte(out))
	}
}

// Global flags work before or after the command and its arguments, and a
// command's own flags after its arguments.
func TestFlagsAnywhere(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "rt.db")
	other := filepath.Join(dir, "default.db")
	article := filepath.Join(dir, "a.txt")
	os.WriteFile(article, []byte("Harbour budget passes\n\nThe council approved the harbour budget on Tuesday."), 0o644)
	// The environment names another store: --db after the argument wins.
	out, _, err := newsbot(t, other, "", "ingest", article, "--db", db)
	if err != nil || !strings.Contains(out, "1 added") {
		t.Fatalf("ingest PATH --db: %v\n%s", err, out)
	}
	if _, err := os.Stat(other); err == nil {
		t.Error("ingest PATH --db wrote into the default store too")
	}
	out, _, err = newsbot(t, other, "", "ask", "What did the council approve?", "--db", db, "--json")
	var ans struct {
		Found  bool   `json:"found"`
		Answer string `json:"answer"`
	}
	if err != nil || json.Unmarshal([]byte(out), &ans) != nil || !ans.Found || !strings.Contains(ans.Answer, "harbour budget") {
		t.Errorf("ask Q --db --json: %v\n%s", err, out)
	}
	out, _, err = newsbot(t, other, "", "--db", db, "What did the council approve?")
	if err != nil || !strings.Contains(out, "harbour budget") {
		t.Errorf(`newsbot --db F "question": %v\n%s`, err, out)
	}
	out, _, err = newsbot(t, other, "", "latest", "--db", db, "--json")
	var hs []struct{ Title, Source, Published, URL, ID string }
	if err != nil || json.Unmarshal([]byte(out), &hs) != nil || len(hs) != 1 || hs[0].Title != "Harbour budget passes" {
		t.Errorf("latest --json: %v\n%s", err, out)
	}
	out, _, err = newsbot(t, other, "", "latest", "zzzxqq", "--db", db)
	if err != nil || !strings.Contains(out, `No articles match "zzzxqq" (of 1 stored).`) {
		t.Errorf("latest with no match: %v\n%s", err, out)
	}
	out, _, err = newsbot(t, other, "", "latest", "--since", "2099-01-01", "--db", db)
	if err != nil || !strings.Contains(out, "No articles match --since 2099-01-01") {
		t.Errorf("latest --since: %v\n%s", err, out)
	}
}

// A command has only its own flags; a mistake prints one error line and a
// hint, and exits 2.
func TestUsageErrorsOneLineAndHint(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"latest", "--fit"}, "newsbot: unknown flag: --fit\nsee 'newsbot latest --help'\n"},
		{[]string{"ingest", "--json", "x"}, "newsbot: unknown flag: --json\nsee 'newsbot ingest --help'\n"},
		{[]string{"serv"}, "newsbot: unknown command \"serv\"; did you mean \"serve\"?\nsee 'newsbot --help'\n"},
		{[]string{"ingest"}, "newsbot: requires at least 1 arg(s), only received 0\nsee 'newsbot ingest --help'\n"},
		{[]string{"eval"}, "newsbot: newsbot eval needs --questions FILE\nsee 'newsbot eval --help'\n"},
	} {
		_, stderr, err := newsbot(t, filepath.Join(t.TempDir(), "x.db"), "", tt.args...)
		var b bytes.Buffer
		code := report(&b, err)
		if code != exitUsage || b.String() != tt.want || stderr != "" {
			t.Errorf("newsbot %q: exit %d, printed %q (and %q); want exit 2 and %q", tt.args, code, b.String(), stderr, tt.want)
		}
	}
}

// The exit codes are documented in the README; this is their table.
func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte("{\"title\": \"Good\", \"text\": \"Fine text.\"}\n{\"title\": \n"), 0o644)
	bin := filepath.Join(dir, "prog.txt")
	os.WriteFile(bin, append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 256)...), 0o644)
	var table strings.Builder
	for _, tt := range []struct {
		what string
		args []string
	}{
		{"success", []string{"config"}},
		{"an ingest that rejects a line", []string{"ingest", bad}},
		{"an ingest of a binary file", []string{"ingest", bin}},
		{"an ingest of a missing file", []string{"ingest", filepath.Join(dir, "missing.txt")}},
		{"a usage error", []string{"ask", "--since", "yesterday", "x"}},
	} {
		out, _, err := newsbot(t, db, "", tt.args...)
		var b bytes.Buffer
		fmt.Fprintf(&table, "%d  %s\n", report(&b, err), tt.what)
		if tt.what == "an ingest of a binary file" && !strings.Contains(out, "binary file, skipped") {
			t.Errorf("binary ingest output:\n%s", out)
		}
	}
	goldenfile.Check(t, "exit-codes.txt", []byte(table.String()))
}

func TestVersionAndCompletion(t *testing.T) {
	out, _, err := newsbot(t, "/tmp/unused.db", "", "--version")
	if err != nil || !strings.HasPrefix(out, "newsbot ") || !strings.Contains(out, "go1.") {
		t.Errorf("--version: %v %q", err, out)
	}
	for _, sh := range []string{"bash", "zsh", "fish"} {
		out, _, err := newsbot(t, "/tmp/unused.db", "", "completion", sh)
		if err != nil || !strings.Contains(out, "newsbot") || len(out) < 500 {
			t.Errorf("completion %s: %v, %d bytes", sh, err, len(out))
		}
	}
}

// An unknown NEWSBOT_ variable (a typo in .env) is warned about, with the
// closest known name, and the command still runs.
func TestUnknownVariableWarned(t *testing.T) {
	var out, errb bytes.Buffer
	env := map[string]string{"NEWSBOT_DB": "/tmp/unused.db", "NEWSBOT_PASSAGE": "12"}
	err := run(t.Context(), []string{"config"}, &stdio{
		in: strings.NewReader(""), out: &out, err: &errb,
		getenv:  func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		environ: func() []string { return []string{"NEWSBOT_DB=/tmp/unused.db", "NEWSBOT_PASSAGE=12"} },
	})
	if err != nil || !strings.Contains(errb.String(), "newsbot: warning: unknown variable NEWSBOT_PASSAGE (in the environment) is ignored; did you mean NEWSBOT_PASSAGES?") {
		t.Errorf("config: %v\nstderr: %s", err, errb.String())
	}
	if errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
}

// A directory's saved pages are read (by the page reader), and every
// entry it skips is counted: hidden files, symbolic links, FIFOs.
func TestIngestDirectoryCountsWhatItSkips(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(t.TempDir(), "x.db")
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("Ferry pier opens\n\nThe new ferry pier opened on Monday."), 0o644)
	page := `<!doctype html><html><head><title>Lighthouse reopens after repairs</title>
<meta property="og:title" content="Lighthouse reopens after repairs">
<meta property="article:published_time" content="2025-04-15T08:00:00Z"></head>
<body><article><h1>Lighthouse reopens after repairs</h1>
<p>The old lighthouse reopened to visitors on Tuesday after two years of repairs, the harbour authority said.</p>
<p>Repairs cost four million euros and replaced the lamp, the stairs and the gallery railings.</p>
<p>The authority expects twenty thousand visitors in the first season, most of them in the summer months.</p>
</article></body></html>`
	os.WriteFile(filepath.Join(dir, "lighthouse.html"), []byte(page), 0o644)
	os.WriteFile(filepath.Join(dir, ".hidden.txt"), []byte("Hidden\n\nNot read."), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.bin"), []byte("x"), 0o644)
	if err := os.Symlink(filepath.Join(dir, "a.txt"), filepath.Join(dir, "link.txt")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if err := syscallMkfifo(filepath.Join(dir, "pipe.txt")); err != nil {
		t.Logf("no FIFO: %v", err)
	}
	out, _, err := newsbot(t, db, "", "ingest", dir)
	if err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	skipped := "4 directory entries skipped"
	if _, err := os.Stat(filepath.Join(dir, "pipe.txt")); err != nil {
		skipped = "3 directory entries skipped"
	}
	if !strings.Contains(out, "1 added") || !strings.Contains(out, skipped) {
		t.Errorf("ingest of the directory, want the text file added and %q:\n%s", skipped, out)
	}
	out, _, err = newsbot(t, db, "", "latest")
	if err != nil || !strings.Contains(out, "Lighthouse reopens after repairs") || !strings.Contains(out, "Ferry pier opens") {
		t.Errorf("latest after ingesting the directory (the saved page must be read too): %v\n%s", err, out)
	}
}
