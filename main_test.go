package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/adapters/discord/discordtest"
)

// newsbot runs the command line in-process against a temporary store and
// returns stdout and stderr.
func newsbot(t *testing.T, db string, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	env := map[string]string{"NEWSBOT_DB": db, "NEWSBOT_HISTORY_FILE": ""}
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
	if err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	// seed.txt.gz, dir/a.txt and dir/sub/b.md repeat other files.
	if !strings.Contains(out, "10 added, 0 updated, 3 unchanged") {
		t.Errorf("ingest summary:\n%s", out)
	}
	// Same files again: nothing changes.
	out, _, err = newsbot(t, db, "", "ingest", "knowledge/testdata")
	if err != nil || !strings.Contains(out, "0 added, 0 updated, 13 unchanged") {
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

func TestUsageErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "news.db")
	for _, args := range [][]string{
		{"frobnicate"},
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

func TestServeDiscord(t *testing.T) {
	fake := discordtest.New(t)
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	env := map[string]string{
		"NEWSBOT_DB": filepath.Join(t.TempDir(), "news.db"), "NEWSBOT_HISTORY_FILE": "", "NEWSBOT_HTTP_ADDR": "127.0.0.1:0",
		"DISCORD_BOT_TOKEN": fake.Token, "DISCORD_API_URL": fake.APIURL(), "DISCORD_PUBLIC_KEY": hex.EncodeToString(pub),
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	listening := make(chan string, 1)
	var out, errb bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, &stdio{in: strings.NewReader(""), out: &out, err: &errb,
			getenv:    func(k string) (string, bool) { v, ok := env[k]; return v, ok },
			listening: func(addr string) { listening <- addr }})
	}()
	addr := <-listening
	fake.WaitFor("commands registered", func() bool { return fake.CommandsLocked("") != nil })
	ch := fake.AddChannel(discordtest.GuildText)
	fake.Post(discordtest.Say{Channel: ch, Author: discordtest.User("300000000000000001", "alice"), Content: "<@" + fake.BotID + "> Who met Vladimir Putin last week?"})
	got := fake.WaitRequests(1, "POST", "/channels/"+ch+"/messages")
	if !strings.Contains(string(got[0].Body), "Witkoff met last week with Russian President Vladimir Putin") {
		t.Errorf("answer: %s", got[0].Body)
	}
	endpoint := "http://" + addr + "/discord/interactions"
	if code, body := fake.Deliver(endpoint, priv, time.Now(), discordtest.Ping()); code != 200 {
		t.Errorf("PING: %d %s", code, body)
	}
	_, forged, _ := ed25519.GenerateKey(rand.Reader)
	if code, _ := fake.Deliver(endpoint, forged, time.Now(), discordtest.Ping()); code != 401 {
		t.Errorf("forged PING: %d, want 401", code)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v\n%s", err, errb.String())
	}
	if strings.Contains(errb.String(), fake.Token) {
		t.Errorf("the log shows the token:\n%s", errb.String())
	}
}
