package metrics

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/feed"
)

type fakeModel struct{ err error }

func (f fakeModel) Chat(context.Context, []bot.Message, func(string)) (string, error) {
	return "text", f.err
}

type fakeAsker struct {
	ans *bot.Answer
	err error
}

func (f fakeAsker) Ask(context.Context, bot.Question) (*bot.Answer, error) { return f.ans, f.err }
func (f fakeAsker) Latest(context.Context, string, int) ([]bot.Headline, error) {
	return nil, nil
}

func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	return string(body)
}

func TestCounts(t *testing.T) {
	m := New(func(context.Context) (knowledge.Stats, error) { return knowledge.Stats{Articles: 7}, nil })
	m.Stories(func(context.Context) (int, error) { return 5, nil })
	ctx := context.Background()
	model := m.Model(fakeModel{})
	model.Chat(ctx, nil, nil)
	m.Model(fakeModel{err: fmt.Errorf("chat: %w", bot.ErrRateLimited)}).Chat(ctx, nil, nil)
	m.Asker("slack", fakeAsker{ans: &bot.Answer{Found: true, Mode: bot.ModeLLM}}).Ask(ctx, bot.Question{})
	m.Asker("slack", fakeAsker{ans: &bot.Answer{Found: true, Mode: bot.ModeTemplate, FallbackReason: bot.FallbackTimeout}}).Ask(ctx, bot.Question{})
	m.Asker("slack", fakeAsker{err: errors.New("boom")}).Ask(ctx, bot.Question{})
	m.Asker("discord", fakeAsker{err: context.Canceled}).Ask(ctx, bot.Question{})
	m.RateLimited("slack")
	m.FeedRound(ctx, feed.Round{Feeds: []feed.FeedResult{{URL: "https://a.example/rss", Added: 3}, {URL: "https://b.example/rss", Err: errors.New("down")}}})
	body := scrape(t, m)
	for _, w := range []string{
		"newsbot_llm_calls_total 2",
		`newsbot_llm_errors_total{reason="rate_limited"} 1`,
		`newsbot_llm_fallbacks_total{reason="timeout"} 1`,
		`newsbot_questions_total{adapter="slack",mode="llm",outcome="answered"} 1`,
		`newsbot_questions_total{adapter="slack",mode="template",outcome="answered"} 1`,
		`newsbot_questions_total{adapter="slack",mode="none",outcome="error"} 1`,
		`newsbot_questions_total{adapter="discord",mode="none",outcome="canceled"} 1`,
		`newsbot_rate_limited_questions_total{adapter="slack"} 1`,
		`newsbot_feed_fetches_total{feed="https://a.example/rss"} 1`,
		`newsbot_feed_failures_total{feed="https://b.example/rss"} 1`,
		`newsbot_feed_articles_total{change="added",feed="https://a.example/rss"} 3`,
		"newsbot_articles_stored 7",
		"newsbot_stories_stored 5",
		"newsbot_panics_recovered_total ",
	} {
		if !strings.Contains(body, w) {
			t.Errorf("metrics lack %s", w)
		}
	}
	if t.Failed() {
		t.Log(body)
	}
}

// A store that fails or panics shows -1 articles rather than failing the
// scrape.
func TestArticlesStoredWhenTheStoreFails(t *testing.T) {
	for _, stats := range []StatsFunc{
		func(context.Context) (knowledge.Stats, error) { return knowledge.Stats{}, errors.New("down") },
		func(context.Context) (knowledge.Stats, error) { panic("boom") },
	} {
		m := New(stats)
		m.Stories(func(ctx context.Context) (int, error) { st, err := stats(ctx); return st.Articles, err })
		if body := scrape(t, m); !strings.Contains(body, "newsbot_articles_stored -1") || !strings.Contains(body, "newsbot_stories_stored -1") {
			t.Errorf("articles and stories stored:\n%s", body)
		}
	}
}
