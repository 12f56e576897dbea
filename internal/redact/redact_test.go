package redact

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

const (
	token  = "xoxb-1234-5678-abcdefSECRET"
	quoted = `pa"ss<w>&rd\x` // a password that needs escaping in JSON and Go
)

func TestString(t *testing.T) {
	r := New(token, quoted, "short", "", "redact")
	tests := []struct{ in, want string }{
		{"no secret here", "no secret here"},
		{"token " + token + " leaked", "token [redacted] leaked"},
		{token + token, "[redacted][redacted]"},
		{"url ?t=" + url.QueryEscape(quoted), "url ?t=[redacted]"},
		{"path /" + url.PathEscape(quoted), "path /[redacted]"},
		{`json {"p":"pa\"ss\u003cw\u003e\u0026rd\\x"}`, `json {"p":"[redacted]"}`},
		{`json {"p":"pa\"ss<w>&rd\\x"}`, `json {"p":"[redacted]"}`},
		{`go "pa\"ss<w>&rd\\x"`, `go "[redacted]"`},
		{"raw " + quoted, "raw [redacted]"},
		// Too short to be treated as a secret, or part of the mark itself.
		{"short and redact stay", "short and redact stay"},
	}
	for _, tt := range tests {
		if got := r.String(tt.in); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := r.Contains(tt.in); got != (tt.in != tt.want) {
			t.Errorf("Contains(%q) = %v", tt.in, got)
		}
	}
}

// A longer secret that starts with a shorter one is replaced whole.
func TestLongestFirst(t *testing.T) {
	r := New("abcdef", "abcdefghij")
	if got := r.String("x abcdefghij y abcdef"); got != "x [redacted] y [redacted]" {
		t.Errorf("got %q", got)
	}
}

func TestNoSecrets(t *testing.T) {
	var w bytes.Buffer
	for _, r := range []*Redactor{nil, New(), New("a", "")} {
		if r.Active() || r.String(token) != token || r.Contains(token) {
			t.Errorf("%v: changes text without secrets", r)
		}
		if r.Writer(&w) != &w {
			t.Errorf("%v: Writer wraps without secrets", r)
		}
		h := slog.NewTextHandler(&w, nil)
		if r.Handler(h) != h {
			t.Errorf("%v: Handler wraps without secrets", r)
		}
		err := errors.New(token)
		if r.Error(err) != err {
			t.Errorf("%v: Error wraps without secrets", r)
		}
	}
}

var errSentinel = errors.New("gateway refused")

func TestError(t *testing.T) {
	r := New(token)
	cause := fmt.Errorf("discord: get gateway: HTTP 500 {\"echo\":\"Authorization: Bot %s\"}: %w", token, errSentinel)
	err := r.Error(fmt.Errorf("serve: %w", cause))
	if strings.Contains(err.Error(), token) || !strings.Contains(err.Error(), "Bot [redacted]") {
		t.Errorf("Error() = %q", err)
	}
	if !errors.Is(err, errSentinel) {
		t.Error("the redacted error does not unwrap to what it wrapped")
	}
	if plain := errors.New("nothing secret"); r.Error(plain) != plain || r.Error(nil) != nil {
		t.Error("an error without a secret is wrapped")
	}
}

func TestWriter(t *testing.T) {
	r := New(token)
	var buf bytes.Buffer
	w := r.Writer(&buf)
	if r.Writer(w) != w {
		t.Error("a redacting writer is wrapped again")
	}
	in := "newsbot: slack: auth.test: invalid_auth (token " + token + ")\n"
	n, err := io.WriteString(w, in)
	if err != nil || n != len(in) {
		t.Errorf("Write = %d, %v; want %d, nil", n, err, len(in))
	}
	io.WriteString(w, "plain line\n")
	if got, want := buf.String(), "newsbot: slack: auth.test: invalid_auth (token [redacted])\nplain line\n"; got != want {
		t.Errorf("written %q, want %q", got, want)
	}
}

type failing struct{}

