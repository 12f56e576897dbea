package knowledge

import "context"

// TopCosineForBench exposes the semantic scan to the benchmarks.
func TopCosineForBench(q []float32, docs []int64, data []float32, dim, n int) int {
	return len(topCosine(q, docs, data, dim, n, func(int64) bool { return true }))
}

// WithoutPruning makes ix score every candidate in full.
func WithoutPruning(ix *Index) { ix.noPrune = true }

// MakeAnalyzer1 rebuilds every segment of s as the first release did:
// boilerplate indexed, analyser version 1.
func MakeAnalyzer1(ctx context.Context, s Store) error {
	snap, err := s.Snapshot(ctx)
	if err != nil {
		return err
	}
	old := func(a *Article) *Prepared {
		p := &Prepared{Article: a, Hash: ContentHash(a), titleTerms: Terms(a.Title, nil)}
		for _, text := range a.Paragraphs {
			p.paraTerms = append(p.paraTerms, Terms(text, nil))
		}
		return p
	}
	for _, seg := range snap.Segments {
		now, err := s.Snapshot(ctx)
		if err != nil {
			return err
		}
		if err := reindexSegment(ctx, s, now, seg, old, 1); err != nil {
			return err
		}
	}
	return nil
}
