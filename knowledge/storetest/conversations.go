package storetest

import (
	"context"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// ConversationStore is what the conversation suite tests (the shape of
// bot.ConversationStore, which knowledge packages do not import).
type ConversationStore interface {
	ConversationTurns(ctx context.Context, key string, since time.Time, limit int) ([]string, error)
	AddConversationTurn(ctx context.Context, key, question string, at time.Time, keep int, expire time.Time) error
}

// RunConversations runs the suite of conversation turns against pairs of
// stores from open: two handles on one database, as two instances (or a
// process and its restart) have.
func RunConversations(t *testing.T, open SharedOpener) {
	pair := func(t *testing.T) (ConversationStore, ConversationStore) {
		a, b := open(t)
		ca, ok := a.(ConversationStore)
		if !ok {
			t.Fatalf("%T does not keep conversation turns", a)
		}
		return ca, b.(ConversationStore)
	}
	t.Run("TurnsSeenByOtherInstance", func(t *testing.T) { testConversationShared(t, pair) })
	t.Run("BoundedByTurnsAndAge", func(t *testing.T) { testConversationBounds(t, pair) })
	t.Run("ConcurrentTurns", func(t *testing.T) { testConversationConcurrent(t, pair) })
}

func addTurn(t *testing.T, s ConversationStore, key, q string, at time.Time) {
	t.Helper()
	if err := s.AddConversationTurn(context.Background(), key, q, at, 3, at.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
}

func turns(t *testing.T, s ConversationStore, key string, since time.Time) []string {
	t.Helper()
	h, err := s.ConversationTurns(context.Background(), key, since, 3)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func testConversationShared(t *testing.T, pair func(*testing.T) (ConversationStore, ConversationStore)) {
	a, b := pair(t)
	addTurn(t, a, "slack:T1:C1:171.1", "Where are Rubio and Witkoff travelling?", t0)
	addTurn(t, b, "slack:T1:C1:171.1", "On which day?", t0.Add(time.Minute))
	addTurn(t, a, "discord:chan:9", "What's new?", t0.Add(time.Minute))
	want := []string{"Where are Rubio and Witkoff travelling?", "On which day?"}
	for name, s := range map[string]ConversationStore{"a": a, "b": b} {
		if got := turns(t, s, "slack:T1:C1:171.1", t0.Add(-time.Hour)); !reflect.DeepEqual(got, want) {
			t.Errorf("turns through %s = %q, want %q (oldest first, both instances' turns)", name, got, want)
		}
	}
	if got := turns(t, b, "slack:T1:C1:999.9", t0.Add(-time.Hour)); len(got) != 0 {
		t.Errorf("an unknown conversation has turns %q", got)
	}
	// Keys and questions (cleaned by bot.Conversations: no control
	// characters) are kept byte for byte, whatever they hold.
	odd := "who? ' \" ; DROP TABLE conversation_turns; -- 👩‍👩‍👧 " + strings.Repeat("é", 300)
	addTurn(t, a, "k'\"\\", odd, t0.Add(2*time.Minute))
	if got := turns(t, b, "k'\"\\", t0); len(got) != 1 || got[0] != odd {
		t.Errorf("odd turn came back as %q", got)
	}
}

func testConversationBounds(t *testing.T, pair func(*testing.T) (ConversationStore, ConversationStore)) {
	a, b := pair(t)
	for i, q := range []string{"q1", "q2", "q3", "q4", "q5"} {
		addTurn(t, a, "c", q, t0.Add(time.Duration(i)*time.Second))
	}
	if got := turns(t, b, "c", t0.Add(-time.Hour)); !reflect.DeepEqual(got, []string{"q3", "q4", "q5"}) {
		t.Errorf("after 5 turns with keep 3: %q, want the newest three", got)
	}
	// Turns before since are not returned; turns before expire are deleted.
	if got := turns(t, b, "c", t0.Add(4*time.Second)); !reflect.DeepEqual(got, []string{"q5"}) {
		t.Errorf("turns since the 5th = %q, want [q5]", got)
	}
	addTurn(t, b, "other", "later", t0.Add(2*time.Hour)) // expires everything before t0+1h
	if got := turns(t, a, "c", time.Time{}); len(got) != 0 {
		t.Errorf("turns older than the expiry are still kept: %q", got)
	}
}

func testConversationConcurrent(t *testing.T, pair func(*testing.T) (ConversationStore, ConversationStore)) {
	a, b := pair(t)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		s := a
		if i%2 == 1 {
			s = b
		}
		wg.Go(func() {
			at := t0.Add(time.Duration(i) * time.Millisecond)
			if err := s.AddConversationTurn(context.Background(), "busy", "q", at, 3, at.Add(-time.Hour)); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := turns(t, a, "busy", time.Time{}); len(got) != 3 {
		t.Errorf("after 40 concurrent turns with keep 3: %d kept, want 3", len(got))
	}
}
