package discord

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot/newsbot/bot"
)

// message is one rendered outgoing Discord message.
type message struct {
	Content string
	Embeds  []*discordgo.MessageEmbed
}

// embedColor is the bar colour of the adapter's embeds.
const embedColor = 0x3B82F6

// noMentions is the allowed_mentions of every outgoing message: parse
// nothing, ping no one, not even the author of the message replied to.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// mention matches what Discord turns into a ping: @everyone, @here, and
// user and role mentions.
var mention = regexp.MustCompile(`(?i)@(everyone|here)|<@[!&]?[0-9]+>`)

// neutralise breaks every mention in s with a zero-width space, so that it
// shows as text and cannot ping anyone even if allowed_mentions were lost.
func neutralise(s string) string {
	return mention.ReplaceAllStringFunc(s, func(m string) string {
		if m[0] == '@' {
			return "@\u200b" + m[1:]
		}
		return "<@\u200b" + m[2:]
	})
}

var bareURL = regexp.MustCompile(`https?://[^\s<>]+`)

// suppressPreviews wraps bare links in <...>, which Discord shows as links
// without a preview card; links already in <...> or in markdown links are
// left alone. Trailing punctuation stays outside the link.
func suppressPreviews(s string) string {
	var b strings.Builder
	last := 0
	for _, loc := range bareURL.FindAllStringIndex(s, -1) {
		start, end := loc[0], loc[1]
		if start > 0 && (s[start-1] == '<' || s[start-1] == '(') {
			continue
		}
		for end > start {
			r, size := utf8.DecodeLastRuneInString(s[start:end])
			if !strings.ContainsRune(`.,;:!?)]}'"”’»`, r) {
				break
			}
			end -= size
		}
		b.WriteString(s[last:start])
		b.WriteString("<" + s[start:end] + ">")
		last = end
	}
	b.WriteString(s[last:])
	return b.String()
}

// cleanText prepares text for a message: mentions neutralised, link
// previews suppressed.
func cleanText(s string) string { return suppressPreviews(neutralise(s)) }

