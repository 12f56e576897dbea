package bot

import (
	"context"
	"regexp"
	"strings"

	"github.com/newsbot/newsbot/knowledge/analysis"
)

// Questions about the articles themselves, answered from their byline,
// dates and outlet rather than from their text.
const (
	metaAuthor    = "author"
	metaPublished = "published"
	metaOutlet    = "outlet"
)

var (
	reMetaAuthor = regexp.MustCompile(`(?i)^\s*(?:who\s+(?:wrote|authored|penned|was\s+the\s+byline\s+on)|who\s+(?:is|was|were|are)\s+the\s+(?:authors?|writers?|reporters?|journalists?)\s+(?:of|behind|for))\b`)
	reMetaWhen   = regexp.MustCompile(`(?i)^\s*when\s+(?:was|were|did)\s+(.+?)\s+(?:published|posted|written|put\s+out|come\s+out|appear)\b`)
	reMetaOutlet = regexp.MustCompile(`(?i)^\s*(?:which|what)\s+(?:news\s+)?(?:outlets?|newspapers?|papers?|sites?|websites?|publications?|media|agency|agencies|organi[sz]ations?)\s+(?:reported|published|ran|covered|wrote|broke|carried)\b`)
	// reMetaBack asks about the article an earlier turn was answered
	// from: "when was it published?", "who wrote that?".
	reMetaBack = regexp.MustCompile(`(?i)^\s*(?:(when)\s+(?:was|were)\s+(?:it|that|this|they|the\s+(?:article|story|piece))\s+(?:published|posted|written|put\s+out)|(who)\s+(?:wrote|authored)\s+(?:it|that|this|them|the\s+(?:article|story|piece))|(which|what)\s+(?:news\s+)?(?:outlets?|newspapers?|papers?|sites?)\s+(?:reported|published|ran|carried)\s+(?:it|that|this))\W*$`)
	// reByline is the "By" a byline starts with.
	reByline = regexp.MustCompile(`(?i)^\s*by\s+`)
	// reAboutArticle is what names the article rather than its subject:
	// "the article about", "the story on", "that piece".
	reAboutArticle = regexp.MustCompile(`(?i)\b(?:the|that|this|an?)\s+(?:news\s+)?(?:articles?|stor(?:y|ies)|pieces?|reports?|reporting|coverage|column|op-ed)(?:\s+(?:about|on|of|that|regarding|covering))?\b|\b(?:the\s+)?news\s+(?:about|on|of)\b`)
)

// metaQuestion reports whether question asks about an article itself and
// returns its kind and the words naming the article's subject.
func metaQuestion(question string) (kind, subject string, ok bool) {
	if loc := reMetaAuthor.FindStringIndex(question); loc != nil {
		kind, subject = metaAuthor, question[loc[1]:]
	} else if m := reMetaWhen.FindStringSubmatchIndex(question); m != nil && reAboutArticle.MatchString(question[m[2]:m[3]]) {
		kind, subject = metaPublished, question[m[2]:m[3]]+" "+question[m[1]:]
	} else if loc := reMetaOutlet.FindStringIndex(question); loc != nil {
		kind, subject = metaOutlet, question[loc[1]:]
	} else {
		return "", "", false
	}
	subject = reAboutArticle.ReplaceAllString(subject, " ")
	subject = strings.Join(strings.Fields(strings.Trim(subject, " ?!.")), " ")
	return kind, subject, len(analysis.Terms(subject, nil)) > 0
}

// metaBack reads a question about the article the turn before was
// answered from ("when was it published?"): its kind, and as subject the
// earlier question's (its subject, if it asked about an article too).
func metaBack(q Question) (kind, subject string, ok bool) {
	m := reMetaBack.FindStringSubmatch(q.Text)
	if m == nil || len(q.History) == 0 {
		return "", "", false
	}
	switch {
	case m[1] != "":
		kind = metaPublished
	case m[2] != "":
		kind = metaAuthor
	default:
		kind = metaOutlet
	}
	prev := q.History[len(q.History)-1]
	if _, s, ok := metaQuestion(prev); ok {
		return kind, s, true
	}
	return kind, prev, len(analysis.Terms(prev, nil)) > 0
}

// metaAnswer answers a question about an article itself from the article
// that best matches its subject; nil when none does (the question is then
// answered as any other).
func (b *Bot) metaAnswer(ctx context.Context, q Question) (*Answer, error) {
	kind, subject, ok := metaQuestion(q.Text)
	if !ok {
		kind, subject, ok = metaBack(q)
	}
	if !ok {
		return nil, nil
	}
	sq := q
	sq.Text = subject
	r, err := b.retrieve(ctx, sq, b.passages())
	if err != nil || len(r.sel) == 0 || r.digest {
		return nil, err
	}
	best := r.sel[0]
	p := best.passage
	var others []string
	seen := map[string]bool{strings.ToLower(p.Source): true}
	addOutlet := func(src string) {
		if k := strings.ToLower(src); src != "" && !seen[k] {
			seen[k] = true
			others = append(others, src)
		}
	}
	if kind == metaOutlet {
		for _, s := range r.sel[1:] {
			addOutlet(s.passage.Source)
		}
		for _, c := range p.AlsoIn {
			addOutlet(c.Source)
		}
	}
	text, err := b.promptsFor(q).Render("meta.tmpl", metaData{kind, clip(p.Title, maxTitleRunes), p.Source, reByline.ReplaceAllString(p.Byline, ""), p.Published.In(b.location()), p.Updated.In(b.location()), others})
	if err != nil {
		return nil, err
	}
	return &Answer{Question: q.Text, Text: strings.TrimSpace(text), Found: true, Mode: ModeTemplate,
		Citations: []Citation{citationFor(1, p, best.text)}}, nil
}
