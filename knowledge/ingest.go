package knowledge

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
)

// Ingester loads articles from files into a Store. The zero value is not
// usable: set Store. Other fields are optional.
type Ingester struct {
	Store Store
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
	// Skipped counts files in directories that are not in a known format.
	Skipped  int
	Problems []Problem
	Elapsed  time.Duration
}

// MaxProblems bounds Summary.Problems; the count in Rejected is exact.
const MaxProblems = 100

func (s *Summary) add(r ApplyResult) {
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

// Ingest reads every path (a file, a directory — read recursively, hidden
// entries and unknown extensions skipped — or "-" for Stdin) and stores the
// articles in batches, each batch one transaction. Bad lines and files are
// reported in the summary and skipped. When ctx is cancelled, batches already
// committed stay and the summary so far is returned with ctx's error; running
// the same ingest again completes it.
func (in *Ingester) Ingest(ctx context.Context, paths []string) (Summary, error) {
	start := time.Now()
	var sum Summary
	var problemsMu sync.Mutex
	problem := func(p Problem) {
		problemsMu.Lock()
		defer problemsMu.Unlock()
		if p.Warning {
			sum.Warnings++
			in.logger().Warn("ingest: "+p.Err.Error(), "where", p.Where)
		} else {
			sum.Rejected++
			in.logger().Warn("ingest: rejected: "+p.Err.Error(), "where", p.Where)
		}
		if len(sum.Problems) < MaxProblems {
			sum.Problems = append(sum.Problems, p)
		}
	}
	inputs, skipped, err := in.expand(paths, problem)
	sum.Skipped = skipped
	if err != nil {
		return sum, err
	}
	var total int64
	for _, f := range inputs {
		total += f.size
	}

	var bytesRead atomic.Int64
	var filesDone, articlesRead atomic.Int64
	report := func(done bool) {
		if in.Progress == nil {
			return
		}
		problemsMu.Lock()
		s := sum
		problemsMu.Unlock()
		s.Elapsed = time.Since(start)
		in.Progress(Progress{
			Files: int(filesDone.Load()), FilesTotal: len(inputs), Bytes: bytesRead.Load(), BytesTotal: total,
			Articles: int(articlesRead.Load()), Summary: s, Done: done,
		})
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Stage 1: read inputs in order, in chunks of articles.
	type chunk struct {
		seq    int
		arts   []*Article
		wheres []string
		prep   []*Prepared
	}
	const chunkSize = 64
	raw := make(chan *chunk, 4)
	var readErr error
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		defer close(raw)
		seq := 0
		cur := &chunk{}
		emit := func(a *Article, where string) error {
			articlesRead.Add(1)
			cur.arts = append(cur.arts, a)
			cur.wheres = append(cur.wheres, where)
			if len(cur.arts) == chunkSize {
				cur.seq = seq
				seq++
				select {
				case raw <- cur:
				case <-ctx.Done():
					return ctx.Err()
				}
				cur = &chunk{}
			}
			return nil
		}
		for _, f := range inputs {
			var err error
			if perr := safe.Do(ctx, in.Logger, "ingest "+f.path, func() { err = in.readInput(ctx, f, &bytesRead, emit, problem) }); perr != nil {
				err = perr // the rest of this file is skipped; the other files go on
			}
			if err != nil {
				if ctx.Err() != nil {
					readErr = ctx.Err()
					return
				}
				problem(Problem{Where: f.path, Err: err})
			}
			filesDone.Add(1)
		}
		if len(cur.arts) > 0 {
			cur.seq = seq
			select {
			case raw <- cur:
			case <-ctx.Done():
			}
		}
	}()
	// Stage 2: analyse chunks in parallel.
	workers := in.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	prepared := make(chan *chunk, 2*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range raw {
				c.prep = make([]*Prepared, len(c.arts))
				for i, a := range c.arts {
					if perr := safe.Do(ctx, in.Logger, "ingest "+c.wheres[i], func() { c.prep[i] = Prepare(a) }); perr != nil {
						problem(Problem{Where: c.wheres[i], Err: perr})
					}
				}
				select {
				case prepared <- c:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(prepared) }()

	// Stage 3: put chunks back in input order and write batches.
	maxArts, maxParas := in.BatchArticles, in.BatchParagraphs
	if maxArts <= 0 {
		maxArts = 1000
	}
	if maxParas <= 0 {
		maxParas = 50000
	}
	pending := map[int]*chunk{}
	next := 0
	var batch []*Prepared
	paras := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		res, err := in.apply(ctx, batch, problem)
		if err != nil {
			return err
		}
		problemsMu.Lock()
		sum.add(res)
		problemsMu.Unlock()
		batch, paras = batch[:0], 0
		return nil
	}
	var writeErr error
	lastReport := time.Now()
	for c := range prepared {
		if writeErr != nil {
			continue // drain
		}
		pending[c.seq] = c
		for {
			c, ok := pending[next]
			if !ok {
				break
			}
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
						writeErr = err
						cancel()
						break
					}
				}
			}
			if writeErr != nil {
				break
			}
		}
		if time.Since(lastReport) > 200*time.Millisecond {
			report(false)
			lastReport = time.Now()
		}
	}
	<-readDone // readErr is final
	if writeErr == nil && readErr == nil {
		writeErr = flush()
	}
	if writeErr == nil && readErr == nil {
		if _, err := Compact(ctx, in.Store, CompactPolicy{}); err != nil {
			writeErr = err
		}
	}
	sum.Elapsed = time.Since(start)
	report(true)
	switch {
	case writeErr != nil && !errors.Is(writeErr, context.Canceled):
		return sum, fmt.Errorf("ingest: %w", writeErr)
	case readErr != nil || writeErr != nil:
		return sum, fmt.Errorf("ingest interrupted: %w", errors.Join(readErr, writeErr))
	}
	return sum, nil
}

