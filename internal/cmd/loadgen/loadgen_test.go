package main

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/testkit"
	"github.com/slack-go/slack"
)

// The signature is the one slack-go's verifier (what the adapter uses)
// accepts, and a changed body or secret is refused.
func TestSignVerifiesWithSlackGo(t *testing.T) {
	body := []byte("command=%2Fnews&text=who+won%3F&trigger_id=1.2.3")
	ts := time.Now().Unix()
	verify := func(secret string, body []byte) error {
		h := http.Header{}
		h.Set("X-Slack-Request-Timestamp", strconv.FormatInt(ts, 10))
		h.Set("X-Slack-Signature", sign(signingSecret, ts, []byte("command=%2Fnews&text=who+won%3F&trigger_id=1.2.3")))
		sv, err := slack.NewSecretsVerifier(h, secret)
		if err != nil {
			return err
		}
		sv.Write(body)
		return sv.Ensure()
	}
	if err := verify(signingSecret, body); err != nil {
		t.Errorf("signed request refused: %v", err)
	}
	if err := verify(signingSecret, append(body, 'x')); err == nil {
		t.Error("a changed body was accepted")
	}
	if err := verify("another secret", body); err == nil {
		t.Error("another secret was accepted")
	}
}

// Slack's documented example: secret, timestamp and body from "Verifying
// requests from Slack".
func TestSignSlackExample(t *testing.T) {
	body := "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	got := sign("8f742231b10e8888abcd99yyyzzz85a5", 1531420618, []byte(body))
	want := "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
	if got != want {
		t.Errorf("sign = %s, want %s", got, want)
	}
}

func TestPercentile(t *testing.T) {
	ms := func(vs ...int) []time.Duration {
		var ds []time.Duration
		for _, v := range vs {
			ds = append(ds, time.Duration(v)*time.Millisecond)
		}
		return ds
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = 100 - i // 100 … 1, unsorted
	}
	tests := []struct {
		name string
		ds   []time.Duration
		p    float64
		want time.Duration
	}{
		{"none", nil, 50, 0},
		{"one", ms(7), 99, 7 * time.Millisecond},
		{"median of odd", ms(5, 1, 3), 50, 3 * time.Millisecond},
		{"median of even is the lower", ms(4, 1, 3, 2), 50, 2 * time.Millisecond},
		{"p99 of 100", ms(hundred...), 99, 99 * time.Millisecond},
		{"p50 of 100", ms(hundred...), 50, 50 * time.Millisecond},
		{"p100 is the max", ms(hundred...), 100, 100 * time.Millisecond},
		{"p99 of 10 is the max", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10 * time.Millisecond},
	}
	for _, tt := range tests {
		if got := percentile(tt.ds, tt.p); got != tt.want {
			t.Errorf("%s: percentile(p%v) = %v, want %v", tt.name, tt.p, got, tt.want)
		}
	}
}

func TestSummarizeLeavesErrorsOutOfLatency(t *testing.T) {
	samples := []sample{
		{Ack: time.Millisecond, E2E: 10 * time.Millisecond},
		{Ack: 2 * time.Millisecond, E2E: 20 * time.Millisecond},
		{Ack: time.Hour, E2E: time.Hour, Err: true},
	}
	s := summarize("slack", 2, samples, time.Second, map[string]int{"x": 1})
	if s.Questions != 3 || s.Errors != 1 {
		t.Errorf("questions, errors = %d, %d, want 3, 1", s.Questions, s.Errors)
	}
	if s.P99 != 20 || s.AckP99 != 2 || s.P50 != 10 {
		t.Errorf("p50, p99, ack p99 = %v, %v, %v ms, want 10, 20, 2", s.P50, s.P99, s.AckP99)
	}
	if s.PerSecond != 2 {
		t.Errorf("q/s = %v, want 2 (answered ones)", s.PerSecond)
	}
}

func TestParseVmHWM(t *testing.T) {
	status := "Name:\tloadgen\nVmPeak:\t  999 kB\nVmHWM:\t   2048 kB\nVmRSS:\t  1024 kB\n"
	if got := parseVmHWM([]byte(status)); got != 2048<<10 {
		t.Errorf("parseVmHWM = %d, want %d", got, 2048<<10)
	}
	if got := parseVmHWM([]byte("Name:\tx\n")); got != 0 {
		t.Errorf("parseVmHWM without the line = %d, want 0", got)
	}
	if peakRSS() < 0 {
		t.Error("peakRSS < 0")
	}
}

// drive asks each question once, never with more than c at once, and
// calls half once.
func TestDriveBoundsCountAndConcurrency(t *testing.T) {
	const c, n = 4, 50
	var inFlight, most atomic.Int64
	var mu sync.Mutex
	asked := map[int]int{}
	halves := 0
	ask := func(ctx context.Context, i int) (sample, string) {
		now := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := most.Load()
			if now <= m || most.CompareAndSwap(m, now) {
				break
			}
		}
		mu.Lock()
		asked[i]++
		mu.Unlock()
		if i%10 == 0 {
			return sample{Err: true}, "boom"
		}
		return sample{E2E: time.Millisecond}, ""
	}
	samples, kinds, _ := drive(context.Background(), c, n, time.Hour, ask, func() { halves++ })
	if len(samples) != n {
		t.Errorf("%d samples, want %d", len(samples), n)
	}
	for i := range n {
		if asked[i] != 1 {
			t.Errorf("question %d asked %d times, want 1", i, asked[i])
		}
	}
	if most.Load() > c {
		t.Errorf("%d questions at once, want at most %d", most.Load(), c)
	}
	if kinds["boom"] != 5 {
		t.Errorf("error kinds = %v, want boom: 5", kinds)
	}
	if halves != 1 {
		t.Errorf("half called %d times, want 1", halves)
	}
}

// No question starts once the run's time is up.
func TestDriveStopsAtItsTime(t *testing.T) {
	called := false
	samples, _, _ := drive(context.Background(), 8, 100, 0, func(context.Context, int) (sample, string) {
		called = true
		return sample{}, ""
	}, nil)
	if called || len(samples) != 0 {
		t.Errorf("%d questions asked after the time was up", len(samples))
	}
}

// Through the real Slack adapter: a signed command is acknowledged with an
// empty 200 and answered at its response_url; a command the adapter
// refuses counts as an error.
func TestSlackHarnessAsks(t *testing.T) {
	ctx := context.Background()
	b := testkit.Bot(testkit.SampleStore(t), nil)
	h, err := startSlack(ctx, b, slog.New(slog.DiscardHandler), 2, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer h.close()
	for i, q := range []string{"Where were earlier rounds of negotiations held?", "Who met Vladimir Putin?"} {
		s, kind := h.ask(ctx, i, q)
		if s.Err || kind != "" {
			t.Errorf("%q: error %q", q, kind)
		}
		if s.Ack <= 0 || s.E2E < s.Ack {
			t.Errorf("%q: ack %v, end to end %v: want 0 < ack ≤ end to end", q, s.Ack, s.E2E)
		}
	}
	// "help" is answered in the acknowledgement itself: not an answer.
	if s, kind := h.ask(ctx, 9, "help"); !s.Err || kind != "ack: notice instead of an answer" {
		t.Errorf("help: err %v, kind %q, want a notice error", s.Err, kind)
	}
}
