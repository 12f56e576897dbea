package bot

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsbot/newsbot/knowledge"
)

// promptSource is one numbered source in an LLM prompt (ask.tmpl's
// .Sources). Title and Text are quoted data: flattened to one line, with
// angle brackets replaced so they cannot close the <source> block.
type promptSource struct {
	N         int
	Title     string
	Source    string
	Published time.Time
	Paragraph int
	Text      string

	passage knowledge.Passage
}

// promptData is what system.tmpl, ask.tmpl and rewrite.tmpl get.
type promptData struct {
	// Question is the question as asked; History the earlier questions of
	// the conversation, oldest first.
	Question string
	History  []string
	// Today is the date answers are relative to ("last week").
	Today time.Time
	// Window is the date window of the question in words (e.g. "14–16 Apr
	// 2025"); empty when the question has none.
	Window  string
	Sources []promptSource
	// Language is the name in English of the language to answer in
	// ("French"): the question's (questionLang), English when unsure.
	Language string
}

// llmPrompt is a rendered answer prompt and what went into it.
type llmPrompt struct {
	messages []Message
	sources  []promptSource // sources[i].N == i+1
	dropped  int            // passages left out to fit the budget
	tokens   int            // estimated tokens of the user message
}

// estimateTokens approximates the tokens of s: about four characters a
// token in English, which errs on the safe side for news prose.
func estimateTokens(s string) int {
	return (utf8.RuneCountInString(s) + 3) / 4
}

// quoteData flattens untrusted text for a prompt: one line, no control
// characters, no angle brackets (so it cannot close its block).
func quoteData(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '<':
			return '‹'
		case '>':
			return '›'
		}
		return r
	}, s)
	return strings.Join(strings.Fields(SanitizeModelText(s)), " ")
}

// maxHistoryInPrompt bounds the earlier questions a prompt shows.
const maxHistoryInPrompt = 5

// answerPrompt renders the system and user messages for q over passages
// (best first), numbering them [1]..[k]; window names the dates the
// passages were searched in, if any. To fit the token budget it drops
// the lowest-ranked passages first, then the oldest history, and at last
// shortens the one remaining passage.
func (b *Bot) answerPrompt(q Question, passages []knowledge.Passage, window string) (*llmPrompt, error) {
	today := q.AsOf
	if today.IsZero() {
		today = b.now()
	}
	data := promptData{Question: q.Text, Today: today.In(b.location()), Window: window,
		Language: b.promptsFor(q).MustWord("language", nil)}
	if n := len(q.History); n > maxHistoryInPrompt {
		data.History = q.History[n-maxHistoryInPrompt:]
	} else {
		data.History = q.History
	}
	for i, p := range passages {
		data.Sources = append(data.Sources, promptSource{
			N: i + 1, Title: quoteData(p.Title), Source: quoteData(p.Source), Published: p.Published,
			Paragraph: p.Paragraph, Text: quoteData(p.Text), passage: p,
		})
	}
	budget := b.LLM.promptTokens()
	pr := b.prompts()
	var user string
	for {
		var err error
		if user, err = pr.Render("ask.tmpl", data); err != nil {
			return nil, err
		}
		if estimateTokens(user) <= budget {
			break
		}
		if len(data.Sources) > 1 {
			data.Sources = data.Sources[:len(data.Sources)-1]
			continue
		}
		if len(data.History) > 0 {
			data.History = data.History[1:]
			continue
		}
		if len(data.Sources) == 1 {
			// Shorten the last source by what is over, with some slack.
			s := &data.Sources[0]
			over := (estimateTokens(user)-budget)*4 + 16
			r := []rune(s.Text)
			if over < len(r) {
				s.Text = string(r[:len(r)-over]) + " …"
				continue
			}
		}
		return nil, fmt.Errorf("the question alone exceeds the prompt budget of %d tokens: %w", budget, ErrContextLength)
	}
	system, err := pr.Render("system.tmpl", data)
	if err != nil {
		return nil, err
	}
	return &llmPrompt{
		messages: []Message{{Role: RoleSystem, Content: strings.TrimSpace(system)}, {Role: RoleUser, Content: strings.TrimSpace(user)}},
		sources:  data.Sources,
		dropped:  len(passages) - len(data.Sources),
		tokens:   estimateTokens(user),
	}, nil
}

// rewritePrompt renders the request to turn a follow-up into a question
// that stands alone.
func (b *Bot) rewritePrompt(q Question) ([]Message, error) {
	data := promptData{Question: q.Text, Today: b.now(), History: q.History}
	if n := len(q.History); n > maxHistoryInPrompt {
		data.History = q.History[n-maxHistoryInPrompt:]
	}
	text, err := b.prompts().Render("rewrite.tmpl", data)
	if err != nil {
		return nil, err
	}
	return []Message{{Role: RoleUser, Content: strings.TrimSpace(text)}}, nil
}
