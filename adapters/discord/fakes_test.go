package discord_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsbot/newsbot/bot"
)

var errStore = errors.New("ask: read segment 7: disk on fire")

func decodeInto(t *testing.T, raw []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("%v\n%s", err, raw)
	}
}

// fixedAsker answers every question with the same answer (or error), and
// records the questions it was asked.
type fixedAsker struct {
	answer *bot.Answer
	err    error

	mu        sync.Mutex
	questions []bot.Question
}

func (f *fixedAsker) Ask(ctx context.Context, q bot.Question) (*bot.Answer, error) {
	text, err := bot.CleanQuestion(q.Text)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.questions = append(f.questions, q)
	f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	a := *f.answer
	a.Question = text
	return &a, nil
}

func (f *fixedAsker) Latest(ctx context.Context, topic string, n int) ([]bot.Headline, error) {
	return nil, f.err
}

// recorder wraps a bot and records the questions it was asked.
type recorder struct {
	*bot.Bot
	mu        sync.Mutex
	questions []bot.Question
}

func (r *recorder) Ask(ctx context.Context, q bot.Question) (*bot.Answer, error) {
	r.mu.Lock()
	r.questions = append(r.questions, q)
	r.mu.Unlock()
	return r.Bot.Ask(ctx, q)
}

func (r *recorder) asked() []bot.Question {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bot.Question(nil), r.questions...)
}

var published = time.Date(2025, 4, 16, 0, 0, 0, 0, time.UTC)

// longAnswer is a 5,000-character answer in three paragraphs of sentences
// ending in citation markers, with four citations.
func longAnswer() *bot.Answer {
	var paras []string
	n := 0
	for p := 0; p < 3; p++ {
		var b strings.Builder
		for b.Len() < 1560 {
			n++
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "Sentence %d of the answer reports what the officials said about the talks in Paris and Riyadh, quoting them at length. [%d]", n, n%4+1)
		}
		paras = append(paras, b.String())
	}
	text := strings.Join(paras, "\n\n")
	text += "\n\nThe last word goes to a link: https://example.com/report?id=1 (the full report). [2] [3]"
	for len(text) < 5000 {
		text += " More."
	}
	a := &bot.Answer{Text: text, Found: true, Mode: bot.ModeTemplate}
	for i := 1; i <= 4; i++ {
		a.Citations = append(a.Citations, bot.Citation{N: i, ArticleID: fmt.Sprintf("a%d", i), Title: fmt.Sprintf("Report number %d on the talks", i),
			Source: "AP", URL: fmt.Sprintf("https://apnews.example/article/%d", i), Published: published, Paragraph: i + 2, Quote: "quote", Text: "text"})
	}
	return a
}
