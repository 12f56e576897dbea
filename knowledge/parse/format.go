package parse

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsbot/newsbot/internal/safe"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/analysis"
)

// Format is an input format newsbot reads.
type Format string

// The formats ReadArticles understands.
const (
	FormatText     Format = "text"
	FormatMarkdown Format = "markdown"
	FormatJSON     Format = "json"
	FormatJSONL    Format = "jsonl"
)

// Limits on input, so that one bad file cannot exhaust memory.
const (
	MaxDocumentBytes = 32 << 20 // a text, Markdown or JSON document
	MaxLineBytes     = 16 << 20 // one JSON Lines line
	MaxParagraphs    = 5000     // paragraphs kept per article
	MaxTitleRunes    = 500
)

// ErrUnsupported means an input's format is not one newsbot reads.
var ErrUnsupported = errors.New("unsupported format")

// ErrBinary is the error for a file that is not text at all (a program,
// an image, random bytes): it is refused, not stored as an article.
var ErrBinary = errors.New("binary file, skipped")

// looksBinary reports whether the start of a file is not text: it holds a
// NUL byte, or more than a tenth of it is invalid UTF-8 or control
// characters other than tab, newline, carriage return and form feed.
func looksBinary(head []byte) bool {
	if len(head) == 0 {
		return false
	}
	bad, n := 0, 0
	for i := 0; i < len(head); {
		r, size := utf8.DecodeRune(head[i:])
		switch {
		case r == 0:
			return true
		case r == utf8.RuneError && size == 1:
			if len(head)-i < utf8.UTFMax && !utf8.FullRune(head[i:]) {
				i = len(head) // a rune cut by the peek
				continue
			}
			bad++
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f':
			bad++
		}
		n++
		i += size
	}
	return bad*10 > n
}

// FormatByName returns the format implied by a file name (a ".gz" suffix is
// ignored), or "" when the name says nothing.
func FormatByName(name string) Format {
	name = strings.TrimSuffix(strings.ToLower(name), ".gz")
	switch filepath.Ext(name) {
	case ".txt", ".text":
		return FormatText
	case ".md", ".markdown":
		return FormatMarkdown
	case ".json":
		return FormatJSON
	case ".jsonl", ".ndjson":
		return FormatJSONL
	}
	return ""
}

// sniff guesses the format of content from its first bytes.
func sniff(head []byte) Format {
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\ufeff")), " \t\r\n")
	switch {
	case len(head) == 0:
		return FormatText
	case head[0] == '[':
		return FormatJSON
	case head[0] == '{':
		// One object per line, or one object over many lines?
		if i := bytes.IndexByte(head, '\n'); i > 0 && json.Valid(bytes.TrimSpace(head[:i])) {
			return FormatJSONL
		}
		return FormatJSON
	case bytes.HasPrefix(head, []byte("---\n")) || head[0] == '#':
		return FormatMarkdown
	case bytes.HasPrefix(head, []byte("<")):
		return "" // HTML or XML: not a format this reader handles
	}
	return FormatText
}

// Problem is an input, or a part of one, that could not be used (or was used
// with a caveat, when Warning is set). Where is "path" or "path:line".
type Problem struct {
	Where   string
	Err     error
	Warning bool
}

func (p Problem) Error() string { return p.Where + ": " + p.Err.Error() }

// Unwrap returns the underlying error.
func (p Problem) Unwrap() error { return p.Err }

// ReadArticles reads the articles in one input named name (a path, used for
// format detection and in problems). The input may be gzip-compressed. It
// calls emit with each good article and where it came from, and problem for
// each bad line, element or document, then carries on. A line, element or
// document whose handling panics is a problem too (the panic is logged with
// its stack on slog.Default). It returns an error only when the input as a
// whole cannot be read, or emit fails.
func ReadArticles(ctx context.Context, name string, r io.Reader, emit func(a *knowledge.Article, where string) error, problem func(Problem)) error {
	return ReadLogged(ctx, nil, name, r, emit, problem)
}

