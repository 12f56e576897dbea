package slack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/bot"
)

var (
	apDay      = time.Date(2025, 4, 16, 0, 0, 0, 0, time.UTC)
	apCitation = bot.Citation{N: 1, ArticleID: "b49fd9f5a803", Title: "Top Trump officials will hold talks with Europeans on the Russia-Ukraine war",
		Source: "AP", URL: "https://apnews.com/article/rubio-witkoff-paris?utm=x&ref=y", Published: apDay, Paragraph: 6,
		Quote: "Several rounds of negotiations have been held in Saudi Arabia."}
	noURLCitation = bot.Citation{N: 2, Title: "Energy ceasefire talks", Source: "Reuters", Published: apDay.AddDate(0, 0, -1),
		Updated: apDay, Paragraph: 3, Quote: "Both sides agreed to pause strikes on energy facilities."}
)

// longAnswer is an answer of several paragraphs, more than 3,000
// characters in all, citing 12 sources.
func longAnswer() *bot.Answer {
	var paras []string
	for p := 0; p < 6; p++ {
		var sents []string
		for s := 0; s < 12; s++ {
			sents = append(sents, fmt.Sprintf("Paragraph %d, sentence %d says the talks in Paris & Riyadh went on for another day [%d].", p+1, s+1, (p*12+s)%12+1))
		}
		paras = append(paras, strings.Join(sents, " "))
	}
	a := &bot.Answer{Text: strings.Join(paras, "\n\n"), Found: true, Mode: bot.ModeLLM}
	for n := 1; n <= 12; n++ {
		a.Citations = append(a.Citations, bot.Citation{N: n, Title: fmt.Sprintf("Story number %d", n), Source: "AP",
			URL: fmt.Sprintf("https://apnews.com/article/%d", n), Published: apDay, Paragraph: n})
	}
	return a
}

func renderCases() map[string]message {
	simple := &bot.Answer{Found: true, Mode: bot.ModeTemplate,
		Text:      "AP, 16 Apr 2025: “Several rounds of negotiations have been held in Saudi Arabia.” [1] Reuters, 15 Apr 2025: “Both sides agreed to pause strikes on energy facilities.” [2]",
		Citations: []bot.Citation{apCitation, noURLCitation}}
	hostileAns := &bot.Answer{Found: true, Mode: bot.ModeTemplate,
		Text: "Example <!here> News, 15 Apr 2025: “The harbour master said <!channel> and @here were told, and that <@U999> & <#C42|ops> would follow up.” [1] **Bold** <https://evil.example|click>",
		Citations: []bot.Citation{{N: 1, Title: hostile.Title, Source: hostile.Source, URL: hostile.URL, Published: hostile.Published, Paragraph: 2},
			{N: 2, Title: "Script link", Source: "x", URL: "javascript:alert(1)", Paragraph: 1}}}
	fallback := *simple
	fallback.FallbackReason = bot.FallbackTimeout
	return map[string]message{
		"answer_simple.json":     renderAnswer(simple, answerView{}),
		"answer_ephemeral.json":  renderAnswer(simple, answerView{Question: "Where were earlier rounds of negotiations held?", ShareID: "abc123"}),
		"answer_shared.json":     renderAnswer(simple, answerView{Question: "Where were earlier rounds of negotiations held?", SharedBy: "U1"}),
		"answer_hostile.json":    renderAnswer(hostileAns, answerView{Question: "What did <!channel> @everyone hear?"}),
		"answer_long.json":       renderAnswer(longAnswer(), answerView{}),
		"answer_fallback.json":   renderAnswer(&fallback, answerView{}),
		"answer_partial.json":    renderAnswer(&bot.Answer{Text: "The talks in Paris are"}, answerView{Partial: true, ShareID: "abc123"}),
		"answer_notfound.json":   renderAnswer(&bot.Answer{Text: "I couldn't find anything about that in the 2 articles I have (15 Apr 2025 to 16 Apr 2025). Try other words."}, answerView{}),
		"headlines.json":         renderHeadlines("", []bot.Headline{{Title: "Top Trump officials will hold talks", Source: "AP", URL: apCitation.URL, Published: apDay, Also: []string{"Reuters", "BBC <!here>"}}, {Title: hostile.Title, Source: hostile.Source, Published: hostile.Published}}),
		"headlines_none.json":    renderHeadlines("mars <!here>", nil),
		"help.json":              renderHelp("/news", true),
		"notice_ratelimit.json":  renderNotice(bot.RateLimitMessage(12 * time.Second)),
		"notice_restarting.json": renderNotice(restarting),
	}
}

