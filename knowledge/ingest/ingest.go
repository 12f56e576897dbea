package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsbot/newsbot/internal/safe"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/parse"
	"github.com/newsbot/newsbot/knowledge/story"
	"golang.org/x/sync/errgroup"
)

// Ingester loads articles from files into a Store. The zero value is not
// usable: set Store. Other fields are optional.
type Ingester struct {
	Store knowledge.Store
	// Logger receives warnings about inputs; nil discards them.
	Logger *slog.Logger
	// BatchArticles and BatchParagraphs bound one transaction; zero means
	// 1000 articles and 50,000 paragraphs.
	BatchArticles, BatchParagraphs int
	// Workers analyse articles in parallel; zero means GOMAXPROCS.
	Workers int
	// Progress, when set, is called from time to time during Ingest and once
	// at the end with Done set.
	Progress func(Progress)
	// Stdin is read for the path "-".
	Stdin io.Reader
	// Now returns the time recorded as arrival; nil means time.Now.
	Now func() time.Time
	// Elsewhere, when set, names the files in directories that another
	// reader takes (saved web pages and feeds, for the feed reader): they
	// are neither read nor counted as skipped.
	Elsewhere func(path string) bool
}

// Progress reports how far an ingest has come.
type Progress struct {
	Files, FilesTotal int
	Bytes, BytesTotal int64
	Articles          int // articles read so far
	Summary           Summary
	Done              bool
}

// Summary is the outcome of an ingest.
type Summary struct {
	Added, Updated, Unchanged int
	// Rejected counts articles (lines, elements, files) that could not be
	// used; Problems says why (up to MaxProblems of them).
	Rejected int
	Warnings int
	// Skipped counts the entries of directories that are not read: files
	// of unknown formats, hidden files and folders, symbolic links (not
	// followed), FIFOs, devices and sockets.
	Skipped  int
	Problems []parse.Problem
	Elapsed  time.Duration
}

// MaxProblems bounds Summary.Problems; the count in Rejected is exact.
const MaxProblems = 100

func (s *Summary) add(r index.ApplyResult) {
	s.Added += r.Added
	s.Updated += r.Updated
	s.Unchanged += r.Unchanged
}

func (in *Ingester) now() time.Time {
	if in.Now != nil {
		return in.Now()
	}
	return time.Now()
}

func (in *Ingester) logger() *slog.Logger {
	if in.Logger != nil {
		return in.Logger
	}
	return slog.New(slog.DiscardHandler)
}

type input struct {
	path string
	size int64
}

// ingestRun is the state of one Ingest shared by its stages: the inputs,
// the summary so far (under mu) and the progress counters.
type ingestRun struct {
	in     *Ingester
	start  time.Time
	inputs []input
	total  int64 // bytes in inputs

	mu  sync.Mutex
	sum Summary

	bytesRead, filesDone, articlesRead atomic.Int64
}

// chunk is a run of consecutive articles going through the pipeline; seq
// puts chunks back in input order after the parallel analysis.
type chunk struct {
	seq    int
	arts   []*knowledge.Article
	wheres []string
	prep   []*index.Prepared
}

// chunkSize is how many articles a chunk holds.
const chunkSize = 64

// problem records a rejected article or file, or a warning, and logs it
// at info level: the summary lists them (once each), the log is for those
// past MaxProblems and for the feed poller's runs. It is safe for
// concurrent use.
func (r *ingestRun) problem(p parse.Problem) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if p.Warning {
		r.sum.Warnings++
		r.in.logger().Info("ingest: "+p.Err.Error(), "where", p.Where)
	} else {
		r.sum.Rejected++
		r.in.logger().Info("ingest: rejected: "+p.Err.Error(), "where", p.Where)
	}
	if len(r.sum.Problems) < MaxProblems {
		r.sum.Problems = append(r.sum.Problems, p)
	}
}