func (failing) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriterError(t *testing.T) {
	if n, err := New(token).Writer(failing{}).Write([]byte(token)); n != 0 || err == nil {
		t.Errorf("Write to a failing writer = %d, %v", n, err)
	}
}

// secretValuer logs as a group holding the token.
type secretValuer struct{}

func (secretValuer) LogValue() slog.Value {
	return slog.GroupValue(slog.String("auth", "Bot "+token), slog.Int("n", 1))
}

type request struct {
	URL  string
	Body []byte
}

// Every place a record can carry text is redacted, by both built-in
// handlers; values holding no secret keep their kind.
func TestHandler(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			var h slog.Handler = slog.NewTextHandler(&buf, nil)
			if format == "json" {
				h = slog.NewJSONHandler(&buf, nil)
			}
			log := slog.New(New(token, quoted, "123456789").Handler(h))
			log = log.With("client", "Bot "+token).WithGroup("discord").With("pw", quoted)
			log.Error("request failed: "+token,
				"err", fmt.Errorf("HTTP 500: %s", token),
				"plain", errors.New("no secret"),
				slog.Group("http", "header", "Authorization: Bot "+token, slog.Group("deeper", "body", []byte(`{"token":"`+token+`"}`))),
				"valuer", secretValuer{},
				"req", request{URL: "https://x/?k=" + url.QueryEscape(quoted), Body: []byte("b")},
				"number", 123456789,
				"count", 42,
				token, "the key is secret too",
			)
			out := buf.String()
			for _, form := range Forms(token) {
				if strings.Contains(out, form) {
					t.Errorf("the token appears as %q:\n%s", form, out)
				}
			}
			for _, form := range Forms(quoted) {
				if strings.Contains(out, form) {
					t.Errorf("the password appears as %q:\n%s", form, out)
				}
			}
			if strings.Contains(out, "123456789") {
				t.Errorf("the numeric secret appears:\n%s", out)
			}
			for _, want := range []string{"no secret", "42", "[redacted]"} {
				if !strings.Contains(out, want) {
					t.Errorf("%q is missing:\n%s", want, out)
				}
			}
			if format == "json" {
				var m map[string]any
				if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
					t.Fatalf("not one JSON record: %v\n%s", err, out)
				}
				d, _ := m["discord"].(map[string]any)
				if d == nil || d["count"] != 42.0 || d["plain"] != "no secret" || m["msg"] != "request failed: [redacted]" {
					t.Errorf("record shape: %s", out)
				}
			}
		})
	}
}

// A secret in one place only, whichever: the message, the first or the
// last attribute, a group, an attribute added before.
func TestHandlerOnePlace(t *testing.T) {
	r := New(token)
	for name, logf := range map[string]func(*slog.Logger){
		"message":    func(l *slog.Logger) { l.Info("token "+token, "n", 1) },
		"first attr": func(l *slog.Logger) { l.Info("m", "a", token, "b", 1) },
		"last attr":  func(l *slog.Logger) { l.Info("m", "a", 1, "b", 2, "c", 3, "d", 4, "e", 5, "f", errors.New(token)) },
		"group":      func(l *slog.Logger) { l.Info("m", slog.Group("g", "x", "y", "z", []byte(token))) },
		"With":       func(l *slog.Logger) { l.With("t", token).Info("m") },
		"WithGroup":  func(l *slog.Logger) { l.WithGroup("g").Info("m", "t", token) },
		"key":        func(l *slog.Logger) { l.Info("m", token, 1) },
	} {
		var buf bytes.Buffer
		logf(slog.New(r.Handler(slog.NewTextHandler(&buf, nil))))
		if strings.Contains(buf.String(), token) || !strings.Contains(buf.String(), Mark) {
			t.Errorf("%s: %s", name, buf.String())
		}
	}
}

