package storetest

import (
	"context"
	"errors"
	"hash/fnv"
	"reflect"
	"sort"
	"sync"
	"testing"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/hybrid"
	"github.com/newsbot/newsbot/knowledge/index"
)

// RunVectors runs the suite of knowledge.VectorStore against stores from
// open, which must implement it (engines that offer hybrid retrieval).
func RunVectors(t *testing.T, open Opener) {
	vs := func(t *testing.T) (knowledge.Store, knowledge.VectorStore) {
		s := open(t)
		v, ok := s.(knowledge.VectorStore)
		if !ok {
			t.Fatalf("%T does not implement knowledge.VectorStore", s)
		}
		return s, v
	}
	t.Run("EmbedPendingResumesAndReuses", func(t *testing.T) { testEmbedPending(t, vs) })
	t.Run("ScanVectorsIsIncremental", func(t *testing.T) { testScanVectors(t, vs) })
}

// Embedder is a deterministic knowledge.Embedder for tests: each text
// gets a vector derived from its hash. It records the texts it embedded
// and fails, when FailAfter is positive, on every call after that many.
type Embedder struct {
	FailAfter int

	mu    sync.Mutex
	calls int
	Texts []string
}

// ErrEmbedFailed is what a failing Embedder returns.
var ErrEmbedFailed = errors.New("embedder failed (test)")

// Embed returns one vector per text.
func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.calls++
	if e.FailAfter > 0 && e.calls > e.FailAfter {
		return nil, ErrEmbedFailed
	}
	out := make([][]float32, len(texts))
	for i, s := range texts {
		out[i] = Vector(s)
		e.Texts = append(e.Texts, s)
	}
	return out, nil
}

// Vector is the vector Embedder gives text.
func Vector(text string) []float32 {
	h := fnv.New64a()
	h.Write([]byte(text))
	x := h.Sum64()
	v := make([]float32, 8)
	for i := range v {
		v[i] = float32(int64(x>>(8*i))&0xff) - 127.5
	}
	return v
}

