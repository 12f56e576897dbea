package knowledge

import (
	"context"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"time"
)

// Embedder turns texts into vectors with an embedding model
// (bot/openai.Client over any OpenAI-compatible API).
type Embedder interface {
	// Embed returns one vector per text, in order, all of one size.
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// VectorStore is the optional part of a Store that keeps paragraph
// embeddings for hybrid retrieval (knowledge/sqlite implements it). Vectors
// are kept per model key (EmbeddingKey), so that changing the model starts
// afresh instead of mixing vector spaces. Engines only move rows; what to
// embed and how to rank lives in this package (EmbedPending, Hybrid).
// Implementations must be safe for concurrent use.
type VectorStore interface {
	// Unembedded returns up to limit paragraphs, in doc order, whose doc
	// numbers are above the model's watermark (see PutVectors). Doc numbers
	// only grow, so the paragraphs above the watermark are exactly those
	// never considered for this model.
	Unembedded(ctx context.Context, model string, limit int) ([]DocText, error)
	// VectorsByHash returns the model's stored vectors whose paragraph text
	// has one of the given hashes (TextHash), so unchanged text of a
	// replaced article is not embedded again.
	VectorsByHash(ctx context.Context, model string, hashes []string) (map[string][]float32, error)
	// PutVectors stores vectors and raises the model's watermark to
	// through, in one transaction, so an interrupted pass resumes where it
	// stopped.
	PutVectors(ctx context.Context, model string, vs []DocVector, through int64) error
	// ScanVectors calls fn, in storage order, with each vector of the model
	// stored after position since (0 for all) whose paragraph still exists,
	// and returns the position to pass next time for only newer vectors.
	ScanVectors(ctx context.Context, model string, since int64, fn func(doc int64, vec []float32) error) (int64, error)
}

// DocText is a paragraph to embed.
type DocText struct {
	Doc  int64
	Text string
}

// DocVector is a paragraph's embedding.
type DocVector struct {
	Doc  int64
	Hash string // TextHash of the paragraph's text
	Vec  []float32
}

// EmbeddingKey names the vectors of a model (and, when not zero, a chosen
// vector size): the key under which a VectorStore keeps them.
func EmbeddingKey(model string, dims int) string {
	if dims > 0 {
		return fmt.Sprintf("%s@%d", model, dims)
	}
	return model
}

// TextHash identifies a paragraph's text for reusing its vector.
func TextHash(text string) string {
	h := sha1.Sum([]byte(text))
	return hex.EncodeToString(h[:])
}

// EncodeVector packs a vector as little-endian float32s, the form engines
// store.
func EncodeVector(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, f := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(f))
	}
	return b
}

// DecodeVector unpacks EncodeVector's form.
func DecodeVector(b []byte) ([]float32, error) {
	if len(b)%4 != 0 {
		return nil, fmt.Errorf("vector of %d bytes: %w", len(b), errCorrupt)
	}
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v, nil
}

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
func EmbedPending(ctx context.Context, vs VectorStore, e Embedder, model string, o EmbedOptions) (EmbedSummary, error) {
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
			hashes[i] = TextHash(p.Text)
		}
		known, err := vs.VectorsByHash(ctx, model, hashes)
		if err != nil {
			sum.Elapsed = time.Since(start)
			return sum, fmt.Errorf("embed: %w", err)
		}
		out := make([]DocVector, 0, len(paras))
		var texts []string
		var todo []int
		for i, p := range paras {
			if v, ok := known[hashes[i]]; ok {
				out = append(out, DocVector{Doc: p.Doc, Hash: hashes[i], Vec: v})
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
				out = append(out, DocVector{Doc: paras[i].Doc, Hash: hashes[i], Vec: vecs[j]})
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
