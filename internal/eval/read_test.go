package eval

import (
	"testing"

	"github.com/newsbot/newsbot/bot"
)

// The template answer is scored as a person reads it: a short answer that
// names the answer in full counts even where the quotes only use part of
// it, and the quotes alone are reported beside it.
func TestTemplateScoredAsRead(t *testing.T) {
	tests := []struct {
		name             string
		ans              bot.Answer
		template, quotes int
		ln               int // the length scored; -1 for none
	}{
		{"lead holds it", bot.Answer{Mode: bot.ModeTemplate, Found: true, Short: "Adrien Brody", Text: "“Brody broke the record.” [1]"}, 1, 0, 12 + 1 + 29},
		{"quotes hold it", bot.Answer{Mode: bot.ModeTemplate, Found: true, Text: "“Adrien Brody broke the record.” [1]"}, 1, 1, 36},
		{"an LLM answer has no lead", bot.Answer{Mode: bot.ModeLLM, Found: true, Short: "Adrien Brody", Text: "Brody did [1]."}, 0, 0, 14},
		{"not found", bot.Answer{Mode: bot.ModeTemplate, Short: "Adrien Brody", Text: "I couldn't find anything."}, 0, 0, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ty := &tally{rep: &EvalReport{}, hits: map[int]int{}}
			ty.answer(bot.Question{}, &tt.ans, []string{"adrien brody"})
			if ty.template != tt.template || ty.quotes != tt.quotes {
				t.Errorf("template %d, quotes %d; want %d and %d", ty.template, ty.quotes, tt.template, tt.quotes)
			}
			switch {
			case tt.ln < 0 && len(ty.lengths) != 0:
				t.Errorf("lengths %v; want none for an answer not found", ty.lengths)
			case tt.ln >= 0 && (len(ty.lengths) != 1 || ty.lengths[0] != tt.ln):
				t.Errorf("lengths %v; want [%d]", ty.lengths, tt.ln)
			}
		})
	}
}
