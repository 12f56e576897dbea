// Package bot is newsbot's core: it turns a Question into an Answer whose
// every quoted claim cites the paragraph it came from. It retrieves passages
// through a Retriever and answers from templates (extractive, always
// available) or, when a language model is configured (LLM), with the
// model's answer from those passages, its citations checked and its text
// sanitised, falling back to the template answer on any failure. Adapters (REPL, Slack, Discord) only translate between their
// platform and this package.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/analysis"
	"github.com/newsbot/newsbot/prompts"
)

// Retriever finds the passages that best match a query.
type Retriever interface {
	Search(ctx context.Context, q knowledge.Query) (*knowledge.Result, error)
}

// Library lists, reads and counts the articles held.
type Library interface {
	Latest(ctx context.Context, q knowledge.LatestQuery) ([]*knowledge.Article, error)
	Article(ctx context.Context, id string) (*knowledge.Article, error)
	Stats(ctx context.Context) (knowledge.Stats, error)
}

// WindowBoost multiplies the scores of articles from the window a question
// names ("last week"): a strong preference rather than a filter, so that a
// question whose time words are the article's own is still answered;
// measured with `newsbot eval` (see README).
const WindowBoost = 3

// DefaultStaleAfter is Bot.StaleAfter's default: 30 days.
const DefaultStaleAfter = 30 * 24 * time.Hour

// Limits on questions.
const (
	MaxQuestionRunes = 1000
	DefaultPassages  = 8
)

// Errors Ask returns for questions it will not answer. Their text is safe to
// show users.
var (
	ErrEmptyQuestion   = errors.New("the question is empty")
	ErrQuestionTooLong = fmt.Errorf("the question is longer than %d characters", MaxQuestionRunes)
)

// Bot answers questions about the news. Set Retriever and Library; the other
// fields are optional and their zero values work. A Bot is safe for
// concurrent use once configured.
type Bot struct {
	Retriever Retriever
	Library   Library
	// Prompts holds the answer wording; nil means prompts.Default().
	Prompts *prompts.Set
	// Logger receives the causes of errors; nil discards them.
	Logger *slog.Logger
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Passages is how many passages to retrieve per question; zero means
	// DefaultPassages.
	Passages int
	// Location is the time zone of dates in questions and answers; nil
	// means time.Local.
	Location *time.Location
	// StaleAfter is the age of the newest source past which an answer
	// about the present says how old its sources are; zero means
	// DefaultStaleAfter.
	StaleAfter time.Duration
	// Terms, when set, corrects the words of a question that no paragraph
	// holds ("whre are the tlaks?", see spell.go); nil leaves questions as
	// typed. knowledge/index.Index is one.
	Terms TermCounter
	// LLM, when set with a Model, answers from the passages with a language
	// model (see llm.go), falling back to the template answer on any
	// failure; nil means template answers only.
	LLM *LLM
}

// Question is one question from a user.
type Question struct {
	Text string
	// Since and Until restrict answers to articles published in [Since,
	// Until); zero means open.
	Since, Until time.Time
	// Sources restricts answers to these outlets.
	Sources []string
	// AsOf answers the question as it would have been answered at that time:
	// relative dates ("yesterday") count from it, and articles published
	// after its day are not seen. Zero means now.
	AsOf time.Time
	// History holds the earlier questions of the conversation, oldest first,
	// for follow-ups ("and when?"). Conversations keeps it for adapters.
	History []string
	// Mode asks for a way of answering (ModeTemplate, ModeLLM); empty means
	// the bot's default.
	Mode string
	// OnPartial, when set, is called with the answer text so far each time
	// it grows, while an answer is produced incrementally (streamed from an
	// LLM). Adapters use it to edit a message progressively; the final text
	// is the Answer's. It is called from Ask's goroutine, never after Ask
	// returns, and is not called for template answers.
	OnPartial func(text string)
	// lang is the language of the question as asked (questionLang), set
	// by Ask.
	lang string
}

// Modes name how an answer was produced.
const (
	ModeTemplate = "template" // extractive, from the answer templates
	ModeLLM      = "llm"      // written by a language model from the passages
)

