package slack

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Slack's limits on what one message may hold.
const (
	maxSectionChars = 3000 // text of a section block
	maxBlocks       = 50   // blocks in a message
	maxContextElems = 10   // elements in a context block
	maxFallback     = 3000 // the notification text we send (Slack allows 40,000)
	// maxLinkTarget bounds a link's URL, so that a source line (a title of
	// 200 characters, escaped, and its outlet) fits in one 3,000-character
	// text; a longer URL is not linked.
	maxLinkTarget = 1500
)

var (
	htmlEscaper   = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	htmlUnescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")
	markdownB     = regexp.MustCompile(`\*\*([^*\n]+)\*\*`)
	blankLine     = regexp.MustCompile(`\n\s*\n`)
)

// escape makes untrusted text safe for Slack mrkdwn: invalid UTF-8
// becomes U+FFFD, the broadcast words @channel, @here and @everyone in any
// disguise are neutralised (see neutralize), and &, < and > are escaped,
// so that no <!channel>, <!here>, <!subteam^…>, <@U…> or link can be
// formed.
//
// Slack shows escape(s) as neutralize(validUTF8(s)): decoding the entities
// (unescapeEntities) gives that back. Escaping is a fixed point through
// Slack's decoding: escape(unescapeEntities(escape(s))) == escape(s), and
// no escaped text notifies anyone. (escape(escape(s)) differs from
// escape(s) whenever s has &, < or >, on purpose: "&lt;" typed by a user
// must show as "&lt;".)
func escape(s string) string {
	return htmlEscaper.Replace(neutralize(validUTF8(s)))
}

// unescapeEntities decodes the three entities escape writes, as Slack
// does when it shows mrkdwn.
func unescapeEntities(s string) string { return htmlUnescaper.Replace(s) }

// escapeAnswer is escape for answer text, which may carry Markdown bold
// (**x**) from an LLM: it becomes Slack's *x*.
func escapeAnswer(s string) string {
	return markdownB.ReplaceAllString(escape(s), "*$1*")
}

