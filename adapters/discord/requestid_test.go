package discord_test

import (
	"bufio"
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/newsbot/newsbot/adapters/discord"
	"github.com/newsbot/newsbot/adapters/discord/discordtest"
	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/logctx"
)

// idAsker logs a line with the question's context, as the bot does, and
// records the request id it saw.
type idAsker struct {
	discord.Asker
	log *slog.Logger
	mu  sync.Mutex
	ids map[string]string // question -> request id
}

func (a *idAsker) Ask(ctx context.Context, q bot.Question) (*bot.Answer, error) {
	a.log.InfoContext(ctx, "bot: asked", "question", q.Text)
	a.mu.Lock()
	a.ids[q.Text] = logctx.RequestID(ctx)
	a.mu.Unlock()
	return a.Asker.Ask(ctx, q)
}

// Every line the adapter logs about one question — received, rate
// limited, delivery failed — carries the request id the bot's lines about
// it carry (internal/logctx), and another question gets another id.
func TestLogLinesCarryTheQuestionsRequestID(t *testing.T) {
	t.Parallel()
	logs := &logBuffer{}
	lg := slog.New(logctx.Handler(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	asker := &idAsker{Asker: newsBot(t), log: lg, ids: map[string]string{}}
	h := start(t, asker, func(c *discord.Config) { c.RateLimit, c.Logger = 1, lg })
	ch := h.fake.AddChannel(discordtest.GuildText)
	h.fake.Fail("POST", "/channels/"+ch+"/messages", 1, 500) // alice's answer cannot be delivered
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention("Who met Vladimir Putin?")})
	logs.waitFor(t, "deliver answer failed")
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention("Where were the negotiations held?")})
	h.posted(2, ch) // alice's failed answer (recorded too), then the rate limit notice
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.bob, Content: h.mention("Who met Putin last week?")})
	h.posted(3, ch) // bob's answer
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}

	about := []string{"question", "bot: asked", "rate limited", "deliver answer failed"} // the lines about a question here
	byID := map[string][]string{}
	sc := bufio.NewScanner(strings.NewReader(logs.String()))
	for sc.Scan() {
		var line struct {
			Msg       string `json:"msg"`
			RequestID string `json:"request_id"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		if !slices.Contains(about, line.Msg) {
			continue
		}
		if line.RequestID == "" {
			t.Errorf("a line about a question has no request_id: %s", sc.Text())
			continue
		}
		byID[line.RequestID] = append(byID[line.RequestID], line.Msg)
	}
	asker.mu.Lock()
	first, third := asker.ids["Who met Vladimir Putin?"], asker.ids["Who met Putin last week?"]
	asker.mu.Unlock()
	if first == "" || third == "" || first == third {
		t.Fatalf("the bot saw request ids %q and %q, want two distinct ones", first, third)
	}
	want := map[string][]string{first: {"question", "bot: asked", "deliver answer failed"}, third: {"question", "bot: asked"}}
	for id, msgs := range byID {
		if id != first && id != third {
			want[id] = []string{"question", "rate limited"}
		}
		if !slices.Equal(msgs, want[id]) {
			t.Errorf("the lines with request id %s are %q, want %q", id, msgs, want[id])
		}
	}
	if len(byID) != 3 {
		t.Errorf("request ids %v, want 3 (one a question)\n%s", byID, logs.String())
	}
}
