package parse

import (
	"regexp"
	"strings"
	"time"

	"github.com/newsbot/newsbot/knowledge"
)

// ParseText parses a plain-text article: the title on the first line, then
// paragraphs separated by blank lines. It understands the scraped-news shape
// newsbot started from:
//
//	date 2025-04-16 Top Trump officials will hold talks ... View Photo
//
//	WASHINGTON (AP) — Secretary of State Marco Rubio ...
//	...
//	By MATTHEW LEE
//
//	AP Diplomatic Writer
//
// A "date YYYY-MM-DD" prefix becomes the publication date, scraping residue at
// the end of the title ("View Photo", "Watch Video") is removed, a dateline's
// agency ("(AP) —") becomes the source unless one is given, and a closing or
// opening byline becomes Byline instead of a paragraph.
//
// It returns ErrEmpty when the text holds no title.
func ParseText(text string) (*knowledge.Article, error) {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	text = strings.TrimPrefix(text, "\ufeff")
	blocks := splitBlocks(text)
	if len(blocks) == 0 {
		return nil, knowledge.ErrEmpty
	}
	a := &knowledge.Article{}
	// The title is the first line; the rest of its block, if any, is body.
	first := blocks[0]
	title, rest, _ := strings.Cut(first, "\n")
	blocks[0] = strings.TrimSpace(rest)
	if blocks[0] == "" {
		blocks = blocks[1:]
	}
	title = strings.TrimSpace(title)
	if m := datePrefix.FindStringSubmatch(title); m != nil {
		if t, err := time.Parse("2006-01-02", m[1]); err == nil {
			a.Published = t
		}
		title = strings.TrimSpace(title[len(m[0]):])
	}
	a.Title = cleanTitle(title)
	if a.Title == "" {
		return nil, knowledge.ErrEmpty
	}
	a.Paragraphs, a.Byline = extractByline(joinLines(blocks))
	if len(a.Paragraphs) > 0 {
		a.Source = datelineSource(a.Paragraphs[0])
	}
	return a, nil
}

var datePrefix = regexp.MustCompile(`^(?i:date)\s+(\d{4}-\d{2}-\d{2})\b`)

// titleResidue is text that scrapers leave at the end of headlines.
var titleResidue = regexp.MustCompile(`(?i)(\s*[|·•-]?\s*(view|see|watch)\s+(photos?|videos?|gallery|slideshow)|\s*\|\s*(ap news|reuters|the associated press)|\s*(read more|continue reading)(\s*…|\.\.\.)?)\s*$`)

// cleanTitle removes scraping residue and collapses whitespace in a title.
func cleanTitle(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for {
		t := titleResidue.ReplaceAllString(s, "")
		if t == s {
			return strings.TrimSpace(t)
		}
		s = t
	}
}

// splitBlocks splits text into blocks separated by one or more blank lines.
func splitBlocks(text string) []string {
	var blocks []string
	var cur []string
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			if len(cur) > 0 {
				blocks = append(blocks, strings.Join(cur, "\n"))
				cur = cur[:0]
			}
			continue
		}
		cur = append(cur, strings.TrimRight(line, " \t"))
	}
	if len(cur) > 0 {
		blocks = append(blocks, strings.Join(cur, "\n"))
	}
	return blocks
}

// joinLines turns each block into one paragraph of single-spaced text.
func joinLines(blocks []string) []string {
	out := make([]string, 0, len(blocks))
	for _, b := range blocks {
		if p := strings.Join(strings.Fields(b), " "); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// SplitParagraphs splits text on blank lines into single-spaced paragraphs.
func SplitParagraphs(text string) []string {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	return joinLines(splitBlocks(text))
}

var (
	// bylineLine matches "By MATTHEW LEE", "By Matthew Lee and Jane Doe",
	// "By JOHN DOE, Associated Press".
	bylineLine = regexp.MustCompile(`^(?i:by)\s+([\p{Lu}][\p{L}.'’-]*(?:[ ,]+(?:and\s+)?[\p{Lu}][\p{L}.'’-]*){0,8})\s*$`)
	// bylineRole matches the short line that often follows a byline:
	// "AP Diplomatic Writer", "Associated Press", "The Associated Press".
	bylineRole = regexp.MustCompile(`^(?:The\s+)?(?:[A-Z][\w.&'’-]*\s*){1,5}(?i:writer|correspondent|reporter|editor|press|news|staff)$`)
)

// extractByline removes a closing (or opening) byline from paragraphs and
// returns it in readable form, e.g. "Matthew Lee, AP Diplomatic Writer".
func extractByline(paras []string) ([]string, string) {
	n := len(paras)
	// Closing byline: "By X" as the last or second-to-last paragraph, the
	// latter followed by a role line.
	for i := n - 1; i >= 0 && i >= n-2; i-- {
		m := bylineLine.FindStringSubmatch(paras[i])
		if m == nil {
			continue
		}
		if i == n-2 && !bylineRole.MatchString(paras[n-1]) {
			continue
		}
		by := nameCase(m[1])
		if i == n-2 {
			by += ", " + paras[n-1]
		}
		return paras[:i], by
	}
	// Opening byline: the first paragraph alone.
	if n > 1 {
		if m := bylineLine.FindStringSubmatch(paras[0]); m != nil {
			return paras[1:], nameCase(m[1])
		}
	}
	return paras, ""
}

// nameCase turns "MATTHEW LEE" into "Matthew Lee"; mixed case is kept.
func nameCase(s string) string {
	s = strings.Trim(s, " ,")
	if strings.ToUpper(s) != s {
		return s
	}
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		if w == "and" {
			continue
		}
		words[i] = capitalizeWord(w)
	}
	return strings.Join(words, " ")
}

func capitalizeWord(w string) string {
	out := []rune(w)
	up := true
	for i, r := range out {
		if up {
			out[i] = []rune(strings.ToUpper(string(r)))[0]
		}
		up = r == '-' || r == '\'' || r == '’' || r == '.'
	}
	return string(out)
}

// dateline matches the start of a wire story: "WASHINGTON (AP) — ",
// "KYIV, Ukraine (Reuters) - ", "NEW YORK (CNN) — ".
var dateline = regexp.MustCompile(`^[\p{Lu}][\p{Lu}\p{L} .,'’-]{1,60}?\s*\(([A-Za-z][A-Za-z&. ]{0,24}?)\)\s*[—–-]{1,2}\s`)

// agencyNames maps dateline agencies to the outlet name newsbot cites.
var agencyNames = map[string]string{
	"ap": "AP", "the associated press": "AP", "associated press": "AP",
	"reuters": "Reuters", "afp": "AFP", "upi": "UPI", "cnn": "CNN", "bloomberg": "Bloomberg",
	"dpa": "dpa", "cbs news": "CBS News", "nbc news": "NBC News", "abc news": "ABC News",
}

// datelineSource returns the agency named in a paragraph's dateline, or "".
func datelineSource(p string) string {
	m := dateline.FindStringSubmatch(p)
	if m == nil {
		return ""
	}
	name := strings.TrimSpace(m[1])
	if v, ok := agencyNames[strings.ToLower(name)]; ok {
		return v
	}
	if len(name) <= 12 {
		return name
	}
	return ""
}

// StripDateline returns p without a leading wire dateline
// ("WASHINGTON (AP) — "), for quoting.
func StripDateline(p string) string {
	if loc := dateline.FindStringIndex(p); loc != nil {
		return p[loc[1]:]
	}
	return p
}