// slackLen is the length Slack counts: UTF-16 code units (an emoji may be
// two), which is never less than the number of runes.
func slackLen(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// link renders a mrkdwn link to rawURL labelled label. A URL that is not
// http(s) gets no link: the label alone, escaped.
func link(rawURL, label string) string {
	label = strings.ReplaceAll(escape(label), "|", "\u2223")
	u, err := url.Parse(validUTF8(rawURL))
	if rawURL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !ascii(u.Host) {
		return label
	}
	u.User = nil // no credentials in a link
	target := linkTarget(u.String())
	if len(target) > maxLinkTarget {
		return label
	}
	return "<" + target + "|" + label + ">"
}

// linkTarget makes a URL safe inside <…|…>: &, <, >, |, @, spaces,
// control characters and every non-ASCII byte are percent-encoded (& as
// &amp;), so that the target can neither end the link nor spell a mention.
func linkTarget(u string) string {
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case c == '&':
			b.WriteString("&amp;")
		case c <= ' ' || c >= 0x7f || c == '<' || c == '>' || c == '|' || c == '@':
			fmt.Fprintf(&b, "%%%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// truncate cuts s to at most n runes at a word boundary, adding "…".
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := string([]rune(s)[:n-1])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:") + "…"
}

// slackMarkup matches Slack's angle-bracket markup in incoming messages:
// <@U123>, <@U123|name>, <#C123|general>, <!here>, <!subteam^S1|@team>,
// <https://x|label>.
var slackMarkup = regexp.MustCompile(`<([^<>]*)>`)

// plainText turns the text of an incoming Slack message into the plain
// question a user typed: mentions of the bot (botUserID) are removed,
// other mentions become @name, channels #name, links their label, and
// entities are unescaped. Broadcasts become plain words (@channel), which
// escape neutralises again on the way out.
func plainText(text, botUserID string) string {
	text = slackMarkup.ReplaceAllStringFunc(text, func(m string) string {
		inner := m[1 : len(m)-1]
		target, label, hasLabel := strings.Cut(inner, "|")
		switch {
		case strings.HasPrefix(target, "@"):
			if botUserID != "" && target[1:] == botUserID {
				return ""
			}
			if hasLabel {
				return "@" + strings.TrimPrefix(label, "@")
			}
			return "@someone"
		case strings.HasPrefix(target, "#"):
			if hasLabel && label != "" {
				return "#" + label
			}
			return "#channel"
		case strings.HasPrefix(target, "!"):
			name := target[1:]
			switch {
			case name == "channel" || name == "here" || name == "everyone":
				return "@" + name
			case hasLabel:
				return label
			case strings.HasPrefix(name, "subteam^"):
				return "@group"
			}
			return ""
		case hasLabel:
			return label
		}
		return target
	})
	return strings.TrimSpace(htmlUnescaper.Replace(text))
}

var leadingMention = regexp.MustCompile(`^\s*<@[A-Z0-9]+(\|[^>]*)?>`)

// mentionText is plainText for a message that mentions the bot: when the
// bot's user ID is not known yet (auth.test has not answered), the leading
// mention, which is how an app_mention addresses the bot, is removed.
func mentionText(text, botUserID string) string {
	if botUserID == "" {
		text = leadingMention.ReplaceAllString(text, "")
	}
	return plainText(text, botUserID)
}

// splitText cuts raw (unescaped) answer text into pieces whose escaped
// form fits in limit Slack characters, at paragraph boundaries first, then
// sentences, then words, and only as a last resort inside a word. It
// returns the escaped pieces.
func splitText(raw string, limit int, esc func(string) string) []string {
	var out []string
	var cur strings.Builder
	curLen := 0
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
			curLen = 0
		}
	}
	// add appends an escaped unit joined by sep, starting a new piece when
	// it does not fit. The unit itself must fit in limit.
	add := func(unit, sep string) {
		n := slackLen(unit)
		if curLen > 0 && curLen+slackLen(sep)+n > limit {
			flush()
		}
		if curLen > 0 {
			cur.WriteString(sep)
			curLen += slackLen(sep)
		}
		cur.WriteString(unit)
		curLen += n
	}
	for _, para := range paragraphs(raw) {
		if e := esc(para); slackLen(e) <= limit {
			add(e, "\n\n")
			continue
		}
		sep := "\n\n"
		for _, sent := range sentences(para) {
			if e := esc(sent); slackLen(e) <= limit {
				add(e, sep)
				sep = " "
				continue
			}
			for _, word := range strings.Fields(sent) {
				if e := esc(word); slackLen(e) <= limit {
					add(e, sep)
					sep = " "
					continue
				}
				// The pieces of a cut word each stand alone, so that no two
				// are joined again into a word that was neutralised whole.
				flush()
				out = append(out, hardCut(word, limit, esc)...)
				sep = " "
			}
			sep = " "
		}
	}
	flush()
	return out
}

// paragraphs splits text at blank lines, dropping empty ones.
func paragraphs(text string) []string {
	var out []string
	for _, p := range blankLine.Split(strings.TrimSpace(text), -1) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

var sentenceEnd = regexp.MustCompile(`[.!?…]["”’)\]]*(?:\s*\[\d+\])*\s+`)

// sentences splits a paragraph after sentence-ending punctuation (keeping
// a following citation marker with its sentence).
func sentences(p string) []string {
	var out []string
	start := 0
	for _, m := range sentenceEnd.FindAllStringIndex(p, -1) {
		if s := strings.TrimSpace(p[start:m[1]]); s != "" {
			out = append(out, s)
		}
		start = m[1]
	}
	if s := strings.TrimSpace(p[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// hardCut cuts one over-long word into escaped pieces of at most limit
// Slack characters (a piece holds at least one rune). It runs in linear
// time: it adds runes while an upper bound of the escaped length fits
// (an entity's length, plus one for a word joiner after an @), then
// escapes the piece once.
func hardCut(word string, limit int, esc func(string) string) []string {
	var out []string
	start, bound := 0, 0
	for i, r := range word {
		n := runeBound(r)
		if bound > 0 && bound+n > limit {
			out = append(out, esc(word[start:i]))
			start, bound = i, 0
		}
		bound += n
	}
	if start < len(word) {
		out = append(out, esc(word[start:]))
	}
	return out
}

// runeBound bounds how many Slack characters r may take once escaped.
func runeBound(r rune) int {
	switch {
	case r == '&':
		return len("&amp;")
	case r == '<' || r == '>':
		return len("&lt;")
	case isAt(r):
		return 2 // @ and a word joiner
	}
	return utf16.RuneLen(r)
}
