package discord_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/adapters/discord"
	"github.com/newsbot/newsbot/adapters/discord/discordtest"
	"github.com/newsbot/newsbot/bot"
)

// streamingAsker answers like an LLM: it calls OnPartial with the text so
// far, and before each next step waits until the fake Discord has seen
// `wait(step)` hold (so the test does not depend on timing).
type streamingAsker struct {
	steps []string
	wait  func(step int)
	final *bot.Answer
}

func (s *streamingAsker) Ask(ctx context.Context, q bot.Question) (*bot.Answer, error) {
	for i, text := range s.steps {
		q.OnPartial(text)
		if s.wait != nil {
			s.wait(i)
		}
	}
	a := *s.final
	a.Question = q.Text
	return &a, nil
}

func (s *streamingAsker) Latest(context.Context, string, int) ([]bot.Headline, error) {
	return nil, nil
}

func streamedAnswer() *bot.Answer {
	return &bot.Answer{Text: "Witkoff met Putin last week in St. Petersburg, @everyone. [1]", Found: true, Mode: bot.ModeLLM,
		Citations: []bot.Citation{{N: 1, Title: "Top Trump officials will hold talks", Source: "AP", URL: "https://apnews.example/a", Published: published, Paragraph: 6}}}
}

var steps = []string{"Witkoff met", "Witkoff met Putin last week", "Witkoff met Putin last week in St. Petersburg, @everyone."}

func TestStreamingEditsOneMessage(t *testing.T) {
	t.Parallel()
	var fake *discordtest.Server // set before the adapter starts
	asker := &streamingAsker{steps: steps, final: streamedAnswer()}
	asker.wait = func(step int) {
		// Step 0 creates the message; each later step edits it.
		if step == 0 {
			fake.WaitRequests(1, "POST", "/channels/[0-9]+/messages")
		} else {
			fake.WaitRequests(step, "PATCH", "/channels/[0-9]+/messages/[0-9]+")
		}
	}
	h := startWith(t, asker, func(f *discordtest.Server) { fake = f }, nil) // StreamInterval < 0: no throttle
	ch := fake.AddChannel(discordtest.GuildText)
	fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention("who met Putin?")})

	edits := fake.WaitRequests(len(steps), "PATCH", "/channels/"+ch+"/messages/[0-9]+")
	posts := fake.Requests("POST", "/channels/"+ch+"/messages")
	if len(posts) != 1 {
		t.Fatalf("%d messages posted, want 1 edited as the answer grows", len(posts))
	}
	var shown []string
	shown = append(shown, decode(t, posts[0]).Content)
	for _, e := range edits {
		if e.Path != edits[0].Path {
			t.Errorf("edit of %s, want every edit on %s", e.Path, edits[0].Path)
		}
		checkNoMentions(t, e)
		shown = append(shown, decode(t, e).Content)
	}
	checkNoMentions(t, posts[0])
	want := []string{"Witkoff met", "Witkoff met Putin last week", "Witkoff met Putin last week in St. Petersburg, @\u2009everyone.",
		"Witkoff met Putin last week in St. Petersburg, @\u2009everyone. [1]"}
	if strings.Join(shown, "|") != strings.Join(want, "|") {
		t.Errorf("the message showed %q, want %q", shown, want)
	}
	final := decode(t, edits[len(edits)-1])
	if len(final.Embeds) != 1 || !strings.Contains(final.Embeds[0].Description, "[Top Trump officials will hold talks](https://apnews.example/a)") {
		t.Errorf("final edit = %+v, want the sources", final)
	}
	msg := fake.BotMessages(ch)
	if len(msg) != 1 || msg[0]["content"] != want[3] {
		t.Errorf("the channel holds %v", msg)
	}
}

func TestStreamingIsThrottled(t *testing.T) {
	t.Parallel()
	// With an interval longer than the test, only the first partial text is
	// shown before the final answer: the others are coalesced, not sent.
	var fake *discordtest.Server // set before the adapter starts
	asker := &streamingAsker{steps: steps, final: streamedAnswer()}
	asker.wait = func(step int) {
		if step == 0 { // the first partial text is shown at once
			fake.WaitRequests(1, "PATCH", "/webhooks/[0-9]+/[^/]+/messages/@original")
		}
	}
	h := startWith(t, asker, func(f *discordtest.Server) { fake = f }, func(c *discord.Config) { c.StreamInterval = time.Hour })
	ch := h.fake.AddChannel(discordtest.GuildText)
	token := h.fake.Interact(ch, h.alice, "ask", discordtest.Option{Name: "question", Value: "who met Putin?"})
	edits := h.fake.WaitRequests(2, "PATCH", "/webhooks/"+h.fake.AppID+"/"+token+"/messages/@original")
	h.stop()
	edits = h.fake.Requests("PATCH", "/webhooks/"+h.fake.AppID+"/"+token+"/messages/@original")
	if len(edits) != 2 {
		t.Fatalf("%d edits, want 2 (the first partial text, then the answer)", len(edits))
	}
	if got := decode(t, edits[0]).Content; got != "Witkoff met" {
		t.Errorf("first edit = %q", got)
	}
	if got := decode(t, edits[1]); !strings.HasSuffix(got.Content, "[1]") || len(got.Embeds) != 1 {
		t.Errorf("final edit = %+v", got)
	}
}
