package slack

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/slack-go/slack/slackevents"

	"github.com/newsbot/newsbot/bot"
)

// Seeds shared by the fuzz targets: disguised broadcasts, Slack markup,
// characters whose case forms differ in length, bidi and zero-width
// controls, emoji sequences, invalid UTF-8.
var fuzzSeeds = []string{
	"",
	"Who met Vladimir Putin last week?",
	"<!channel> <!here> <!everyone> <@U123> <@W123|bob> <!subteam^S1|@team> <#C1|general>",
	"@channel @here @everyone @Everyone @HERE",
	"@@everyone @@@here",
	"@\u200beveryone @\u200d\u200dhere @\u2060channel @\u00adhere",
	"\uff20everyone \uff20\uff45\uff56\uff45\uff52\uff59\uff4f\uff4e\uff45 \ufe6bhere",
	"@𝐞𝐯𝐞𝐫𝐲𝐨𝐧𝐞 @ⓗⓔⓡⓔ",
	"@here's @heres @here_ @here1 mail@here",
	"@\u202eenoyreve\u202c @\u2066here\u2069",
	"Ⱥ yesterday İstanbul ẞ ß ǅ ﬃ",
	"👩‍👩‍👧‍👦 👍🏽 🏳️‍🌈 ❤️",
	"\xff\xfe@everyone\xc3",
	"&amp; &lt; &gt; &lt;!channel&gt; & < >",
	"**bold @here** [1]. Next sentence! Third?",
	strings.Repeat("word ", 1000),
	strings.Repeat("x", 7000),
	strings.Repeat("&", 2000) + strings.Repeat("@here", 500),
}

// normalForm is what a reader sees of text, for comparing the input of
// the splitter with its output: whitespace and invisible characters
// dropped, the look-alikes of @ read as @, invalid bytes as U+FFFD.
func normalForm(s string) string {
	var b strings.Builder
	for _, r := range validUTF8(s) {
		switch {
		case unicode.IsSpace(r) || ignorable(r):
		case isAt(r):
			b.WriteByte('@')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// checkEscaped fails unless e is safe escaped mrkdwn: valid UTF-8, no
// raw < or >, every & an entity escape writes, and no broadcast that
// could notify, before or after Slack decodes the entities.
func checkEscaped(t *testing.T, in, e string) {
	t.Helper()
	if !utf8.ValidString(e) {
		t.Fatalf("escape(%q) = %q: invalid UTF-8", in, e)
	}
	if strings.ContainsAny(e, "<>") {
		t.Fatalf("escape(%q) = %q: a raw < or >", in, e)
	}
	for i := strings.IndexByte(e, '&'); i >= 0; {
		rest := e[i:]
		if !strings.HasPrefix(rest, "&amp;") && !strings.HasPrefix(rest, "&lt;") && !strings.HasPrefix(rest, "&gt;") {
			t.Fatalf("escape(%q) = %q: a bare &", in, e)
		}
		j := strings.IndexByte(e[i+1:], '&')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	if notifies(e) || notifies(unescapeEntities(e)) {
		t.Fatalf("escape(%q) = %q: a broadcast survives", in, e)
	}
}

// FuzzEscape: escaped text never notifies, shows as the neutralised input,
// and is a fixed point through Slack's decoding; neutralising is
// idempotent.
func FuzzEscape(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := escape(s)
		checkEscaped(t, s, e)
		n := neutralize(validUTF8(s))
		if got := unescapeEntities(e); got != n {
			t.Fatalf("unescape(escape(%q)) = %q, want neutralize = %q", s, got, n)
		}
		if again := neutralize(n); again != n {
			t.Fatalf("neutralize is not idempotent on %q: %q then %q", s, n, again)
		}
		if again := escape(unescapeEntities(e)); again != e {
			t.Fatalf("escape(unescape(escape(%q))) = %q, want %q", s, again, e)
		}
		if normalForm(n) != normalForm(s) {
			t.Fatalf("neutralize(%q) = %q changes more than invisible characters", s, n)
		}
		checkEscaped(t, s, strings.ReplaceAll(escapeAnswer(s), "*", ""))
	})
}

// FuzzSplitText: every piece fits the limit and is safe, and together the
// pieces hold the whole text (whitespace and invisible characters aside).
func FuzzSplitText(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, uint16(i*97))
	}
	f.Fuzz(func(t *testing.T, raw string, l uint16) {
		limit := 16 + int(l)%3000
		pieces := splitText(raw, limit, escape)
		for _, p := range pieces {
			if n := slackLen(p); n > limit {
				t.Fatalf("piece of %d > limit %d: %q", n, limit, p)
			}
			if p == "" {
				t.Fatal("an empty piece")
			}
			checkEscaped(t, raw, p)
		}
		if got, want := normalForm(unescapeEntities(strings.Join(pieces, ""))), normalForm(raw); got != want {
			t.Fatalf("split(%q, %d) = %q: lost or changed text:\n got %q\nwant %q", raw, limit, pieces, got, want)
		}
	})
}

// linkMarkup is a link as link() writes it.
var linkMarkup = regexp.MustCompile(`<(https?://[^<>|]*)\|([^<>]*)>`)