// report tells Progress, when set, how far the ingest has come.
func (r *ingestRun) report(done bool) {
	if r.in.Progress == nil {
		return
	}
	r.mu.Lock()
	s := r.sum
	r.mu.Unlock()
	s.Elapsed = time.Since(r.start)
	r.in.Progress(Progress{
		Files: int(r.filesDone.Load()), FilesTotal: len(r.inputs), Bytes: r.bytesRead.Load(), BytesTotal: r.total,
		Articles: int(r.articlesRead.Load()), Summary: s, Done: done,
	})
}

// Ingest reads every path (a file, a directory — read recursively, hidden
// entries and unknown extensions skipped — or "-" for Stdin) and stores the
// articles in batches, each batch one transaction. Bad lines and files are
// reported in the summary and skipped. When ctx is cancelled, batches already
// committed stay and the summary so far is returned with ctx's error; running
// the same ingest again completes it.
//
// Three stages run at once: reading the inputs in order (read), analysing
// chunks of articles in parallel (analyse), and writing them back in input
// order, in batches (write).
func (in *Ingester) Ingest(ctx context.Context, paths []string) (Summary, error) {
	r := &ingestRun{in: in, start: time.Now()}
	inputs, skipped, err := in.expand(paths, r.problem)
	r.sum.Skipped = skipped
	if err != nil {
		return r.sum, err
	}
	r.inputs = inputs
	for _, f := range inputs {
		r.total += f.size
	}
	workers := in.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	raw := make(chan *chunk, 4)
	prepared := make(chan *chunk, 2*workers)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer close(raw)
		return r.read(gctx, raw)
	})
	g.Go(func() error {
		defer close(prepared)
		return r.analyse(gctx, workers, raw, prepared)
	})
	g.Go(func() error { return r.write(gctx, prepared) })
	err = g.Wait()
	if err == nil {
		_, err = index.Compact(ctx, in.Store, index.CompactPolicy{})
	}
	r.sum.Elapsed = time.Since(r.start)
	r.report(true)
	switch {
	case err == nil:
		return r.sum, nil
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil:
		return r.sum, fmt.Errorf("ingest interrupted: %w", err)
	}
	return r.sum, fmt.Errorf("ingest: %w", err)
}

// read reads the inputs in order and sends their articles to raw in chunks.
// A file that cannot be read (or whose reading panics) is a problem, and
// the other files go on; only ctx's end stops it, with ctx's error.
func (r *ingestRun) read(ctx context.Context, raw chan<- *chunk) error {
	seq := 0
	cur := &chunk{}
	send := func() error {
		cur.seq = seq
		seq++
		select {
		case raw <- cur:
		case <-ctx.Done():
			return ctx.Err()
		}
		cur = &chunk{}
		return nil
	}
	emit := func(a *knowledge.Article, where string) error {
		r.articlesRead.Add(1)
		cur.arts = append(cur.arts, a)
		cur.wheres = append(cur.wheres, where)
		if len(cur.arts) == chunkSize {
			return send()
		}
		return nil
	}
	for _, f := range r.inputs {
		var err error
		if perr := safe.Do(ctx, r.in.Logger, "ingest "+f.path, func() { err = r.in.readInput(ctx, f, &r.bytesRead, emit, r.problem) }); perr != nil {
			err = perr // the rest of this file is skipped; the other files go on
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			r.problem(parse.Problem{Where: f.path, Err: err})
		}
		r.filesDone.Add(1)
	}
	if len(cur.arts) > 0 {
		return send()
	}
	return nil
}

