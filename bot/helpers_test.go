package bot

import (
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
	c.Add("a", "q1")
	c.Add("a", "q2")
	c.Add("a", "q3")
	if got := c.History("a"); !reflect.DeepEqual(got, []string{"q2", "q3"}) {
		t.Errorf("History(a) = %q, want the last two", got)
	}
	c0.t = c0.t.Add(30 * time.Second)
	c.Add("b", "b1")
	c0.t = c0.t.Add(10 * time.Second)
	c.Add("c", "c1") // over Max: the least recently used ("a") goes
	if got := c.History("a"); got != nil {
		t.Errorf("History(a) after eviction = %q", got)
	}
	c0.t = c0.t.Add(2 * time.Minute)
	if got := c.History("b"); got != nil {
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