// FuzzRenderAnswer: whatever the answer, its sources and the question, the
// message is one within Block Kit's limits, with at least one section, and
// nothing in it notifies anyone.
func FuzzRenderAnswer(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, s, "AP <!here>", "https://apnews.com/a?x=1&y=<2>", "Who met @everyone?", uint8(i*7), i%2 == 0, i%3 == 0)
	}
	f.Add(strings.Repeat("a very long quote without an end ", 6000), "t", "s", "https://x.example/"+strings.Repeat("@", 3000), "q", uint8(255), false, true)
	f.Fuzz(func(t *testing.T, text, title, source, rawURL, question string, n uint8, partial, share bool) {
		a := &bot.Answer{Text: text, FallbackReason: source}
		for i := range int(n) {
			a.Citations = append(a.Citations, bot.Citation{N: i + 1, Title: title, URL: rawURL, Source: source, Paragraph: i})
		}
		v := answerView{Question: question, Partial: partial}
		if share {
			v.ShareID = "abc123"
		}
		m := renderAnswer(a, v)
		raw, err := json.Marshal(m.Blocks)
		if err != nil {
			t.Fatal(err)
		}
		bs := blocksOf(t, raw)
		checkLimits(t, bs)
		if len(texts(bs, "section")) == 0 {
			t.Fatal("no section")
		}
		if n := slackLen(m.Text); n > 40000 || n == 0 {
			t.Fatalf("message text of %d characters", n)
		}
		all := []string{m.Text}
		for _, b := range bs {
			if b["type"] == "context" {
				for _, e := range b["elements"].([]any) {
					all = append(all, e.(map[string]any)["text"].(string))
				}
			}
		}
		all = append(all, texts(bs, "section")...)
		for i, s := range all {
			if n := slackLen(s); n > maxSectionChars && i > 0 {
				t.Fatalf("a text of %d characters", n)
			}
			plain := linkMarkup.ReplaceAllStringFunc(s, func(l string) string {
				target := linkMarkup.FindStringSubmatch(l)[1]
				if strings.ContainsAny(target, "@ ") || !ascii(target) {
					t.Fatalf("link target %q", target)
				}
				return linkMarkup.FindStringSubmatch(l)[2]
			})
			checkEscaped(t, text, strings.ReplaceAll(plain, "*", ""))
		}
	})
}

// FuzzDecodeRequest: whatever a stranger posts as a slash command, an
// event or an interaction, decoding does not panic, and what the adapter
// reads from it keeps its properties: the question is the text as typed
// (trimmed), a topic is a part of it, and a response_url it accepts is
// Slack's.
func FuzzDecodeRequest(f *testing.F) {
	f.Add(uint8(0), []byte(commandForm("latest Ⱥ yesterday", "https://hooks.slack.com/commands/T1/1/x")))
	f.Add(uint8(0), []byte(commandForm("HELP", "http://169.254.169.254/latest/meta-data")))
	f.Add(uint8(0), []byte(commandForm("İ latest", "https://hooks.slack.com.evil.example/")))
	f.Add(uint8(1), []byte(eventJSON("Ev1", mention("C1", "U1", "1.1", "", "<@UBOT> <!channel> Who met Putin? \u200b"))))
	f.Add(uint8(1), []byte(`{"type":"url_verification","challenge":"abc"}`))
	f.Add(uint8(1), []byte(`{"type":"event_callback","event":{"type":"message","channel_type":"im","text":"\xff"}}`))
	f.Add(uint8(2), []byte(`payload=%7B%22type%22%3A%22block_actions%22%2C%22actions%22%3A%5B%7B%22action_id%22%3A%22newsbot_share%22%7D%5D%7D`))
	for _, s := range fuzzSeeds {
		f.Add(uint8(len(s)), []byte(s))
	}
	a := &Adapter{apiScheme: "http", apiHost: "127.0.0.1:1"}
	f.Fuzz(func(t *testing.T, kind uint8, body []byte) {
		var texts []string
		switch kind % 3 {
		case 0:
			cmd, err := decodeCommand("application/x-www-form-urlencoded", body)
			if err != nil {
				return
			}
			texts = append(texts, plainText(cmd.Text, ""))
			if a.checkResponseURL(cmd.ResponseURL) == nil {
				u := strings.ToLower(cmd.ResponseURL)
				if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://127.0.0.1:1/") {
					t.Fatalf("accepted response_url %q", cmd.ResponseURL)
				}
			}
		case 1:
			_, ev, err := decodeEvent(body)
			if err != nil || ev == nil {
				return
			}
			switch e := ev.InnerEvent.Data.(type) {
			case *slackevents.AppMentionEvent:
				texts = append(texts, mentionText(e.Text, "UBOT"))
			case *slackevents.MessageEvent:
				texts = append(texts, plainText(e.Text, "UBOT"))
			}
			texts = append(texts, mentionText(string(body), ""), plainText(string(body), "UBOT"))
		case 2:
			cb, err := decodeInteraction(body)
			if err != nil {
				return
			}
			_ = a.checkResponseURL(cb.ResponseURL)
			for _, act := range cb.ActionCallback.BlockActions {
				texts = append(texts, plainText(act.Value, ""))
			}
		}
		for _, text := range texts {
			req := parseRequest(text)
			trimmed := strings.TrimSpace(text)
			switch req.kind {
			case "help":
			case "ask":
				if req.text != trimmed {
					t.Fatalf("parseRequest(%q) asks %q", text, req.text)
				}
			case "latest":
				if !strings.Contains(trimmed, req.text) {
					t.Fatalf("parseRequest(%q) topic %q is not in the text", text, req.text)
				}
			default:
				t.Fatalf("parseRequest(%q) kind %q", text, req.kind)
			}
		}
	})
}
