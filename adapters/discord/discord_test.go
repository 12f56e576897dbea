package discord_test

import (
	"strings"
	"testing"

	"github.com/newsbot/newsbot/adapters/discord"
	"github.com/newsbot/newsbot/adapters/discord/discordtest"
	"github.com/newsbot/newsbot/bot"
)

func TestMentionGetsCitedAnswer(t *testing.T) {
	t.Parallel()
	h := start(t, newsBot(t), nil)
	ch := h.fake.AddChannel(discordtest.GuildText)
	q := h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention("Who met Vladimir Putin last week?")})

	got := h.posted(1, ch)
	p := decode(t, got[0])
	if !strings.Contains(p.Content, "Witkoff met last week with Russian President Vladimir Putin") || !strings.Contains(p.Content, "[1]") {
		t.Errorf("content = %q, want the quote and its marker", p.Content)
	}
	if len(p.Embeds) != 1 || p.Embeds[0].Title != "Sources" || !strings.Contains(p.Embeds[0].Description, "**[1]** Top Trump officials will hold talks") ||
		!strings.Contains(p.Embeds[0].Description, "AP, 16 Apr 2025, paragraph 6") {
		t.Errorf("embeds = %+v, want the source with outlet, date and paragraph", p.Embeds)
	}
	if p.Reference == nil || p.Reference.MessageID != q {
		t.Errorf("message_reference = %+v, want a reply to %s", p.Reference, q)
	}
	checkNoMentions(t, got[0])
	golden(t, "mention.json", indent(t, got[0].Body))
}

func TestDirectMessage(t *testing.T) {
	t.Parallel()
	h := start(t, newsBot(t), nil)
	dm := h.fake.AddChannel(discordtest.DM)
	h.fake.Post(discordtest.Say{Channel: dm, Author: h.bob, Content: "Where were earlier rounds of negotiations held?"})
	p := decode(t, h.posted(1, dm)[0])
	if !strings.Contains(p.Content, "Saudi Arabia") || len(p.Embeds) != 1 {
		t.Errorf("DM answer = %+v", p)
	}
}

func TestIgnoresBotsAndUnaddressedMessages(t *testing.T) {
	t.Parallel()
	h := start(t, newsBot(t), nil)
	ch := h.fake.AddChannel(discordtest.GuildText)
	self := discordtest.User(h.fake.BotID, "newsbot")
	self["bot"] = true
	other := discordtest.User("300000000000000009", "otherbot")
	other["bot"] = true
	h.fake.Post(discordtest.Say{Channel: ch, Author: self, Content: h.mention("Who met Putin?")})
	h.fake.Post(discordtest.Say{Channel: ch, Author: other, Content: h.mention("Who met Putin?")})
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: "Who met Putin? (not asking the bot)"})
	// A question after them: once it is answered, the others were not.
	q := h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention("Who met Vladimir Putin?")})
	got := h.posted(1, ch)
	if p := decode(t, got[0]); len(got) != 1 || p.Reference.MessageID != q {
		t.Errorf("bot posted %d messages, first replying to %v; want only the answer to %s", len(got), p.Reference, q)
	}
}

func TestAskCommandIsDeferredThenCompleted(t *testing.T) {
	t.Parallel()
	h := start(t, newsBot(t), nil)
	ch := h.fake.AddChannel(discordtest.GuildText)
	token := h.fake.Interact(ch, h.alice, "ask", discordtest.Option{Name: "question", Value: "Where were earlier rounds of negotiations held?"})

	edits := h.fake.WaitRequests(1, "PATCH", "/webhooks/"+h.fake.AppID+"/"+token+"/messages/@original")
	callbacks := h.fake.Requests("POST", `/interactions/\d+/`+token+"/callback")
	if len(callbacks) != 1 || !strings.Contains(string(callbacks[0].Body), `"type":5`) || callbacks[0].Status != 204 {
		t.Fatalf("callbacks = %+v, want one deferred response (type 5)", callbacks)
	}
	if responded, deferred, ephemeral, _ := h.fake.Interaction(token); !responded || !deferred || ephemeral {
		t.Errorf("interaction responded=%v deferred=%v ephemeral=%v, want a public deferred response", responded, deferred, ephemeral)
	}
	p := decode(t, edits[0])
	if edits[0].Status != 200 || !strings.Contains(p.Content, "Saudi Arabia") || len(p.Embeds) != 1 {
		t.Errorf("edit = %d %+v", edits[0].Status, p)
	}
	checkNoMentions(t, edits[0])
	golden(t, "ask_edit.json", indent(t, edits[0].Body))
}

func TestAskPrivateIsEphemeral(t *testing.T) {
	t.Parallel()
	h := start(t, &fixedAsker{answer: longAnswer()}, nil)
	ch := h.fake.AddChannel(discordtest.GuildText)
	token := h.fake.Interact(ch, h.alice, "ask",
		discordtest.Option{Name: "question", Value: "what happened?"}, discordtest.Option{Name: "private", Value: true})
	follow := h.fake.WaitRequests(2, "POST", "/webhooks/"+h.fake.AppID+"/"+token)
	if _, deferred, ephemeral, _ := h.fake.Interaction(token); !deferred || !ephemeral {
		t.Errorf("deferred=%v ephemeral=%v, want an ephemeral deferred response", deferred, ephemeral)
	}
	for _, f := range follow {
		if p := decode(t, f); p.Flags&64 == 0 || f.Query != "wait=true" {
			t.Errorf("follow-up flags=%d query=%q, want ephemeral (64) and wait=true", p.Flags, f.Query)
		}
	}
}

