package slack

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/newsbot/newsbot/bot"
)

// message is one Slack message as newsbot sends it: Block Kit blocks and
// the plain text Slack shows in notifications and where blocks cannot be
// displayed.
type message struct {
	Text   string        `json:"text"`
	Blocks []slack.Block `json:"blocks"`
}

// options returns the chat.postMessage/chat.update options for m, with
// link previews off (an answer links to several articles).
func (m message) options() []slack.MsgOption {
	return []slack.MsgOption{
		slack.MsgOptionText(m.Text, false),
		slack.MsgOptionBlocks(m.Blocks...),
		slack.MsgOptionDisableLinkUnfurl(),
		slack.MsgOptionDisableMediaUnfurl(),
	}
}

// shareActionID is the action of the "Share in channel" button.
const shareActionID = "newsbot_share"

// answerView says how to show an answer.
type answerView struct {
	// Question, when set, is shown above the answer (slash command answers,
	// where the command itself is not kept in the channel).
	Question string
	// ShareID, when set, adds a "Share in channel" button carrying it.
	ShareID string
	// SharedBy is the Slack user ID of who shared the answer, if it was.
	SharedBy string
	// Partial marks an answer still being written (streaming): no sources
	// yet.
	Partial bool
}

func mrkdwn(text string) *slack.TextBlockObject {
	// verbatim: Slack must not turn words into links or mentions by itself.
	return slack.NewTextBlockObject(slack.MarkdownType, text, false, true)
}

func section(text string) slack.Block { return slack.NewSectionBlock(mrkdwn(text), nil, nil) }

func contextBlock(texts ...string) slack.Block {
	elems := make([]slack.MixedElement, len(texts))
	for i, t := range texts {
		elems[i] = mrkdwn(t)
	}
	return slack.NewContextBlock("", elems...)
}

var userID = regexp.MustCompile(`^[UW][A-Z0-9]{1,20}$`)

// maxAnswerRunes is the most answer text renderAnswer reads: all that 50
// sections of 3,000 characters could show. Longer text is cut first, so
// that rendering a 200 KB paragraph costs no more than rendering this.
const maxAnswerRunes = maxBlocks * maxSectionChars

// renderAnswer renders an answer as ONE Block Kit message within Slack's
// limits: the question (if shown), the short answer in bold
// (Answer.Lead), the answer in sections of at most 3,000
// characters, then the numbered sources in context blocks of at most ten,
// all within 50 blocks. The answer keeps at least one section; sources
// are dropped only beyond what the blocks can hold, and an answer too long
// for the remaining blocks is cut with "…".
func renderAnswer(a *bot.Answer, v answerView) message {
	var head, extra []slack.Block
	if v.Question != "" {
		q := "*Q:* " + escape(truncate(v.Question, 500))
		if v.SharedBy != "" && userID.MatchString(v.SharedBy) {
			q = "<@" + v.SharedBy + "> asked: " + escape(truncate(v.Question, 500))
		}
		head = append(head, contextBlock(q))
	}
	var sources []slack.Block
	if v.Partial {
		extra = append(extra, contextBlock("_writing…_"))
	} else {
		sources = sourceBlocks(a.Citations)
		if note := a.FallbackNote(); note != "" {
			extra = append(extra, contextBlock("_"+escape(note)+"_"))
		}
	}
	if v.ShareID != "" && !v.Partial {
		btn := slack.NewButtonBlockElement(shareActionID, v.ShareID, slack.NewTextBlockObject(slack.PlainTextType, "Share in channel", false, false))
		extra = append(extra, slack.NewActionBlock("", btn))
	}
	if room := maxBlocks - len(head) - len(extra) - 1; len(sources) > room {
		sources = sources[:max(room, 0)]
	}
	tail := append(sources, extra...)
	text := a.Text
	if strings.TrimSpace(text) == "" {
		text = "…"
	}
	body := splitText(truncate(text, maxAnswerRunes), maxSectionChars, escapeAnswer)
	if len(body) == 0 {
		body = []string{"…"}
	}
	room := maxBlocks - len(head) - len(tail)
	if len(body) > room {
		body = body[:room]
		last := body[room-1]
		body[room-1] = truncateEscaped(last, maxSectionChars-2) + " …"
	}
	blocks := append([]slack.Block{}, head...)
	if lead := a.Lead(); lead != "" && !v.Partial && len(body) < room {
		blocks = append(blocks, section("*"+escape(strings.ReplaceAll(lead, "*", ""))+"*"))
	}
	for _, s := range body {
		blocks = append(blocks, section(s))
	}
	blocks = append(blocks, tail...)
	return message{Text: answerFallback(a, v.Partial), Blocks: blocks}
}

// truncateEscaped shortens escaped text to at most n Slack characters,
// without cutting an entity (&amp;) in half.
func truncateEscaped(s string, n int) string {
	if slackLen(s) <= n {
		return s
	}
	rs := []rune(s)
	for slackLen(string(rs)) > n {
		rs = rs[:len(rs)-1]
	}
	out := string(rs)
	if i := strings.LastIndexByte(out, '&'); i >= 0 && !strings.Contains(out[i:], ";") {
		out = out[:i]
	}
	return out
}

// sourceBlocks renders citations as context blocks, one element per
// source, ten to a block.
func sourceBlocks(cs []bot.Citation) []slack.Block {
	var out []slack.Block
	for i := 0; i < len(cs); i += maxContextElems {
		var texts []string
		for _, c := range cs[i:min(i+maxContextElems, len(cs))] {
			texts = append(texts, sourceLine(c))
		}
		out = append(out, contextBlock(texts...))
	}
	return out
}