var markdownSpecial = strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`, `*`, `\*`, `_`, `\_`, `~`, `\~`, "`", "\\`", `|`, `\|`, `<`, `\<`, `>`, `\>`)

// escapeMarkdown makes s show literally inside a markdown link or line.
func escapeMarkdown(s string) string { return markdownSpecial.Replace(s) }

// linkURL returns u ready for a markdown link, or "" when it is not an
// http(s) URL. Characters that would end the link are percent-encoded.
func linkURL(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	s := p.String()
	return strings.NewReplacer("(", "%28", ")", "%29", " ", "%20", "<", "%3C", ">", "%3E").Replace(s)
}

// truncate cuts s to at most n runes at a word boundary, adding "…".
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := string([]rune(s)[:n-1])
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:") + "…"
}

func displayDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2 Jan 2006")
}

// link renders a title as a markdown link to u (plain text without a
// usable URL).
func link(title, u string) string {
	title = escapeMarkdown(neutralise(truncate(strings.Join(strings.Fields(title), " "), 200)))
	if title == "" {
		title = "(untitled)"
	}
	if l := linkURL(u); l != "" {
		return "[" + title + "](" + l + ")"
	}
	return title
}

// sourceLine is one citation: "**[1]** [Title](url) — AP, 16 Apr 2025,
// paragraph 6".
func sourceLine(c bot.Citation) string {
	meta := []string{}
	if c.Source != "" {
		meta = append(meta, escapeMarkdown(neutralise(truncate(c.Source, 80))))
	}
	if d := displayDate(c.Published); d != "" {
		meta = append(meta, d)
	}
	if !c.Updated.IsZero() {
		meta = append(meta, "updated "+displayDate(c.Updated))
	}
	if c.Paragraph > 0 {
		meta = append(meta, fmt.Sprintf("paragraph %d", c.Paragraph))
	}
	return fmt.Sprintf("**[%d]** %s — %s", c.N, link(c.Title, c.URL), strings.Join(meta, ", "))
}

// headlineLine is one headline: "1. [Title](url) — AP, 16 Apr 2025".
func headlineLine(i int, h bot.Headline) string {
	line := fmt.Sprintf("%d. %s", i+1, link(h.Title, h.URL))
	meta := []string{}
	if h.Source != "" {
		meta = append(meta, escapeMarkdown(neutralise(truncate(h.Source, 80))))
	}
	if d := displayDate(h.Published); d != "" {
		meta = append(meta, d)
	}
	if len(meta) > 0 {
		line += " — " + strings.Join(meta, ", ")
	}
	return line
}

// listEmbeds lays lines out in embeds titled title (the first) whose
// descriptions stay within Discord's limit; a line is never split.
func listEmbeds(title string, lines []string) []*discordgo.MessageEmbed {
	var out []*discordgo.MessageEmbed
	var desc strings.Builder
	flush := func() {
		if desc.Len() == 0 {
			return
		}
		e := &discordgo.MessageEmbed{Type: discordgo.EmbedTypeRich, Description: desc.String(), Color: embedColor}
		if len(out) == 0 {
			e.Title = truncate(neutralise(title), maxEmbedTitle)
		}
		out = append(out, e)
		desc.Reset()
	}
	for _, l := range lines {
		for _, part := range splitText(l, maxEmbedDescription) { // only an absurdly long line splits
			if desc.Len() > 0 && textLen(desc.String())+1+textLen(part) > maxEmbedDescription {
				flush()
			}
			if desc.Len() > 0 {
				desc.WriteByte('\n')
			}
			desc.WriteString(part)
		}
	}
	flush()
	return out
}

func embedLen(e *discordgo.MessageEmbed) int {
	n := textLen(e.Title) + textLen(e.Description)
	if e.Footer != nil {
		n += textLen(e.Footer.Text)
	}
	return n
}

// pack lays out text chunks and embeds as messages: the text first, the
// embeds with the last chunk as far as the per-message limits allow, then in
// messages of their own. It always returns at least one message.
func pack(text string, embeds []*discordgo.MessageEmbed) []message {
	var out []message
	for _, c := range splitText(text, maxContent) {
		out = append(out, message{Content: c})
	}
	if len(out) == 0 {
		out = append(out, message{})
	}
	total := 0
	for _, m := range out[len(out)-1].Embeds {
		total += embedLen(m)
	}
	for _, e := range embeds {
		last := &out[len(out)-1]
		if len(last.Embeds) > 0 && (len(last.Embeds) == maxEmbeds || total+embedLen(e) > maxEmbedTotal) {
			out = append(out, message{})
			last, total = &out[len(out)-1], 0
		}
		last.Embeds = append(last.Embeds, e)
		total += embedLen(e)
	}
	return out
}

// renderAnswer lays out an answer as Discord messages: the answer text
// (split at paragraph or sentence boundaries), then every citation as a
// link with outlet and date in a "Sources" embed.
func renderAnswer(a *bot.Answer) []message {
	lines := make([]string, len(a.Citations))
	for i, c := range a.Citations {
		lines[i] = sourceLine(c)
	}
	return pack(cleanText(a.Text), listEmbeds("Sources", lines))
}

// renderHeadlines lays out the latest headlines, optionally about topic.
func renderHeadlines(topic string, hs []bot.Headline) []message {
	if len(hs) == 0 {
		if topic != "" {
			return renderText(fmt.Sprintf("I have no articles about “%s”.", truncate(topic, 100)))
		}
		return renderText("I have no articles yet.")
	}
	title := "Latest news"
	if topic != "" {
		title = fmt.Sprintf("Latest news about “%s”", truncate(topic, 100))
	}
	lines := make([]string, len(hs))
	for i, h := range hs {
		lines[i] = headlineLine(i, h)
	}
	return pack("", listEmbeds(title, lines))
}

// renderText lays out a plain message (help, errors, rate limits).
func renderText(s string) []message { return pack(cleanText(s), nil) }

// partialText is the text shown while an answer streams in: the beginning
// of the answer, cut to fit one message.
func partialText(s string) string {
	s = cleanText(strings.TrimSpace(s))
	if textLen(s) <= maxContent {
		return s
	}
	chunks := splitText(s, maxContent-2)
	return chunks[0] + " …"
}

// Payloads of the REST calls, every one with no mentions allowed.

func (m message) send(replyTo *discordgo.MessageReference) *discordgo.MessageSend {
	return &discordgo.MessageSend{Content: m.Content, Embeds: m.embeds(), AllowedMentions: noMentions(), Reference: replyTo}
}

func (m message) edit(channelID, messageID string) *discordgo.MessageEdit {
	content, embeds := m.Content, m.embeds()
	return &discordgo.MessageEdit{Channel: channelID, ID: messageID, Content: &content, Embeds: &embeds, AllowedMentions: noMentions()}
}

func (m message) webhookEdit() *discordgo.WebhookEdit {
	content, embeds := m.Content, m.embeds()
	return &discordgo.WebhookEdit{Content: &content, Embeds: &embeds, AllowedMentions: noMentions()}
}

func (m message) webhookParams(flags discordgo.MessageFlags) *discordgo.WebhookParams {
	return &discordgo.WebhookParams{Content: m.Content, Embeds: m.embeds(), AllowedMentions: noMentions(), Flags: flags}
}

func (m message) response(flags discordgo.MessageFlags) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: m.Content, Embeds: m.embeds(), AllowedMentions: noMentions(), Flags: flags},
	}
}

// embeds never returns nil, so that an edit clears embeds a partial message
// might not have had and JSON shows [] rather than null.
func (m message) embeds() []*discordgo.MessageEmbed {
	if m.Embeds == nil {
		return []*discordgo.MessageEmbed{}
	}
	return m.Embeds
}
