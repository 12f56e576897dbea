package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsbot/newsbot/bot"
	goldenfile "github.com/newsbot/newsbot/internal/golden"
	"github.com/newsbot/newsbot/internal/testkit"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/ingest"
)

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, name, got)
}

// hostile is an article whose title, outlet and text try to notify a
// whole channel.
var hostile = &knowledge.Article{
	URL:       "https://news.example.com/harbour?a=1&b=<2>",
	Title:     "Harbour alert <!channel> | lighthouse <!subteam^S123|@editors>",
	Source:    "Example <!here> News",
	Published: time.Date(2025, 4, 15, 0, 0, 0, 0, time.UTC),
	Paragraphs: []string{
		"The harbour authority announced the closure of the old lighthouse on Tuesday.",
		"The harbour master said <!channel> and @here were told about the lighthouse closure, and that <@U999> & <#C42|ops> would follow up.",
	},
}

// realBot is a newsbot over a real SQLite store holding the bundled AP
// sample and the hostile article.
func realBot(t testing.TB) *bot.Bot {
	t.Helper()
	ctx := context.Background()
	s := testkit.SampleStore(t)
	in := &ingest.Ingester{Store: s}
	h := *hostile
	if _, _, err := in.Add(ctx, []*knowledge.Article{&h}); err != nil {
		t.Fatal(err)
	}
	return testkit.Bot(s, nil)
}

// fakeAsker answers with a fixed answer, recording the questions; when
// partials is set it calls OnPartial with each before answering, and when
// gate is set it waits for it before answering.
type fakeAsker struct {
	answer   *bot.Answer
	partials []string
	// afterPartial, when set, runs after each OnPartial call (tests use it
	// to wait until the partial reached Slack).
	afterPartial func(i int)
	gate         chan struct{}
	asked        chan bot.Question
	err          error // returned instead of the answer
	// cancelled, when set, is returned when ctx ends before the gate
	// opens, as the bot returns the extractive answer when the model's is
	// cancelled.
	cancelled *bot.Answer
	headlines []bot.Headline // what Latest returns

	mu        sync.Mutex
	questions []bot.Question
}

func (f *fakeAsker) Ask(ctx context.Context, q bot.Question) (*bot.Answer, error) {
	f.mu.Lock()
	f.questions = append(f.questions, q)
	f.mu.Unlock()
	if f.asked != nil {
		f.asked <- q
	}
	if f.gate != nil {
		select {
		case <-f.gate:
		case <-ctx.Done():
			if f.cancelled != nil {
				return f.cancelled, nil
			}
			return nil, ctx.Err()
		}
	}
	if f.err != nil {
		return nil, f.err
	}
	for i, p := range f.partials {
		if q.OnPartial != nil {
			q.OnPartial(p)
		}
		if f.afterPartial != nil {
			f.afterPartial(i)
		}
	}
	a := *f.answer
	a.Question = q.Text
	return &a, nil
}

func (f *fakeAsker) Latest(ctx context.Context, topic string, n int) ([]bot.Headline, error) {
	return f.headlines[:min(n, len(f.headlines))], nil
}

func (f *fakeAsker) got() []bot.Question {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]bot.Question(nil), f.questions...)
}

// harness is an adapter in HTTP mode against a fake Slack, with its routes
// served by a local HTTP server.
type harness struct {
	slack   *fakeSlack
	adapter *Adapter
	app     *httptest.Server
	cancel  context.CancelFunc
	done    chan struct{} // closed when Run has returned
	runErr  error         // what Run returned
	logs    *syncBuffer
}

// syncBuffer is a log destination safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// noBotToken as Options.BotToken makes newHarness set none (OAuth
// installs only).
const noBotToken = "none"

