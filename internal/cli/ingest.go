// Package cli holds what the command line prints beside the interactive
// loop (adapters/repl): ingest and embedding progress and summaries, and
// the feed commands' output. It may know the storage engines, the feeds
// and the ingester; the adapters only know the core (bot).
package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/hybrid"
	"github.com/newsbot/newsbot/knowledge/ingest"
)

// Embed computes the embeddings the store lacks (after an ingest), showing
// progress on progress (a terminal; nil for none) and a summary on w.
func Embed(ctx context.Context, vs knowledge.VectorStore, e knowledge.Embedder, model string, w, progress io.Writer) error {
	o := hybrid.EmbedOptions{}
	if progress != nil {
		o.Progress = func(s hybrid.EmbedSummary) {
			fmt.Fprintf(progress, "\r\033[Kembedding: %d paragraphs embedded, %d reused", s.Embedded, s.Reused)
		}
	}
	sum, err := hybrid.EmbedPending(ctx, vs, e, model, o)
	if progress != nil {
		fmt.Fprint(progress, "\r\033[K")
	}
	fmt.Fprintf(w, "embeddings (%s): %d paragraphs embedded, %d reused in %s\n", model, sum.Embedded, sum.Reused, sum.Elapsed.Round(10*time.Millisecond))
	if err != nil {
		return fmt.Errorf("%w (the articles are stored; ingest again to embed the rest)", err)
	}
	return nil
}

// Ingest runs an ingest, showing progress on progress (a terminal; nil for
// none) and the summary and problems on w.
func Ingest(ctx context.Context, in *ingest.Ingester, paths []string, w, progress io.Writer) (ingest.Summary, error) {
	if progress != nil {
		in.Progress = func(p ingest.Progress) {
			if p.Done {
				fmt.Fprint(progress, "\r\033[K")
				return
			}
			pct := ""
			if p.BytesTotal > 0 {
				pct = fmt.Sprintf(" %3.0f%%", 100*float64(p.Bytes)/float64(p.BytesTotal))
			}
			fmt.Fprintf(progress, "\r\033[Kingesting:%s  file %d/%d  %d articles  (%d added, %d updated, %d unchanged, %d rejected)",
				pct, min(p.Files+1, p.FilesTotal), p.FilesTotal, p.Articles, p.Summary.Added, p.Summary.Updated, p.Summary.Unchanged, p.Summary.Rejected)
		}
	}
	sum, err := in.Ingest(ctx, paths)
	WriteSummary(w, sum)
	return sum, err
}

// WriteSummary prints an ingest summary and its problems.
func WriteSummary(w io.Writer, s ingest.Summary) {
	for _, p := range s.Problems {
		kind := "rejected"
		if p.Warning {
			kind = "warning"
		}
		fmt.Fprintf(w, "%s: %s: %v\n", kind, p.Where, p.Err)
	}
	if shown := len(s.Problems); shown < s.Rejected+s.Warnings {
		fmt.Fprintf(w, "(%d more problems not shown)\n", s.Rejected+s.Warnings-shown)
	}
	fmt.Fprintf(w, "ingest: %d added, %d updated, %d unchanged, %d rejected", s.Added, s.Updated, s.Unchanged, s.Rejected)
	if s.Warnings > 0 {
		fmt.Fprintf(w, ", %d warnings", s.Warnings)
	}
	if s.Skipped > 0 {
		fmt.Fprintf(w, ", %d directory entries skipped (unknown type, hidden, or not a regular file)", s.Skipped)
	}
	fmt.Fprintf(w, " in %s\n", s.Elapsed.Round(10*time.Millisecond))
}
