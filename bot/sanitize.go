package bot

import (
	"regexp"
	"strings"
	"unicode"
)

var (
	reThink      = regexp.MustCompile(`(?is)<think>.*?</think>`)
	reThinkOpen  = regexp.MustCompile(`(?i)<think>`)
	reScript     = regexp.MustCompile(`(?is)<script\b.*?</script\s*>|<style\b.*?</style\s*>`)
	reComment    = regexp.MustCompile(`(?s)<!--.*?-->`)
	reMassSlack  = regexp.MustCompile(`(?i)<!(channel|here|everyone)(\|[^<>]*)?>`)
	reTag        = regexp.MustCompile(`</?[A-Za-z][A-Za-z0-9:-]*(\s[^<>]*)?/?>|<[!@#&][^<>]*>`)
	reMassPlain  = regexp.MustCompile(`(?i)[@＠﹫][@＠﹫\s]*(everyone|here|channel)`)
	reManyBreaks = regexp.MustCompile(`\n[ \t]*\n(\s*\n)+`)
)

// SanitizeModelText makes text written by a language model safe to hand to
// any adapter: the model's text is untrusted (a source paragraph may carry
// instructions it followed). It removes control and invisible formatting
// characters, raw HTML (tags, comments, script and style content) and a
// reasoning model's <think> block; it neutralises mass mentions (@everyone,
// @here, @channel become plain words, however many at signs, full-width
// ＠ or small ﹫ forms and spaces precede them; Slack's <!channel>,
// <!here>, <!everyone> likewise) and removes user, role and channel
// mentions in <@…>, <#…>, <!…> form. Its result is a fixed point:
// sanitising it again changes nothing. Adapters still escape their
// platform's own markup. It is safe for concurrent use.
func SanitizeModelText(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = reThink.ReplaceAllString(s, "")
	if loc := reThinkOpen.FindStringIndex(s); loc != nil {
		s = s[:loc[0]] // still thinking: nothing after it is an answer
	}
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t' || r == '\r' || r == '\v' || r == '\f':
			return ' '
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == '\u2028', r == '\u2029':
			return -1 // C0/C1 controls, zero-width and bidi controls, BOM
		}
		return r
	}, s)
	// Removing one piece may join the pieces of another ("<<!here>!here>",
	// "@<b></b>everyone", "<think" + "> "), so repeat until nothing changes.
	for i := 0; ; i++ {
		prev := s
		if loc := reThinkOpen.FindStringIndex(s); loc != nil {
			s = s[:loc[0]]
		}
		s = reScript.ReplaceAllString(s, "")
		s = reComment.ReplaceAllString(s, "")
		s = reMassSlack.ReplaceAllString(s, "$1")
		s = reTag.ReplaceAllString(s, "")
		s = reMassPlain.ReplaceAllString(s, "$1")
		s = reManyBreaks.ReplaceAllString(s, "\n\n")
		if s == prev {
			break
		}
		if i == 8 {
			// Pathological nesting: drop every character that can start
			// markup or a mention, which leaves nothing to join.
			s = strings.Map(func(r rune) rune {
				if r == '<' || r == '>' || isAt(r) {
					return -1
				}
				return r
			}, s)
			s = reManyBreaks.ReplaceAllString(s, "\n\n")
			break
		}
	}
	return s
}

// isAt reports whether r is an at sign or one of its look-alikes.
func isAt(r rune) bool { return r == '@' || r == '＠' || r == '﹫' }