// Answer is the bot's reply to a question.
type Answer struct {
	Question string
	// Text is the answer, with citation markers [n] referring to Citations.
	Text string
	// Found is false when nothing relevant was found; Text then says so and
	// there are no citations.
	Found bool
	// Mode is how the answer was produced; FallbackReason says why a
	// template answer was given when an LLM answer was asked for.
	Mode           string
	FallbackReason string
	Citations      []Citation
	// Short is a short answer (a name, number, date or place of at most a
	// dozen words) when the question asks for one and the passages point
	// to it clearly enough (see short.go); empty otherwise. It is not part
	// of Text: the adapters show it first (Lead), in bold where they can.
	Short string
	// NewestSource is the publication date of the newest cited article;
	// zero without citations.
	NewestSource time.Time
	// Lang is the language the answer is worded in (ISO 639-1: "en",
	// "fr"): the question's, when the bot is sure of it and has templates
	// in it, else English. SourcesLabel is the word for "Sources" in it.
	Lang, SourcesLabel string
	// AlsoReportedBy introduces, in the answer's language, the other
	// outlets carrying a cited paragraph (Citation.AlsoIn): "also reported
	// by". Adapters take their words from here and from the citations'
	// Date, UpdatedLabel and ParagraphLabel, never from the templates.
	AlsoReportedBy string
	// Stale is set when the question is about the present (it names no
	// window, or one reaching the day asked, such as "this week") and
	// NewestSource is more than the bot's StaleAfter
	// before the day it was asked (or its as-of date); Text then says so.
	Stale bool
	// Disagreements are the things the sources give different values for
	// (see disagree.go); Text shows them side by side.
	Disagreements []Disagreement
	// Story is the story the answer draws several articles of, when it
	// does (see storynote.go); Text then says how many outlets report it.
	Story *StoryNote
	// Corrected are the words of the question read as others before
	// searching (spell.go); Text says those not Quiet, when it found an
	// answer.
	Corrected []Correction
}

// Lead is the short answer a template answer starts with; "" for none
// (an LLM's answer says it in its own words).
func (a *Answer) Lead() string {
	if a == nil || a.Mode != ModeTemplate || !a.Found {
		return ""
	}
	return a.Short
}

// Citation ties a numbered marker in an answer to the paragraph behind it.
type Citation struct {
	N         int
	ArticleID string
	Title     string
	Source    string
	Byline    string
	URL       string
	Published time.Time
	Updated   time.Time
	// FirstSeen is when the article was first stored; Lang its language
	// ("" when unknown).
	FirstSeen time.Time
	Lang      string
	// Date is Published in the answer's language ("16 avr. 2025"), or,
	// when the article has no publication date, says so with FirstSeen
	// ("date unknown, first seen 2 Dec 2026"). Adapters show it.
	Date string
	// UpdatedLabel says, in the answer's language, when the article was
	// updated ("updated 17 Apr 2025", "mis à jour le 17 avr. 2025"); ""
	// when it was not. ParagraphLabel names the paragraph ("paragraph 6",
	// "paragraphe 6").
	UpdatedLabel, ParagraphLabel string
	// Paragraph is the 1-based paragraph number in the article.
	Paragraph int
	// Quote is the part of the paragraph the answer uses.
	Quote string
	// Text is the whole paragraph.
	Text string
	// Weak is set on an LLM answer's citation when a sentence citing it
	// barely overlaps the passages it cites (see citations.go).
	Weak bool
	// AlsoIn names other articles that carry the same paragraph word for
	// word (wire copies).
	AlsoIn []Copy
}

// UpdatedWords is UpdatedLabel, or, for a citation made without it, the
// English "updated 17 Apr 2025"; "" when the article was not updated.
func (c Citation) UpdatedWords() string {
	if c.UpdatedLabel != "" || c.Updated.IsZero() {
		return c.UpdatedLabel
	}
	return "updated " + c.Updated.Format("2 Jan 2006")
}

// ParagraphWords is ParagraphLabel, or, for a citation made without it,
// the English "paragraph 6"; "" without a paragraph number.
func (c Citation) ParagraphWords() string {
	if c.ParagraphLabel != "" || c.Paragraph <= 0 {
		return c.ParagraphLabel
	}
	return fmt.Sprintf("paragraph %d", c.Paragraph)
}

// Copy is another article carrying a cited paragraph.
type Copy struct {
	ArticleID string
	Title     string
	Source    string
	URL       string
	Published time.Time
	Paragraph int
}

func (b *Bot) now() time.Time {
	if b.Now != nil {
		return b.Now()
	}
	return time.Now()
}

