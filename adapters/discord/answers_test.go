package discord_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/adapters/discord/discordtest"
	"github.com/newsbot/newsbot/bot"
)

// words returns the words of s, ignoring the zero-width spaces and angle
// brackets the adapter adds.
func words(s string) []string {
	s = strings.NewReplacer("\u2009", "", "<https://", "https://", "> ", " ").Replace(s)
	return strings.Fields(s)
}

func TestLongAnswerIsSplitWithCitationsIntact(t *testing.T) {
	t.Parallel()
	ans := longAnswer()
	if n := len(ans.Text); n < 5000 {
		t.Fatalf("answer is %d characters, want 5,000", n)
	}
	h := start(t, &fixedAsker{answer: ans}, nil)
	ch := h.fake.AddChannel(discordtest.GuildText)
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention("Tell me everything")})
	got := h.posted(3, ch)
	var all []string
	for i, r := range got {
		if r.Status != 200 {
			t.Fatalf("message %d: status %d (the fake enforces Discord's limits)", i+1, r.Status)
		}
		checkNoMentions(t, r)
		p := decode(t, r)
		if n := len([]rune(p.Content)); n > 2000 || n < 1000 {
			t.Errorf("message %d has %d characters, want 1,000 to 2,000", i+1, n)
		}
		if regexp.MustCompile(`^\[\d+\]`).MatchString(p.Content) {
			t.Errorf("message %d starts with a citation marker cut from its sentence: %.40q", i+1, p.Content)
		}
		if !regexp.MustCompile(`(\.|\[\d\]|More\.)$`).MatchString(p.Content) {
			t.Errorf("message %d does not end at a sentence: …%q", i+1, p.Content[len(p.Content)-40:])
		}
		if (i == 0) != (p.Reference != nil) {
			t.Errorf("message %d: reference %v, want only the first to reply", i+1, p.Reference)
		}
		if (i == len(got)-1) != (len(p.Embeds) == 1) {
			t.Errorf("message %d has %d embeds, want the sources on the last only", i+1, len(p.Embeds))
		}
		all = append(all, words(p.Content)...)
	}
	if want := words(ans.Text); strings.Join(all, " ") != strings.Join(want, " ") {
		t.Errorf("the messages do not add up to the answer:\n got %q\nwant %q", strings.Join(all, " "), strings.Join(want, " "))
	}
	last := decode(t, got[len(got)-1])
	for _, c := range ans.Citations {
		line := "**[" + string(rune('0'+c.N)) + "]** [" + c.Title + "](" + c.URL + ") — AP, 16 Apr 2025, paragraph "
		if !strings.Contains(last.Embeds[0].Description, line) {
			t.Errorf("sources lack citation %d (%q):\n%s", c.N, line, last.Embeds[0].Description)
		}
	}
	var bodies []json.RawMessage
	for _, r := range got {
		bodies = append(bodies, r.Body)
	}
	b, _ := json.Marshal(bodies)
	golden(t, "long_answer.json", indent(t, b))

	// The same answer to /ask: the deferred response is edited, the rest
	// are follow-ups.
	token := h.fake.Interact(ch, h.bob, "ask", discordtest.Option{Name: "question", Value: "Tell me everything"})
	follow := h.fake.WaitRequests(2, "POST", "/webhooks/"+h.fake.AppID+"/"+token)
	edit := h.fake.Requests("PATCH", "/webhooks/"+h.fake.AppID+"/"+token+"/messages/@original")
	if len(edit) != 1 || edit[0].Status != 200 || follow[0].Status != 200 || follow[1].Status != 200 {
		t.Fatalf("edit %+v, follow-ups %+v", edit, follow)
	}
	if p := decode(t, follow[1]); len(p.Embeds) != 1 || p.Flags != 0 {
		t.Errorf("last follow-up = %+v, want the sources, not ephemeral", p)
	}
}

func TestNoMentionEverPings(t *testing.T) {
	t.Parallel()
	h := start(t, newsBot(t), nil)
	ch := h.fake.AddChannel(discordtest.GuildText)
	// @everyone in the question, and in the source paragraph quoted.
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention("@everyone what did Mayor Ortiz urge residents of the lower wards to do?")})
	got := h.posted(1, ch)
	p := decode(t, got[0])
	if !strings.Contains(p.Content, "posted a message to @\u2009everyone in the town") {
		t.Errorf("content = %q, want the quote with @everyone neutralised", p.Content)
	}
	if !strings.Contains(p.Embeds[0].Description, "[Riverside braces for the flood crest](https://gazette.example/2025/04/15/flood-crest) — Riverside Gazette, 15 Apr 2025, paragraph 2") {
		t.Errorf("sources = %q", p.Embeds[0].Description)
	}
	checkNoMentions(t, got[0])

	// A fake answer full of mentions, in the text and in the sources.
	evil := &bot.Answer{Text: "Hey @here and @everyone, <@300000000000000002> and <@&400000000000000001> and <@!300000000000000001> said so. [1]", Found: true,
		Citations: []bot.Citation{{N: 1, Title: "@everyone <@&400000000000000001> [wins]", Source: "@here News", URL: "https://example.com/a_(b)", Published: published, Paragraph: 1}}}
	h2 := start(t, &fixedAsker{answer: evil}, nil)
	ch2 := h2.fake.AddChannel(discordtest.GuildText)
	h2.fake.Post(discordtest.Say{Channel: ch2, Author: h2.alice, Content: h2.mention("who said so?")})
	token := h2.fake.Interact(ch2, h2.bob, "ask", discordtest.Option{Name: "question", Value: "@everyone who said so?"})
	h2.posted(1, ch2)
	h2.fake.WaitRequests(1, "PATCH", "/webhooks/"+h2.fake.AppID+"/"+token+"/messages/@original")
	for _, fake := range []*discordtest.Server{h.fake, h2.fake} {
		for _, method := range []string{"POST", "PATCH"} {
			for _, r := range fake.Requests(method, "/.*") {
				if regexp.MustCompile(`(?i)@(everyone|here)|<@[!&]?\d`).Match(r.Body) {
					t.Errorf("%s %s carries a live mention: %s", r.Method, r.Path, r.Body)
				}
				if strings.Contains(r.Path, "/messages") {
					checkNoMentions(t, r)
				}
			}
		}
	}
	p = decode(t, h2.posted(1, ch2)[0])
	if want := "Hey @\u2009here and @\u2009everyone, <@\u2009300000000000000002> and <@\u2009&400000000000000001> and <@\u2009!300000000000000001> said so. [1]"; p.Content != want {
		t.Errorf("content = %q, want %q", p.Content, want)
	}
	if want := `**[1]** [@` + "\u2009" + `everyone \<@` + "\u2009" + `&400000000000000001\> \[wins\]](https://example.com/a_%28b%29) — @` + "\u2009" + `here News, 16 Apr 2025, paragraph 1`; p.Embeds[0].Description != want {
		t.Errorf("sources = %q, want %q", p.Embeds[0].Description, want)
	}
}

