package bot

import (
	"context"
	"regexp"
	"time"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/analysis"
)

// retrieval is what the bot found for a question.
type retrieval struct {
	res *knowledge.Result
	// sel are the sentences to quote; empty when nothing relevant was found.
	sel []picked
	// window is the span of dates the question asked about, if any.
	window Window
	// outside is set when nothing in the window matched and the passages
	// come from outside it.
	outside bool
	// digest is set when the question asked for the news in general and the
	// quotes are the newest articles' first sentences.
	digest bool
	// nothingElse is set when a follow-up asked for others ("who else?")
	// and nothing beyond the earlier answer was found.
	nothingElse bool
	// noSubject is set when the question only leans on an earlier one
	// ("why?", "on which day?") and there is none: searching its words
	// would quote whatever mentions a day.
	noSubject bool
}

func (b *Bot) location() *time.Location {
	if b.Location != nil {
		return b.Location
	}
	return time.Local
}

func (b *Bot) passages() int {
	if b.Passages > 0 {
		return b.Passages
	}
	return DefaultPassages
}

// retrieve searches for q: preferring the window its words name ("last
// week"), if any (WindowBoost); the question alone, then with the question before it for
// follow-ups. It stops at the first search whose passages answer the
// question. A question for the news in general ("what happened
// yesterday?") gets a digest of the newest articles instead.
func (b *Bot) retrieve(ctx context.Context, q Question, k int) (*retrieval, error) {
	now := q.AsOf
	if now.IsZero() {
		now = b.now()
	}
	now = now.In(b.location())
	r := &retrieval{}
	// "Who did Witkoff meet?" is searched as the news writes it: "met".
	q.Text = analysis.PastTense(q.Text)
	text := q.Text
	explicit := !q.Since.IsZero() || !q.Until.IsZero()
	if !explicit {
		if w, rest, ok := ParseWindow(q.Text, now); ok {
			r.window, text = w, rest
		}
	}
	// Answering as of a past day: what was published after it is unseen.
	var horizon time.Time
	if !q.AsOf.IsZero() {
		horizon = day(now).AddDate(0, 0, 1)
	}
	capUntil := func(u time.Time) time.Time {
		if !horizon.IsZero() && (u.IsZero() || u.After(horizon)) {
			return horizon
		}
		return u
	}
	prefer := !r.window.IsZero()
	if b.Library != nil && asksForDigest(text, !r.window.IsZero(), len(q.History) > 0) {
		return r, b.digest(ctx, q, r, horizon)
	}
	if len(q.History) == 0 && len(ownTerms(text)) == 0 {
		r.noSubject = true
		return r, nil
	}
	withHistory := q
	withHistory.Text = text
	seen, err := b.earlierAnswer(ctx, q, k)
	if err != nil {
		return nil, err
	}
	inStory, err := b.previousStory(ctx, q, k)
	if err != nil {
		return nil, err
	}
	if inStory != nil && len(ownTerms(text)) > 0 {
		// A follow-up about a story: its own words among that story's
		// articles first.
		kq := knowledge.Query{Text: text, K: k, Since: q.Since, Until: capUntil(q.Until), Sources: q.Sources, AsOf: now}
		res, err := b.searchStory(ctx, kq, inStory)
		if err != nil {
			return nil, err
		}
		if res != nil {
			if sel := selectSentences(q.Text, res, selectOptions{within: r.window, seen: seen}); len(sel) > 0 && answersOwnWords(text, sel, res) {
				r.res, r.sel, r.outside = res, sel, prefer && !allWithin(sel, r.window)
				return r, nil
			}
		}
	}
	for i, t := range retrievalTexts(withHistory) {
		kq := knowledge.Query{
			Text: t, K: k, Since: q.Since, Until: capUntil(q.Until), Sources: q.Sources,
			AsOf: now, Recent: r.window.IsZero() && IsPresentTense(q.Text),
		}
		if prefer {
			kq.PreferSince, kq.PreferUntil, kq.PreferBoost = r.window.Since, r.window.Until, WindowBoost
		}
		opt := selectOptions{within: r.window, seen: seen, leans: t != text && i == 0}
		if inStory != nil {
			// Then with the question before it, still in the story.
			res, err := b.searchStory(ctx, kq, inStory)
			if err != nil {
				return nil, err
			}
			if res != nil {
				if sel := selectSentences(q.Text, res, opt); len(sel) > 0 && (answersOwnWords(text, sel, res) || opt.leans && holdsKind(sel)) {
					r.res, r.sel, r.outside = res, sel, prefer && !allWithin(sel, r.window)
					return r, nil
				}
			}
		}
		res, err := b.Retriever.Search(ctx, kq)
		if err != nil {
			return nil, err
		}
		r.res = res
		// A follow-up leaning on the question before it is answered about
		// that subject when a sentence holds the kind it asks for.
		if sel := selectSentences(q.Text, res, opt); len(sel) > 0 && (answersOwnWords(text, sel, res) || opt.leans && holdsKind(sel)) {
			r.sel, r.outside = sel, prefer && !allWithin(sel, r.window)
			return r, nil
		}
	}
	r.nothingElse = seen != nil
	if r.window.IsZero() {
		return r, nil
	}
	// The time words may be the article's own ("Witkoff met last week
	// with …"): search with them as words, at any date.
	kq := knowledge.Query{Text: q.Text, K: k, Since: q.Since, Until: capUntil(q.Until), Sources: q.Sources, AsOf: now}
	res, err := b.Retriever.Search(ctx, kq)
	if err != nil {
		return nil, err
	}
	if sel := selectSentences(q.Text, res, selectOptions{within: r.window, seen: seen}); len(sel) > 0 && answersOwnWords(q.Text, sel, res) {
		r.res, r.sel, r.outside = res, sel, !allWithin(sel, r.window)
	}
	return r, nil
}