func (b *Bot) logger() *slog.Logger {
	if b.Logger != nil {
		return b.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (b *Bot) prompts() *prompts.Set {
	if b.Prompts != nil {
		return b.Prompts
	}
	return prompts.Default()
}

// promptsFor returns the templates in the language of q as asked (a
// follow-up rewritten to stand alone keeps it): the one analysis.Detect
// is sure of when there are templates in it, else English.
func (b *Bot) promptsFor(q Question) *prompts.Set {
	l := q.lang
	if l == "" {
		l = questionLang(q.Text)
	}
	return b.prompts().Lang(l)
}

// questionLang is the language answers to question are worded in: the one
// analysis.Detect is sure of (detectLang: a bare follow-up's words decide),
// "en" when it is not (short questions).
func questionLang(question string) string {
	if l, sure := detectLang(question); sure {
		return l
	}
	return "en"
}

// conversationLang is the language of q, or, when Detect is unsure of it
// (a short follow-up: "et où ?"), of the latest earlier question it is
// sure of; English when none.
func conversationLang(q Question) string {
	if l, sure := detectLang(q.Text); sure {
		return l
	}
	for i := len(q.History) - 1; i >= 0; i-- {
		if l, sure := detectLang(q.History[i]); sure {
			return l
		}
	}
	return "en"
}

// localize sets the answer's language and the words adapters show with
// it: the "Sources" label and each citation's date (or, for an undated
// article, "date unknown, first seen …").
func (b *Bot) localize(ans *Answer, q Question) {
	set := b.promptsFor(q)
	ans.Lang = set.Code()
	ans.SourcesLabel = set.MustWord("sources", nil)
	ans.AlsoReportedBy = set.MustWord("also-reported-by", nil)
	for i := range ans.Citations {
		c := &ans.Citations[i]
		c.Date = citationDate(set, *c, b.location())
		if !c.Updated.IsZero() {
			c.UpdatedLabel = set.MustWord("updated", c.Updated.In(b.location()))
		}
		if c.Paragraph > 0 {
			c.ParagraphLabel = set.MustWord("paragraph", c.Paragraph)
		}
	}
}

// citationDate is a citation's publication date in set's language, or the
// undated label with the day the article was first seen.
func citationDate(set *prompts.Set, c Citation, loc *time.Location) string {
	if !c.Published.IsZero() {
		return set.Date(c.Published.In(loc))
	}
	seen := c.FirstSeen
	if !seen.IsZero() {
		seen = seen.In(loc)
	}
	return set.MustWord("undated", seen)
}

// CleanQuestion trims a question, turns control characters into spaces,
// drops invalid UTF-8 and bidirectional controls (they reorder what is
// shown) and checks its length. It returns
// ErrEmptyQuestion or ErrQuestionTooLong.
func CleanQuestion(text string) (string, error) {
	text = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r):
			return ' ' // tabs, newlines, escape sequences
		case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069', r == '\u200e', r == '\u200f', r == '\u061c', r == '\ufeff':
			return -1 // bidi overrides, isolates and marks, BOM: they reorder what is shown
		}
		return r
	}, strings.ToValidUTF8(text, ""))
	text = strings.Join(strings.Fields(text), " ")
	if text == "" {
		return "", ErrEmptyQuestion
	}
	if utf8.RuneCountInString(text) > MaxQuestionRunes {
		return "", ErrQuestionTooLong
	}
	return text, nil
}

// Ask answers a question from the passages that best match it. Invalid
// questions return ErrEmptyQuestion or ErrQuestionTooLong; a failing store
// returns its error, wrapped. A failing language model is no error: the
// template answer is returned with FallbackReason set.
func (b *Bot) Ask(ctx context.Context, q Question) (*Answer, error) {
	q, asked, fixes, err := b.read(ctx, q)
	if err != nil {
		return nil, err
	}
	ans, err := b.answer(ctx, q, asked)
	if err != nil {
		return nil, err
	}
	b.noteSpelling(asked, fixes, ans)
	return ans, nil
}

// read cleans a question (CleanQuestion), reads its language from the
// conversation and corrects its spelling: it returns the question to
// search, the question as asked (cleaned) and the corrections.
func (b *Bot) read(ctx context.Context, q Question) (search, asked Question, fixes []spellFix, err error) {
	text, err := CleanQuestion(q.Text)
	if err != nil {
		return q, q, nil, err
	}
	q.Text = text
	q.lang = conversationLang(q)
	asked = q
	q.Text, fixes = correctSpelling(ctx, b.Terms, q.Text)
	return q, asked, fixes, nil
}

