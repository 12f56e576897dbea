package bot

import (
	"fmt"
	"math"
	"sync"
	"time"
)

// Limiter limits how many questions each user may ask per minute, with a
// burst of the same size (a token bucket per user). PerMinute zero means no
// limit. It is safe for concurrent use; idle users are forgotten.
type Limiter struct {
	PerMinute int
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// OnLimited, when set, is called (outside the lock) each time Allow
	// refuses a question: metrics count them.
	OnLimited func()

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

func (l *Limiter) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// Allow takes one question from user's allowance. When the user has none
// left it returns false and how long until the next question is allowed.
func (l *Limiter) Allow(user string) (bool, time.Duration) {
	ok, wait := l.allow(user)
	if !ok && l.OnLimited != nil {
		l.OnLimited()
	}
	return ok, wait
}

func (l *Limiter) allow(user string) (bool, time.Duration) {
	if l == nil || l.PerMinute <= 0 {
		return true, 0
	}
	now := l.now()
	rate := float64(l.PerMinute) / 60 // tokens per second
	burst := float64(l.PerMinute)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buckets == nil {
		l.buckets = map[string]*bucket{}
	}
	if now.Sub(l.swept) > 10*time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.at) > 2*time.Minute {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[user]
	if !ok {
		b = &bucket{tokens: burst, at: now}
		l.buckets[user] = b
	}
	b.tokens = math.Min(burst, b.tokens+now.Sub(b.at).Seconds()*rate)
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / rate * float64(time.Second))
	return false, wait.Round(time.Second) + time.Second
}

// RateLimitMessage is the friendly text for a user who asked too often.
func RateLimitMessage(retryAfter time.Duration) string {
	secs := int(math.Ceil(retryAfter.Seconds()))
	if secs <= 1 {
		return "You're asking faster than I can read the news. Please try again in a second."
	}
	return fmt.Sprintf("You're asking faster than I can read the news. Please try again in %d seconds.", secs)
}
