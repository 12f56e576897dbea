package bot

import (
	"context"
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestConversations(t *testing.T) {
	c0 := &clock{t: time.Date(2025, 4, 16, 12, 0, 0, 0, time.UTC)}
	c := &Conversations{TTL: time.Minute, Max: 2, Questions: 2, Now: c0.now}
	ctx := context.Background()
	c.Add(ctx, "a", "q1")
	c.Add(ctx, "a", "q2")
	c.Add(ctx, "a", "q3")
	if got := c.History(ctx, "a"); !reflect.DeepEqual(got, []string{"q2", "q3"}) {
		t.Errorf("History(a) = %q, want the last two", got)
	}
	c0.t = c0.t.Add(30 * time.Second)
	c.Add(ctx, "b", "b1")
	c0.t = c0.t.Add(10 * time.Second)
	c.Add(ctx, "c", "c1") // over Max: the least recently used ("a") goes
	if got := c.History(ctx, "a"); got != nil {
		t.Errorf("History(a) after eviction = %q", got)
	}
	c0.t = c0.t.Add(2 * time.Minute)
	if got := c.History(ctx, "b"); got != nil {
		t.Errorf("History(b) after TTL = %q", got)
	}
}

func TestLimiter(t *testing.T) {
	c0 := &clock{t: time.Date(2025, 4, 16, 12, 0, 0, 0, time.UTC)}
	l := &Limiter{PerMinute: 3, Now: c0.now}
	for i := range 3 {
		if ok, _ := l.Allow("u1"); !ok {
			t.Fatalf("question %d refused within the burst", i+1)
		}
	}
	ok, wait := l.Allow("u1")
	if ok || wait <= 0 || wait > 25*time.Second {
		t.Errorf("4th question: ok=%v wait=%v; want refused, retry in about 20s", ok, wait)
	}
	if ok, _ := l.Allow("u2"); !ok {
		t.Error("another user is limited by u1's questions")
	}
	c0.t = c0.t.Add(21 * time.Second)
	if ok, _ := l.Allow("u1"); !ok {
		t.Error("u1 still refused after the wait")
	}
	if ok, _ := (&Limiter{}).Allow("x"); !ok {
		t.Error("zero Limiter refused")
	}
	if msg := RateLimitMessage(20 * time.Second); msg == "" || !strings.Contains(msg, "20 seconds") {
		t.Errorf("message = %q", msg)
	}
}

// failingTurns is a ConversationStore whose database is down.
type failingTurns struct{ adds int }

func (f *failingTurns) ConversationTurns(context.Context, string, time.Time, int) ([]string, error) {
	return nil, errors.New("connection refused")
}

func (f *failingTurns) AddConversationTurn(context.Context, string, string, time.Time, int, time.Time) error {
	f.adds++
	return errors.New("connection refused")
}

// A failing conversation store costs a follow-up its context, not its
// answer: no history, the failure logged; blank questions are not stored.
func TestConversationsStoreFailing(t *testing.T) {
	var logs strings.Builder
	f := &failingTurns{}
	c := &Conversations{Store: f, Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	ctx := context.Background()
	c.Add(ctx, "k", "Who met Putin?")
	c.Add(ctx, "k", " \x00\t ")
	if h := c.History(ctx, "k"); h != nil {
		t.Errorf("History = %q, want none", h)
	}
	if f.adds != 1 {
		t.Errorf("%d turns sent to the store, want 1 (a blank question is not a turn)", f.adds)
	}
	if !strings.Contains(logs.String(), "connection refused") || !strings.Contains(logs.String(), "conversation history unavailable") {
		t.Errorf("log = %q, want both failures", logs.String())
	}
}
