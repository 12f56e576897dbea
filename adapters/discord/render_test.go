package discord

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	goldenfile "github.com/newsbot/newsbot/internal/golden"

	"github.com/newsbot/newsbot/bot"
)

func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenfile.Check(t, name, []byte(got))
}

// checkChunks verifies the invariants of splitText's output.
func checkChunks(t *testing.T, text string, chunks []string, limit int) {
	t.Helper()
	if strings.Join(strings.Fields(strings.Join(chunks, " ")), " ") != strings.Join(strings.Fields(text), " ") {
		t.Errorf("chunks do not add up to the text")
	}
	for i, c := range chunks {
		if textLen(c) > limit {
			t.Errorf("chunk %d is %d long, over %d", i, textLen(c), limit)
		}
		if c == "" || c != strings.TrimSpace(c) {
			t.Errorf("chunk %d is empty or untrimmed: %q", i, c)
		}
		if i > 0 && regexp.MustCompile(`^\[\d+\]`).MatchString(c) {
			t.Errorf("chunk %d starts with a citation marker: %.30q", i, c)
		}
	}
}

func TestSplitText(t *testing.T) {
	sentence := "The minister said the talks in Paris would go on. “We are close,” she said. [1] "
	oneParagraph := strings.Repeat(sentence, 70) // ~5,600 characters, no paragraph break
	noSentences := strings.Repeat("word ", 1000)
	tests := []struct {
		name      string
		text      string
		limit     int
		wantN     int
		wantEnd   string // every chunk but the last ends so
		wantStart string // every chunk but the first starts so
	}{
		{"short", "Hello.", 2000, 1, "", ""},
		{"paragraphs", strings.Repeat("a b c. ", 200) + "\n\n" + strings.Repeat("d e f. ", 200), 2000, 2, "a b c.", "d e f."},
		{"sentences keep their markers", oneParagraph, 2000, 3, "she said. [1]", "The minister"},
		{"words when there is no sentence end", noSentences, 2000, 3, "word", "word"},
		{"link kept whole", strings.Repeat("x ", 990) + "[a link with words](https://example.com/a) tail", 2000, 2, "x", "[a link"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := splitText(tt.text, tt.limit, 0)
			if len(got) != tt.wantN {
				t.Fatalf("%d chunks, want %d: %q", len(got), tt.wantN, got)
			}
			checkChunks(t, tt.text, got, tt.limit)
			for i, c := range got {
				if i < len(got)-1 && !strings.HasSuffix(c, tt.wantEnd) {
					t.Errorf("chunk %d ends …%q, want …%q", i, c[max(0, len(c)-30):], tt.wantEnd)
				}
				if i > 0 && !strings.HasPrefix(c, tt.wantStart) {
					t.Errorf("chunk %d starts %.30q, want %q", i, c, tt.wantStart)
				}
			}
		})
	}
}

func TestSplitTextEdgeCases(t *testing.T) {
	// A single word longer than the limit is cut inside (nothing else
	// possible), at a character boundary.
	long := strings.Repeat("é", 30)
	got := splitText(long, 7, 0)
	if len(got) != 5 || got[0] != "éééééé" && got[0] != "ééééééé" {
		t.Errorf("splitText(30×é, 7, 0) = %q", got)
	}
	// Characters outside the BMP count twice, as in Discord.
	emoji := strings.Repeat("📰 ", 10) // 30 UTF-16 units
	if n := textLen(emoji); n != 30 {
		t.Errorf("textLen = %d, want 30", n)
	}
	for _, c := range splitText(emoji, 10, 0) {
		if textLen(c) > 10 {
			t.Errorf("chunk %q is %d units", c, textLen(c))
		}
	}
	if got := splitText("  \n ", 10, 0); len(got) != 0 {
		t.Errorf("blank text gave %q", got)
	}
	// Citation runs stay together: "[1] [2]" is never split.
	text := strings.Repeat("a", 10) + " [1] [2] [3]"
	if got := splitText(text, 16, 0); got[0] != text[:10] {
		t.Errorf("splitText = %q, want the markers kept together", got)
	}
}