// sourceLine is "*[1]* <url|Title> — AP, 16 Apr 2025, paragraph 6".
func sourceLine(c bot.Citation) string {
	title := c.Title
	if title == "" {
		title = "(untitled)"
	}
	return fmt.Sprintf("*[%d]* %s — %s", c.N, link(c.URL, truncate(title, 200)), escape(sourceMeta(c)))
}

// sourceMeta is "AP, 16 Apr 2025, updated 17 Apr 2025, paragraph 6".
func sourceMeta(c bot.Citation) string {
	var parts []string
	if c.Source != "" {
		parts = append(parts, truncate(c.Source, 80))
	}
	if d := c.Date; d != "" {
		parts = append(parts, d)
	} else if d := displayDate(c.Published); d != "" {
		parts = append(parts, d)
	}
	if l := c.UpdatedWords(); l != "" {
		parts = append(parts, l)
	}
	if l := c.ParagraphWords(); l != "" {
		parts = append(parts, l)
	}
	return strings.Join(parts, ", ")
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

// answerFallback is the notification text of an answer: the answer, then
// its sources on one line, escaped and shortened.
func answerFallback(a *bot.Answer, partial bool) string {
	text := a.Text
	if lead := a.Lead(); lead != "" {
		text = lead + ". " + text
	}
	text = truncate(strings.Join(strings.Fields(text), " "), maxFallback)
	if text == "" {
		text = "…" // never an empty notification (the blocks show "…" too)
	}
	if partial {
		return escape(text + " …")
	}
	if len(a.Citations) > 0 {
		var srcs []string
		for _, c := range a.Citations {
			s := fmt.Sprintf("[%d] %s", c.N, truncate(c.Title, 120))
			if m := sourceMeta(bot.Citation{Source: c.Source, Published: c.Published, Date: c.Date}); m != "" {
				s += " (" + m + ")"
			}
			srcs = append(srcs, s)
		}
		label := a.SourcesLabel
		if label == "" {
			label = "Sources"
		}
		text = truncate(text+"\n"+label+": "+strings.Join(srcs, "; "), maxFallback)
	}
	return escape(text)
}

// renderNotice renders a short sentence: an error, a rate-limit notice.
func renderNotice(text string) message {
	text = truncate(text, 2000)
	return message{Text: escape(text), Blocks: []slack.Block{section(escape(text))}}
}

// renderHelp renders the help for the slash command and mentions; with
// followups, replies in a thread newsbot answered in are follow-ups
// without a new mention.
func renderHelp(command string, followups bool) message {
	c := escape(command)
	thread := "mention me again in that thread to ask a follow-up."
	if followups {
		thread = "reply in that thread to ask a follow-up."
	}
	text := "*newsbot* answers questions about the news and cites its sources.\n" +
		"• `" + c + " " + escape("<question>") + "` — for example `" + c + " who met Vladimir Putin last week?`\n" +
		"• `" + c + " latest " + escape("[topic]") + "` — the newest headlines, optionally about a topic\n" +
		"• `" + c + " help` — this message\n" +
		"Mention me in a channel to get an answer in a thread; " + thread + " You can also write to me directly."
	return message{Text: escape("newsbot answers questions about the news and cites its sources. Try: " + command + " <question>"), Blocks: []slack.Block{section(text)}}
}

// renderHeadlines renders the newest stories, one line each with their
// other outlets ("also: Reuters, BBC"), optionally about a topic.
func renderHeadlines(topic string, hs []bot.Headline) message {
	title := "*The latest news*"
	if topic != "" {
		title = "*The latest on “" + escape(truncate(topic, 200)) + "”*"
	}
	if len(hs) == 0 {
		none := "I don't have any articles yet."
		if topic != "" {
			none = "I found no recent articles about “" + truncate(topic, 200) + "”."
		}
		return message{Text: escape(none), Blocks: []slack.Block{section(escape(none))}}
	}
	var lines []string
	var plain []string
	for i, h := range hs {
		line := fmt.Sprintf("%d. %s", i+1, link(h.URL, truncate(h.Title, 200)))
		var meta []string
		if h.Source != "" {
			meta = append(meta, truncate(h.Source, 80))
		}
		if d := headlineDate(h); d != "" {
			meta = append(meta, d)
		}
		if len(meta) > 0 {
			line += " — " + escape(strings.Join(meta, ", "))
		}
		if len(h.Also) > 0 {
			var also []string
			for i, a := range h.Also {
				if i == 5 {
					also = append(also, fmt.Sprintf("%d more", len(h.Also)-5))
					break
				}
				also = append(also, truncate(a, 80))
			}
			line += " " + escape("(also: "+strings.Join(also, ", ")+")")
		}
		lines = append(lines, line)
		plain = append(plain, truncate(h.Title, 120))
	}
	blocks := []slack.Block{section(title)}
	// Each line is already escaped; pack them into sections.
	var cur strings.Builder
	for _, l := range lines {
		if cur.Len() > 0 && slackLen(cur.String())+1+slackLen(l) > maxSectionChars {
			blocks = append(blocks, section(cur.String()))
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte('\n')
		}
		cur.WriteString(l)
	}
	if cur.Len() > 0 {
		blocks = append(blocks, section(cur.String()))
	}
	if len(blocks) > maxBlocks {
		blocks = blocks[:maxBlocks]
	}
	return message{Text: escape(truncate("Latest: "+strings.Join(plain, "; "), maxFallback)), Blocks: blocks}
}
