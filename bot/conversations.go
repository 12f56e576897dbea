package bot

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// ConversationStore keeps conversation turns outside the process — in the
// database, where every instance sharing it and a restarted one find them
// (knowledge/sqlite and knowledge/postgres implement it).
type ConversationStore interface {
	// ConversationTurns returns the questions asked in conversation key at
	// or after since, oldest first: the newest limit of them.
	ConversationTurns(ctx context.Context, key string, since time.Time, limit int) ([]string, error)
	// AddConversationTurn records question as asked in key at at, keeps the
	// newest keep turns of key, and forgets every turn asked before expire.
	AddConversationTurn(ctx context.Context, key, question string, at time.Time, keep int, expire time.Time) error
}

// Conversations remembers the recent questions of each conversation — a
// Slack thread, a Discord thread or channel, a DM — so that follow-ups can
// lean on them (Question.History). Conversations idle for longer than TTL
// are forgotten, and at most Questions are kept of each. In memory (Store
// nil) at most Max conversations are kept, the least recently used going
// first; with a Store the turns live there, shared by the instances that
// share it. The zero value keeps 10,000 conversations in memory for 30
// minutes, 5 questions each. It is safe for concurrent use.
type Conversations struct {
	TTL       time.Duration
	Max       int
	Questions int
	// Store, when set, keeps the turns instead of this process's memory.
	// When it fails, the question is answered without its history (and
	// the failure logged): a follow-up loses its context, not its answer.
	Store ConversationStore
	// Logger receives the Store's failures; nil means slog.Default().
	Logger *slog.Logger
	// Now returns the current time; nil means time.Now.
	Now func() time.Time

	mu sync.Mutex
	m  map[string]*conversation
}

type conversation struct {
	questions []string
	last      time.Time
}

// maxTurnRunes bounds a stored question (questions are already bounded by
// MaxQuestionRunes; this holds for any caller).
const maxTurnRunes = MaxQuestionRunes

func (c *Conversations) limits() (time.Duration, int, int) {
	ttl, max, qs := c.TTL, c.Max, c.Questions
	if ttl <= 0 {
		ttl = 30 * time.Minute
	}
	if max <= 0 {
		max = 10000
	}
	if qs <= 0 {
		qs = 5
	}
	return ttl, max, qs
}

func (c *Conversations) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Conversations) logger() *slog.Logger {
	if c.Logger != nil {
		return c.Logger
	}
	return slog.Default()
}

// History returns the questions asked in conversation key, oldest first.
func (c *Conversations) History(ctx context.Context, key string) []string {
	ttl, _, qs := c.limits()
	if c.Store != nil {
		h, err := c.Store.ConversationTurns(ctx, key, c.now().Add(-ttl), qs)
		if err != nil {
			c.logger().WarnContext(ctx, "conversation history unavailable; answering without it", "err", err)
			return nil
		}
		return h
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	conv, ok := c.m[key]
	if !ok {
		return nil
	}
	if c.now().Sub(conv.last) > ttl {
		delete(c.m, key)
		return nil
	}
	return append([]string(nil), conv.questions...)
}

// Add records a question asked in conversation key.
func (c *Conversations) Add(ctx context.Context, key, question string) {
	ttl, max, qs := c.limits()
	now := c.now()
	// Stored as the bot reads it: no control characters (PostgreSQL's text
	// holds no NUL), valid UTF-8, bounded.
	question, err := CleanQuestion(clip(question, maxTurnRunes))
	if err != nil {
		return
	}
	if c.Store != nil {
		if err := c.Store.AddConversationTurn(ctx, key, question, now, qs, now.Add(-ttl)); err != nil {
			c.logger().WarnContext(ctx, "conversation turn not kept", "err", err)
		}
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]*conversation{}
	}
	conv, ok := c.m[key]
	if !ok || now.Sub(conv.last) > ttl {
		conv = &conversation{}
		c.m[key] = conv
	}
	conv.questions = append(conv.questions, question)
	if len(conv.questions) > qs {
		conv.questions = conv.questions[len(conv.questions)-qs:]
	}
	conv.last = now
	if len(c.m) > max {
		c.evict(now, ttl, max)
	}
}

// evict drops expired conversations, then the least recently used ones
// until at most max remain.
func (c *Conversations) evict(now time.Time, ttl time.Duration, max int) {
	for k, v := range c.m {
		if now.Sub(v.last) > ttl {
			delete(c.m, k)
		}
	}
	for len(c.m) > max {
		var oldest string
		var at time.Time
		for k, v := range c.m {
			if oldest == "" || v.last.Before(at) {
				oldest, at = k, v.last
			}
		}
		delete(c.m, oldest)
	}
}
