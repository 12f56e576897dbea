// Command loadgen measures newsbot under concurrent questions, on loopback
// only: through the core (bot.Bot over the SQLite store and its index, as
// `newsbot serve` builds them) and through the Slack adapter's signed HTTP
// endpoint, with a fake Slack Web API on 127.0.0.1 receiving the answers at
// their response_url. See docs/performance.md.
//
//	go run ./internal/cmd/loadgen -db /tmp/rt.db -questions questions-dev.jsonl
//
// Each concurrency level of each mode runs in a child process of its own
// (the same binary), so that each peak RSS is its own. Every run is bounded
// by a question count (-n) and a time (-duration); the program stops by
// itself.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/sqlite"
	"github.com/newsbot/newsbot/prompts"
)

// options are the command line's settings.
type options struct {
	db        string
	questions string
	modes     []string
	levels    []int
	n         int
	duration  time.Duration
	timeout   time.Duration
	pprofDir  string
	child     bool
	asJSON    bool
	// maxSearches sets knowledge.Index.MaxSearches (0: its default).
	maxSearches int
}

func main() {
	ctx := context.Background()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	var modes, levels string
	fs.StringVar(&o.db, "db", "", "the SQLite store to answer from (required; fill it with newsbot ingest)")
	fs.StringVar(&o.questions, "questions", "", "questions, one JSON object with a \"question\" field a line (required)")
	fs.StringVar(&modes, "mode", "core,slack", "what to measure: core, slack, or both (comma-separated)")
	fs.StringVar(&levels, "c", "1,8,64,256", "concurrency levels: how many askers at once (comma-separated)")
	fs.IntVar(&o.n, "n", 1024, "questions per run (the questions file is cycled); at least the concurrency")
	fs.DurationVar(&o.duration, "duration", 2*time.Minute, "most time one run may take; no question starts after it")
	fs.DurationVar(&o.timeout, "timeout", time.Minute, "most time one answer may take before it counts as an error")
	fs.StringVar(&o.pprofDir, "pprof", "", "write profiles to this directory: heap-MODE-C.pprof (in use at the run's middle), allocs-MODE-C.pprof (at its end), cpu-MODE-C.pprof")
	fs.IntVar(&o.maxSearches, "max-searches", 0, "searches the index runs at once (0: its default, GOMAXPROCS)")
	fs.BoolVar(&o.asJSON, "json", false, "print one JSON object a run instead of a table")
	fs.BoolVar(&o.child, "child", false, "run one mode at one level in this process (used internally)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.db == "" || o.questions == "" {
		fs.Usage()
		return errors.New("-db and -questions are required")
	}
	o.modes = strings.Split(modes, ",")
	for _, m := range o.modes {
		if m != "core" && m != "slack" {
			return fmt.Errorf("-mode %q: want core or slack", m)
		}
	}
	for _, f := range strings.Split(levels, ",") {
		c, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || c < 1 || c > 4096 {
			return fmt.Errorf("-c %q: want numbers from 1 to 4096", f)
		}
		o.levels = append(o.levels, c)
	}
	if o.child {
		if len(o.modes) != 1 || len(o.levels) != 1 {
			return errors.New("-child runs one mode at one level")
		}
		s, err := runOne(ctx, o, o.modes[0], o.levels[0], stderr)
		if err != nil {
			return err
		}
		return json.NewEncoder(stdout).Encode(s)
	}
	var all []summary
	for _, m := range o.modes {
		for _, c := range o.levels {
			s, err := runChild(ctx, o, m, c, stderr)
			if err != nil {
				return fmt.Errorf("%s at %d: %w", m, c, err)
			}
			all = append(all, s)
			if o.asJSON {
				json.NewEncoder(stdout).Encode(s)
			} else {
				fmt.Fprintf(stderr, "%s c=%d: %d questions, %d errors, %.1f q/s\n", m, c, s.Questions, s.Errors, s.PerSecond)
			}
		}
	}
	if !o.asJSON {
		writeTable(stdout, all)
	}
	return nil
}