func scanAll(t *testing.T, v knowledge.VectorStore, model string, since int64) (map[int64][]float32, int64) {
	t.Helper()
	got := map[int64][]float32{}
	pos, err := v.ScanVectors(context.Background(), model, since, func(doc int64, vec []float32) error {
		if _, dup := got[doc]; dup {
			t.Errorf("doc %d scanned twice", doc)
		}
		got[doc] = vec
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got, pos
}

// liveTexts maps the doc numbers of every stored paragraph to its text
// (the suite's stores hold fewer than 1000 paragraphs).
func liveTexts(t *testing.T, s knowledge.Store) map[int64]string {
	t.Helper()
	var docs []int64
	for d := int64(1); d < 1000; d++ {
		docs = append(docs, d)
	}
	ps, err := s.Passages(context.Background(), docs)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]string{}
	for _, p := range ps {
		out[p.Doc] = p.Text
	}
	return out
}

func testEmbedPending(t *testing.T, vs func(*testing.T) (knowledge.Store, knowledge.VectorStore)) {
	ctx := context.Background()
	s, v := vs(t)
	apply(t, s, t0,
		article("https://example.com/a", "A", t0, "Alpha one.", "Alpha two."),
		article("https://example.com/b", "B", t0, "Bravo one."),
		article("https://example.com/c", "C", t0, "Charlie one.", "Charlie two.", "Charlie three."),
	)
	const model = "test-model"
	// The second request fails: the first batch is kept.
	e := &Embedder{FailAfter: 1}
	sum, err := hybrid.EmbedPending(ctx, v, e, model, hybrid.EmbedOptions{Batch: 2})
	if !errors.Is(err, ErrEmbedFailed) || sum.Embedded != 2 {
		t.Fatalf("failing embedder: %+v, %v; want 2 embedded and its error", sum, err)
	}
	// The next run goes on from there.
	e = &Embedder{}
	sum, err = hybrid.EmbedPending(ctx, v, e, model, hybrid.EmbedOptions{Batch: 2})
	if err != nil || sum.Embedded != 4 || sum.Reused != 0 {
		t.Fatalf("resumed run: %+v, %v; want the 4 remaining paragraphs", sum, err)
	}
	for _, s := range e.Texts {
		if s == "Alpha one." || s == "Alpha two." {
			t.Errorf("resumed run embedded %q again", s)
		}
	}
	sum, err = hybrid.EmbedPending(ctx, v, e, model, hybrid.EmbedOptions{})
	if err != nil || sum.Embedded+sum.Reused != 0 {
		t.Errorf("nothing new: %+v, %v", sum, err)
	}
	// A changed article: only its changed paragraph goes to the model.
	apply(t, s, t0, article("https://example.com/c", "C", t0, "Charlie one.", "Charlie two, corrected.", "Charlie three."))
	e = &Embedder{}
	sum, err = hybrid.EmbedPending(ctx, v, e, model, hybrid.EmbedOptions{})
	if err != nil || sum.Embedded != 1 || sum.Reused != 2 || !reflect.DeepEqual(e.Texts, []string{"Charlie two, corrected."}) {
		t.Errorf("after an update: %+v, %v, embedded %q; want only the changed paragraph", sum, err, e.Texts)
	}
	// Every live paragraph has its own text's vector; replaced ones are gone.
	texts := liveTexts(t, s)
	got, _ := scanAll(t, v, model, 0)
	if len(got) != len(texts) || len(texts) != 6 {
		t.Errorf("%d vectors for %d live paragraphs (want 6)", len(got), len(texts))
	}
	for doc, text := range texts {
		if !reflect.DeepEqual(got[doc], Vector(text)) {
			t.Errorf("doc %d (%q): vector %v, want %v", doc, text, got[doc], Vector(text))
		}
	}
	// Another model starts afresh.
	if ps, err := v.Unembedded(ctx, "other-model", 100); err != nil || len(ps) != 6 {
		t.Errorf("another model: %d paragraphs to embed, %v; want 6", len(ps), err)
	}
}

func testScanVectors(t *testing.T, vs func(*testing.T) (knowledge.Store, knowledge.VectorStore)) {
	ctx := context.Background()
	s, v := vs(t)
	apply(t, s, t0, article("https://example.com/a", "A", t0, "One.", "Two."))
	ps, err := v.Unembedded(ctx, "m", 10)
	if err != nil || len(ps) != 2 || ps[0].Doc >= ps[1].Doc || ps[0].Text != "One." {
		t.Fatalf("Unembedded = %+v, %v", ps, err)
	}
	if err := v.PutVectors(ctx, "m", []knowledge.DocVector{{Doc: ps[0].Doc, Hash: knowledge.TextHash("One."), Vec: []float32{1, 2}}}, ps[0].Doc); err != nil {
		t.Fatal(err)
	}
	got, pos := scanAll(t, v, "m", 0)
	if len(got) != 1 || !reflect.DeepEqual(got[ps[0].Doc], []float32{1, 2}) {
		t.Fatalf("scan = %v", got)
	}
	if rest, _ := v.Unembedded(ctx, "m", 10); len(rest) != 1 || rest[0].Doc != ps[1].Doc {
		t.Errorf("after the watermark: %+v, want only the second paragraph", rest)
	}
	if err := v.PutVectors(ctx, "m", []knowledge.DocVector{{Doc: ps[1].Doc, Hash: knowledge.TextHash("Two."), Vec: []float32{3, 4}}}, ps[1].Doc); err != nil {
		t.Fatal(err)
	}
	newer, pos2 := scanAll(t, v, "m", pos)
	if len(newer) != 1 || newer[ps[1].Doc] == nil || pos2 <= pos {
		t.Errorf("incremental scan = %v (position %d after %d), want only the new vector", newer, pos2, pos)
	}
	if none, _ := scanAll(t, v, "m", pos2); len(none) != 0 {
		t.Errorf("scan with nothing new = %v", none)
	}
	byHash, err := v.VectorsByHash(ctx, "m", []string{knowledge.TextHash("Two."), knowledge.TextHash("Three.")})
	if err != nil || len(byHash) != 1 || !reflect.DeepEqual(byHash[knowledge.TextHash("Two.")], []float32{3, 4}) {
		t.Errorf("VectorsByHash = %v, %v", byHash, err)
	}
	if other, _ := scanAll(t, v, "other", 0); len(other) != 0 {
		t.Errorf("another model's scan = %v", other)
	}
	// Deleting the article hides its vectors.
	if _, err := index.Delete(ctx, s, []string{knowledge.ArticleID(article("https://example.com/a", "A", t0))}); err != nil {
		t.Fatal(err)
	}
	if left, _ := scanAll(t, v, "m", 0); len(left) != 0 {
		keys := []int64{}
		for k := range left {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
		t.Errorf("vectors of a deleted article still scanned: docs %v", keys)
	}
}
