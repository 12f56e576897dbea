package discord_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsbot/newsbot/adapters/discord"
	"github.com/newsbot/newsbot/adapters/discord/discordtest"
	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/testkit"
	"github.com/newsbot/newsbot/knowledge/ingest"
)

// golden compares got with testdata/name, rewriting it with -update.
func golden(t *testing.T, name, got string) { t.Helper(); discord.Golden(t, name, got) }

// indent pretty-prints JSON for golden files.
func indent(t *testing.T, raw []byte) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, raw)
	}
	return b.String() + "\n"
}

// extraArticles are added to the bundled sample: one whose paragraph
// mentions @everyone, with a link.
const extraArticles = `{"title": "Riverside braces for the flood crest", "url": "https://gazette.example/2025/04/15/flood-crest", "published": "2025-04-15", "source": "Riverside Gazette", "byline": "Jo Lee", "paragraphs": ["RIVERSIDE — The Blue River is expected to crest on Thursday, two metres above flood stage, the county said on Tuesday.", "Mayor Ana Ortiz posted a message to @everyone in the town's Discord server urging residents of the lower wards to move to higher ground before the crest.", "Shelters have opened at the high school and the fairgrounds, and buses will run every half hour from the town square."]}
`

// newsBot returns a real bot over a real SQLite store holding the bundled
// sample article (AP, 16 April 2025) and extraArticles.
func newsBot(t testing.TB) *bot.Bot {
	t.Helper()
	ctx := context.Background()
	s := testkit.SampleStore(t)
	in := &ingest.Ingester{Store: s}
	path := filepath.Join(t.TempDir(), "extra.jsonl")
	if err := os.WriteFile(path, []byte(extraArticles), 0o644); err != nil {
		t.Fatal(err)
	}
	if sum, err := in.Ingest(ctx, []string{path}); err != nil || sum.Added != 1 {
		t.Fatalf("ingest: %+v, %v", sum, err)
	}
	return testkit.Bot(s, nil)
}

// logBuffer collects the adapter's log.
type logBuffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	changed chan struct{}
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.changed != nil {
		close(l.changed)
		l.changed = nil
	}
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitFor waits until the log contains s (failing after ten seconds, a
// guard against deadlocks).
func (l *logBuffer) waitFor(t *testing.T, s string) {
	t.Helper()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	for {
		l.mu.Lock()
		ok := strings.Contains(l.b.String(), s)
		if l.changed == nil {
			l.changed = make(chan struct{})
		}
		ch := l.changed
		l.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("the log never said %q:\n%s", s, l.String())
		}
	}
}

func newLogger(l *logBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// harness is an adapter running against a fake Discord.
type harness struct {
	fake *discordtest.Server
	a    *discord.Adapter
	log  *logBuffer
	stop func() error // cancels Run and returns its error
	// users
	alice, bob map[string]any
}

// start runs an adapter for asker against a new fake Discord and waits
// until it is connected and its commands are registered. tweak may change
// the configuration first.
func start(t testing.TB, asker discord.Asker, tweak func(*discord.Config)) *harness {
	t.Helper()
	return startWith(t, asker, nil, tweak)
}

type configT = discord.Config

// startWith is start with a chance to configure the fake first.
func startWith(t testing.TB, asker discord.Asker, tweakFake func(*discordtest.Server), tweak func(*discord.Config)) *harness {
	t.Helper()
	fake := discordtest.New(t)
	if tweakFake != nil {
		tweakFake(fake)
	}
	h := &harness{fake: fake, log: &logBuffer{},
		alice: discordtest.User("300000000000000001", "alice"), bob: discordtest.User("300000000000000002", "bob")}
	cfg := discord.Config{
		Token: fake.Token, APIURL: fake.APIURL(), StreamInterval: -1,
		Logger: newLogger(h.log),
	}
	if tweak != nil {
		tweak(&cfg)
	}
	a, err := discord.New(asker, cfg)
	if err != nil {
		t.Fatal(err)
	}
	h.a = a
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var returned atomic.Bool
	go func() {
		err := a.Run(ctx)
		returned.Store(true)
		fake.Wake()
		done <- err
	}()
	var once sync.Once
	var runErr error
	h.stop = func() error {
		once.Do(func() { cancel(); runErr = <-done })
		return runErr
	}
	t.Cleanup(func() {
		if err := h.stop(); err != nil {
			t.Errorf("Run: %v", err)
		}
		h.checkNoSecrets(t)
	})
	if cfg.Token != "" {
		fake.WaitFor("connected, commands registered", func() bool {
			return returned.Load() || fake.CommandsLocked(cfg.GuildID) != nil
		})
		if returned.Load() {
			t.Fatalf("Run returned early: %v", h.stop())
		}
	}
	return h
}

// checkNoSecrets fails when the log shows the bot token or an interaction
// token.
func (h *harness) checkNoSecrets(t testing.TB) {
	log := h.log.String()
	if strings.Contains(log, h.fake.Token) || strings.Contains(log, "interaction-token-") {
		t.Errorf("the log shows a token:\n%s", log)
	}
}

// mention is a question addressed to the bot.
func (h *harness) mention(text string) string { return "<@" + h.fake.BotID + "> " + text }

// replies waits for n messages posted to channel and returns their
// payloads.
func (h *harness) posted(n int, channel string) []discordtest.Request {
	return h.fake.WaitRequests(n, "POST", "/channels/"+channel+"/messages")
}

// payload decodes a message payload.
type payload struct {
	Content         string           `json:"content"`
	Embeds          []embed          `json:"embeds"`
	AllowedMentions *allowedMentions `json:"allowed_mentions"`
	Reference       *struct {
		MessageID string `json:"message_id"`
	} `json:"message_reference"`
	Flags int `json:"flags"`
}

type embed struct {
	Title       string `json:"title"`
	Description string `json:"description"`
}

type allowedMentions struct {
	Parse       []string `json:"parse"`
	Users       []string `json:"users"`
	Roles       []string `json:"roles"`
	RepliedUser bool     `json:"replied_user"`
}

func decode(t *testing.T, r discordtest.Request) payload {
	t.Helper()
	var p payload
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatalf("payload of %s %s: %v\n%s", r.Method, r.Path, err, r.Body)
	}
	return p
}

// checkNoMentions fails unless a payload allows no mentions at all.
func checkNoMentions(t *testing.T, r discordtest.Request) {
	t.Helper()
	var raw map[string]json.RawMessage
	json.Unmarshal(r.Body, &raw)
	if d, ok := raw["data"]; ok { // an interaction callback
		json.Unmarshal(d, &raw)
	}
	am, ok := raw["allowed_mentions"]
	if !ok {
		t.Errorf("%s %s has no allowed_mentions: %s", r.Method, r.Path, r.Body)
		return
	}
	var got allowedMentions
	json.Unmarshal(am, &got)
	if got.Parse == nil || len(got.Parse) != 0 || len(got.Users) != 0 || len(got.Roles) != 0 || got.RepliedUser {
		t.Errorf("%s %s allows mentions: %s", r.Method, r.Path, am)
	}
}
