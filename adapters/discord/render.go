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

// flags are the message's flags: SUPPRESS_EMBEDS when it has no embeds of
// its own, so that links in its content show no preview card.
func (m message) flags() discordgo.MessageFlags {
	if len(m.Embeds) == 0 {
		return discordgo.MessageFlagsSuppressEmbeds
	}
	return 0
}

// embedColor is the bar colour of the adapter's embeds.
const embedColor = 0x3B82F6

// noMentions is the allowed_mentions of every outgoing message: parse
// nothing, ping no one, not even the author of the message replied to.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

var bareURL = regexp.MustCompile(`https?://[^\s<>]+`)

// Link previews. Discord shows a preview card for every link in a
// message's content unless the message has the SUPPRESS_EMBEDS flag. The
// adapter sets that flag on every message without embeds of its own
// (answer text, partial answers, help, errors). The flag hides every embed,
// the bot's own too, so a message that carries the Sources or headlines
// embed cannot have it: there, and only there, links in the content are
// wrapped in <...> instead (which Discord shows as the bare link, without
// a preview).

// suppressPreviews wraps bare links in <...>, which Discord shows as links
// without a preview card; links already in <...> are left alone (masked
// links are escaped before, so a link after "(" is bare too). Trailing
// punctuation stays outside the link.
func suppressPreviews(s string) string {
	var b strings.Builder
	last := 0
	for _, loc := range bareURL.FindAllStringIndex(s, -1) {
		start, end := loc[0], loc[1]
		if start > 0 && s[start-1] == '<' {
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

// cleanText prepares text from users, sources or the model for a message:
// mentions neutralised, masked links escaped. Link previews are left to
// the message's flags (see contentChunks). It is idempotent.
func cleanText(s string) string { return escapeMaskedLinks(neutralise(s)) }

// contentChunks splits cleaned text into the contents of at most n
// messages, the first starting with head (markdown the adapter wrote, its
// links already in <...>; "" for none). When embeds follow (withEmbeds),
// the last chunk shares its message with them, so its links are wrapped in
// <...>: the SUPPRESS_EMBEDS flag would hide the embeds too.
func contentChunks(clean string, n int, withEmbeds bool, head string) []string {
	limit := maxContent
	if head != "" {
		limit -= textLen(head) + 1
	}
	split := func(s string) []string {
		chunks := splitText(s, limit, n)
		if head == "" {
			return chunks
		}
		if len(chunks) == 0 {
			return []string{head}
		}
		chunks[0] = head + "\n" + chunks[0]
		return chunks
	}
	chunks := split(clean)
	if !withEmbeds || len(chunks) == 0 {
		return chunks
	}
	last := len(chunks) - 1
	if w := suppressPreviews(chunks[last]); textLen(w) <= maxContent {
		chunks[last] = w
		return chunks
	}
	// Rare: the brackets pushed the last message over the limit. Wrap
	// every link and split again.
	chunks = split(suppressPreviews(clean))
	chunks[len(chunks)-1] = suppressPreviews(chunks[len(chunks)-1])
	return chunks
}

var markdownSpecial = strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`, `*`, `\*`, `_`, `\_`, `~`, `\~`, "`", "\\`", `|`, `\|`, `<`, `\<`, `>`, `\>`)

// escapeMarkdown makes s show literally inside a markdown link or line.
func escapeMarkdown(s string) string { return markdownSpecial.Replace(s) }

// linkURL returns u ready for a markdown link, or "" when it is not an
// http(s) URL. Characters that would end the link, and @, are
// percent-encoded; user information is dropped.
func linkURL(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	// No user name or password in a link shown to strangers, and no @ at
	// all: "@everyone" in a path would read as a mention.
	p.User = nil
	s := p.String()
	s = strings.NewReplacer("(", "%28", ")", "%29", " ", "%20", "<", "%3C", ">", "%3E", "@", "%40").Replace(s)
	// A query is kept as it came: encode what is not printable ASCII too
	// (invisible characters, full-width forms).
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// truncate cuts s to at most n UTF-16 units (as Discord counts) at a word
// boundary, adding "…". The part kept is a prefix of s, byte for byte
// (invalid UTF-8 included), and never ends inside a character sequence
// (a combining mark, a variation selector or an emoji joined by ZWJ stays
// with its base).
func truncate(s string, n int) string {
	if textLen(s) <= n {
		return s
	}
	end := clusterStart(s, 0, prefixEnd(s, 0, n-textLen(ellipsis)))
	cut := s[:end]
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:") + ellipsis
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
	if d := c.Date; d != "" {
		meta = append(meta, escapeMarkdown(d))
	} else if d := displayDate(c.Published); d != "" {
		meta = append(meta, d)
	}
	if l := c.UpdatedWords(); l != "" {
		meta = append(meta, escapeMarkdown(l))
	}
	if l := c.ParagraphWords(); l != "" {
		meta = append(meta, escapeMarkdown(l))
	}
	return fmt.Sprintf("**[%d]** %s — %s", c.N, link(c.Title, c.URL), strings.Join(meta, ", "))
}

// headlineLine is one story's headline: "1. [Title](url) — AP, 16 Apr 2025
// (also: Reuters, BBC)".
func headlineLine(i int, h bot.Headline) string {
	line := fmt.Sprintf("%d. %s", i+1, link(h.Title, h.URL))
	meta := []string{}
	if h.Source != "" {
		meta = append(meta, escapeMarkdown(neutralise(truncate(h.Source, 80))))
	}
	if d := headlineDate(h); d != "" {
		meta = append(meta, d)
	}
	if len(meta) > 0 {
		line += " — " + strings.Join(meta, ", ")
	}
	if also := alsoOutlets(h.Also); also != "" {
		line += " (also: " + also + ")"
	}
	return line
}

// alsoOutlets names a story's other outlets, at most 5 of them.
func alsoOutlets(also []string) string {
	var names []string
	for i, a := range also {
		if i == 5 {
			names = append(names, fmt.Sprintf("%d more", len(also)-5))
			break
		}
		names = append(names, escapeMarkdown(neutralise(truncate(a, 80))))
	}
	return strings.Join(names, ", ")
}

// maxLine bounds one line of a list (a citation or a headline); only an
// absurd URL makes a line that long.
const maxLine = 1024

// moreReserve is the room kept for "… and N more." when not every line
// fits.
const moreReserve = 40

// listEmbeds lays lines out in embeds titled title (the first), grouped by
// message: at most room groups (at least one), each of at most maxEmbeds
// embeds whose descriptions stay within maxEmbedDescription and whose sizes
// add up to at most maxEmbedTotal. A line is never split (one over maxLine
// is cut with an ellipsis). Lines that do not fit are left out, counted in
// a last line "… and N more.".
func listEmbeds(title string, lines []string, room int) [][]*discordgo.MessageEmbed {
	room = max(room, 1)
	title = truncate(neutralise(title), maxEmbedTitle)
	for i, l := range lines {
		if textLen(l) > maxLine {
			lines[i] = splitText(l, maxLine, 1)[0]
		}
	}
	groups, n := layEmbeds(title, lines, room, 0)
	if n == len(lines) {
		return groups
	}
	groups, n = layEmbeds(title, lines, room, moreReserve)
	more := fmt.Sprintf("… and %d more.", len(lines)-n)
	if len(groups) == 0 {
		return [][]*discordgo.MessageEmbed{{{Type: discordgo.EmbedTypeRich, Title: title, Description: more, Color: embedColor}}}
	}
	g := groups[len(groups)-1]
	e := g[len(g)-1]
	e.Description += "\n" + more
	return groups
}

// layEmbeds places as many lines as fit (keeping reserve units free in
// every description and every message) and returns the groups and how
// many lines it placed.
func layEmbeds(title string, lines []string, room, reserve int) ([][]*discordgo.MessageEmbed, int) {
	var groups [][]*discordgo.MessageEmbed
	var cur *discordgo.MessageEmbed
	descLen, total := 0, 0 // of cur, of the last group
	for n, l := range lines {
		ll := textLen(l)
		switch {
		case cur != nil && descLen+1+ll <= maxEmbedDescription-reserve && total+1+ll <= maxEmbedTotal-reserve:
			cur.Description += "\n" + l
			descLen += 1 + ll
			total += 1 + ll
			continue
		case cur != nil && len(groups[len(groups)-1]) < maxEmbeds && total+ll <= maxEmbedTotal-reserve:
			// a new embed in the same message
		case len(groups) < room:
			groups = append(groups, nil)
			total = 0
		default:
			return groups, n
		}
		cur = &discordgo.MessageEmbed{Type: discordgo.EmbedTypeRich, Description: l, Color: embedColor}
		if len(groups) == 1 && len(groups[0]) == 0 {
			cur.Title = title
			total += textLen(title)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], cur)
		descLen = ll
		total += ll
	}
	return groups, len(lines)
}

func embedLen(e *discordgo.MessageEmbed) int {
	n := textLen(e.Title) + textLen(e.Description)
	if e.Footer != nil {
		n += textLen(e.Footer.Text)
	}
	return n
}

// pack lays out text chunks and groups of embeds as messages: the text
// first, the first group with the last chunk, then a message per further
// group. It always returns at least one message.
func pack(chunks []string, groups [][]*discordgo.MessageEmbed) []message {
	var out []message
	for _, c := range chunks {
		out = append(out, message{Content: c})
	}
	if len(out) == 0 {
		out = append(out, message{})
	}
	for i, g := range groups {
		if i > 0 {
			out = append(out, message{})
		}
		out[len(out)-1].Embeds = g
	}
	return out
}

// renderAnswer lays out an answer as at most maxMessages Discord messages:
// the short answer in bold (Answer.Lead), the answer text (split at paragraph or sentence boundaries, cut at a word
// with an ellipsis when longer than the messages hold), then every citation
// as a link with outlet and date in a "Sources" embed (those that do not
// fit counted as "… and N more.").
func renderAnswer(a *bot.Answer) []message { return renderAnswerAbout(a, "") }

// renderAnswerAbout is renderAnswer with head (markdown the adapter wrote,
// see contentChunks) before the answer.
func renderAnswerAbout(a *bot.Answer, head string) []message {
	if lead := a.Lead(); lead != "" {
		head = strings.TrimPrefix(head+"\n", "\n") + "**" + escapeMarkdown(cleanText(lead)) + "**"
	}
	lines := make([]string, len(a.Citations))
	for i, c := range a.Citations {
		lines[i] = sourceLine(c)
	}
	text := cleanText(boundText(a.Text))
	if note := a.FallbackNote(); note != "" {
		text += "\n-# " + note // subtext: small and grey
	}
	chunks := contentChunks(text, maxMessages, len(lines) > 0, head)
	label := a.SourcesLabel
	if label == "" {
		label = "Sources"
	}
	return pack(chunks, listEmbeds(label, lines, maxMessages-max(len(chunks), 1)+1))
}

// maxTextBytes bounds the text that renderAnswer and renderText look at:
// far more than maxMessages messages hold (at most 3 bytes per UTF-16
// unit), so that a huge answer costs no more than a long one.
const maxTextBytes = 64 << 10

// boundText returns s, or its first maxTextBytes (at a character
// boundary) followed by an ellipsis.
func boundText(s string) string {
	if len(s) <= maxTextBytes {
		return s
	}
	end := maxTextBytes
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	return s[:end] + " " + ellipsis
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
	return pack(nil, listEmbeds(title, lines, maxMessages))
}

// renderText lays out a plain message (help, errors, rate limits).
func renderText(s string) []message {
	return pack(contentChunks(cleanText(boundText(s)), maxMessages, false, ""), nil)
}

// partialText is the text shown while an answer streams in: the beginning
// of the answer, cut to fit one message.
func partialText(s string) string {
	s = cleanText(strings.TrimSpace(boundText(s)))
	if textLen(s) <= maxContent {
		return s
	}
	return strings.TrimSuffix(splitText(s, maxContent-2, 1)[0], ellipsis) + " …"
}

// Payloads of the REST calls, every one with no mentions allowed and the
// message's flags (edits send them even when 0, which lifts a
// SUPPRESS_EMBEDS set by a partial answer).

func (m message) send(replyTo *discordgo.MessageReference) *discordgo.MessageSend {
	return &discordgo.MessageSend{Content: m.Content, Embeds: m.embeds(), AllowedMentions: noMentions(), Reference: replyTo, Flags: m.flags()}
}

func (m message) edit() *messageEdit {
	return &messageEdit{Content: m.Content, Embeds: m.embeds(), AllowedMentions: noMentions(), Flags: m.flags()}
}

func (m message) webhookParams(flags discordgo.MessageFlags) *discordgo.WebhookParams {
	return &discordgo.WebhookParams{Content: m.Content, Embeds: m.embeds(), AllowedMentions: noMentions(), Flags: flags | m.flags()}
}

func (m message) response(flags discordgo.MessageFlags) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: m.Content, Embeds: m.embeds(), AllowedMentions: noMentions(), Flags: flags | m.flags()},
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
