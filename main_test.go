package main

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Tests never fetch the built-in public feeds, whatever their environment.
func init() { defaultFeedsAllowed = false }

// newsbot runs the command line in-process against a temporary store and
// returns stdout and stderr.
func newsbot(t *testing.T, db string, stdin string, args ...string) (string, string, error) {
	t.Helper()
	return newsbotEnv(t, map[string]string{"NEWSBOT_DB": db}, stdin, args...)
}

// newsbotEnv is newsbot with more settings in the environment. Feeds are
// off unless env names some: tests never fetch the default public feeds.
func newsbotEnv(t *testing.T, env map[string]string, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	env = maps.Clone(env)
	env["NEWSBOT_HISTORY_FILE"] = ""
	if _, ok := env["NEWSBOT_FEEDS"]; !ok {
		env["NEWSBOT_FEEDS"] = ""
	}
	err := run(context.Background(), args, &stdio{
		in: strings.NewReader(stdin), out: &out, err: &errb,
		getenv: func(k string) (string, bool) { v, ok := env[k]; return v, ok },
	})
	return out.String(), errb.String(), err
}

func TestFreshStoreAnswersAtOnce(t *testing.T) {
	db := filepath.Join(t.TempDir(), "fresh", "news.db")
	out, _, err := newsbot(t, db, "Who is travelling to Paris and when?\n")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "loaded the bundled sample") || !strings.Contains(out, "Marco Rubio") || !strings.Contains(out, "[1]") {
		t.Errorf("fresh REPL output:\n%s", out)
	}
}

func TestIngestSearchAsk(t *testing.T) {
	db := filepath.Join(t.TempDir(), "news.db")
	out, _, err := newsbot(t, db, "", "ingest", "knowledge/testdata")
	if err := testdataRejects(err); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	// seed.txt.gz, dir/a.txt and dir/sub/b.md repeat other files.
	if !strings.Contains(out, "10 added, 0 updated, 3 unchanged") {
		t.Errorf("ingest summary:\n%s", out)
	}
	// Same files again: nothing changes.
	out, _, err = newsbot(t, db, "", "ingest", "knowledge/testdata")
	if testdataRejects(err) != nil || !strings.Contains(out, "0 added, 0 updated, 13 unchanged") {
		t.Errorf("re-ingest: %v\n%s", err, out)
	}
	out, _, err = newsbot(t, db, "", "search", "--json", "--k", "2", "Saudi", "Arabia")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Query   string
		Results []struct {
			Source    string
			Paragraph int
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Query != "Saudi Arabia" || len(res.Results) != 1 || res.Results[0].Paragraph != 6 {
		t.Errorf("search --json: %v\n%s", err, out)
	}
	out, _, err = newsbot(t, db, "", "ask", "--json", "--source", "AP", "where were negotiations held?")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"found":true`) || !strings.Contains(out, "Saudi Arabia") {
		t.Errorf("ask --json:\n%s", out)
	}
	out, _, err = newsbot(t, db, "", "ask", "--since", "2026-01-01", "where were negotiations held?")
	if err != nil || !strings.Contains(out, "couldn't find") {
		t.Errorf("ask --since after the article: %v\n%s", err, out)
	}
	out, _, err = newsbot(t, db, "", "latest")
	if err != nil || !strings.Contains(out, "Top Trump officials") {
		t.Errorf("latest: %v\n%s", err, out)
	}
}

// testdataRejects is nil for the error an ingest of knowledge/testdata
// ends with: its four malformed JSON lines (there on purpose) are
// rejected, and an ingest that rejects input exits non-zero.
func testdataRejects(err error) error {
	if err != nil && strings.Contains(err.Error(), "ingest: 4 inputs rejected") {
		return nil
	}
	return err
}

func TestUsageErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "news.db")
	for _, args := range [][]string{
		{"serv"},
		{"ask", "--frobnicate", "x"},
		{"ask"},
		{"ask", "--since", "yesterday", "x"},
		{"ingest"},
		{"search"},
	} {
		if _, _, err := newsbot(t, db, "", args...); err == nil {
			t.Errorf("newsbot %q: got nil error", args)
		}
	}
	_, _, err := newsbot(t, db, "", "--passages-typo", "x")
	if err == nil {
		t.Error("unknown flag: got nil error")
	}
}

func TestConfigHidesNothingButSecrets(t *testing.T) {
	out, _, err := newsbot(t, "/tmp/x.db", "", "config")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "NEWSBOT_DB=/tmp/x.db\t# environment") {
		t.Errorf("config output:\n%s", out)
	}
}

// eval --fit prints a ranking; NEWSBOT_RANKING_FILE reads it back, and a
// file that is not a ranking stops the bot with the file and field named.
func TestFittedRankingFile(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "news.db")
	questions := `{"id": 1, "question": "Where have several rounds of negotiations been held?", "answer": "Saudi Arabia", "date": "2025-04-16"}` + "\n"
	out, _, err := newsbot(t, db, questions, "eval", "--fit", "--json", "--questions", "-")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Questions int
		Ranking   json.RawMessage
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Questions != 1 || len(rep.Ranking) == 0 {
		t.Fatalf("eval --fit --json: %v\n%s", err, out)
	}
	good := filepath.Join(dir, "ranking.json")
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(good, rep.Ranking, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte(`{"TypeWieght": 1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"NEWSBOT_DB": db, "NEWSBOT_RANKING_FILE": good}
	out, _, err = newsbotEnv(t, env, "", "ask", "--as-of", "2025-04-16", "Where have several rounds of negotiations been held?")
	if err != nil || !strings.Contains(out, "Saudi Arabia") {
		t.Errorf("ask with the fitted ranking: %v\n%s", err, out)
	}
	env["NEWSBOT_RANKING_FILE"] = bad
	if _, _, err = newsbotEnv(t, env, "", "ask", "anything"); err == nil || !strings.Contains(err.Error(), "bad.json") || !strings.Contains(err.Error(), "TypeWieght") {
		t.Errorf("a misspelt ranking file: err = %v", err)
	}
	env["NEWSBOT_RANKING_FILE"] = filepath.Join(dir, "missing.json")
	if _, _, err = newsbotEnv(t, env, "", "ask", "anything"); err == nil || !strings.Contains(err.Error(), "NEWSBOT_RANKING_FILE") {
		t.Errorf("a missing ranking file: err = %v", err)
	}
}
