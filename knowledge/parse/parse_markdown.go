package parse

import (
	"regexp"
	"strings"

	"github.com/newsbot/newsbot/knowledge"
)

var (
	mdImage    = regexp.MustCompile(`!\[[^\]]*\]\([^)]*\)`)
	mdLink     = regexp.MustCompile(`\[([^\]]+)\]\([^)]*\)`)
	mdEmphasis = regexp.MustCompile(`(\*\*|__|\*|_|~~|` + "`" + `)([^*_~` + "`" + `]+)(\*\*|__|\*|_|~~|` + "`" + `)`)
	mdHeading  = regexp.MustCompile(`^#{1,6}\s+`)
	mdListItem = regexp.MustCompile(`^\s*(?:[-*+]|\d+[.)])\s+`)
	mdQuote    = regexp.MustCompile(`^\s*>\s?`)
	mdRule     = regexp.MustCompile(`^\s*([-*_]\s*){3,}$`)
)

// ParseMarkdown parses a Markdown article. Optional front matter between
// "---" lines may set title, date (or published), url, source and byline; the
// title otherwise comes from the first heading or first line. Markup is
// reduced to plain text; code blocks and sub-headings are not paragraphs.
func ParseMarkdown(text string) (*knowledge.Article, []string, error) {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	text = strings.TrimPrefix(text, "\ufeff")
	a := &knowledge.Article{}
	var warnings []string
	if rest, ok := strings.CutPrefix(text, "---\n"); ok {
		if fm, body, ok := strings.Cut(rest, "\n---\n"); ok {
			text = body
			for _, line := range strings.Split(fm, "\n") {
				k, v, ok := strings.Cut(line, ":")
				if !ok {
					continue
				}
				v = strings.Trim(strings.TrimSpace(v), `"'`)
				switch strings.ToLower(strings.TrimSpace(k)) {
				case "title":
					a.Title = v
				case "date", "published":
					t, err := ParseTime(v)
					if err != nil {
						warnings = append(warnings, "front matter date "+v+" is not a date I understand")
					} else {
						a.Published = t
					}
				case "url", "link":
					a.URL = v
				case "source", "outlet":
					a.Source = v
				case "byline", "author":
					a.Byline = v
				}
			}
		}
	}
	var paras []string
	var cur []string
	inCode := false
	flush := func() {
		if p := strings.Join(strings.Fields(strings.Join(cur, " ")), " "); p != "" {
			paras = append(paras, p)
		}
		cur = cur[:0]
	}
	for _, line := range strings.Split(text, "\n") {
		trim := strings.TrimSpace(line)
		if strings.HasPrefix(trim, "```") || strings.HasPrefix(trim, "~~~") {
			inCode = !inCode
			flush()
			continue
		}
		if inCode {
			continue
		}
		switch {
		case trim == "" || mdRule.MatchString(trim) && !strings.HasPrefix(trim, "*"):
			flush()
		case mdHeading.MatchString(trim):
			flush()
			if a.Title == "" && len(paras) == 0 {
				a.Title = mdInline(mdHeading.ReplaceAllString(trim, ""))
			}
		case mdListItem.MatchString(line):
			flush()
			cur = append(cur, mdInline(mdListItem.ReplaceAllString(line, "")))
		default:
			cur = append(cur, mdInline(mdQuote.ReplaceAllString(line, "")))
		}
	}
	flush()
	if a.Title == "" && len(paras) > 0 {
		a.Title, paras = paras[0], paras[1:]
	}
	a.Title = cleanTitle(a.Title)
	if a.Title == "" && len(paras) == 0 {
		return nil, warnings, knowledge.ErrEmpty
	}
	a.Paragraphs, a.Byline = extractBylineKeep(paras, a.Byline)
	if a.Source == "" && len(a.Paragraphs) > 0 {
		a.Source = datelineSource(a.Paragraphs[0])
	}
	return a, warnings, nil
}

// extractBylineKeep extracts a byline unless one is already known.
func extractBylineKeep(paras []string, known string) ([]string, string) {
	if known != "" {
		return paras, known
	}
	return extractByline(paras)
}

func mdInline(s string) string {
	s = mdImage.ReplaceAllString(s, "")
	s = mdLink.ReplaceAllString(s, "$1")
	for i := 0; i < 3; i++ {
		s = mdEmphasis.ReplaceAllString(s, "$2")
	}
	return strings.TrimSpace(s)
}
