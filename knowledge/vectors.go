package knowledge

import (
	"context"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
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
		return nil, fmt.Errorf("vector of %d bytes: %w", len(b), ErrCorrupt)
	}
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v, nil
}
