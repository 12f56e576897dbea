package hybrid

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/newsbot/newsbot/knowledge"
)

// EmbedOptions tune EmbedPending; the zero value works.
type EmbedOptions struct {
	// Batch is how many paragraphs go into one embedding request (and one
	// transaction); zero means 64.
	Batch int
	// MaxRunes truncates long paragraphs before embedding; zero means 6000.
	MaxRunes int
	// Progress, when set, is called after each batch.
	Progress func(EmbedSummary)
}

// EmbedSummary counts what EmbedPending did.
type EmbedSummary struct {
	Embedded int // paragraphs sent to the model
	Reused   int // paragraphs whose unchanged text already had a vector
	Elapsed  time.Duration
}

// EmbedPending embeds every paragraph the store holds no vector for under
// model (an EmbeddingKey), in batches, each stored in its own transaction:
// an interrupted run loses at most one batch, and running it again goes on
// from there. Paragraphs whose text already has a vector (an article
// re-ingested with some paragraphs changed) reuse it without asking the
// model. It returns what was done so far with the first error.
func EmbedPending(ctx context.Context, vs knowledge.VectorStore, e knowledge.Embedder, model string, o EmbedOptions) (EmbedSummary, error) {
	start := time.Now()
	var sum EmbedSummary
	batch := o.Batch
	if batch <= 0 {
		batch = 64
	}
	maxRunes := o.MaxRunes
	if maxRunes <= 0 {
		maxRunes = 6000
	}
	for {
		if err := ctx.Err(); err != nil {
			sum.Elapsed = time.Since(start)
			return sum, err
		}
		paras, err := vs.Unembedded(ctx, model, batch)
		if err != nil {
			sum.Elapsed = time.Since(start)
			return sum, fmt.Errorf("embed: %w", err)
		}
		if len(paras) == 0 {
			break
		}
		hashes := make([]string, len(paras))
		for i, p := range paras {
			hashes[i] = knowledge.TextHash(p.Text)
		}
		known, err := vs.VectorsByHash(ctx, model, hashes)
		if err != nil {
			sum.Elapsed = time.Since(start)
			return sum, fmt.Errorf("embed: %w", err)
		}
		out := make([]knowledge.DocVector, 0, len(paras))
		var texts []string
		var todo []int
		for i, p := range paras {
			if v, ok := known[hashes[i]]; ok {
				out = append(out, knowledge.DocVector{Doc: p.Doc, Hash: hashes[i], Vec: v})
				sum.Reused++
				continue
			}
			if p.Text == "" {
				continue
			}
			texts = append(texts, truncateRunes(p.Text, maxRunes))
			todo = append(todo, i)
		}
		if len(texts) > 0 {
			vecs, err := e.Embed(ctx, texts)
			if err == nil && len(vecs) != len(texts) {
				err = fmt.Errorf("%d vectors for %d paragraphs", len(vecs), len(texts))
			}
			if err != nil {
				sum.Elapsed = time.Since(start)
				return sum, fmt.Errorf("embed paragraphs %d-%d: %w", paras[0].Doc, paras[len(paras)-1].Doc, err)
			}
			for j, i := range todo {
				if len(vecs[j]) == 0 {
					sum.Elapsed = time.Since(start)
					return sum, fmt.Errorf("embed paragraph %d: %w", paras[i].Doc, errors.New("empty vector"))
				}
				out = append(out, knowledge.DocVector{Doc: paras[i].Doc, Hash: hashes[i], Vec: vecs[j]})
			}
		}
		if err := vs.PutVectors(ctx, model, out, paras[len(paras)-1].Doc); err != nil {
			sum.Elapsed = time.Since(start)
			return sum, fmt.Errorf("embed: store vectors: %w", err)
		}
		sum.Embedded += len(texts)
		if o.Progress != nil {
			o.Progress(sum)
		}
	}
	sum.Elapsed = time.Since(start)
	return sum, nil
}

func truncateRunes(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}