// readInput reads one file (or stdin) and emits its articles.
func (in *Ingester) readInput(ctx context.Context, f input, bytesRead *atomic.Int64, emit func(*Article, string) error, problem func(Problem)) error {
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
	return readArticles(ctx, in.Logger, f.path, &countingReader{r: r, n: bytesRead}, emit, problem)
}

// apply stores batch in one transaction. Should that panic (a store or an
// article that trips a bug), the panic is logged and the articles are
// stored one at a time, each in its own transaction, so that only those
// whose storing panics are left out, each reported as a problem.
func (in *Ingester) apply(ctx context.Context, batch []*Prepared, problem func(Problem)) (ApplyResult, error) {
	var res ApplyResult
	var err error
	perr := safe.Do(ctx, in.Logger, "ingest: store a batch", func() { res, err = Apply(ctx, in.Store, batch, in.now()) })
	if perr == nil || len(batch) == 1 {
		if perr != nil {
			problem(Problem{Where: preparedWhere(batch[0]), Err: perr})
		}
		return res, err
	}
	res = ApplyResult{}
	for _, p := range batch {
		var r ApplyResult
		var err error
		where := preparedWhere(p)
		if perr := safe.Do(ctx, in.Logger, "ingest: store "+where, func() { r, err = Apply(ctx, in.Store, []*Prepared{p}, in.now()) }); perr != nil {
			problem(Problem{Where: where, Err: perr})
			continue
		}
		if err != nil {
			return res, err
		}
		res.Added += r.Added
		res.Updated += r.Updated
		res.Unchanged += r.Unchanged
	}
	return res, nil
}

// preparedWhere names a prepared article in a problem: its URL, else its
// title.
func preparedWhere(p *Prepared) string {
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
func (in *Ingester) expand(paths []string, problem func(Problem)) ([]input, int, error) {
	var out []input
	skipped := 0
	for _, p := range paths {
		if p == "-" {
			out = append(out, input{path: "-"})
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			problem(Problem{Where: p, Err: errors.Unwrap(err)})
			continue
		}
		if !info.IsDir() {
			out = append(out, input{path: p, size: info.Size()})
			continue
		}
		var files []input
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				problem(Problem{Where: path, Err: errors.Unwrap(err)})
				return nil
			}
			name := d.Name()
			if path != p && strings.HasPrefix(name, ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() || !d.Type().IsRegular() {
				return nil
			}
			if FormatByName(name) == "" {
				skipped++
				return nil
			}
			fi, err := d.Info()
			if err != nil {
				problem(Problem{Where: path, Err: err})
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
func (in *Ingester) Add(ctx context.Context, arts []*Article) (ApplyResult, []Problem, error) {
	var probs []Problem
	var batch []*Prepared
	for _, a := range arts {
		where := a.URL
		if where == "" {
			where = a.Title
		}
		var prep *Prepared
		if perr := safe.Do(ctx, in.Logger, "add "+where, func() {
			warnings, err := Clean(a)
			for _, w := range warnings {
				probs = append(probs, Problem{Where: where, Err: errors.New(w), Warning: true})
			}
			if err != nil {
				probs = append(probs, Problem{Where: where, Err: err})
				return
			}
			prep = Prepare(a)
		}); perr != nil {
			probs = append(probs, Problem{Where: where, Err: perr})
			continue
		}
		if prep != nil {
			batch = append(batch, prep)
		}
	}
	if len(batch) == 0 {
		return ApplyResult{}, probs, nil
	}
	res, err := in.apply(ctx, batch, func(p Problem) { probs = append(probs, p) })
	if err != nil {
		return res, probs, err
	}
	if _, err := Compact(ctx, in.Store, CompactPolicy{}); err != nil {
		return res, probs, err
	}
	return res, probs, nil
}