func TestNewsLatestAndHelp(t *testing.T) {
	t.Parallel()
	h := start(t, newsBot(t), nil)
	ch := h.fake.AddChannel(discordtest.GuildText)
	token := h.fake.Interact(ch, h.alice, "news", discordtest.Option{Name: "latest"})
	edit := h.fake.WaitRequests(1, "PATCH", "/webhooks/"+h.fake.AppID+"/"+token+"/messages/@original")[0]
	p := decode(t, edit)
	if len(p.Embeds) != 1 || p.Embeds[0].Title != "Latest news" ||
		!strings.Contains(p.Embeds[0].Description, "1. Top Trump officials will hold talks with Europeans on the Russia-Ukraine war — AP, 16 Apr 2025\n") ||
		!strings.Contains(p.Embeds[0].Description, "2. [Riverside braces for the flood crest](https://gazette.example/2025/04/15/flood-crest) — Riverside Gazette, 15 Apr 2025") {
		t.Errorf("latest = %+v", p)
	}
	golden(t, "latest.json", indent(t, edit.Body))

	token = h.fake.Interact(ch, h.alice, "news", discordtest.Option{Name: "latest", Options: []discordtest.Option{{Name: "topic", Value: "flood"}}})
	p = decode(t, h.fake.WaitRequests(1, "PATCH", "/webhooks/"+h.fake.AppID+"/"+token+"/messages/@original")[0])
	if len(p.Embeds) != 1 || p.Embeds[0].Title != "Latest news about “flood”" || strings.Contains(p.Embeds[0].Description, "Trump") {
		t.Errorf("latest about flood = %+v", p)
	}

	token = h.fake.Interact(ch, h.alice, "news", discordtest.Option{Name: "help"})
	cb := h.fake.WaitRequests(1, "POST", `/interactions/\d+/`+token+"/callback")[0]
	var help struct {
		Type int     `json:"type"`
		Data payload `json:"data"`
	}
	decodeInto(t, cb.Body, &help)
	if help.Type != 4 || help.Data.Flags != ephemeral|suppressEmbeds || !strings.Contains(help.Data.Content, "/ask question:") {
		t.Errorf("help = %+v, want an immediate ephemeral message without link previews", help)
	}
	checkNoMentions(t, cb)
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	h := start(t, newsBot(t), func(c *discord.Config) { c.RateLimit = 1 })
	ch := h.fake.AddChannel(discordtest.GuildText)
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention("Who met Vladimir Putin?")})
	h.posted(1, ch)
	second := h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention("Where were the negotiations held?")})
	got := h.posted(2, ch)
	p := decode(t, got[1])
	if !strings.HasPrefix(p.Content, "You're asking faster than I can read the news.") || p.Reference.MessageID != second || len(p.Embeds) != 0 {
		t.Errorf("second answer = %+v, want the rate limit message", p)
	}
	checkNoMentions(t, got[1])

	// Over /ask too: an immediate ephemeral message, no deferral.
	token := h.fake.Interact(ch, h.alice, "ask", discordtest.Option{Name: "question", Value: "Who met Putin?"})
	cb := h.fake.WaitRequests(1, "POST", `/interactions/\d+/`+token+"/callback")[0]
	var resp struct {
		Type int     `json:"type"`
		Data payload `json:"data"`
	}
	decodeInto(t, cb.Body, &resp)
	if resp.Type != 4 || resp.Data.Flags != ephemeral|suppressEmbeds || !strings.Contains(resp.Data.Content, "faster than I can read") {
		t.Errorf("/ask when limited = %s", cb.Body)
	}
	// Another user is not limited.
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.bob, Content: h.mention("Who met Vladimir Putin?")})
	if p := decode(t, h.posted(3, ch)[2]); !strings.Contains(p.Content, "Putin") {
		t.Errorf("bob's answer = %q", p.Content)
	}
}

func TestErrorsAreShortAndLogged(t *testing.T) {
	t.Parallel()
	h := start(t, &fixedAsker{err: errStore}, nil)
	ch := h.fake.AddChannel(discordtest.GuildText)
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention("anything?")})
	p := decode(t, h.posted(1, ch)[0])
	if p.Content != bot.UserMessage(errStore) {
		t.Errorf("content = %q, want %q", p.Content, bot.UserMessage(errStore))
	}
	h.fake.WaitFor("log", func() bool { return strings.Contains(h.log.String(), "disk on fire") })

	// An empty mention gets the hint, and is not logged as an error.
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention("")})
	if p := decode(t, h.posted(2, ch)[1]); p.Content != bot.UserMessage(bot.ErrEmptyQuestion) {
		t.Errorf("empty question answer = %q", p.Content)
	}
}