// analyse prepares the chunks of raw on workers goroutines and sends them
// to prepared, in whatever order they are done. An article whose analysis
// panics is a problem, left nil in its chunk.
func (r *ingestRun) analyse(ctx context.Context, workers int, raw <-chan *chunk, prepared chan<- *chunk) error {
	var g errgroup.Group
	for range workers {
		g.Go(func() error {
			for c := range raw {
				c.prep = make([]*index.Prepared, len(c.arts))
				for i, a := range c.arts {
					if perr := safe.Do(ctx, r.in.Logger, "ingest "+c.wheres[i], func() { c.prep[i] = index.Prepare(a) }); perr != nil {
						r.problem(parse.Problem{Where: c.wheres[i], Err: perr})
					}
				}
				select {
				case prepared <- c:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			return nil
		})
	}
	return g.Wait()
}

// write puts the chunks of prepared back in input order and stores them in
// batches of at most BatchArticles articles and BatchParagraphs
// paragraphs, the last batch once prepared is closed. A batch that cannot
// be stored stops it with the store's error.
func (r *ingestRun) write(ctx context.Context, prepared <-chan *chunk) error {
	maxArts, maxParas := r.in.BatchArticles, r.in.BatchParagraphs
	if maxArts <= 0 {
		maxArts = 1000
	}
	if maxParas <= 0 {
		maxParas = 50000
	}
	var batch []*index.Prepared
	paras := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		res, err := r.in.apply(ctx, batch, r.problem)
		if err != nil {
			return err
		}
		r.mu.Lock()
		r.sum.add(res)
		r.mu.Unlock()
		batch, paras = batch[:0], 0
		return nil
	}
	pending := map[int]*chunk{}
	next := 0
	lastReport := time.Now()
	for c := range prepared {
		pending[c.seq] = c
		for c, ok := pending[next]; ok; c, ok = pending[next] {
			delete(pending, next)
			next++
			for _, p := range c.prep {
				if p == nil {
					continue // its analysis panicked: a problem already
				}
				batch = append(batch, p)
				paras += len(p.Paragraphs)
				if len(batch) >= maxArts || paras >= maxParas {
					if err := flush(); err != nil {
						return err
					}
				}
			}
		}
		if time.Since(lastReport) > 200*time.Millisecond {
			r.report(false)
			lastReport = time.Now()
		}
	}
	if err := ctx.Err(); err != nil {
		return err // the reading or the analysis stopped short
	}
	return flush()
}

// readInput reads one file (or stdin) and emits its articles.
func (in *Ingester) readInput(ctx context.Context, f input, bytesRead *atomic.Int64, emit func(*knowledge.Article, string) error, problem func(parse.Problem)) error {
	var r io.Reader
	if f.path == "-" {
		if in.Stdin == nil {
			return errors.New("no standard input")
		}
		r = in.Stdin
	} else {
		file, err := os.Open(f.path)
		if err != nil {
			return err
		}
		defer file.Close()
		r = file
	}
	return parse.ReadLogged(ctx, in.Logger, f.path, &countingReader{r: r, n: bytesRead}, emit, problem)
}

// apply stores batch in one transaction. Should that panic (a store or an
// article that trips a bug), the panic is logged and the articles are
// stored one at a time, each in its own transaction, so that only those
// whose storing panics are left out, each reported as a problem.
func (in *Ingester) apply(ctx context.Context, batch []*index.Prepared, problem func(parse.Problem)) (index.ApplyResult, error) {
	var res index.ApplyResult
	var err error
	perr := safe.Do(ctx, in.Logger, "ingest: store a batch", func() { res, err = index.Apply(ctx, in.Store, batch, in.now()) })
	if perr == nil || len(batch) == 1 {
		if perr != nil {
			problem(parse.Problem{Where: preparedWhere(batch[0]), Err: perr})
		}
		if err == nil && perr == nil {
			err = in.assignStories(ctx, batch, res)
		}
		return res, err
	}
	res = index.ApplyResult{}
	for _, p := range batch {
		var r index.ApplyResult
		var err error
		where := preparedWhere(p)
		if perr := safe.Do(ctx, in.Logger, "ingest: store "+where, func() { r, err = index.Apply(ctx, in.Store, []*index.Prepared{p}, in.now()) }); perr != nil {
			problem(parse.Problem{Where: where, Err: perr})
			continue
		}
		if err != nil {
			return res, err
		}
		res.Added += r.Added
		res.Updated += r.Updated
		res.Unchanged += r.Unchanged
		if err := in.assignStories(ctx, []*index.Prepared{p}, r); err != nil {
			return res, err
		}
	}
	return res, nil
}

// assignStories puts the articles res added or updated into stories
// (knowledge/story), when the store keeps them.
func (in *Ingester) assignStories(ctx context.Context, batch []*index.Prepared, res index.ApplyResult) error {
	changed := map[string]bool{}
	for _, id := range res.AddedIDs {
		changed[id] = true
	}
	for _, id := range res.UpdatedIDs {
		changed[id] = true
	}
	if len(changed) == 0 {
		return nil
	}
	arts := make([]*knowledge.Article, 0, len(changed))
	for _, p := range batch {
		if changed[p.ID] {
			arts = append(arts, p.Article)
		}
	}
	return story.Assign(ctx, in.Store, arts, in.now())
}

// preparedWhere names a prepared article in a problem: its URL, else its
// title.
func preparedWhere(p *index.Prepared) string {
	if p.URL != "" {
		return p.URL
	}
	return p.Title
}

type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// expand turns paths into the list of files to read. A path that does not
// exist is a problem, not a fatal error, so that the other paths load.
func (in *Ingester) expand(paths []string, problem func(parse.Problem)) ([]input, int, error) {
	var out []input
	skipped := 0
	for _, p := range paths {
		if p == "-" {
			out = append(out, input{path: "-"})
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			problem(parse.Problem{Where: p, Err: errors.Unwrap(err)})
			continue
		}
		if !info.IsDir() {
			out = append(out, input{path: p, size: info.Size()})
			continue
		}
		var files []input
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				problem(parse.Problem{Where: path, Err: errors.Unwrap(err)})
				return nil
			}
			name := d.Name()
			if path != p && strings.HasPrefix(name, ".") {
				skipped++ // hidden: a file, or a whole folder
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			if !d.Type().IsRegular() {
				skipped++ // symbolic links (not followed), FIFOs, devices, sockets
				return nil
			}
			if in.Elsewhere != nil && in.Elsewhere(path) {
				return nil
			}
			if parse.FormatByName(name) == "" {
				skipped++
				return nil
			}
			fi, err := d.Info()
			if err != nil {
				problem(parse.Problem{Where: path, Err: err})
				return nil
			}
			files = append(files, input{path: path, size: fi.Size()})
			return nil
		})
		if err != nil {
			return nil, skipped, err
		}
		sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
		out = append(out, files...)
	}
	return out, skipped, nil
}

