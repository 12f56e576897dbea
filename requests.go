package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/logctx"
	"github.com/newsbot/newsbot/internal/metrics"
)

// withRequestIDs gives each question an adapter passes to next a request
// id (internal/logctx): every line logged about it with its context — the
// bot's, the language model client's, and the one this logs when the
// answer is ready — carries request_id.
func withRequestIDs(adapter string, next metrics.Asker, log *slog.Logger) metrics.Asker {
	return &requestIDs{adapter: adapter, next: next, log: log}
}

type requestIDs struct {
	adapter string
	next    metrics.Asker
	log     *slog.Logger
}

func (r *requestIDs) Ask(ctx context.Context, q bot.Question) (*bot.Answer, error) {
	ctx, _ = logctx.WithRequestID(ctx)
	start := time.Now()
	ans, err := r.next.Ask(ctx, q)
	attrs := []any{"adapter", r.adapter, "took", time.Since(start).Round(time.Millisecond)}
	if err != nil {
		r.log.WarnContext(ctx, "question failed", append(attrs, "err", err)...)
		return ans, err
	}
	if ans != nil {
		attrs = append(attrs, "mode", ans.Mode, "found", ans.Found, "citations", len(ans.Citations))
	}
	r.log.InfoContext(ctx, "question answered", attrs...)
	return ans, err
}

func (r *requestIDs) Latest(ctx context.Context, topic string, n int) ([]bot.Headline, error) {
	ctx, _ = logctx.WithRequestID(ctx)
	return r.next.Latest(ctx, topic, n)
}