func TestRenderGolden(t *testing.T) {
	for name, m := range renderCases() {
		t.Run(name, func(t *testing.T) {
			buf := goldenJSON(t, m)
			got := buf.Bytes()
			golden(t, name, got)
			bs := blocksOf(t, mustJSON(t, m.Blocks))
			checkLimits(t, bs)
			if name != "answer_shared.json" { // names the user who shared, on purpose
				checkSafe(t, name, string(got))
			}
		})
	}
}

// goldenJSON is v as the golden files hold it: indented JSON, HTML left
// unescaped so that they stay readable.
func goldenJSON(t *testing.T, v any) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return &buf
}

func mustJSON(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLongAnswerSplitsWithSourcesIntact(t *testing.T) {
	a := longAnswer()
	if len(a.Text) <= maxSectionChars {
		t.Fatalf("test answer is only %d characters", len(a.Text))
	}
	m := renderAnswer(a, answerView{})
	bs := blocksOf(t, mustJSON(t, m.Blocks))
	checkLimits(t, bs)
	sections := texts(bs, "section")
	if len(sections) < 2 {
		t.Fatalf("%d sections, want the answer split in several", len(sections))
	}
	// Split at paragraph or sentence ends: every section ends a sentence.
	for i, s := range sections {
		if !strings.HasSuffix(s, "].") {
			t.Errorf("section %d ends mid-sentence: …%q", i, s[max(0, len(s)-40):])
		}
	}
	// Nothing lost: the sections hold the whole answer, in order.
	if got, want := strings.Join(strings.Fields(strings.Join(sections, " ")), " "), strings.Join(strings.Fields(escape(a.Text)), " "); got != want {
		t.Errorf("sections do not add up to the answer:\n got %.200q\nwant %.200q", got, want)
	}
	ctx := strings.Join(texts(bs, "context"), "\n")
	for n := 1; n <= 12; n++ {
		if !strings.Contains(ctx, fmt.Sprintf("*[%d]* <https://apnews.com/article/%d|Story number %d>", n, n, n)) {
			t.Errorf("source [%d] missing from the context blocks:\n%s", n, ctx)
		}
	}
}

func TestHugeAnswerStaysWithin50Blocks(t *testing.T) {
	a := &bot.Answer{Text: strings.Repeat(strings.Repeat("word ", 590)+"end.\n\n", 80)}
	for n := 1; n <= 25; n++ {
		a.Citations = append(a.Citations, bot.Citation{N: n, Title: fmt.Sprint("t", n), Paragraph: 1})
	}
	m := renderAnswer(a, answerView{Question: "q", ShareID: "x"})
	bs := blocksOf(t, mustJSON(t, m.Blocks))
	checkLimits(t, bs)
	if len(bs) != maxBlocks {
		t.Errorf("%d blocks, want exactly %d (answer cut to fit)", len(bs), maxBlocks)
	}
	ctx := strings.Join(texts(bs, "context"), "\n")
	if !strings.Contains(ctx, "*[25]* t25") {
		t.Errorf("the last source was dropped to make room")
	}
	if last := texts(bs, "section"); !strings.HasSuffix(last[len(last)-1], " …") {
		t.Errorf("a cut answer should end with …")
	}
}

func TestSplitText(t *testing.T) {
	tests := []struct {
		name, in string
		limit    int
		want     []string
	}{
		{"fits", "One. Two.", 100, []string{"One. Two."}},
		{"paragraphs", "Aaaa aaaa.\n\nBbbb bbbb.\n\nCccc.", 22, []string{"Aaaa aaaa.\n\nBbbb bbbb.", "Cccc."}},
		{"sentences", "First one here. Second one here. Third.", 33, []string{"First one here. Second one here.", "Third."}},
		{"marker stays with its sentence", "It rained. [1] Then it snowed. [2]", 16, []string{"It rained. [1]", "Then it snowed.", "[2]"}},
		{"words", "alpha beta gamma delta", 11, []string{"alpha beta", "gamma delta"}},
		{"hard cut", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"escaping counts", "a & b", 5, []string{"a", "&amp;", "b"}},
		{"entity not cut", "&&&", 10, []string{"&amp;&amp;", "&amp;"}},
	}
	for _, tt := range tests {
		got := splitText(tt.in, tt.limit, escape)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s: splitText(%q, %d) = %q, want %q", tt.name, tt.in, tt.limit, got, tt.want)
		}
	}
}

