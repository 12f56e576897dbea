package bot

import (
	"fmt"
	"time"

	"github.com/newsbot/newsbot/prompts"
)

// The data each template is rendered with (see the comment at the top of
// each prompts/*.tmpl).
type (
	answerData struct {
		Question  string
		Window    string
		Outside   bool
		Digest    bool
		Sentences []templateSentence
	}
	notFoundData struct {
		Question       string
		Window         string
		Empty          bool
		Articles       int
		Oldest, Newest time.Time
		NothingElse    bool
		NoSubject      bool
	}
	staleData struct {
		Question string
		Newest   time.Time
	}
	metaData struct {
		Kind, Title, Source, Byline string
		Published, Updated          time.Time
		Others                      []string
	}
)

// CheckPrompts renders every template of set, in every language, with
// sample data taking each of its branches, so that a template with a field the bot does not give
// (a typo in NEWSBOT_PROMPTS_DIR) fails at start, naming its file and
// line, rather than on the first question that reaches it.
func CheckPrompts(set *prompts.Set) error {
	day := time.Date(2025, 4, 16, 12, 0, 0, 0, time.UTC)
	sents := []templateSentence{{Text: "A sentence.", N: 1, Source: "AP", Published: day, Lead: true, Also: []string{"BBC"}},
		{Text: "Another.", N: 2, Source: "", Lead: true}}
	sources := []promptSource{{N: 1, Title: "Title", Source: "AP", Published: day, Paragraph: 2, Text: "Text."}}
	samples := map[string][]any{
		"answer.tmpl": {
			answerData{Question: "q?", Sentences: sents},
			answerData{Question: "q?", Window: "last week", Sentences: sents},
			answerData{Question: "q?", Window: "last week", Outside: true, Sentences: sents},
			answerData{Question: "q?", Digest: true, Sentences: sents},
			answerData{Question: "q?", Digest: true, Window: "yesterday", Sentences: sents},
		},
		"notfound.tmpl": {
			notFoundData{Question: "q?", Empty: true},
			notFoundData{Question: "q?", Articles: 1, Oldest: day, Newest: day},
			notFoundData{Question: "q?", Articles: 2, Oldest: day.AddDate(0, -1, 0), Newest: day},
			notFoundData{Question: "q?", Articles: 2, Window: "last week"},
			notFoundData{Question: "q?", Articles: 2, NothingElse: true},
			notFoundData{Question: "why?", Articles: 2, NoSubject: true},
		},
		"stale.tmpl": {staleData{Question: "q?", Newest: day}},
		"timeline.tmpl": {
			timelineData{Question: "q?", Title: "T", Outlets: []string{"AP", "BBC"}, First: day, Last: day, Steps: []timelineStep{{Day: day, Source: "AP", Text: "A.", N: 1}}},
			timelineData{Question: "q?", Title: "T", Since: "since 16 April 2025", Steps: []timelineStep{{Day: day, Text: "A.", N: 1}}},
		},
		"disagree.tmpl":  {disagreeData{About: "homes destroyed", Values: []disagreeValue{{Value: "1,200 homes destroyed", Source: "AP", Published: day, N: 1}, {Value: "900", N: 2}}}},
		"storynote.tmpl": {storyNoteData{Title: "T", Outlets: []string{"AP", "BBC"}, Articles: 3, Cited: 2}, storyNoteData{Title: "T", Outlets: []string{"AP"}, Articles: 2, Cited: 2}},
		"meta.tmpl": {
			metaData{Kind: metaAuthor, Title: "T", Source: "AP", Byline: "Ann Lee", Published: day},
			metaData{Kind: metaAuthor, Title: "T", Source: "AP"},
			metaData{Kind: metaPublished, Title: "T", Source: "AP", Published: day, Updated: day},
			metaData{Kind: metaPublished, Title: "T", Source: "AP"},
			metaData{Kind: metaOutlet, Title: "T", Source: "AP", Published: day, Others: []string{"BBC"}},
		},
		"ask.tmpl": {
			promptData{Question: "q?", Today: day, Sources: sources},
			promptData{Question: "q?", Today: day, Window: "last week", History: []string{"earlier?"}, Sources: sources},
		},
		"system.tmpl": {
			promptData{Question: "q?", Today: day, Sources: sources},
			promptData{Question: "q?", Today: day, Window: "last week", History: []string{"earlier?"}, Sources: sources},
		},
		"rewrite.tmpl": {promptData{Question: "and where?", Today: day, History: []string{"who met Putin?"}}},
	}
	for _, code := range set.Languages() {
		l := set.Lang(code)
		for _, name := range l.Names() {
			for _, data := range samples[name] {
				if _, err := l.Render(name, data); err != nil {
					return fmt.Errorf("prompts: %s: %w", code, err)
				}
			}
		}
		for _, key := range prompts.Words {
			data := any(day)
			if key == "read-as" {
				data = []spellFix{{From: "Zelenski", To: "Zelensky"}, {From: "tlaks", To: "talks"}}
			}
			if _, err := l.Word(key, data); err != nil {
				return fmt.Errorf("prompts: %s: %w", code, err)
			}
		}
	}
	return nil
}
