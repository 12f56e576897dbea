// Package metrics is what `newsbot serve` reports on /metrics, in the
// Prometheus text format: questions, answer and retrieval latency, language
// model calls and fallbacks, feed fetches, articles stored, panics
// recovered and rate-limited questions.
//
// It measures at the boundaries, by wrapping what the core is given (the
// asker the adapters call, the bot's retriever and model) and by the feed
// poller's round callback. Labels take values from small fixed sets
// (adapter names, modes, outcomes, fallback reasons) or from the
// configuration (feed URLs), never from what users type.
package metrics

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/safe"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/feed"
)

// Outcomes of a question (the outcome label).
const (
	OutcomeAnswered = "answered"  // an answer with sources
	OutcomeNotFound = "not_found" // nothing relevant was found
	OutcomeCanceled = "canceled"  // the asker gave up or the server stopped
	OutcomeError    = "error"     // Ask failed
)

// Metrics holds the collectors of one server. Its methods are safe for
// concurrent use.
type Metrics struct {
	reg *prometheus.Registry

	questions   *prometheus.CounterVec
	answerSecs  *prometheus.HistogramVec
	retrieval   prometheus.Histogram
	llmCalls    prometheus.Counter
	llmErrors   *prometheus.CounterVec
	fallbacks   *prometheus.CounterVec
	fetches     *prometheus.CounterVec
	failures    *prometheus.CounterVec
	added       *prometheus.CounterVec
	rateLimited *prometheus.CounterVec
}

// StatsFunc counts what the store holds, for the articles gauge.
type StatsFunc func(ctx context.Context) (knowledge.Stats, error)

// New returns the metrics, with the Go runtime's and the process's
// collectors, the panics counter (internal/safe) and, when stats is set,
// the number of articles stored (asked at each scrape).
func New(stats StatsFunc) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.questions = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "newsbot_questions_total", Help: "Questions asked, by adapter, answer mode (template, llm; none on error) and outcome (answered, not_found, canceled, error).",
	}, []string{"adapter", "mode", "outcome"})
	m.answerSecs = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "newsbot_answer_duration_seconds", Help: "Time to answer a question, retrieval and language model included, by adapter.",
		Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
	}, []string{"adapter"})
	m.retrieval = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "newsbot_retrieval_duration_seconds", Help: "Time to search the store for one question.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	})
	m.llmCalls = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "newsbot_llm_calls_total", Help: "Calls to the language model (answers and follow-up rewrites).",
	})
	m.llmErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "newsbot_llm_errors_total", Help: "Failed calls to the language model, by reason.",
	}, []string{"reason"})
	m.fallbacks = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "newsbot_llm_fallbacks_total", Help: "Template answers given where a language model answer was wanted, by reason (bot.Answer.FallbackReason).",
	}, []string{"reason"})
	m.fetches = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "newsbot_feed_fetches_total", Help: "Feed fetches, by configured feed URL.",
	}, []string{"feed"})
	m.failures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "newsbot_feed_failures_total", Help: "Feed fetches that failed (unreachable, refused, unparsable), by configured feed URL.",
	}, []string{"feed"})
	m.added = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "newsbot_feed_articles_total", Help: "Articles stored from feeds, by configured feed URL and change (added, updated).",
	}, []string{"feed", "change"})
	m.rateLimited = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "newsbot_rate_limited_questions_total", Help: "Questions refused by the per-user rate limit, by adapter.",
	}, []string{"adapter"})
	m.reg.MustRegister(m.questions, m.answerSecs, m.retrieval, m.llmCalls, m.llmErrors, m.fallbacks,
		m.fetches, m.failures, m.added, m.rateLimited,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "newsbot_panics_recovered_total", Help: "Panics recovered at a boundary (internal/safe) since start.",
		}, func() float64 { return float64(safe.Panics()) }),
	)
	if stats != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "newsbot_articles_stored", Help: "Articles in the store (asked at each scrape; -1 when the store did not answer).",
		}, func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			var st knowledge.Stats
			var err error
			if perr := safe.Do(ctx, nil, "metrics: store stats", func() { st, err = stats(ctx) }); perr != nil || err != nil {
				return -1
			}
			return float64(st.Articles)
		}))
	}
	return m
}