// ReadLogged is ReadArticles logging recovered panics on log (nil means
// slog.Default).
func ReadLogged(ctx context.Context, log *slog.Logger, name string, r io.Reader, emit func(a *knowledge.Article, where string) error, problem func(Problem)) error {
	br := bufio.NewReaderSize(r, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("gunzip: %w", err)
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, 64<<10)
	}
	if head, _ := br.Peek(8192); looksBinary(head) {
		return ErrBinary
	}
	format := FormatByName(name)
	if format == "" {
		head, _ := br.Peek(4096)
		format = sniff(head)
		if format == "" {
			return fmt.Errorf("%w: looks like HTML or XML (use a feed or page URL, or save the article as text)", ErrUnsupported)
		}
	}
	switch format {
	case FormatJSONL:
		return readJSONL(ctx, log, name, br, emit, problem)
	case FormatJSON:
		return readJSON(ctx, log, name, br, emit, problem)
	}
	data, err := io.ReadAll(io.LimitReader(br, MaxDocumentBytes+1))
	if err != nil {
		return fmt.Errorf("read: %w", err)
	}
	if len(data) > MaxDocumentBytes {
		return fmt.Errorf("document larger than %d MiB", MaxDocumentBytes>>20)
	}
	if !utf8.Valid(data) {
		problem(Problem{Where: name, Err: errors.New("not valid UTF-8; invalid bytes replaced"), Warning: true})
	}
	var emitErr error
	if perr := safe.Do(ctx, log, "ingest "+name, func() {
		var a *knowledge.Article
		var warnings []string
		if format == FormatMarkdown {
			a, warnings, err = ParseMarkdown(string(data))
		} else {
			a, err = ParseText(string(data))
		}
		for _, w := range warnings {
			problem(Problem{Where: name, Err: errors.New(w), Warning: true})
		}
		if err != nil {
			problem(Problem{Where: name, Err: err})
			return
		}
		emitErr = emitChecked(a, name, emit, problem)
	}); perr != nil {
		problem(Problem{Where: name, Err: perr})
	}
	return emitErr
}

// emitChecked cleans and validates a, then emits it or reports why not.
func emitChecked(a *knowledge.Article, where string, emit func(*knowledge.Article, string) error, problem func(Problem)) error {
	warnings, err := Clean(a)
	for _, w := range warnings {
		problem(Problem{Where: where, Err: errors.New(w), Warning: true})
	}
	if err != nil {
		problem(Problem{Where: where, Err: err})
		return nil
	}
	return emit(a, where)
}

func readJSONL(ctx context.Context, log *slog.Logger, name string, br *bufio.Reader, emit func(*knowledge.Article, string) error, problem func(Problem)) error {
	line := 0
	var buf []byte
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		buf = buf[:0]
		tooLong := false
		var err error
		for {
			var chunk []byte
			chunk, err = br.ReadSlice('\n')
			if len(buf)+len(chunk) > MaxLineBytes {
				tooLong = true
			} else {
				buf = append(buf, chunk...)
			}
			if err != bufio.ErrBufferFull {
				break
			}
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("line %d: %w", line+1, err)
		}
		if len(buf) > 0 || tooLong {
			line++
		}
		where := fmt.Sprintf("%s:%d", name, line)
		switch trimmed := bytes.TrimSpace(buf); {
		case tooLong:
			problem(Problem{Where: where, Err: fmt.Errorf("line longer than %d MiB", MaxLineBytes>>20)})
		case len(trimmed) == 0:
		default:
			if e := decodeRecord(ctx, log, trimmed, where, emit, problem); e != nil {
				return e
			}
		}
		if err == io.EOF {
			return nil
		}
	}
}

// decodeRecord parses one JSON article and emits it. A panic while doing so
// is logged on log and reported as a problem of that record.
func decodeRecord(ctx context.Context, log *slog.Logger, data []byte, where string, emit func(*knowledge.Article, string) error, problem func(Problem)) error {
	var err error
	if perr := safe.Do(ctx, log, "ingest "+where, func() { err = decodeRecordUnsafe(data, where, emit, problem) }); perr != nil {
		problem(Problem{Where: where, Err: perr})
		return nil
	}
	return err
}

func decodeRecordUnsafe(data []byte, where string, emit func(*knowledge.Article, string) error, problem func(Problem)) error {
	var rec record
	if err := json.Unmarshal(data, &rec); err != nil {
		problem(Problem{Where: where, Err: fmt.Errorf("malformed JSON: %s", jsonErrorText(err))})
		return nil
	}
	a, warnings, _ := rec.article()
	for _, w := range warnings {
		problem(Problem{Where: where, Err: errors.New(w), Warning: true})
	}
	return emitChecked(a, where, emit, problem)
}

func jsonErrorText(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("field %q: want %s, got %s", te.Field, te.Type, te.Value)
	}
	return err.Error()
}