func TestFollowUps(t *testing.T) {
	t.Parallel()
	rec := &recorder{Bot: newsBot(t)}
	h := start(t, rec, nil)

	// In a thread: a second question is a follow-up of the first.
	thread := h.fake.AddChannel(discordtest.PublicThread)
	h.fake.Post(discordtest.Say{Channel: thread, Author: h.alice, Content: h.mention("Who met Vladimir Putin last week?")})
	h.posted(1, thread)
	h.fake.Post(discordtest.Say{Channel: thread, Author: h.bob, Content: h.mention("and where were the earlier rounds held?")})
	p := decode(t, h.posted(2, thread)[1])
	qs := rec.asked()
	if len(qs) != 2 || len(qs[1].History) != 1 || qs[1].History[0] != "Who met Vladimir Putin last week?" {
		t.Fatalf("questions = %+v, want the second with the first as history", qs)
	}
	if !strings.Contains(p.Content, "Saudi Arabia") {
		t.Errorf("follow-up answer = %q", p.Content)
	}

	// In a channel: a new mention starts afresh; a reply to the bot's
	// answer (pinging it, Discord's default) continues.
	ch := h.fake.AddChannel(discordtest.GuildText)
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention("What did Mayor Ortiz urge residents to do?")})
	h.posted(1, ch)
	answer := h.fake.BotMessages(ch)
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, ReplyTo: answer[0]["id"].(string), PingReply: true, Content: "where have shelters opened?"})
	h.posted(2, ch)
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.bob, Content: h.mention("Who met Vladimir Putin?")})
	h.posted(3, ch)
	qs = rec.asked()
	if len(qs) != 5 {
		t.Fatalf("%d questions, want 5", len(qs))
	}
	if len(qs[2].History) != 0 {
		t.Errorf("a new mention in a channel has history %q, want none", qs[2].History)
	}
	if len(qs[3].History) != 1 || qs[3].History[0] != "What did Mayor Ortiz urge residents to do?" {
		t.Errorf("the reply has history %q, want the question answered", qs[3].History)
	}
	if len(qs[4].History) != 0 {
		t.Errorf("another mention in the channel has history %q, want none", qs[4].History)
	}
	// A reply without a ping: without the Message Content intent Discord
	// sends no text, so the bot cannot answer it and stays quiet; the next
	// question is still answered.
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, ReplyTo: answer[0]["id"].(string), Content: "thanks!"})
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.bob, Content: h.mention("Who met Vladimir Putin?")})
	h.posted(4, ch)
	if n := len(rec.asked()); n != 6 {
		t.Errorf("%d questions, want 6 (the unpinged reply ignored)", n)
	}
}

func TestMessageContentIntentAnswersUnpingedReplies(t *testing.T) {
	t.Parallel()
	rec := &recorder{Bot: newsBot(t)}
	h := startWith(t, rec, func(f *discordtest.Server) { f.AllowMessageContent = true }, func(c *configT) { c.MessageContent = true })
	if ids := h.fake.Identifies(); ids[0].Intents != 1<<9|1<<12|1<<15 {
		t.Errorf("intents = %d, want guild messages, DMs and message content", ids[0].Intents)
	}
	ch := h.fake.AddChannel(discordtest.GuildText)
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention("What did Mayor Ortiz urge residents to do?")})
	h.posted(1, ch)
	answer := h.fake.BotMessages(ch)[0]["id"].(string)
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, ReplyTo: answer, Content: "where have shelters opened?"})
	p := decode(t, h.posted(2, ch)[1])
	if qs := rec.asked(); len(qs) != 2 || len(qs[1].History) != 1 || !strings.Contains(p.Content, "high school") {
		t.Errorf("questions %+v, answer %q; want the unpinged reply answered as a follow-up", qs, p.Content)
	}
	// Plain messages in the channel are still not questions.
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.bob, Content: "Who met Vladimir Putin?"})
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.bob, Content: h.mention("Who met Vladimir Putin?")})
	h.posted(3, ch)
	if n := len(rec.asked()); n != 3 {
		t.Errorf("%d questions, want 3", n)
	}
}