// Stories adds the gauge of stories stored, count asked at each scrape
// (-1 when the store did not answer).
func (m *Metrics) Stories(count func(ctx context.Context) (int, error)) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "newsbot_stories_stored", Help: "Stories (articles grouped by event) in the store (asked at each scrape; -1 when the store did not answer).",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		var n int
		var err error
		if perr := safe.Do(ctx, nil, "metrics: count stories", func() { n, err = count(ctx) }); perr != nil || err != nil {
			return -1
		}
		return float64(n)
	}))
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Asker is what chat adapters ask (slack.Asker, discord.Asker).
type Asker interface {
	Ask(ctx context.Context, q bot.Question) (*bot.Answer, error)
	Latest(ctx context.Context, topic string, n int) ([]bot.Headline, error)
}

// Asker returns a wraps counting and timing each question as adapter's.
func (m *Metrics) Asker(adapter string, a Asker) Asker {
	return &asker{m: m, adapter: adapter, next: a}
}

type asker struct {
	m       *Metrics
	adapter string
	next    Asker
}

func (a *asker) Ask(ctx context.Context, q bot.Question) (*bot.Answer, error) {
	start := time.Now()
	ans, err := a.next.Ask(ctx, q)
	a.m.answerSecs.WithLabelValues(a.adapter).Observe(time.Since(start).Seconds())
	mode, outcome := "none", OutcomeError
	switch {
	case err != nil && (errors.Is(err, context.Canceled) || ctx.Err() != nil):
		outcome = OutcomeCanceled
	case err != nil || ans == nil:
	default:
		mode, outcome = modeLabel(ans.Mode), OutcomeNotFound
		if ans.Found {
			outcome = OutcomeAnswered
		}
		if ans.FallbackReason != "" {
			a.m.fallbacks.WithLabelValues(ans.FallbackReason).Inc()
		}
	}
	a.m.questions.WithLabelValues(a.adapter, mode, outcome).Inc()
	return ans, err
}

func (a *asker) Latest(ctx context.Context, topic string, n int) ([]bot.Headline, error) {
	return a.next.Latest(ctx, topic, n)
}

// modeLabel keeps the mode label to the known modes.
func modeLabel(mode string) string {
	switch mode {
	case bot.ModeTemplate, bot.ModeLLM:
		return mode
	case "":
		return bot.ModeTemplate
	}
	return "other"
}

// Retriever returns r timing each search.
func (m *Metrics) Retriever(r bot.Retriever) bot.Retriever { return &retriever{m: m, next: r} }

type retriever struct {
	m    *Metrics
	next bot.Retriever
}

func (r *retriever) Search(ctx context.Context, q knowledge.Query) (*knowledge.Result, error) {
	start := time.Now()
	res, err := r.next.Search(ctx, q)
	r.m.retrieval.Observe(time.Since(start).Seconds())
	return res, err
}

// Model returns model counting each call and its errors by reason.
func (m *Metrics) Model(model bot.Model) bot.Model { return &countedModel{m: m, next: model} }

type countedModel struct {
	m    *Metrics
	next bot.Model
}

func (c *countedModel) Chat(ctx context.Context, msgs []bot.Message, onDelta func(string)) (string, error) {
	c.m.llmCalls.Inc()
	text, err := c.next.Chat(ctx, msgs, onDelta)
	if err != nil {
		c.m.llmErrors.WithLabelValues(bot.ErrorReason(ctx, err)).Inc()
	}
	return text, err
}

// FeedRound counts a poller round's fetches, failures and articles, by
// feed: give it to feed.Poller's OnRound (after what was there).
func (m *Metrics) FeedRound(_ context.Context, r feed.Round) {
	for _, f := range r.Feeds {
		m.fetches.WithLabelValues(f.URL).Inc()
		if f.Err != nil {
			m.failures.WithLabelValues(f.URL).Inc()
		}
		if f.Added > 0 {
			m.added.WithLabelValues(f.URL, "added").Add(float64(f.Added))
		}
		if f.Updated > 0 {
			m.added.WithLabelValues(f.URL, "updated").Add(float64(f.Updated))
		}
	}
}

// RateLimited counts a question refused by adapter's rate limit.
func (m *Metrics) RateLimited(adapter string) { m.rateLimited.WithLabelValues(adapter).Inc() }
