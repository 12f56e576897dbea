package discord_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsbot/newsbot/adapters/discord"
	"github.com/newsbot/newsbot/adapters/discord/discordtest"
	"github.com/newsbot/newsbot/bot"
)

func TestGatewayResumesAfterDisconnect(t *testing.T) {
	t.Parallel()
	h := start(t, newsBot(t), nil)
	ch := h.fake.AddChannel(discordtest.GuildText)
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention("Who met Vladimir Putin?")})
	h.posted(1, ch)
	if h.fake.Heartbeats() == 0 {
		t.Error("no heartbeat was sent (and acknowledged)")
	}

	h.fake.DropConnection()
	// A question asked while the bot is away is replayed on RESUME.
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention("Where were earlier rounds of negotiations held?")})
	h.fake.WaitReady(1, 1)
	p := decode(t, h.posted(2, ch)[1])
	if !strings.Contains(p.Content, "Saudi Arabia") {
		t.Errorf("answer after resuming = %q", p.Content)
	}
	// And the next question is answered too.
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.bob, Content: h.mention("Who met Vladimir Putin?")})
	if p := decode(t, h.posted(3, ch)[2]); !strings.Contains(p.Content, "Putin") {
		t.Errorf("answer after the resume = %q", p.Content)
	}
	if n := len(h.fake.Identifies()); n != 1 {
		t.Errorf("%d IDENTIFY, want 1 (the session resumed)", n)
	}
	if !strings.Contains(h.fake.Transcript(), "GATEWAY → RESUME session=fake-session-1 seq=2") {
		t.Errorf("transcript lacks the RESUME:\n%s", h.fake.Transcript())
	}
}

func TestIntentsAndShards(t *testing.T) {
	t.Parallel()
	h := start(t, newsBot(t), nil)
	id := h.fake.Identifies()[0]
	if id.Intents != 1<<9|1<<12 {
		t.Errorf("intents = %d, want guild messages and direct messages (4608) only", id.Intents)
	}
	if id.Shard != nil {
		t.Errorf("shard = %v, want none for a single shard", *id.Shard)
	}
	fake := discordtest.New(t)
	a, err := discord.New(newsBot(t), discord.Config{Token: fake.Token, APIURL: fake.APIURL(), ShardID: 1, ShardCount: 2})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	fake.WaitReady(1, 0)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if s := fake.Identifies()[0].Shard; s == nil || *s != [2]int{1, 2} {
		t.Errorf("shard = %v, want [1 2]", s)
	}
	if n := len(fake.Requests("GET", ".*/commands")); n != 0 {
		t.Errorf("shard 1 read the commands %d times; shard 0 keeps them", n)
	}
}

func TestStartErrorsAreClear(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		tweak    func(*discordtest.Server, *discord.Config)
		want     string
		identify bool // whether the gateway was reached
	}{
		{"bad token", func(f *discordtest.Server, c *discord.Config) { c.Token = "wrong-token-value" }, "rejected DISCORD_BOT_TOKEN (401", false},
		{"message content not enabled", func(f *discordtest.Server, c *discord.Config) { c.MessageContent = true }, "enable Message Content Intent in the Developer Portal", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := discordtest.New(t)
			log := &logBuffer{}
			cfg := discord.Config{Token: fake.Token, APIURL: fake.APIURL(), Logger: newLogger(log)}
			tt.tweak(fake, &cfg)
			a, err := discord.New(newsBot(t), cfg)
			if err != nil {
				t.Fatal(err)
			}
			err = a.Run(context.Background())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Run = %v, want an error saying %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), cfg.Token) || strings.Contains(log.String(), cfg.Token) {
				t.Errorf("the error or log shows the token: %v\n%s", err, log)
			}
			if got := len(fake.Identifies()) > 0; got != tt.identify {
				t.Errorf("identified = %v, want %v", got, tt.identify)
			}
		})
	}
	if _, err := discord.New(newsBot(t), discord.Config{}); err == nil {
		t.Error("New without token or public key: nil error")
	}
}

