package index

import (
	"context"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/analysis"
)

// WithoutPruning makes ix score every candidate in full.
func WithoutPruning(ix *Index) { ix.noPrune = true }

// MakeAnalyzer1 rebuilds every segment of s as the first release did:
// boilerplate indexed, analyser version 1.
func MakeAnalyzer1(ctx context.Context, s knowledge.Store) error {
	snap, err := s.Snapshot(ctx)
	if err != nil {
		return err
	}
	old := func(a *knowledge.Article) *Prepared {
		p := &Prepared{Article: a, Hash: knowledge.ContentHash(a), titleTerms: analysis.Terms(a.Title, nil)}
		for _, text := range a.Paragraphs {
			p.paraTerms = append(p.paraTerms, analysis.Terms(text, nil))
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
