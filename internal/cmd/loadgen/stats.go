package main

import (
	"bufio"
	"bytes"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// sample is one question's outcome. For the core mode Ack is zero.
type sample struct {
	Ack time.Duration // until the HTTP acknowledgement (slack mode)
	E2E time.Duration // until the answer
	Err bool
}

// summary is what one run at one concurrency measured.
type summary struct {
	Mode        string  `json:"mode"`
	Concurrency int     `json:"concurrency"`
	Questions   int     `json:"questions"`
	Errors      int     `json:"errors"`
	Seconds     float64 `json:"seconds"`
	PerSecond   float64 `json:"per_second"`
	P50         float64 `json:"p50_ms"`
	P99         float64 `json:"p99_ms"`
	AckP50      float64 `json:"ack_p50_ms,omitempty"`
	AckP99      float64 `json:"ack_p99_ms,omitempty"`
	PeakRSSMB   float64 `json:"peak_rss_mb"`
	PeakHeapMB  float64 `json:"peak_heap_mb"`
	// PeakGoMB is the most memory the Go runtime held from the OS; the
	// rest of the RSS is SQLite's (modernc.org/sqlite allocates outside
	// the Go heap) and the program's text.
	PeakGoMB float64 `json:"peak_go_mb"`
	// ErrorKinds counts the errors by kind ("ack 503", "timeout", …).
	ErrorKinds map[string]int `json:"error_kinds,omitempty"`
}

// percentile returns the p-th percentile (0 < p ≤ 100) of ds by the
// nearest-rank method: the smallest value with at least p% of the values
// at or below it. It sorts ds. It returns 0 for no values.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	rank := int(p/100*float64(len(ds)) + 0.999999999)
	rank = min(max(rank, 1), len(ds))
	return ds[rank-1]
}

// summarize computes the figures of a run from its samples.
func summarize(mode string, c int, samples []sample, elapsed time.Duration, kinds map[string]int) summary {
	s := summary{Mode: mode, Concurrency: c, Questions: len(samples), Seconds: elapsed.Seconds(), ErrorKinds: kinds}
	var e2e, ack []time.Duration
	for _, x := range samples {
		if x.Err {
			s.Errors++
			continue
		}
		e2e = append(e2e, x.E2E)
		if x.Ack > 0 {
			ack = append(ack, x.Ack)
		}
	}
	if elapsed > 0 {
		s.PerSecond = float64(len(samples)-s.Errors) / elapsed.Seconds()
	}
	s.P50, s.P99 = ms(percentile(e2e, 50)), ms(percentile(e2e, 99))
	s.AckP50, s.AckP99 = ms(percentile(ack, 50)), ms(percentile(ack, 99))
	return s
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// peakRSS returns the process's peak resident set size in bytes (VmHWM
// in /proc/self/status), or 0 where that is not available.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	return parseVmHWM(b)
}

// parseVmHWM reads the "VmHWM:   1234 kB" line of a /proc/PID/status.
func parseVmHWM(status []byte) int64 {
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		v, ok := strings.CutPrefix(sc.Text(), "VmHWM:")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) != 2 || f[1] != "kB" {
			return 0
		}
		n, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0
		}
		return n << 10
	}
	return 0
}
