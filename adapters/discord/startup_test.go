package discord_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/adapters/discord"
	"github.com/newsbot/newsbot/adapters/discord/discordtest"
	"github.com/newsbot/newsbot/internal/backoff"
)

// Discord failing at start (GET /gateway/bot answering 503 four times) is
// retried with backoff, not ready meanwhile; the adapter connects once
// Discord answers.
func TestStartRetriesUntilDiscordAnswers(t *testing.T) {
	fake := discordtest.New(t)
	fake.Fail("GET", "/gateway/bot", 4, 503)
	log := &logBuffer{}
	a, err := discord.New(newsBot(t), discord.Config{Token: fake.Token, APIURL: fake.APIURL(), Logger: newLogger(log),
		StartRetry: backoff.Policy{Base: time.Millisecond, Max: 4 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Ready(); err == nil {
		t.Error("ready before Run")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	fake.WaitFor("commands registered", func() bool { return fake.CommandsLocked("") != nil })
	fake.WaitFor("ready", func() bool { return a.Ready() == nil })
	if n := strings.Count(log.String(), "discord connect: failed, retrying"); n != 4 {
		t.Errorf("%d retries logged, want 4:\n%s", n, log)
	}
	if n := len(fake.Identifies()); n != 1 {
		t.Errorf("%d identifies, want 1", n)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
}