func TestCommandsKeptInSync(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	run := func(guild string) {
		log := &logBuffer{}
		a, err := discord.New(newsBot(t), discord.Config{Token: fake.Token, APIURL: fake.APIURL(), GuildID: guild, Logger: newLogger(log)})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- a.Run(ctx) }()
		log.waitFor(t, "msg=\"slash commands")
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	run("")
	if n := len(fake.Requests("PUT", "/applications/.*/commands")); n != 1 {
		t.Fatalf("%d PUT of commands, want 1", n)
	}
	var cmds []map[string]any
	json.Unmarshal(fake.Commands(""), &cmds)
	if len(cmds) != 3 || cmds[0]["name"] != "ask" || cmds[1]["name"] != "news" || cmds[2]["name"] != "Ask newsbot" || cmds[2]["type"] != 3.0 {
		t.Fatalf("registered commands = %s", fake.Commands(""))
	}
	golden(t, "commands.json", indent(t, fake.Requests("PUT", "/applications/.*/commands")[0].Body))

	// Restarting with the same commands reads them and writes nothing.
	run("")
	if n := len(fake.Requests("PUT", "/applications/.*/commands")); n != 1 {
		t.Errorf("%d PUT of commands after a restart, want still 1", n)
	}
	// Commands that changed (an older version) are overwritten.
	fake.SetCommands("", json.RawMessage(`[{"id":"1","application_id":"`+fake.AppID+`","version":"1","type":1,"name":"ask","description":"Ask a question","options":[{"type":3,"name":"question","description":"Your question","required":true}]}]`))
	run("")
	if n := len(fake.Requests("PUT", "/applications/.*/commands")); n != 2 {
		t.Errorf("%d PUT of commands after they changed, want 2", n)
	}
	// With a guild id, they go to the guild.
	run(fake.GuildID)
	if n := len(fake.Requests("PUT", "/applications/"+fake.AppID+"/guilds/"+fake.GuildID+"/commands")); n != 1 {
		t.Errorf("%d PUT of guild commands, want 1", n)
	}
}

// blockingAsker blocks each question until released, or until its context
// ends.
type blockingAsker struct {
	asked   chan struct{}
	release chan struct{}
	// fallback, when set, is returned when ctx ends, as the bot returns
	// the extractive answer when the model's is cancelled.
	fallback *bot.Answer
	mu       sync.Mutex
	errs     []error
}

func (b *blockingAsker) Ask(ctx context.Context, q bot.Question) (*bot.Answer, error) {
	b.asked <- struct{}{}
	select {
	case <-b.release:
		return &bot.Answer{Question: q.Text, Text: "Finished in time. [1]", Found: true,
			Citations: []bot.Citation{{N: 1, Title: "T", Source: "AP", Published: published, Paragraph: 1}}}, nil
	case <-ctx.Done():
		b.mu.Lock()
		b.errs = append(b.errs, ctx.Err())
		b.mu.Unlock()
		if b.fallback != nil {
			return b.fallback, nil
		}
		return nil, ctx.Err()
	}
}

func (b *blockingAsker) Latest(context.Context, string, int) ([]bot.Headline, error) { return nil, nil }

func TestShutdownFinishesAnswersInFlight(t *testing.T) {
	t.Parallel()
	slow := &blockingAsker{asked: make(chan struct{}, 1), release: make(chan struct{})}
	h := start(t, slow, func(c *discord.Config) { c.ShutdownTimeout = time.Minute })
	ch := h.fake.AddChannel(discordtest.GuildText)
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention("slow question")})
	<-slow.asked
	stopped := make(chan error, 1)
	go func() { stopped <- h.stop() }()
	// Run waits for the answer: it has disconnected but not returned.
	h.fake.WaitFor("disconnect", func() bool { return !h.fake.ConnectedLocked() })
	select {
	case err := <-stopped:
		t.Fatalf("Run returned (%v) with an answer in flight", err)
	default:
	}
	close(slow.release)
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	if p := decode(t, h.posted(1, ch)[0]); p.Content != "Finished in time. [1]" {
		t.Errorf("answer = %q", p.Content)
	}
}

func TestShutdownTimeoutCancelsAnswers(t *testing.T) {
	t.Parallel()
	slow := &blockingAsker{asked: make(chan struct{}, 1), release: make(chan struct{})}
	h := start(t, slow, func(c *discord.Config) { c.ShutdownTimeout = time.Millisecond })
	ch := h.fake.AddChannel(discordtest.GuildText)
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention("slow question")})
	<-slow.asked
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	slow.mu.Lock()
	defer slow.mu.Unlock()
	if len(slow.errs) != 1 || !errors.Is(slow.errs[0], context.Canceled) {
		t.Errorf("the answer in flight saw %v, want its context cancelled", slow.errs)
	}
}

// An answer cancelled by the shutdown timeout, for which the bot fell back
// to the extractive answer, is still delivered before Run returns: the
// user gets the fallback, not silence.
func TestShutdownTimeoutDeliversTheFallback(t *testing.T) {
	t.Parallel()
	slow := &blockingAsker{asked: make(chan struct{}, 1), release: make(chan struct{}),
		fallback: &bot.Answer{Text: "Quoted instead. [1]", Found: true, Mode: bot.ModeTemplate, FallbackReason: bot.FallbackCanceled,
			Citations: []bot.Citation{{N: 1, Title: "T", Source: "AP", Published: published, Paragraph: 1}}}}
	h := start(t, slow, func(c *discord.Config) { c.ShutdownTimeout = time.Millisecond })
	ch := h.fake.AddChannel(discordtest.GuildText)
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention("slow question")})
	<-slow.asked
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	if p := decode(t, h.posted(1, ch)[0]); !strings.Contains(p.Content, "Quoted instead. [1]") {
		t.Errorf("answer = %q, want the fallback", p.Content)
	}
}
