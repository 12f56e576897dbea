// Package redact keeps secret values out of what newsbot prints: it
// replaces every configured secret (tokens, keys, signing secrets, the
// database password) wherever it appears, in log records, in errors and in
// whatever is written to stdout and stderr. It matches values, not names,
// so an upstream error body that echoes a token is caught too.
//
// A Redactor is built once from the configuration's secret values and used
// three ways: Handler wraps the log's slog.Handler, Writer wraps stdout and
// stderr (and the standard library's log output), Error wraps the error
// main prints.
package redact

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Mark replaces each secret.
const Mark = "[redacted]"

// MinLen is the length below which a value is not treated as a secret:
// hiding every "a" or "on" would garble the output and protect nothing
// (a secret that short is guessed anyway).
const MinLen = 6

// Redactor replaces secret values in text. The nil *Redactor, and one with
// no secrets, change nothing. It is safe for concurrent use.
type Redactor struct {
	forms []string // every written form of every secret, longest first
	rep   *strings.Replacer
}

// New returns a Redactor for secrets. Values shorter than MinLen, and
// values that occur in Mark itself, are ignored. Each secret is also
// matched in the forms it takes when quoted or escaped on the way out:
// URL-encoded (query and path), JSON- and Go-quoted.
func New(secrets ...string) *Redactor {
	seen := map[string]bool{}
	var forms []string
	for _, s := range secrets {
		if len(s) < MinLen || strings.Contains(Mark, s) {
			continue
		}
		for _, f := range Forms(s) {
			if !seen[f] {
				seen[f] = true
				forms = append(forms, f)
			}
		}
	}
	if len(forms) == 0 {
		return &Redactor{}
	}
	// strings.Replacer tries the pairs in argument order at each position:
	// the longest form first, so that an escaped form is not cut short by
	// a shorter one sharing its beginning.
	slices.SortStableFunc(forms, func(a, b string) int { return len(b) - len(a) })
	pairs := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		pairs = append(pairs, f, Mark)
	}
	return &Redactor{forms: forms, rep: strings.NewReplacer(pairs...)}
}

// Forms returns s and the forms it takes when written out escaped:
// url.QueryEscape, url.PathEscape, JSON (with and without HTML escaping)
// and Go quoting (strconv.Quote, QuoteToASCII), without the quotes.
func Forms(s string) []string {
	out := []string{s}
	add := func(f string) {
		if f != "" && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	add(url.QueryEscape(s))
	add(url.PathEscape(s))
	if b, err := json.Marshal(s); err == nil {
		add(string(b[1 : len(b)-1]))
	}
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	if enc.Encode(s) == nil {
		j := strings.TrimSuffix(sb.String(), "\n")
		add(j[1 : len(j)-1])
	}
	q := strconv.Quote(s)
	add(q[1 : len(q)-1])
	q = strconv.QuoteToASCII(s)
	add(q[1 : len(q)-1])
	return out
}

// Active reports whether r has any secret to replace.
func (r *Redactor) Active() bool { return r != nil && r.rep != nil }

// String returns s with every secret replaced by Mark.
func (r *Redactor) String(s string) string {
	if !r.Active() {
		return s
	}
	return r.rep.Replace(s)
}

// Contains reports whether s holds a secret, in any of its forms.
func (r *Redactor) Contains(s string) bool {
	if !r.Active() {
		return false
	}
	for _, f := range r.forms {
		if strings.Contains(s, f) {
			return true
		}
	}
	return false
}

// Error returns err with a redacted message. It unwraps to err, so
// errors.Is and errors.As still see what err wraps (whose own messages are
// not redacted: print the returned error, not what As finds). A nil err,
// or one holding no secret, is returned as it is.
func (r *Redactor) Error(err error) error {
	if err == nil || !r.Contains(err.Error()) {
		return err
	}
	return &redactedError{err: err, msg: r.String(err.Error())}
}

type redactedError struct {
	err error
	msg string
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// Writer returns a writer that passes each Write on to w with the secrets
// replaced. Each Write is redacted on its own: a secret split across two
// writes is not caught (log records, printed errors and lines of output
// are one write each). It returns w itself when r has no secrets.
func (r *Redactor) Writer(w io.Writer) io.Writer {
	if !r.Active() {
		return w
	}
	if rw, ok := w.(*writer); ok && rw.r == r {
		return w // already redacting
	}
	return &writer{r: r, w: w}
}

type writer struct {
	r *Redactor
	w io.Writer
}

// Write writes p redacted. It reports len(p) when the redacted text was
// written whole, however long that was.
func (w *writer) Write(p []byte) (int, error) {
	s := string(p)
	out := w.r.String(s)
	if out == s {
		return w.w.Write(p)
	}
	if _, err := io.WriteString(w.w, out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Handler returns a slog.Handler that redacts each record before h sees
// it: the message, every attribute (keys and values, in nested groups,
// after resolving LogValuers; errors and other values by their printed
// form) and the attributes and groups added with WithAttrs and WithGroup.
// It returns h itself when r has no secrets.
func (r *Redactor) Handler(h slog.Handler) slog.Handler {
	if !r.Active() {
		return h
	}
	return &handler{r: r, h: h}
}

type handler struct {
	r *Redactor
	h slog.Handler
}

func (h *handler) Enabled(ctx context.Context, l slog.Level) bool { return h.h.Enabled(ctx, l) }

func (h *handler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, h.r.String(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.r.attr(a))
		return true
	})
	return h.h.Handle(ctx, out)
}

func (h *handler) WithAttrs(as []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(as))
	for i, a := range as {
		red[i] = h.r.attr(a)
	}
	return &handler{r: h.r, h: h.h.WithAttrs(red)}
}

func (h *handler) WithGroup(name string) slog.Handler {
	return &handler{r: h.r, h: h.h.WithGroup(h.r.String(name))}
}

// attr returns a with the secrets replaced in its key and value. A value
// holding no secret is kept as it was (an error stays an error, a number a
// number); one holding a secret becomes its redacted printed form.
func (r *Redactor) attr(a slog.Attr) slog.Attr {
	a.Key = r.String(a.Key)
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindGroup:
		g := v.Group()
		red := make([]slog.Attr, len(g))
		for i, ga := range g {
			red[i] = r.attr(ga)
		}
		a.Value = slog.GroupValue(red...)
		return a
	case slog.KindString:
		a.Value = slog.StringValue(r.String(v.String()))
		return a
	case slog.KindAny:
		s := printed(v.Any())
		if r.Contains(s) {
			a.Value = slog.StringValue(r.String(s))
			return a
		}
	default:
		if r.Contains(v.String()) {
			a.Value = slog.StringValue(r.String(v.String()))
			return a
		}
	}
	a.Value = v
	return a
}

// printed is how a handler would show x: an error's message, a byte
// slice as text, else its %+v form.
func printed(x any) string {
	switch x := x.(type) {
	case error, fmt.Stringer:
		return fmt.Sprint(x) // as Error or String, a panic in it caught
	case []byte:
		return string(x)
	}
	return fmt.Sprintf("%+v", x)
}
