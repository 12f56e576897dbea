package bot_test

import (
	"context"
	"testing"
	"time"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/bot/openai"
	"github.com/newsbot/newsbot/internal/fakeopenai"
	"github.com/newsbot/newsbot/internal/testkit"
	"github.com/newsbot/newsbot/knowledge/index"
)

// benchBot is seedBot for benchmarks.
func benchBot(b *testing.B) *bot.Bot {
	b.Helper()
	s := testkit.SampleStore(b)
	return &bot.Bot{Retriever: index.NewIndex(s, nil), Library: s}
}

const benchAnswer = "Steve Witkoff, President Trump's special envoy, met Russian President Vladimir Putin last week [1]. " +
	"He and Secretary of State Marco Rubio travel to Paris this week for talks with European allies [4]."

// instantModel answers at once, in process: what is left is the bot's own
// work (prompt, citations, sanitising).
type instantModel struct{}

func (instantModel) Chat(_ context.Context, _ []bot.Message, onDelta func(string)) (string, error) {
	if onDelta != nil {
		onDelta(benchAnswer)
	}
	return benchAnswer, nil
}

// BenchmarkLLMOverhead measures what the LLM path adds to an answer, apart
// from the model's own time: the same question answered from templates,
// by a model that answers instantly in process, and through the real
// go-openai client and HTTP against a local fake server that answers at
// once (as JSON, and streamed as server-sent events, one word a chunk).
func BenchmarkLLMOverhead(b *testing.B) {
	ctx := context.Background()
	q := bot.Question{Text: "Who met Vladimir Putin last week?"}
	run := func(b *testing.B, bt *bot.Bot, q bot.Question, want string) {
		for b.Loop() {
			a, err := bt.Ask(ctx, q)
			if err != nil || a.Mode != want {
				b.Fatalf("mode %q (%s), %v", a.Mode, a.FallbackReason, err)
			}
		}
	}
	b.Run("template", func(b *testing.B) {
		bt := benchBot(b)
		tq := q
		tq.Mode = bot.ModeTemplate
		run(b, bt, tq, bot.ModeTemplate)
	})
	b.Run("llm=inprocess", func(b *testing.B) {
		bt := benchBot(b)
		bt.LLM = &bot.LLM{Model: instantModel{}}
		run(b, bt, q, bot.ModeLLM)
	})
	for _, stream := range []bool{false, true} {
		name := "llm=http-json"
		if stream {
			name = "llm=http-stream"
		}
		b.Run(name, func(b *testing.B) {
			bt := benchBot(b)
			srv := fakeopenai.New(b)
			srv.Default = fakeopenai.Reply{Text: benchAnswer}
			bt.LLM = &bot.LLM{Model: openai.New(openai.Options{BaseURL: srv.BaseURL(), APIKey: "k", Model: "m"}), Timeout: 10 * time.Second}
			sq := q
			if stream {
				sq.OnPartial = func(string) {}
			}
			run(b, bt, sq, bot.ModeLLM)
		})
	}
}
