// Package sample bundles a small set of articles, so that a fresh install
// can answer a question before any news has been ingested. The sample is the
// AP article newsbot started from (16 April 2025).
package sample

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/parse"
)

//go:embed *.txt
var files embed.FS

// Articles returns the sample articles, parsed.
func Articles() ([]*knowledge.Article, error) {
	names, err := fs.Glob(files, "*.txt")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []*knowledge.Article
	for _, n := range names {
		data, err := files.ReadFile(n)
		if err != nil {
			return nil, err
		}
		a, err := parse.ParseText(string(data))
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// Adder stores articles; *knowledge.Ingester is one.
type Adder interface {
	Add(ctx context.Context, arts []*knowledge.Article) (index.ApplyResult, []parse.Problem, error)
}

// LoadIfEmpty stores the sample articles when s holds no article, and
// returns how many it stored (0 when the store was not empty).
func LoadIfEmpty(ctx context.Context, s knowledge.Reader, add Adder) (int, error) {
	st, err := s.Stats(ctx)
	if err != nil {
		return 0, fmt.Errorf("load sample: %w", err)
	}
	if st.Articles > 0 {
		return 0, nil
	}
	arts, err := Articles()
	if err != nil {
		return 0, fmt.Errorf("load sample: %w", err)
	}
	res, _, err := add.Add(ctx, arts)
	if err != nil {
		return 0, fmt.Errorf("load sample: %w", err)
	}
	return res.Added, nil
}
