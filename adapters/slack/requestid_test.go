package slack

import (
	"bufio"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/logctx"
)

// idAsker logs a line with the question's context, as the bot does, and
// records the request id it saw.
type idAsker struct {
	*fakeAsker
	log *slog.Logger
	mu  sync.Mutex
	ids map[string]string // question -> request id
}

func (a *idAsker) Ask(ctx context.Context, q bot.Question) (*bot.Answer, error) {
	a.log.InfoContext(ctx, "bot: asked", "question", q.Text)
	a.mu.Lock()
	a.ids[q.Text] = logctx.RequestID(ctx)
	a.mu.Unlock()
	return a.fakeAsker.Ask(ctx, q)
}

// Every line the adapter logs about one question — received, rate
// limited, reply failed, answered — carries the request id the bot's
// lines about it carry (internal/logctx), and another question gets
// another id.
func TestLogLinesCarryTheQuestionsRequestID(t *testing.T) {
	logs := &syncBuffer{}
	lg := slog.New(logctx.Handler(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	fa := &idAsker{fakeAsker: &fakeAsker{answer: &bot.Answer{Text: "Fine. [1]", Found: true, Citations: []bot.Citation{apCitation}}},
		log: lg, ids: map[string]string{}}
	h := newHarness(t, fa, Options{Logger: lg, Limiter: &bot.Limiter{PerMinute: 1}})
	h.slack.fail("response", 1, http.StatusNotFound, "") // the answer to "first?" cannot be delivered
	post(t, h.app.URL+"/slack/commands", form, commandForm("first?", h.slack.responseURL("a")))
	post(t, h.app.URL+"/slack/events", "application/json", eventJSON("EvL", mention("C1", "U1", "9.1", "", "<@UBOT> second?")))
	h.slack.waitFor(1, isMethod("chat.postEphemeral")) // U1 is rate limited
	post(t, h.app.URL+"/slack/events", "application/json", eventJSON("EvM", mention("C1", "U2", "9.2", "", "<@UBOT> third?")))
	h.slack.waitFor(1, isMethod("chat.postMessage"))
	if err := h.stop(t); err != nil {
		t.Fatal(err)
	}

	// The lines about a question: the adapter's name its user.
	byID := map[string][]string{}
	sc := bufio.NewScanner(strings.NewReader(logs.String()))
	for sc.Scan() {
		var line struct {
			Msg       string `json:"msg"`
			User      string `json:"user"`
			RequestID string `json:"request_id"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		if line.User == "" && line.Msg != "bot: asked" {
			continue
		}
		if line.RequestID == "" {
			t.Errorf("a line about a question has no request_id: %s", sc.Text())
			continue
		}
		byID[line.RequestID] = append(byID[line.RequestID], line.Msg)
	}
	if len(byID) != 3 {
		t.Errorf("request ids %v, want 3 (one a question)\n%s", byID, logs.String())
	}
	fa.mu.Lock()
	first, third := fa.ids["first?"], fa.ids["third?"]
	fa.mu.Unlock()
	if first == "" || third == "" || first == third {
		t.Fatalf("the bot saw request ids %q and %q, want two distinct ones", first, third)
	}
	for _, want := range []string{"slash command", "bot: asked", "send reply", "answered"} {
		if !slices.Contains(byID[first], want) {
			t.Errorf("the lines with the first question's request id %s are %q, want %q among them", first, byID[first], want)
		}
	}
	for _, want := range []string{"bot: asked", "answered"} {
		if !slices.Contains(byID[third], want) {
			t.Errorf("the lines with the third question's request id %s are %q, want %q among them", third, byID[third], want)
		}
	}
	limited := 0
	for id, msgs := range byID {
		if id != first && id != third && slices.Equal(msgs, []string{"rate limited"}) {
			limited++
		}
	}
	if limited != 1 {
		t.Errorf("the rate-limited question's lines: %v, want one id with only \"rate limited\"", byID)
	}
}