// answer answers q, the question as asked (asked) with its spelling
// corrected.
func (b *Bot) answer(ctx context.Context, q, asked Question) (*Answer, error) {
	q = b.standalone(ctx, q) // LLM mode: a follow-up rewritten to stand alone
	if meta, err := b.metaAnswer(ctx, q); err != nil || meta != nil {
		if err != nil {
			return nil, fmt.Errorf("ask: %w", err)
		}
		meta.Question = asked.Text
		b.localize(meta, asked)
		return meta, nil
	}
	if tl, err := b.timelineAnswer(ctx, q); err != nil || tl != nil {
		if err != nil {
			return nil, fmt.Errorf("ask: %w", err)
		}
		tl.Question = asked.Text
		return tl, nil
	}
	r, err := b.retrieve(ctx, q, b.passages())
	if err != nil {
		return nil, fmt.Errorf("ask: %w", err)
	}
	ans := &Answer{Question: asked.Text, Mode: ModeTemplate}
	if len(r.sel) == 0 {
		ans.Text, err = b.notFound(ctx, q, r)
		if b.wantLLM(asked) {
			ans.FallbackReason = FallbackNoSources
		}
		b.localize(ans, asked)
		return ans, err
	}
	ans.Found = true
	if !r.digest {
		ans.Short = shortAnswer(q.Text, r.res, r.sel)
	}
	ans.Text, ans.Citations, err = b.renderTemplateAnswer(q, r, ans.Short)
	if err != nil {
		return nil, fmt.Errorf("ask: %w", err)
	}
	if b.wantLLM(asked) {
		ans = b.llmAnswer(ctx, asked, r, ans)
	}
	if err := b.addDisagreements(ctx, q.Text, r, ans); err != nil {
		return nil, fmt.Errorf("ask: %w", err)
	}
	if err := b.noteStory(ctx, ans); err != nil {
		return nil, fmt.Errorf("ask: %w", err)
	}
	if err := b.markStale(asked, r, ans); err != nil {
		return nil, fmt.Errorf("ask: %w", err)
	}
	b.localize(ans, asked)
	return ans, nil
}

// markStale sets ans.NewestSource and, for a question about the present
// whose newest source is older than StaleAfter, ans.Stale, and says so at
// the end of the answer (stale.tmpl).
func (b *Bot) markStale(q Question, r *retrieval, ans *Answer) error {
	for _, c := range ans.Citations {
		if c.Published.After(ans.NewestSource) {
			ans.NewestSource = c.Published
		}
	}
	if ans.NewestSource.IsZero() || r.digest || !q.Since.IsZero() || !q.Until.IsZero() {
		return nil
	}
	asked := q.AsOf
	if asked.IsZero() {
		asked = b.now()
	}
	// A window that reaches the day asked ("this week", "yesterday") is
	// about the present too; a calendar one ("in April 2024") is not.
	if !r.window.IsZero() && !r.window.Until.After(day(asked.In(b.location()))) {
		return nil
	}
	after := b.StaleAfter
	if after <= 0 {
		after = DefaultStaleAfter
	}
	if asked.Sub(ans.NewestSource) <= after {
		return nil
	}
	note, err := b.promptsFor(q).Render("stale.tmpl", staleData{q.Text, ans.NewestSource.In(b.location())})
	if err != nil {
		return err
	}
	ans.Stale = true
	ans.addNote(note)
	return nil
}

// addNote ends a's text with note, a paragraph of its own (the sources'
// age, a story's other outlets, disagreements, what was read as what).
func (a *Answer) addNote(note string) {
	a.Text = strings.TrimSpace(a.Text) + "\n\n" + strings.TrimSpace(note)
}

// noteSpelling ends ans with the words of the question read as others
// ("I read “Zelenksy” as “Zelensky”."), so that a reader sees what was
// searched; quiet corrections ("whre" → "where") go unsaid, and so do
// those of a question nothing answered (what was read as what is then
// only a guess that did not help).
func (b *Bot) noteSpelling(asked Question, fixes []spellFix, ans *Answer) {
	ans.Corrected = corrections(fixes)
	if note := b.readAs(asked, fixes); note != "" && ans.Found {
		ans.addNote(note)
	}
}

