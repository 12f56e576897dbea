package discord_test

import (
	"strings"
	"testing"

	"github.com/newsbot/newsbot/adapters/discord/discordtest"
)

// TestTrickyQuestionsReachTheBotIntact sends questions with characters
// whose case forms change byte length, bidi and zero-width controls,
// combining marks and emoji sequences, as a mention and as /ask: the bot
// gets them byte for byte (without the mention) and each is answered.
func TestTrickyQuestionsReachTheBotIntact(t *testing.T) {
	t.Parallel()
	questions := []string{
		"Ⱥ yesterday", "What happened in İstanbul?", "STRAẞE news", "\u202eevil\u202c \u2066isolate\u2069 today?",
		"zero\u200bwidth\u200d joiner?", "cafe\u0301 news?", "👩\u200d👩\u200d👧\u200d👦 families?",
	}
	f := &fixedAsker{answer: longAnswer()}
	h := start(t, f, nil)
	ch := h.fake.AddChannel(discordtest.GuildText)
	for i, q := range questions {
		h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention(q)})
		got := h.posted(3*(i+1), ch)
		if r := got[3*i]; r.Status != 200 {
			t.Errorf("%q: reply status %d", q, r.Status)
		}
		f.mu.Lock()
		asked := f.questions[len(f.questions)-1].Text
		f.mu.Unlock()
		if asked != q {
			t.Errorf("the bot was asked %q, want %q", asked, q)
		}
		token := h.fake.Interact(ch, h.bob, "ask", discordtest.Option{Name: "question", Value: q})
		edit := h.fake.WaitRequests(1, "PATCH", "/webhooks/"+h.fake.AppID+"/"+token+"/messages/@original")[0]
		if edit.Status != 200 || !strings.Contains(decode(t, edit).Content, "Sentence 1") {
			t.Errorf("/ask %q: %d", q, edit.Status)
		}
	}
}

// TestHugeAnswerIsThreeMessages: a 200 KB paragraph with no sentence end
// (once 201 messages) is at most three messages within Discord's limits,
// cut at a word with an ellipsis, the sources kept.
func TestHugeAnswerIsThreeMessages(t *testing.T) {
	t.Parallel()
	ans := longAnswer()
	ans.Text = strings.Repeat("flood waters rose along the river bank ", 200_000/39)
	h := start(t, &fixedAsker{answer: ans}, nil)
	ch := h.fake.AddChannel(discordtest.GuildText)
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention("Tell me everything")})
	got := h.posted(3, ch)
	// The answer is done when the sources are sent; then no fourth message.
	second := h.fake.Post(discordtest.Say{Channel: ch, Author: h.bob, Content: h.mention("and then?")})
	all := h.posted(4, ch)
	if ref := decode(t, all[3]).Reference; ref == nil || ref.MessageID != second {
		t.Fatalf("message 4 is %+v, want the reply to the next question (the first answer took more than 3)", ref)
	}
	for i, r := range got {
		p := decode(t, r)
		if r.Status != 200 || len([]rune(p.Content)) > 2000 {
			t.Errorf("message %d: status %d, %d characters", i+1, r.Status, len([]rune(p.Content)))
		}
		if i == 2 && (!strings.HasSuffix(p.Content, "…") || len(p.Embeds) != 1 || !strings.Contains(p.Embeds[0].Description, "**[4]**")) {
			t.Errorf("last message ends %q with %d embeds, want an ellipsis and the sources", p.Content[len(p.Content)-20:], len(p.Embeds))
		}
	}
}