func newHarness(t testing.TB, b Asker, opt Options) *harness {
	t.Helper()
	fs := newFakeSlack(t)
	logs := &syncBuffer{}
	switch opt.BotToken {
	case "":
		opt.BotToken = testBotToken
	case noBotToken:
		opt.BotToken = "" // installs through OAuth only
	}
	if opt.AppToken == "" {
		opt.SigningSecret = testSecret
	}
	opt.APIURL = fs.apiURL()
	if opt.Logger == nil { // a test that brings its own reads its own log
		opt.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	a, err := New(b, opt)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	a.Register(mux)
	h := &harness{slack: fs, adapter: a, app: httptest.NewServer(mux), done: make(chan struct{}), logs: logs}
	t.Cleanup(h.app.Close)
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	go func() { h.runErr = a.Run(ctx); close(h.done) }()
	t.Cleanup(func() {
		h.stop(t)
		for _, secret := range []string{testBotToken, testAppToken, testSecret, testClientSecret, testTeam2Token} {
			if strings.Contains(logs.String(), secret) {
				t.Errorf("the log contains a secret:\n%s", logs.String())
			}
		}
	})
	// Run has checked the token once auth.test answered.
	for opt.BotToken != "" && a.botUserID() == "" {
		select {
		case <-h.done:
			t.Fatalf("Run: %v", h.runErr)
		case <-time.After(time.Millisecond):
		}
	}
	return h
}

// stop ends Run (as SIGTERM does) and returns its error once it has
// returned; it is safe to call more than once.
func (h *harness) stop(t testing.TB) error {
	t.Helper()
	h.cancel()
	return h.wait(t)
}

// wait waits for Run to return, and returns its error.
func (h *harness) wait(t testing.TB) error {
	t.Helper()
	select {
	case <-h.done:
		return h.runErr
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
	return nil
}

// closed reports whether the adapter has stopped taking work.
func (h *harness) closed() bool {
	h.adapter.mu.Lock()
	defer h.adapter.mu.Unlock()
	return h.adapter.closed
}

// eventually waits until cond holds; it fails the test after 20 seconds
// (a deadlock guard, not a timing assertion).
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// rawBroadcast matches what would notify people in a Slack message. An
// escaped @\u2060here does not match: the word joiner follows the @.
var rawBroadcast = regexp.MustCompile(`(?i)<!(channel|here|everyone|subteam)|<@[UW]|@(channel|here|everyone)\b`)

// checkSafe fails when a message sent to Slack could notify anyone: an
// unescaped <!channel>, <!here>, <!everyone>, <!subteam^…>, <@U…>, or a
// bare @channel/@here/@everyone.
func checkSafe(t *testing.T, what, s string) {
	t.Helper()
	// Decode JSON string escapes (\u003c) before looking.
	var decoded any
	if json.Unmarshal([]byte(s), &decoded) == nil {
		b, _ := json.Marshal(decoded)
		s = string(b)
		s = strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(s)
	}
	if m := rawBroadcast.FindString(s); m != "" {
		t.Errorf("%s lets a mention through (%q):\n%s", what, m, s)
	}
}

// blocksOf decodes a message's blocks into generic maps.
func blocksOf(t *testing.T, raw json.RawMessage) []map[string]any {
	t.Helper()
	var bs []map[string]any
	if err := json.Unmarshal(raw, &bs); err != nil {
		t.Fatalf("blocks are not JSON: %v\n%s", err, raw)
	}
	return bs
}

// checkLimits fails when blocks break Slack's limits: at most 50 blocks,
// 3,000 characters per section, 10 elements per context block.
func checkLimits(t *testing.T, bs []map[string]any) {
	t.Helper()
	if len(bs) > maxBlocks {
		t.Errorf("%d blocks, Slack allows %d", len(bs), maxBlocks)
	}
	for i, b := range bs {
		switch b["type"] {
		case "section":
			text := b["text"].(map[string]any)["text"].(string)
			if n := slackLen(text); n > maxSectionChars {
				t.Errorf("block %d: section of %d characters, Slack allows %d", i, n, maxSectionChars)
			}
		case "context":
			if n := len(b["elements"].([]any)); n > maxContextElems {
				t.Errorf("block %d: context of %d elements, Slack allows %d", i, n, maxContextElems)
			}
		}
	}
}

// texts returns the text of each block of a kind ("section", "context").
func texts(bs []map[string]any, kind string) []string {
	var out []string
	for _, b := range bs {
		if b["type"] != kind {
			continue
		}
		switch kind {
		case "section":
			out = append(out, b["text"].(map[string]any)["text"].(string))
		case "context":
			var parts []string
			for _, e := range b["elements"].([]any) {
				parts = append(parts, e.(map[string]any)["text"].(string))
			}
			out = append(out, strings.Join(parts, "\n"))
		}
	}
	return out
}

func decodeJSON(t *testing.T, res *http.Response, v any) {
	t.Helper()
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("response is not JSON: %v", err)
	}
}
