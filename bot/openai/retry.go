package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	sdk "github.com/sashabaranov/go-openai"

	"github.com/newsbot/newsbot/bot"
)

// retryAfterKey keys the per-attempt slot in a request's context where
// retryAfterDoer leaves the Retry-After header (go-openai's errors do not
// carry response headers).
type retryAfterKey struct{}

// streamDoneKey keys the slot in a streaming request's context that
// retryAfterDoer's body watcher sets when the stream's "data: [DONE]" line
// arrives (go-openai reports the end of the body and [DONE] alike, as
// io.EOF).
type streamDoneKey struct{}

// retryAfterDoer records the Retry-After header of failed responses, and
// watches event streams for their closing [DONE].
type retryAfterDoer struct{ c *http.Client }

func (d retryAfterDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.c.Do(req)
	if err == nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500) {
		if slot, ok := req.Context().Value(retryAfterKey{}).(*string); ok {
			*slot = resp.Header.Get("Retry-After")
		}
	}
	if done, ok := req.Context().Value(streamDoneKey{}).(*bool); ok && err == nil && resp.StatusCode < 300 {
		resp.Body = &doneWatcher{ReadCloser: resp.Body, done: done}
	}
	return resp, err
}

// doneWatcher sets *done once the body has carried a line "data: [DONE]"
// (or "data:[DONE]"), the end of an OpenAI event stream.
type doneWatcher struct {
	io.ReadCloser
	done *bool
	tail []byte // the end of what was read before, for a line split across reads
}

var doneLines = [][]byte{[]byte("\ndata: [DONE]"), []byte("\ndata:[DONE]")}

func (w *doneWatcher) Read(p []byte) (int, error) {
	n, err := w.ReadCloser.Read(p)
	if n > 0 && !*w.done {
		buf := append(w.tail, p[:n]...)
		for _, l := range doneLines {
			if bytes.Contains(buf, l) {
				*w.done = true
			}
		}
		keep := min(len(buf), len(doneLines[0])-1)
		w.tail = append(w.tail[:0], buf[len(buf)-keep:]...)
	}
	return n, err
}

// retry runs attempt until it succeeds, fails for good, or the retries or
// the deadline run out. attempt reports whether its failure may be
// retried (a stream that has delivered text may not).
func (c *Client) retry(ctx context.Context, op string, attempt func(ctx context.Context) (retryable bool, err error)) error {
	wait := c.o.Backoff
	for try := 0; ; try++ {
		var retryAfter string
		retryable, err := attempt(context.WithValue(ctx, retryAfterKey{}, &retryAfter))
		if err == nil {
			return nil
		}
		e := c.classify(ctx, op, err)
		if !retryable || try >= c.o.Retries || !e.transient() {
			return e
		}
		d := wait
		if ra, ok := parseRetryAfter(retryAfter, time.Now()); ok {
			d = ra
		}
		if d > c.o.MaxWait {
			return e
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
			return e // waiting would pass the deadline: fail now
		}
		c.o.Logger.InfoContext(ctx, "openai: retrying", "op", op, "attempt", try+2, "wait", d, "status", e.Status, "err", e)
		if err := c.o.Sleep(ctx, d); err != nil {
			return e
		}
		wait *= 2
	}
}

// parseRetryAfter reads a Retry-After header: seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// Error is a failed request to the API. Its message has the API key and
// anything shaped like a key removed; it unwraps to one of the bot
// package's model errors or a context error, never to the SDK's error
// (whose message may quote the key, as OpenAI's 401 does).
type Error struct {
	Op     string // "chat" or "embed"
	Status int    // HTTP status; 0 when there was no response
	kind   error
	msg    string
}

func (e *Error) Error() string {
	s := "openai: " + e.Op
	if e.Status != 0 {
		s += fmt.Sprintf(": HTTP %d", e.Status)
	}
	return s + ": " + e.msg
}

// Unwrap returns the kind of failure: bot.ErrRateLimited, bot.ErrModelServer,
// bot.ErrBadResponse, bot.ErrEmptyResponse, bot.ErrContextLength,
// context.DeadlineExceeded, context.Canceled, or nil for other failures.
func (e *Error) Unwrap() error { return e.kind }

func (e *Error) transient() bool {
	return e.kind == bot.ErrRateLimited || e.kind == bot.ErrModelServer || e.kind == nil && e.Status == 0
}

// classify turns an SDK or transport error into an *Error.
func (c *Client) classify(ctx context.Context, op string, err error) *Error {
	e := &Error{Op: op, msg: c.redact(err.Error())}
	var apiErr *sdk.APIError
	var reqErr *sdk.RequestError
	code, text := "", ""
	// A RequestError (a body that is not OpenAI's error object) may wrap
	// an empty APIError, so it is looked for first.
	switch {
	case errors.As(err, &reqErr):
		e.Status, text = reqErr.HTTPStatusCode, string(reqErr.Body)
	case errors.As(err, &apiErr):
		e.Status, text = apiErr.HTTPStatusCode, apiErr.Message
		if apiErr.Code != nil {
			code = fmt.Sprint(apiErr.Code)
		}
	}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		e.kind = context.DeadlineExceeded
	case errors.Is(err, context.Canceled) || errors.Is(ctx.Err(), context.Canceled):
		e.kind = context.Canceled
	case isContextLength(code, text):
		e.kind = bot.ErrContextLength
	case e.Status == http.StatusTooManyRequests:
		e.kind = bot.ErrRateLimited
	case e.Status >= 500:
		e.kind = bot.ErrModelServer
	case errors.Is(err, bot.ErrEmptyResponse):
		e.kind = bot.ErrEmptyResponse
	case errors.Is(err, bot.ErrBadResponse), errors.As(err, &syntax), errors.As(err, &typ),
		errors.Is(err, sdk.ErrTooManyEmptyStreamMessages), e.Status >= 200 && e.Status < 300:
		e.kind = bot.ErrBadResponse
	}
	return e
}

var reContextLength = regexp.MustCompile(`(?i)context[ _]length|maximum context|context window|too many tokens|prompt is too long|exceeds? the (model'?s? )?(context|maximum)`)

// isContextLength recognises "prompt too long" errors across servers:
// OpenAI's code context_length_exceeded and the wording of others.
func isContextLength(code, text string) bool {
	return code == "context_length_exceeded" || reContextLength.MatchString(text)
}

// reKeyLike matches strings shaped like API keys and bearer tokens.
// (including the masked form servers echo, "sk-abc***xyz").
var reKeyLike = regexp.MustCompile(`(?i)\bsk-[A-Za-z0-9_*\-]{3,}|\bbearer\s+\S+|\S*\*{3,}\S*`)

// redact removes the API key, and anything that looks like a key, from s.
func (c *Client) redact(s string) string {
	if k := c.o.APIKey; len(k) >= 4 {
		s = strings.ReplaceAll(s, k, "[redacted]")
	}
	return reKeyLike.ReplaceAllString(s, "[redacted]")
}