// runChild runs one mode at one level in a child process and reads its
// summary. The child is killed if it outlives its bounds.
func runChild(ctx context.Context, o options, mode string, c int, stderr io.Writer) (summary, error) {
	exe, err := os.Executable()
	if err != nil {
		return summary{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, o.duration+o.timeout+time.Minute)
	defer cancel()
	args := []string{"-child", "-db", o.db, "-questions", o.questions, "-mode", mode, "-c", strconv.Itoa(c),
		"-n", strconv.Itoa(o.n), "-duration", o.duration.String(), "-timeout", o.timeout.String(),
		"-max-searches", strconv.Itoa(o.maxSearches)}
	if o.pprofDir != "" {
		args = append(args, "-pprof", o.pprofDir)
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, stderr
	if err := cmd.Run(); err != nil {
		return summary{}, err
	}
	var s summary
	if err := json.Unmarshal(out.Bytes(), &s); err != nil {
		return summary{}, fmt.Errorf("child output: %w", err)
	}
	return s, nil
}

// writeTable prints the summaries as a Markdown table.
func writeTable(w io.Writer, all []summary) {
	fmt.Fprintln(w, "| mode | askers | questions | q/s | p50 | p99 | ack p99 | errors | peak RSS | peak heap |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, s := range all {
		ack := "—"
		if s.Mode == "slack" {
			ack = fmtMS(s.AckP99)
		}
		fmt.Fprintf(w, "| %s | %d | %d | %.1f | %s | %s | %s | %d | %.0f MB | %.0f MB |\n",
			s.Mode, s.Concurrency, s.Questions, s.PerSecond, fmtMS(s.P50), fmtMS(s.P99), ack, s.Errors, s.PeakRSSMB, s.PeakHeapMB)
	}
}

func fmtMS(v float64) string {
	if v >= 1000 {
		return fmt.Sprintf("%.2f s", v/1000)
	}
	return fmt.Sprintf("%.0f ms", v)
}

// asker asks question i (of the cycled questions file) and reports its
// outcome; kind names the error, if any.
type asker func(ctx context.Context, i int) (s sample, kind string)

// runOne measures one mode at concurrency c in this process.
func runOne(ctx context.Context, o options, mode string, c int, stderr io.Writer) (summary, error) {
	qs, err := readQuestions(o.questions)
	if err != nil {
		return summary{}, err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	b, closeBot, err := openBot(ctx, o.db, o.maxSearches, log)
	if err != nil {
		return summary{}, err
	}
	defer closeBot()
	var ask asker
	var stop func()
	switch mode {
	case "core":
		ask = func(ctx context.Context, i int) (sample, string) {
			start := time.Now()
			ctx, cancel := context.WithTimeout(ctx, o.timeout)
			defer cancel()
			_, err := b.Ask(ctx, bot.Question{Text: qs[i%len(qs)]})
			s := sample{E2E: time.Since(start)}
			if err != nil {
				s.Err = true
				return s, "ask: " + err.Error()
			}
			return s, ""
		}
		stop = func() {}
	case "slack":
		h, err := startSlack(ctx, b, log, c, o.timeout)
		if err != nil {
			return summary{}, err
		}
		ask = func(ctx context.Context, i int) (sample, string) { return h.ask(ctx, i, qs[i%len(qs)]) }
		stop = h.close
	}
	n := max(o.n, c)
	var prof func()
	if o.pprofDir != "" {
		var once sync.Once
		prof = func() {
			once.Do(func() { writeProfile(o.pprofDir, "heap", mode, c, stderr) })
		}
	}
	stopCPU := func() {}
	if o.pprofDir != "" {
		stopCPU = startCPUProfile(o.pprofDir, mode, c, stderr)
	}
	peakHeap := watchHeap()
	samples, kinds, elapsed := drive(ctx, c, n, o.duration, ask, prof)
	stop()
	stopCPU()
	if o.pprofDir != "" {
		writeProfile(o.pprofDir, "allocs", mode, c, stderr)
	}
	s := summarize(mode, c, samples, elapsed, kinds)
	heap, goSys := peakHeap()
	s.PeakHeapMB, s.PeakGoMB = float64(heap)/(1<<20), float64(goSys)/(1<<20)
	s.PeakRSSMB = float64(peakRSS()) / (1 << 20)
	return s, nil
}

// drive runs c askers until n questions have been asked or d has passed
// (no question starts after that), and returns the samples, the errors by
// kind, and the time it took. half, when not nil, is called once half the
// questions are answered.
func drive(ctx context.Context, c, n int, d time.Duration, ask asker, half func()) ([]sample, map[string]int, time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var next, done atomic.Int64
	samples := make([]sample, n)
	kinds := make([]string, n)
	var wg sync.WaitGroup
	start := time.Now()
	for range c {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				// The answer's own timeout bounds it, not the run's.
				samples[i], kinds[i] = ask(context.WithoutCancel(ctx), i)
				if done.Add(1) == int64(n/2) && half != nil {
					half()
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	asked := min(int(next.Load()), n)
	var byKind map[string]int
	for _, k := range kinds[:asked] {
		if k != "" {
			if byKind == nil {
				byKind = map[string]int{}
			}
			byKind[k]++
		}
	}
	return samples[:asked], byKind, elapsed
}

// watchHeap samples the heap in use and the memory the Go runtime holds
// from the OS every 20 ms until the returned function is called, which
// returns the most seen of each.
func watchHeap() func() (heap, goSys uint64) {
	stop := make(chan struct{})
	var peak, peakSys atomic.Uint64
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			if held := m.Sys - m.HeapReleased; held > peakSys.Load() {
				peakSys.Store(held)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	})
	return func() (uint64, uint64) { close(stop); wg.Wait(); return peak.Load(), peakSys.Load() }
}

// startCPUProfile profiles the CPU into DIR/cpu-MODE-C.pprof until the
// returned function is called.
func startCPUProfile(dir, mode string, c int, stderr io.Writer) func() {
	f, err := os.Create(fmt.Sprintf("%s/cpu-%s-%d.pprof", dir, mode, c))
	if err != nil {
		fmt.Fprintln(stderr, "loadgen: profile:", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(stderr, "loadgen: profile:", err)
		f.Close()
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}

func writeProfile(dir, kind, mode string, c int, stderr io.Writer) {
	path := fmt.Sprintf("%s/%s-%s-%d.pprof", dir, kind, mode, c)
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(stderr, "loadgen: profile:", err)
		return
	}
	defer f.Close()
	if err := pprof.Lookup(kind).WriteTo(f, 0); err != nil {
		fmt.Fprintln(stderr, "loadgen: profile:", err)
	}
}

// openBot opens the store and builds the bot as `newsbot serve` does with
// the default settings (template answers, the built-in ranking), with the
// index loaded.
func openBot(ctx context.Context, db string, maxSearches int, log *slog.Logger) (*bot.Bot, func(), error) {
	if _, err := os.Stat(db); err != nil {
		return nil, nil, fmt.Errorf("store: %w", err) // sqlite.Open would create it
	}
	s, err := sqlite.Open(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	pr, err := prompts.Load("")
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	ix := index.NewIndex(s, nil)
	ix.MaxSearches = maxSearches
	if err := ix.Refresh(ctx); err != nil {
		s.Close()
		return nil, nil, err
	}
	b := &bot.Bot{Retriever: ix, Library: s, Prompts: pr, Logger: log, Location: time.UTC}
	return b, func() { s.Close() }, nil
}

// readQuestions reads the "question" field of each JSON line.
func readQuestions(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var qs []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var q struct {
			Question string `json:"question"`
		}
		if err := json.Unmarshal(line, &q); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if q.Question != "" {
			qs = append(qs, q.Question)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(qs) == 0 {
		return nil, fmt.Errorf("%s: no questions", path)
	}
	return qs, nil
}