func TestNeutralise(t *testing.T) {
	tests := map[string]string{
		"@everyone look":          "@\u2009everyone look",
		"hi @HERE":                "hi @\u2009here",
		"<@123456789012345678> x": "<@\u2009123456789012345678> x",
		"<@!123456789012345678>":  "<@\u2009!123456789012345678>",
		"<@&123456789012345678>":  "<@\u2009&123456789012345678>",
		"mail me@example.com":     "mail me@example.com",
		"<#123456789012345678>":   "<#123456789012345678>",
	}
	for in, want := range tests {
		if got := neutralise(in); got != want {
			t.Errorf("neutralise(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSuppressPreviews(t *testing.T) {
	tests := map[string]string{
		"see https://a.example/x.":              "see <https://a.example/x>.",
		"(https://a.example/x)":                 "(<https://a.example/x>)", // bracketed: masked links are escaped before
		"<https://a.example/x> done":            "<https://a.example/x> done",
		"\\[t\\](https://a.example/x)":          "\\[t\\](<https://a.example/x>)",
		"two http://a.example, https://b.ex/y?": "two <http://a.example>, <https://b.ex/y>?",
	}
	for in, want := range tests {
		if got := suppressPreviews(in); got != want {
			t.Errorf("suppressPreviews(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLinkURL(t *testing.T) {
	tests := map[string]string{
		"https://example.com/a_(b)": "https://example.com/a_%28b%29",
		"javascript:alert(1)":       "",
		"ftp://example.com/x":       "",
		"":                          "",
		"https://example.com/a b":   "https://example.com/a%20b",
	}
	for in, want := range tests {
		if got := linkURL(in); got != want {
			t.Errorf("linkURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestManyCitations renders an answer whose sources need several embeds
// and messages: the limits hold, the answer takes at most three messages,
// and citations that do not fit are counted.
func TestManyCitations(t *testing.T) {
	const total = 100
	a := &bot.Answer{Text: "A short answer with many sources. [1]", Found: true}
	for i := 1; i <= total; i++ {
		a.Citations = append(a.Citations, bot.Citation{N: i, Title: strings.Repeat(fmt.Sprintf("Long headline %d ", i), 12),
			Source: "Reuters", URL: fmt.Sprintf("https://news.example/2025/04/16/story-%d", i), Published: time.Date(2025, 4, 16, 0, 0, 0, 0, time.UTC), Paragraph: i})
	}
	msgs := renderAnswer(a)
	if len(msgs) < 2 || len(msgs) > maxMessages {
		t.Fatalf("%d messages, want the sources spread over 2 to %d", len(msgs), maxMessages)
	}
	more := 0
	seen := map[int]bool{}
	for i, m := range msgs {
		total := 0
		if len(m.Embeds) > maxEmbeds {
			t.Errorf("message %d has %d embeds", i, len(m.Embeds))
		}
		for _, e := range m.Embeds {
			if textLen(e.Description) > maxEmbedDescription || textLen(e.Title) > maxEmbedTitle {
				t.Errorf("message %d: embed over the limits", i)
			}
			total += embedLen(e)
			for _, n := range regexp.MustCompile(`\*\*\[(\d+)\]\*\*`).FindAllStringSubmatch(e.Description, -1) {
				var k int
				fmt.Sscan(n[1], &k)
				seen[k] = true
			}
			if m := regexp.MustCompile(`… and (\d+) more\.$`).FindStringSubmatch(e.Description); m != nil {
				fmt.Sscan(m[1], &more)
			}
			if len(e.Fields) > 25 {
				t.Errorf("message %d: %d fields", i, len(e.Fields))
			}
		}
		if total > maxEmbedTotal {
			t.Errorf("message %d: embeds total %d, over %d", i, total, maxEmbedTotal)
		}
	}
	for i := 1; i <= total-more; i++ {
		if !seen[i] {
			t.Errorf("citation %d was dropped", i)
		}
	}
	if len(seen)+more != total || more == 0 {
		t.Errorf("%d citations shown and %d counted as more, want %d in all, some counted", len(seen), more, total)
	}
	b := payloadsJSON(t, msgs)
	golden(t, "many_citations.json", string(b)+"\n")
}

func TestPartialText(t *testing.T) {
	long := strings.Repeat("Streaming words arrive. ", 120)
	got := partialText(long)
	if textLen(got) > maxContent || !strings.HasSuffix(got, " …") {
		t.Errorf("partialText: %d units, ends %q", textLen(got), got[len(got)-10:])
	}
	if got := partialText("@everyone so far"); got != "@\u2009everyone so far" {
		t.Errorf("partialText = %q", got)
	}
}

func TestKeyCache(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newKeyCache[string](3, time.Minute, func() time.Time { return now })
	if c.put("a", "1") {
		t.Error("put reported a new key as present")
	}
	if !c.put("a", "2") {
		t.Error("put did not report a present key")
	}
	c.put("b", "x")
	c.put("c", "x")
	c.put("d", "x") // evicts the oldest
	if _, ok := c.get("a"); ok {
		t.Error("a survived past the size bound")
	}
	if v, ok := c.get("d"); !ok || v != "x" {
		t.Errorf("get(d) = %q, %v", v, ok)
	}
	now = now.Add(2 * time.Minute)
	if _, ok := c.get("d"); ok {
		t.Error("d survived past its TTL")
	}
}

// A template answer given instead of a wanted LLM answer says why, in
// words, as Discord subtext under the answer; not when nothing was found
// (the answer says so itself).
func TestRenderFallbackNote(t *testing.T) {
	a := &bot.Answer{Text: "AP, 16 Apr 2025: “Talks were held in Paris.” [1]", Found: true, Mode: bot.ModeTemplate,
		FallbackReason: bot.FallbackTimeout, Citations: []bot.Citation{{N: 1, Title: "Talks in Paris", Source: "AP",
			URL: "https://news.example/paris", Published: time.Date(2025, 4, 16, 0, 0, 0, 0, time.UTC), Paragraph: 6}}}
	msgs := renderAnswer(a)
	if !strings.Contains(msgs[0].Content, "\n-# The language model took too long, so this is the extractive answer.") {
		t.Errorf("no fallback note in %q", msgs[0].Content)
	}
	b, _ := json.MarshalIndent(msgs[0].send(nil), "", "  ")
	golden(t, "answer_fallback.json", string(b)+"\n")
	a.FallbackReason, a.Found, a.Citations = bot.FallbackNoSources, false, nil
	if c := renderAnswer(a)[0].Content; strings.Contains(c, "-#") {
		t.Errorf("a note on an answer that found nothing: %q", c)
	}
}

// payloadsJSON is the indented JSON of the payloads msgs send, as the
// golden files hold them.
func payloadsJSON(t *testing.T, msgs []message) []byte {
	t.Helper()
	var payloads []any
	for _, m := range msgs {
		payloads = append(payloads, m.send(nil))
	}
	b, err := json.MarshalIndent(payloads, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}