// Add cleans, prepares and stores articles that arrive from somewhere other
// than files (feeds, pages, tests), in one transaction. Articles that fail
// Clean, or whose cleaning, analysis or storing panics (the panic is logged
// with its stack), are returned as problems and not stored; the others are.
func (in *Ingester) Add(ctx context.Context, arts []*knowledge.Article) (index.ApplyResult, []parse.Problem, error) {
	var probs []parse.Problem
	var batch []*index.Prepared
	for _, a := range arts {
		where := a.URL
		if where == "" {
			where = a.Title
		}
		var prep *index.Prepared
		if perr := safe.Do(ctx, in.Logger, "add "+where, func() {
			warnings, err := parse.Clean(a)
			for _, w := range warnings {
				probs = append(probs, parse.Problem{Where: where, Err: errors.New(w), Warning: true})
			}
			if err != nil {
				probs = append(probs, parse.Problem{Where: where, Err: err})
				return
			}
			prep = index.Prepare(a)
		}); perr != nil {
			probs = append(probs, parse.Problem{Where: where, Err: perr})
			continue
		}
		if prep != nil {
			batch = append(batch, prep)
		}
	}
	if len(batch) == 0 {
		return index.ApplyResult{}, probs, nil
	}
	res, err := in.apply(ctx, batch, func(p parse.Problem) { probs = append(probs, p) })
	if err != nil {
		return res, probs, err
	}
	if _, err := index.Compact(ctx, in.Store, index.CompactPolicy{}); err != nil {
		return res, probs, err
	}
	return res, probs, nil
}