// readAs is the note saying which words of the question as asked were
// read as which ("I read “tlaks” as “talks”."), in its language; "" when
// every correction is quiet.
func (b *Bot) readAs(asked Question, fixes []spellFix) string {
	said := slices.DeleteFunc(slices.Clone(fixes), func(f spellFix) bool { return f.Quiet })
	if len(said) == 0 {
		return ""
	}
	note, err := b.promptsFor(asked).Word("read-as", said)
	if err != nil {
		return ""
	}
	return note
}

// answersOwnWords reports whether the articles quoted in sel cover enough
// of the question's own words (as opposed to words borrowed from earlier
// questions): a new question must not be answered about the old topic. An
// article covers the words of its quoted passages, with their headline,
// and of its other passages among the results: a story spreads the
// question's words over its paragraphs ("Chile" in the headline, "state of
// emergency" in one paragraph, "electricity" in another).
func answersOwnWords(question string, sel []picked, res *knowledge.Result) bool {
	stats := res.Terms
	own := map[string]bool{}
	for _, t := range ownTerms(question) {
		own[t] = true
	}
	if len(own) == 0 {
		return true
	}
	var mine []knowledge.TermStat
	for _, t := range stats {
		if own[t.Term] {
			mine = append(mine, t)
		}
	}
	w, total := weights(mine)
	got := map[string]bool{}
	arts := articleTerms(res.Passages, w)
	for _, s := range sel {
		for t := range arts[s.passage.ArticleID] {
			got[t] = true
		}
	}
	return coverage(w, total, got) >= minCoverage
}

var followUpCue = regexp.MustCompile(`(?i)^\s*(and|but|so|also|what about|how about|what else|who else|anything else)\b|\b(he|she|they|them|him|her|his|their|it|its|this|that|these|those|there|then)\b`)

// followUpWords are the stems of words that ask for more about a subject
// without naming one, in each language (followUpVocab): "on which day?",
// "how many people?", "why?", "and the other side?", "Warum?".
var followUpWords = followUpTerms()

// ownTerms returns the terms of text that name a subject (not
// followUpWords).
func ownTerms(text string) []string {
	var out []string
	for _, t := range analysis.Terms(text, nil) {
		if !followUpWords[t] {
			out = append(out, t)
		}
	}
	return out
}

// isFollowUp reports whether a question leans on the one before it: it has
// no words of its own that name a subject ("on which day?"), or starts
// like a follow-up, or refers back with a pronoun.
func isFollowUp(text string) bool {
	return len(ownTerms(text)) == 0 || followUpCue.MatchString(text)
}

// notFound renders the answer for a question nothing matched.
func (b *Bot) notFound(ctx context.Context, q Question, r *retrieval) (string, error) {
	set := b.promptsFor(q)
	data := notFoundData{Question: q.Text, Window: r.window.labelIn(set), NothingElse: r.nothingElse, NoSubject: r.noSubject}
	if b.Library != nil {
		st, err := b.Library.Stats(ctx)
		if err != nil {
			return "", fmt.Errorf("ask: %w", err)
		}
		data.Empty, data.Articles, data.Oldest, data.Newest = st.Articles == 0, st.Articles, st.Oldest, st.Newest
	}
	text, err := set.Render("notfound.tmpl", data)
	if err != nil {
		return "", fmt.Errorf("ask: %w", err)
	}
	return strings.TrimSpace(text), nil
}

// UserMessage returns a short sentence for users about err: the error itself
// when it is one of this package's question errors, a generic apology
// otherwise (the cause belongs in the log, not in a chat).
func UserMessage(err error) string {
	switch {
	case errors.Is(err, ErrEmptyQuestion):
		return "Please ask a question, for example: what happened in Paris this week?"
	case errors.Is(err, ErrQuestionTooLong):
		return fmt.Sprintf("That question is too long; please keep it under %d characters.", MaxQuestionRunes)
	case errors.Is(err, context.DeadlineExceeded):
		return "Sorry, that took too long. Please try again."
	}
	return "Sorry, something went wrong while answering. Please try again later."
}

// ApologyMessage is what adapters tell a user when answering their
// question failed unexpectedly (a recovered panic); the cause is logged.
const ApologyMessage = "Sorry — something went wrong answering that. It has been logged."