func readJSON(ctx context.Context, log *slog.Logger, name string, br *bufio.Reader, emit func(*knowledge.Article, string) error, problem func(Problem)) error {
	head, _ := br.Peek(4096)
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\ufeff")), " \t\r\n")
	if len(head) > 0 && head[0] != '[' {
		// One object; or, despite the name, JSON Lines.
		data, err := io.ReadAll(io.LimitReader(br, MaxDocumentBytes+1))
		if err != nil {
			return fmt.Errorf("read: %w", err)
		}
		if len(data) > MaxDocumentBytes {
			return fmt.Errorf("document larger than %d MiB", MaxDocumentBytes>>20)
		}
		if bytes.Count(bytes.TrimSpace(data), []byte("\n")) > 0 && !json.Valid(data) {
			return readJSONL(ctx, log, name, bufio.NewReader(bytes.NewReader(data)), emit, problem)
		}
		return decodeRecord(ctx, log, data, name, emit, problem)
	}
	dec := json.NewDecoder(br)
	if _, err := dec.Token(); err != nil {
		problem(Problem{Where: name, Err: fmt.Errorf("malformed JSON: %w", err)})
		return nil
	}
	for i := 1; dec.More(); i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		where := fmt.Sprintf("%s[%d]", name, i)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			// The stream cannot be resynchronised after a syntax error.
			problem(Problem{Where: where, Err: fmt.Errorf("malformed JSON, rest of file skipped: %w", err)})
			return nil
		}
		if err := decodeRecord(ctx, log, raw, where, emit, problem); err != nil {
			return err
		}
	}
	return nil
}

// Clean normalises an article in place — valid UTF-8, no control
// characters (nor bidi embeddings, overrides and isolates, which could
// reorder a citation on screen), single-spaced title and paragraphs, empty
// paragraphs dropped, paragraphs longer than MaxParagraphRunes split (see
// BoundParagraphs), limits applied — and returns warnings for what it changed, or an error
// when the article cannot be used (no text).
func Clean(a *knowledge.Article) ([]string, error) {
	var warnings []string
	a.Title = cleanTitle(sanitize(a.Title))
	a.Source = strings.TrimSpace(sanitize(a.Source))
	a.Byline = strings.Join(strings.Fields(sanitize(a.Byline)), " ")
	a.URL = strings.TrimSpace(sanitize(a.URL))
	a.ID = strings.TrimSpace(sanitize(a.ID))
	if len(a.ID) > 128 {
		return nil, errors.New("id longer than 128 characters")
	}
	if a.URL != "" && knowledge.NormalizeURL(a.URL) == "" {
		warnings = append(warnings, fmt.Sprintf("url %q is not an absolute URL; dropped", a.URL))
		a.URL = ""
	}
	paras := a.Paragraphs[:0]
	for _, p := range a.Paragraphs {
		if p = analysis.StripLabel(strings.Join(strings.Fields(sanitize(p)), " ")); p != "" {
			paras = append(paras, p)
		}
	}
	a.Paragraphs = BoundParagraphs(paras)
	if len(a.Paragraphs) > MaxParagraphs {
		warnings = append(warnings, fmt.Sprintf("%d paragraphs; kept the first %d", len(a.Paragraphs), MaxParagraphs))
		a.Paragraphs = a.Paragraphs[:MaxParagraphs]
	}
	if len(a.Paragraphs) == 0 {
		if a.Title == "" {
			return warnings, knowledge.ErrEmpty
		}
		return warnings, errors.New("no text (title only)")
	}
	if a.Title == "" {
		a.Title = headline(a.Paragraphs[0])
		warnings = append(warnings, "no title; used the start of the first paragraph")
	}
	if r := []rune(a.Title); len(r) > MaxTitleRunes {
		a.Title = string(r[:MaxTitleRunes]) + "…"
	}
	return warnings, nil
}

// sanitize makes s valid UTF-8 without control characters other than
// newline and tab, and without bidi embeddings, overrides and isolates
// (U+202A–U+202E, U+2066–U+2069). Zero-width joiners and marks stay: emoji
// sequences and scripts need them.
func sanitize(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	clean := true
	for _, r := range s {
		if unwanted(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unwanted(r) {
			if r == '\r' {
				return '\n'
			}
			return -1
		}
		return r
	}, s)
}

// unwanted reports whether sanitize removes r.
func unwanted(r rune) bool {
	return unicode.IsControl(r) && r != '\n' && r != '\t' ||
		r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}

// headline makes a title from a paragraph: its first sentence, at most 100
// characters, cut at a word.
func headline(p string) string {
	p = StripDateline(p)
	if i := strings.IndexAny(p, ".!?"); i > 20 {
		p = p[:i]
	}
	r := []rune(p)
	if len(r) <= 100 {
		return p
	}
	cut := string(r[:100])
	if i := strings.LastIndexByte(cut, ' '); i > 40 {
		cut = cut[:i]
	}
	return cut + "…"
}