func TestEscape(t *testing.T) {
	tests := map[string]string{
		"<!channel>":                 "&lt;!channel&gt;",
		"<!subteam^S1|@eds>":         "&lt;!subteam^S1|@eds&gt;",
		"<@U123>":                    "&lt;@U123&gt;",
		"a & b":                      "a &amp; b",
		"hi @here and @Channel!":     "hi @\u2060here and @\u2060Channel!",
		"mail me@everyone.example":   "mail me@\u2060everyone.example",
		"@hereford stays":            "@hereford stays",
		"<https://evil.example|ok>":  "&lt;https://evil.example|ok&gt;",
		"&lt; already escaped stays": "&amp;lt; already escaped stays",
	}
	for in, want := range tests {
		if got := escape(in); got != want {
			t.Errorf("escape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLink(t *testing.T) {
	tests := []struct{ url, label, want string }{
		{"https://a.example/x?a=1&b=2", "A & B", "<https://a.example/x?a=1&amp;b=2|A &amp; B>"},
		{"https://a.example/x|y>z", "T | U", "<https://a.example/x%7Cy%3Ez|T \u2223 U>"},
		{"javascript:alert(1)", "Click", "Click"},
		{"", "<!here>", "&lt;!here&gt;"},
	}
	for _, tt := range tests {
		if got := link(tt.url, tt.label); got != tt.want {
			t.Errorf("link(%q, %q) = %q, want %q", tt.url, tt.label, got, tt.want)
		}
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct{ in, bot, want string }{
		{"<@UBOT> who met Putin?", "UBOT", "who met Putin?"},
		{"<@UBOT|newsbot> who met Putin?", "UBOT", "who met Putin?"},
		{"<@UBOT> who met Putin?", "", "who met Putin?"},
		{"<@UBOT> what did <@U2|ada> say in <#C1|general>?", "UBOT", "what did @ada say in #general?"},
		{"<@UBOT> news for <!channel> &amp; <!subteam^S1|@editors>", "UBOT", "news for @channel & @editors"},
		{"<@UBOT> see <https://ap.example/x|this story> &lt;now&gt;", "UBOT", "see this story <now>"},
		{"latest <!here>", "", "latest @here"},
	}
	for _, tt := range tests {
		if got := mentionText(tt.in, tt.bot); got != tt.want {
			t.Errorf("mentionText(%q, %q) = %q, want %q", tt.in, tt.bot, got, tt.want)
		}
	}
	// A slash command's text keeps its leading mention.
	if got := plainText("<@U2|ada> said what?", ""); got != "@ada said what?" {
		t.Errorf("plainText kept %q", got)
	}
}

func TestParseRequest(t *testing.T) {
	tests := map[string]request{
		"":                  {kind: "help"},
		"help":              {kind: "help"},
		" HELP ":            {kind: "help"},
		"help me find news": {kind: "ask", text: "help me find news"},
		"latest":            {kind: "latest"},
		"Latest  ukraine":   {kind: "latest", text: "ukraine"},
		"who met Putin?":    {kind: "ask", text: "who met Putin?"},
	}
	for in, want := range tests {
		if got := parseRequest(in); got != want {
			t.Errorf("parseRequest(%q) = %+v, want %+v", in, got, want)
		}
	}
}
