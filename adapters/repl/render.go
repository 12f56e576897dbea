// Package repl is newsbot's terminal adapter: the interactive REPL (with
// line editing and history on a terminal, plain line-by-line when piped) and
// the one-shot commands ask, search, latest and ingest. Everything takes
// io.Reader/io.Writer, so tests drive it with buffers.
package repl

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/jsonout"
)

// WriteAnswer prints an answer for a terminal: the short answer on a line
// of its own, the text, a note when an
// LLM answer was wanted but the template answer is given, then one source
// line per citation.
func WriteAnswer(w io.Writer, a *bot.Answer) error {
	return WriteStreamedAnswer(w, a, "")
}

// WriteStreamedAnswer prints an answer whose text shown has already been
// written (streamed as the model wrote it): the rest of the text, or, when
// the answer is not a continuation of what was shown (the model failed
// midway and the template answer replaces it), the whole answer after a
// blank line.
func WriteStreamedAnswer(w io.Writer, a *bot.Answer, shown string) error {
	var b strings.Builder
	switch {
	case shown == "":
		if lead := a.Lead(); lead != "" {
			b.WriteString(lead + "\n")
		}
		b.WriteString(a.Text)
	case strings.HasPrefix(a.Text, shown):
		b.WriteString(a.Text[len(shown):])
	default:
		b.WriteString(" …\n\n")
		b.WriteString(a.Text)
	}
	b.WriteString("\n")
	if note := a.FallbackNote(); note != "" {
		fmt.Fprintf(&b, "(%s)\n", note)
	}
	if len(a.Citations) > 0 {
		b.WriteString("\n" + sourcesLabel(a) + ":\n")
		for _, c := range a.Citations {
			weak := ""
			if c.Weak {
				weak = " (weak support)"
			}
			fmt.Fprintf(&b, "  [%d] %s%s\n", c.N, citationLine(a, c), weak)
			if c.URL != "" {
				fmt.Fprintf(&b, "      %s\n", c.URL)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// citationLine is "Title — Source, 16 Apr 2025, paragraph 3", in the
// words of a's language as the bot gave them (English without them).
func citationLine(a *bot.Answer, c bot.Citation) string {
	parts := []string{}
	if c.Source != "" {
		parts = append(parts, c.Source)
	}
	if d := citationDate(c); d != "" {
		parts = append(parts, d)
	}
	if w := c.UpdatedWords(); w != "" {
		parts = append(parts, w)
	}
	if w := c.ParagraphWords(); w != "" {
		parts = append(parts, w)
	} else {
		parts = append(parts, fmt.Sprintf("paragraph %d", c.Paragraph))
	}
	line := c.Title + " — " + strings.Join(parts, ", ")
	if len(c.AlsoIn) > 0 {
		var also []string
		for _, o := range c.AlsoIn {
			name := o.Source
			if name == "" {
				name = o.Title
			}
			if d := displayDate(o.Published); d != "" {
				name += " (" + d + ")"
			}
			also = append(also, name)
		}
		label := a.AlsoReportedBy
		if label == "" {
			label = "also reported by"
		}
		line += "; " + label + " " + strings.Join(also, ", ")
	}
	return line
}

// sourcesLabel is "Sources" in the answer's language.
func sourcesLabel(a *bot.Answer) string {
	if a.SourcesLabel != "" {
		return a.SourcesLabel
	}
	return "Sources"
}

// citationDate is the citation's date as the bot worded it (in the
// answer's language, "date unknown, first seen …" when undated).
func citationDate(c bot.Citation) string {
	if c.Date != "" {
		return c.Date
	}
	return displayDate(c.Published)
}

// headlineDate is the headline's date as the bot worded it ("date
// unknown, first seen …" when undated).
func headlineDate(h bot.Headline) string {
	if h.Date != "" {
		return h.Date
	}
	return displayDate(h.Published)
}

func displayDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2 Jan 2006")
}

// WriteSources prints the full citations of an answer (the :sources
// command): everything known about each source, and the quoted part.
func WriteSources(w io.Writer, a *bot.Answer) error {
	if a == nil || len(a.Citations) == 0 {
		_, err := io.WriteString(w, "No sources yet: ask a question first.\n")
		return err
	}
	var b strings.Builder
	for _, c := range a.Citations {
		fmt.Fprintf(&b, "[%d] %s\n", c.N, c.Title)
		field := func(name, v string) {
			if v != "" {
				fmt.Fprintf(&b, "    %-10s %s\n", name+":", v)
			}
		}
		field("outlet", c.Source)
		field("byline", c.Byline)
		field("published", citationDate(c))
		field("updated", displayDate(c.Updated))
		field("paragraph", fmt.Sprint(c.Paragraph))
		field("link", c.URL)
		field("article", c.ArticleID)
		if c.Quote != "" {
			field("quote", "“"+c.Quote+"”")
		}
		if c.Weak {
			field("support", "weak: few words of the sentence citing it are in this paragraph")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteParagraph prints the whole paragraph behind citation n (the :open
// command).
func WriteParagraph(w io.Writer, a *bot.Answer, n int) error {
	if a == nil || n < 1 || n > len(a.Citations) {
		count := 0
		if a != nil {
			count = len(a.Citations)
		}
		_, err := fmt.Fprintf(w, "There is no source [%d]; the last answer has %d.\n", n, count)
		return err
	}
	c := a.Citations[n-1]
	_, err := fmt.Fprintf(w, "[%d] %s\n\n%s\n", c.N, citationLine(a, c), wrap(c.Text, 78))
	return err
}

// HeadlineJSON is one story in `latest --json`.
type HeadlineJSON struct {
	ID       string            `json:"id"`
	Title    string            `json:"title"`
	Updated  string            `json:"updated"`
	Articles []HeadlineArticle `json:"articles"`
}

// HeadlineArticle is one article of a story in `latest --json`.
type HeadlineArticle struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Source    string `json:"source"`
	Published string `json:"published"`
	URL       string `json:"url"`
}

// WriteHeadlinesJSON prints headlines as one JSON array of stories, each
// with its articles, newest first. Without stories, each article is a
// story of its own, with the article's id.
func WriteHeadlinesJSON(w io.Writer, hs []bot.Headline) error {
	out := []HeadlineJSON{}
	for _, h := range hs {
		id := h.StoryID
		if id == "" {
			id = h.ArticleID
		}
		j := HeadlineJSON{ID: id, Title: h.Title, Updated: isoDate(h.Published), Articles: []HeadlineArticle{}}
		for _, a := range h.Articles {
			j.Articles = append(j.Articles, HeadlineArticle{ID: a.ID, Title: a.Title, Source: a.Source, Published: isoDate(a.Published), URL: a.URL})
		}
		if len(h.Articles) == 0 {
			j.Articles = append(j.Articles, HeadlineArticle{ID: h.ArticleID, Title: h.Title, Source: h.Source, Published: isoDate(h.Published), URL: h.URL})
		}
		out = append(out, j)
	}
	return jsonout.Write(w, out)
}

// WriteHeadlines prints one line per story, newest first: its title, its
// newest article's outlet and date, the other outlets ("also: Reuters,
// BBC"), and the newest article's link.
func WriteHeadlines(w io.Writer, hs []bot.Headline) error {
	if len(hs) == 0 {
		_, err := io.WriteString(w, "No articles yet.\n")
		return err
	}
	var b strings.Builder
	for i, h := range hs {
		meta := []string{}
		if h.Source != "" {
			meta = append(meta, h.Source)
		}
		if d := headlineDate(h); d != "" {
			meta = append(meta, d)
		}
		fmt.Fprintf(&b, "%2d. %s", i+1, h.Title)
		if len(meta) > 0 {
			fmt.Fprintf(&b, " — %s", strings.Join(meta, ", "))
		}
		if len(h.Also) > 0 {
			fmt.Fprintf(&b, " (also: %s)", strings.Join(h.Also, ", "))
		}
		b.WriteString("\n")
		if h.URL != "" {
			fmt.Fprintf(&b, "    %s\n", h.URL)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WritePassages prints search results for a terminal.
func WritePassages(w io.Writer, ps []bot.Passage) error {
	if len(ps) == 0 {
		_, err := io.WriteString(w, "No matching paragraphs.\n")
		return err
	}
	var b strings.Builder
	for i, p := range ps {
		meta := []string{}
		if p.Source != "" {
			meta = append(meta, p.Source)
		}
		if d := displayDate(p.Published); d != "" {
			meta = append(meta, d)
		}
		meta = append(meta, fmt.Sprintf("paragraph %d", p.Paragraph), fmt.Sprintf("score %.2f", p.Score))
		fmt.Fprintf(&b, "%2d. %s — %s\n", i+1, p.Title, strings.Join(meta, ", "))
		fmt.Fprintf(&b, "    %s\n", truncate(p.Text, 300))
		if p.URL != "" {
			fmt.Fprintf(&b, "    %s\n", p.URL)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// truncate cuts s to at most n runes at a word boundary, adding "…".
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}

// wrap breaks text into lines of at most width runes at spaces.
func wrap(text string, width int) string {
	var b strings.Builder
	line := 0
	for i, word := range strings.Fields(text) {
		n := utf8.RuneCountInString(word)
		if i > 0 {
			if line+1+n > width {
				b.WriteByte('\n')
				line = 0
			} else {
				b.WriteByte(' ')
				line++
			}
		}
		b.WriteString(word)
		line += n
	}
	return b.String()
}