// asksForDigest reports whether text (a question without its time
// expression, which named a window when dated) asks for the news in
// general, to be answered with the headlines. A first question does when
// all its words are about the news ("what happened?"); in a conversation
// it must name the news itself ("what's new?", "any news from Monday?")
// or ask what happened in a window ("what happened on April 15?", "what
// happened yesterday?"), unless it refers back ("what happened to him
// yesterday?", "and then what happened?"): "what happened?" alone after a
// question is about its subject.
func asksForDigest(text string, dated, inConversation bool) bool {
	if !asksForNews(text) {
		return false
	}
	return !inConversation || asksForHeadlines(text) || dated && !followUpCue.MatchString(text)
}

// namesSubject reports whether the earlier question h (asked in a
// conversation when inConversation) names a subject a follow-up can lean
// on: it has words of its own besides its time words ("what happened to
// them yesterday?" has none), and was not answered with the headlines
// ("what happened on April 15?"). The time words are read as of any day:
// only their place in h matters.
func namesSubject(h string, inConversation bool) bool {
	_, rest, dated := ParseWindow(h, time.Now())
	if !dated {
		rest = h
	}
	return len(ownTerms(rest)) > 0 && !asksForDigest(rest, dated, inConversation)
}

// holdsKind reports whether a chosen sentence holds the kind of answer
// asked for.
func holdsKind(sel []picked) bool {
	for _, s := range sel {
		if s.features.Type {
			return true
		}
	}
	return false
}

// asksForOthers matches a follow-up asking for more of the same kind:
// "who else?", "which other countries?", "anyone else?".
var asksForOthers = regexp.MustCompile(`(?i)\b(?:else|other|others|another)\b`)

// earlierAnswer returns, for a follow-up asking for others ("who else?"),
// the sentences the turn before it was answered with, so that the answer
// names someone new; nil otherwise.
func (b *Bot) earlierAnswer(ctx context.Context, q Question, k int) (*seenSentences, error) {
	if len(q.History) == 0 || !asksForOthers.MatchString(q.Text) {
		return nil, nil
	}
	prev := Question{Text: q.History[len(q.History)-1], History: q.History[:len(q.History)-1],
		Sources: q.Sources, Since: q.Since, Until: q.Until, AsOf: q.AsOf}
	r, err := b.retrieve(ctx, prev, k)
	if err != nil || len(r.sel) == 0 {
		return nil, err
	}
	// The names of the kind this question asks for ("who" else: people).
	return newSeenSentences(q.Text, r.sel), nil
}

// retrievalTexts are the texts to search for a question, in order, until
// one finds an answer. A follow-up with no words of its own ("and when?")
// is searched together with the question before it; one that refers back
// ("and where have the shelters opened?", "what did he say?") is searched
// with it first, then alone; any other question alone first, then with the
// one before it.
func retrievalTexts(q Question) []string {
	if len(q.History) == 0 {
		return []string{q.Text}
	}
	// The subject is the latest earlier question that names one: "why?"
	// after "who else?" is still about the question before both, and
	// "how much did she win?" after "what happened on April 15?" (the
	// headlines) about the question before that.
	subject := q.History[len(q.History)-1]
	for i := len(q.History) - 1; i >= 0; i-- {
		if namesSubject(q.History[i], i > 0) {
			subject = q.History[i]
			break
		}
	}
	withContext := q.Text + " " + subject
	switch {
	case len(ownTerms(q.Text)) == 0:
		return []string{withContext}
	case isFollowUp(q.Text):
		return []string{withContext, q.Text}
	}
	return []string{q.Text, withContext}
}

// allWithin reports whether every quoted passage was published in w.
func allWithin(sel []picked, w Window) bool {
	for _, s := range sel {
		p := s.passage.Published
		if p.IsZero() {
			return false
		}
		d := time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, w.Since.Location())
		if d.Before(w.Since) || !d.Before(w.Until) {
			return false
		}
	}
	return true
}