// FuzzString inserts a secret into any text. Properties: every occurrence
// of the secret left in the output overlaps a Mark (the mark and its
// neighbours may spell it again, e.g. a secret starting with "]"); text
// without the secret is unchanged; the Writer writes what String returns;
// an error's message is String of it.
func FuzzString(f *testing.F) {
	f.Add("xoxb-1234-secret", "token xoxb-1234-secret in text", 6)
	f.Add(quoted, `{"p":"pa\"ss\u003cw\u003e\u0026rd\\x"}`, 3)
	f.Add("]hello", "]hellohello", 0)
	f.Add("aaaaaa", "aaaaaaaaaaaaa", 2)
	f.Add("é\x00\xff€abc", "%C3%A9%00%FF%E2%82%ACabc", 1)
	f.Add("redacted]", "[redacted]]", 1)
	f.Fuzz(func(t *testing.T, secret, text string, at int) {
		if at < 0 {
			at = -at
		}
		if at < 0 || len(text) == 0 {
			at = 0
		} else {
			at %= len(text) + 1
		}
		in := text[:at] + secret + text[at:]
		r := New(secret)
		out := r.String(in)
		if !r.Active() {
			if out != in {
				t.Fatalf("no secret, but %q became %q", in, out)
			}
			return
		}
		for i := 0; ; {
			j := strings.Index(out[i:], secret)
			if j < 0 {
				break
			}
			if !overlapsMark(out, i+j, i+j+len(secret)) {
				t.Fatalf("secret %q left at %d in %q (from %q)", secret, i+j, out, in)
			}
			i += j + 1
		}
		if !r.Contains(text) && r.String(text) != text {
			t.Fatalf("%q holds no secret but became %q", text, r.String(text))
		}
		var buf bytes.Buffer
		r.Writer(&buf).Write([]byte(in))
		if buf.String() != out {
			t.Fatalf("Writer wrote %q, String gave %q", buf.String(), out)
		}
		if got := r.Error(errors.New(in)).Error(); got != out {
			t.Fatalf("Error gave %q, String %q", got, out)
		}
		if !utf8.ValidString(in) || !utf8.ValidString(out) {
			// The JSON handler replaces invalid bytes (and a secret that is
			// not UTF-8 itself may be cut from the middle of a character).
			return
		}
		var rec bytes.Buffer
		slog.New(r.Handler(slog.NewJSONHandler(&rec, nil))).Info(in, "v", in, "err", errors.New(in))
		var m map[string]any
		if err := json.Unmarshal(rec.Bytes(), &m); err != nil {
			t.Fatalf("the JSON handler wrote %q: %v", rec.String(), err)
		}
		if m["msg"] != out || m["v"] != out || m["err"] != out {
			t.Fatalf("logged %v; want message, attribute and error %q", m, out)
		}
	})
}

// overlapsMark reports whether [lo, hi) in s overlaps an occurrence of Mark.
func overlapsMark(s string, lo, hi int) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], Mark)
		if j < 0 {
			return false
		}
		start := i + j
		if start < hi && lo < start+len(Mark) {
			return true
		}
		i = start + 1
	}
}

// The cost of redaction on a log line: a record through the text handler,
// and a line through the writer, with and without a secret in it.
func BenchmarkHandler(b *testing.B) {
	for _, name := range []string{"unredacted", "plain", "secret"} {
		b.Run(name, func(b *testing.B) {
			msg := "answered the question in 12ms"
			if name == "secret" {
				msg += " with " + token
			}
			var r *Redactor
			if name != "unredacted" {
				r = New(token, quoted, "another-secret-value")
			}
			log := slog.New(r.Handler(slog.NewTextHandler(io.Discard, nil)))
			b.ReportAllocs()
			for b.Loop() {
				log.Info(msg, "question", "Who met Vladimir Putin last week?", "took", 12, "err", errSentinel)
			}
		})
	}
}

func BenchmarkWriter(b *testing.B) {
	for _, name := range []string{"plain", "secret"} {
		b.Run(name, func(b *testing.B) {
			line := []byte(strings.Repeat("AP, 16 Apr 2025: Several rounds of negotiations have been held in Saudi Arabia. ", 4) + "\n")
			if name == "secret" {
				line = append([]byte(token+" "), line...)
			}
			w := New(token, quoted, "another-secret-value").Writer(io.Discard)
			b.ReportAllocs()
			b.SetBytes(int64(len(line)))
			for b.Loop() {
				w.Write(line)
			}
		})
	}
}
