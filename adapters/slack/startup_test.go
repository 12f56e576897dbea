package slack

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/backoff"
)

// startAdapter runs an adapter against fs with token, retrying quickly at
// start.
func startAdapter(t *testing.T, fs *fakeSlack, token string, logs io.Writer) (*Adapter, context.CancelFunc, <-chan error) {
	t.Helper()
	a, err := New(&fakeAsker{}, Options{BotToken: token, SigningSecret: testSecret, APIURL: fs.apiURL(), Retries: -1,
		StartRetry: backoff.Policy{Base: time.Millisecond, Max: 4 * time.Millisecond},
		Logger:     slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	return a, cancel, done
}

// Slack failing at start (503 five times) is retried with backoff: not
// ready meanwhile, with the reason; connected (and ready) once auth.test
// answers.
func TestStartRetriesUntilSlackAnswers(t *testing.T) {
	fs := newFakeSlack(t)
	fs.fail("auth.test", 5, 503, "")
	if err := (&Adapter{}).Ready(); err == nil {
		t.Error("an adapter that has not run is ready")
	}
	logs := &syncBuffer{}
	a, cancel, done := startAdapter(t, fs, testBotToken, logs)
	for a.botUserID() == "" {
		select {
		case err := <-done:
			t.Fatalf("Run gave up: %v\n%s", err, logs.String())
		case <-time.After(time.Millisecond):
		}
	}
	if err := a.Ready(); err != nil {
		t.Errorf("connected but not ready: %v", err)
	}
	if n := strings.Count(logs.String(), "slack auth.test: failed, retrying"); n != 5 {
		t.Errorf("%d retries logged, want 5:\n%s", n, logs.String())
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
}

// A token Slack refuses (invalid_auth) is not retried: Run returns at once
// with an error that says what to do.
func TestStartGivesUpOnARefusedToken(t *testing.T) {
	fs := newFakeSlack(t)
	logs := &syncBuffer{}
	a, _, done := startAdapter(t, fs, "xoxb-revoked", logs)
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "invalid_auth") || !strings.Contains(err.Error(), "refused SLACK_BOT_TOKEN") {
			t.Errorf("Run = %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("Run still retries a refused token\n%s", logs.String())
	}
	if err := a.Ready(); err == nil || !strings.Contains(err.Error(), "invalid_auth") {
		t.Errorf("Ready = %v", err)
	}
	if strings.Contains(logs.String(), "retrying") {
		t.Errorf("a refused token was retried:\n%s", logs.String())
	}
}
