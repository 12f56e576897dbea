package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/adapters/discord/discordtest"
)

// TestServeDiscord runs `newsbot serve` with the Discord adapter against a
// fake Discord: the gateway answers a mention from the store, and the
// interactions endpoint is mounted and verifies signatures.
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
