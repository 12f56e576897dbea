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
	"bytes"
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
	forms  []string // every written form of every secret, longest first
	bforms [][]byte // forms as bytes, for Writer
	digits bool     // a secret is all digits (and . - + :): numbers must be looked at
	rep    *strings.Replacer
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
	bforms := make([][]byte, len(forms))
	for i, f := range forms {
		bforms[i] = []byte(f)
	}
	digits := false
	for _, f := range forms {
		digits = digits || strings.Trim(f, "0123456789.-+:") == ""
	}
	return &Redactor{forms: forms, bforms: bforms, digits: digits, rep: strings.NewReplacer(pairs...)}
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
	if !r.Contains(s) { // Replace copies s even when nothing matches
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

func (r *Redactor) containsBytes(p []byte) bool {
	for _, f := range r.bforms {
		if bytes.Contains(p, f) {
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
	if !w.r.containsBytes(p) {
		return w.w.Write(p)
	}
	if _, err := io.WriteString(w.w, w.r.String(string(p))); err != nil {
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
	// Most records hold no secret: look first, and pass those on as they
	// are, without copying.
	changed := h.r.Contains(rec.Message)
	if !changed {
		rec.Attrs(func(a slog.Attr) bool {
			_, changed = h.r.attr(a)
			return !changed
		})
	}
	if !changed {
		return h.h.Handle(ctx, rec)
	}
	out := slog.NewRecord(rec.Time, rec.Level, h.r.String(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		a, _ = h.r.attr(a)
		out.AddAttrs(a)
		return true
	})
	return h.h.Handle(ctx, out)
}

func (h *handler) WithAttrs(as []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(as))
	for i, a := range as {
		red[i], _ = h.r.attr(a)
	}
	return &handler{r: h.r, h: h.h.WithAttrs(red)}
}

func (h *handler) WithGroup(name string) slog.Handler {
	return &handler{r: h.r, h: h.h.WithGroup(h.r.String(name))}
}

// attr returns a with the secrets replaced in its key and value, and
// whether anything was replaced. A value holding no secret is kept as it
// was (an error stays an error, a number a number); one holding a secret
// becomes its redacted printed form.
func (r *Redactor) attr(a slog.Attr) (slog.Attr, bool) {
	changed := r.Contains(a.Key)
	if changed {
		a.Key = r.String(a.Key)
	}
	v := a.Value.Resolve()
	a.Value = v
	var s string
	switch v.Kind() {
	case slog.KindGroup:
		g := v.Group()
		red := make([]slog.Attr, len(g))
		for i, ga := range g {
			var c bool
			red[i], c = r.attr(ga)
			changed = changed || c
		}
		if changed {
			a.Value = slog.GroupValue(red...)
		}
		return a, changed
	case slog.KindString:
		s = v.String()
	case slog.KindAny:
		s = printed(v.Any())
	default: // numbers, times, durations: only a secret of digits can hide there
		if !r.digits {
			return a, changed
		}
		s = v.String()
	}
	if r.Contains(s) {
		a.Value = slog.StringValue(r.String(s))
		changed = true
	}
	return a, changed
}

// printed is how a handler would show x: an error's message, a byte
// slice as text, else its %+v form. A panic in an Error or String method
// is caught, as the handlers do.
func printed(x any) (s string) {
	defer func() {
		if recover() != nil {
			s = fmt.Sprintf("%+v", x) // fmt reports the panic
		}
	}()
	switch x := x.(type) {
	case error:
		return x.Error()
	case fmt.Stringer:
		return x.String()
	case []byte:
		return string(x)
	}
	return fmt.Sprintf("%+v", x)
}
