package discord_test

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsbot/newsbot/adapters/discord"
	"github.com/newsbot/newsbot/adapters/discord/discordtest"
	"github.com/newsbot/newsbot/bot"
)

// Tests of what makes newsbot native in Discord: the message command, user
// installs, threads known from the interaction, typing only when slow, no
// link previews, and autocompletion.

// claim is a message someone posts, which others ask newsbot about.
const claim = "<@300000000000000002> says Witkoff met Putin last week and @everyone knows the earlier rounds of negotiations were held in Saudi Arabia https://rumours.example/x"

// claimQuestion is what the bot is asked about it: the claim, without the
// mentions and the link (which the search of the news would look for too).
const claimQuestion = "says Witkoff met Putin last week and knows the earlier rounds of negotiations were held in Saudi Arabia"

// response decodes an interaction response (a callback or the body of an
// HTTP response).
type response struct {
	Type int `json:"type"`
	Data struct {
		payload
		Choices []discordtest.Choice `json:"choices"`
	} `json:"data"`
}

func decodeResponse(t *testing.T, raw []byte) response {
	t.Helper()
	var r response
	decodeInto(t, raw, &r)
	return r
}

// edits waits for the edit of an interaction's response.
func (h *harness) edit(token string) discordtest.Request {
	return h.fake.WaitRequests(1, "PATCH", "/webhooks/"+h.fake.AppID+"/"+token+"/messages/@original")[0]
}

// checkNoChannelCalls fails when the adapter called a channel endpoint
// (which needs the bot in the server).
func checkNoChannelCalls(t *testing.T, f *discordtest.Server) {
	t.Helper()
	for _, m := range []string{"GET", "POST", "PATCH"} {
		if rs := f.Requests(m, "/channels/.*"); len(rs) > 0 {
			t.Errorf("%d %s requests on channels, e.g. %s (status %d)", len(rs), m, rs[0].Path, rs[0].Status)
		}
	}
}

func TestMessageCommandOverTheGateway(t *testing.T) {
	t.Parallel()
	rec := &recorder{Bot: newsBot(t)}
	h := start(t, rec, nil)
	f := h.fake
	ch := f.AddChannel(discordtest.GuildText)
	// Without the Message Content intent the bot receives this message
	// with no text (it does not mention the bot) and ignores it; the
	// message command brings its content.
	target := f.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: claim})
	cmd := f.MessageCommand(ch, h.bob, "Ask newsbot", target)
	f.Dispatch("INTERACTION_CREATE", cmd)
	token := cmd["token"].(string)

	edit := h.edit(token)
	cb := f.Requests("POST", `/interactions/\d+/`+token+"/callback")
	if len(cb) != 1 || decodeResponse(t, cb[0].Body).Type != 5 {
		t.Fatalf("callbacks = %+v, want one deferred response", cb)
	}
	if qs := rec.asked(); len(qs) != 1 || qs[0].Text != claimQuestion || len(qs[0].History) != 0 {
		t.Errorf("asked %+v, want the message's text as a new question", qs)
	}
	p := decode(t, edit)
	head := "About [this message](<https://discord.com/channels/" + f.GuildID + "/" + ch + "/" + target + ">): “@user002 says Witkoff met Putin last week and @\u2009everyone knows the earlier rounds of negotiations…”\n"
	if !strings.HasPrefix(p.Content, head) || !strings.Contains(p.Content, "Saudi Arabia") {
		t.Errorf("content = %q, want the head %q and the answer", p.Content, head)
	}
	if len(p.Embeds) != 1 || p.Embeds[0].Title != "Sources" || p.Flags != 0 {
		t.Errorf("embeds %+v flags %d, want the sources and no SUPPRESS_EMBEDS", p.Embeds, p.Flags)
	}
	checkNoMentions(t, edit)
	if n := len(f.LinkPreviews(ch)); n != 0 {
		t.Errorf("%d link previews", n)
	}
	golden(t, "message_command.json", indent(t, edit.Body))

	// A reply to the answer continues its conversation (known from the
	// answer's interaction_metadata even before, or without, the adapter
	// remembering the answer's id).
	answer := f.BotMessages(ch)[0]["id"].(string)
	if meta, _ := f.Message(answer)["interaction_metadata"].(map[string]any); meta["id"] != cmd["id"] {
		t.Errorf("the answer's interaction_metadata = %v, want the interaction's id", meta)
	}
	f.Post(discordtest.Say{Channel: ch, Author: h.bob, ReplyTo: answer, PingReply: true, Content: "who else was there?"})
	h.posted(1, ch)
	if qs := rec.asked(); len(qs) != 2 || len(qs[1].History) != 1 || qs[1].History[0] != claimQuestion {
		t.Errorf("follow-up asked %+v, want the message's text as history", qs)
	}
}

func TestMessageCommandWithoutText(t *testing.T) {
	t.Parallel()
	h := start(t, &fixedAsker{answer: longAnswer()}, nil)
	ch := h.fake.AddChannel(discordtest.GuildText)
	target := h.fake.Store(discordtest.Say{Channel: ch, Author: h.alice, Content: "   "})
	cmd := h.fake.MessageCommand(ch, h.bob, "Ask newsbot", target)
	h.fake.Dispatch("INTERACTION_CREATE", cmd)
	cb := h.fake.WaitRequests(1, "POST", `/interactions/\d+/`+cmd["token"].(string)+"/callback")[0]
	if r := decodeResponse(t, cb.Body); r.Type != 4 || r.Data.Flags&ephemeral == 0 || !strings.Contains(r.Data.Content, "no text") {
		t.Errorf("response = %s, want an ephemeral explanation", cb.Body)
	}
}

// TestMessageCommandTranscript uses the message command where a user
// installed the app — a group DM the bot is not in — with the HTTP
// interactions endpoint alone (no bot token), and keeps what went over the
// wire in testdata/message_command.golden.
func TestMessageCommandTranscript(t *testing.T) {
	t.Parallel()
	key := ed25519.NewKeyFromSeed([]byte(strings.Repeat("k", ed25519.SeedSize)))
	h := start(t, newsBot(t), func(c *discord.Config) { c.Token, c.PublicKey = "", key.Public().(ed25519.PublicKey) })
	f := h.fake
	srv := httptest.NewServer(h.a.InteractionsHandler())
	defer srv.Close()
	group := f.AddForeignChannel(discordtest.GroupDM)
	target := f.Store(discordtest.Say{Channel: group, Author: h.alice, Content: "Mayor Ortiz told everyone to stay put in the lower wards, right?"})
	cmd := f.MessageCommand(group, h.bob, "Ask newsbot", target)
	if cmd["context"] != 2 || fmt.Sprint(cmd["authorizing_integration_owners"]) != "map[1:"+h.bob["id"].(string)+"]" {
		t.Fatalf("payload context %v owners %v, want a user install in a private channel", cmd["context"], cmd["authorizing_integration_owners"])
	}
	if code, body := f.Deliver(srv.URL, key, time.Now(), cmd); code != 200 || decodeResponse(t, body).Type != 5 {
		t.Fatalf("endpoint: %d %s, want a deferred response", code, body)
	}
	edit := h.edit(cmd["token"].(string))
	p := decode(t, edit)
	if !strings.HasPrefix(p.Content, "About [this message](<https://discord.com/channels/@me/"+group+"/"+target+">)") ||
		!strings.Contains(p.Content, "move to higher ground") || len(p.Embeds) != 1 {
		t.Errorf("answer = %+v", p)
	}
	checkNoChannelCalls(t, f)
	msgs := f.BotMessages(group)
	if len(msgs) != 1 || len(msgs[0]["embeds"].([]map[string]any)) != 1 {
		t.Errorf("the group DM shows %+v, want the answer with its sources", msgs)
	}
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	golden(t, "message_command.golden", f.Transcript())
}

func TestUserInstallAnswersWhereTheBotIsNot(t *testing.T) {
	t.Parallel()
	rec := &recorder{Bot: newsBot(t)}
	h := start(t, rec, nil) // with a token: the adapter could call channel endpoints, and must not
	f := h.fake
	for _, kind := range []int{discordtest.GuildText, discordtest.PublicThread, discordtest.GroupDM, discordtest.DM} {
		ch := f.AddForeignChannel(kind)
		token := f.Interact(ch, h.alice, "ask", discordtest.Option{Name: "question", Value: "Where were earlier rounds of negotiations held?"})
		if p := decode(t, h.edit(token)); !strings.Contains(p.Content, "Saudi Arabia") {
			t.Errorf("channel type %d: answer %q", kind, p.Content)
		}
		token = f.Interact(ch, h.alice, "news", discordtest.Option{Name: "latest"})
		if p := decode(t, h.edit(token)); len(p.Embeds) != 1 {
			t.Errorf("channel type %d: latest %+v", kind, p)
		}
	}
	checkNoChannelCalls(t, f)

	// In a group DM each user has their own conversation.
	group := f.AddForeignChannel(discordtest.GroupDM)
	for _, u := range []map[string]any{h.alice, h.alice, h.bob} {
		h.edit(f.Interact(group, u, "ask", discordtest.Option{Name: "question", Value: "Who met Vladimir Putin last week?"}))
	}
	qs := rec.asked()
	qs = qs[len(qs)-3:]
	if len(qs[0].History) != 0 || len(qs[1].History) != 1 || len(qs[2].History) != 0 {
		t.Errorf("histories %d %d %d, want 0 1 0 (alice twice, then bob)", len(qs[0].History), len(qs[1].History), len(qs[2].History))
	}
}

func TestThreadsKnownFromTheInteraction(t *testing.T) {
	t.Parallel()
	key := ed25519.NewKeyFromSeed([]byte(strings.Repeat("t", ed25519.SeedSize)))
	rec := &recorder{Bot: newsBot(t)}
	// The HTTP endpoint alone: no token, so no way to look a channel up.
	h := start(t, rec, func(c *discord.Config) { c.Token, c.PublicKey = "", key.Public().(ed25519.PublicKey) })
	srv := httptest.NewServer(h.a.InteractionsHandler())
	defer srv.Close()
	for _, kind := range []int{discordtest.AnnouncementThread, discordtest.PublicThread, discordtest.PrivateThread, discordtest.GuildText} {
		ch := h.fake.AddChannel(kind)
		for _, q := range []string{"Who met Vladimir Putin last week?", "and where were the earlier rounds held?"} {
			cmd := h.fake.Command(ch, h.alice, "ask", discordtest.Option{Name: "question", Value: q})
			if code, _ := h.fake.Deliver(srv.URL, key, time.Now(), cmd); code != 200 {
				t.Fatalf("endpoint: %d", code)
			}
			h.edit(cmd["token"].(string))
		}
		qs := rec.asked()
		thread := kind != discordtest.GuildText
		if got := len(qs[len(qs)-1].History) == 1; got != thread {
			t.Errorf("channel type %d: second question has history %v, want %v", kind, qs[len(qs)-1].History, thread)
		}
	}
	checkNoChannelCalls(t, h.fake)
}

func TestThreadsOverTheGatewayNeedNoLookup(t *testing.T) {
	t.Parallel()
	rec := &recorder{Bot: newsBot(t)}
	h := start(t, rec, nil)
	thread := h.fake.AddChannel(discordtest.PublicThread)
	h.edit(h.fake.Interact(thread, h.alice, "ask", discordtest.Option{Name: "question", Value: "Who met Vladimir Putin last week?"}))
	// A mention in the same thread continues the conversation, and the
	// thread is known from the interaction.
	h.fake.Post(discordtest.Say{Channel: thread, Author: h.bob, Content: h.mention("and where were the earlier rounds held?")})
	h.posted(1, thread)
	if qs := rec.asked(); len(qs) != 2 || len(qs[1].History) != 1 {
		t.Errorf("questions %+v, want the mention as a follow-up", qs)
	}
	if n := len(h.fake.Requests("GET", "/channels/.*")); n != 0 {
		t.Errorf("%d channel lookups, want none", n)
	}
}

// slowAsker answers once release is closed.
type slowAsker struct {
	fixedAsker
	release chan struct{}
}

func (s *slowAsker) Ask(ctx context.Context, q bot.Question) (*bot.Answer, error) {
	<-s.release
	return s.fixedAsker.Ask(ctx, q)
}

func TestTypingOnlyWhenSlow(t *testing.T) {
	t.Parallel()
	t.Run("fast", func(t *testing.T) {
		t.Parallel()
		h := start(t, &fixedAsker{answer: streamedAnswer()}, nil) // the default: typing after a second
		ch := h.fake.AddChannel(discordtest.GuildText)
		asked := time.Now()
		h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention("who met Putin?")})
		h.posted(1, ch)
		took := time.Since(asked)
		time.Sleep(1500 * time.Millisecond) // past the delay: the timer was stopped
		n := len(h.fake.Requests("POST", "/channels/"+ch+"/typing"))
		switch {
		case took >= time.Second:
			t.Skipf("the answer took %v on this machine, more than the delay", took)
		case n != 0:
			t.Errorf("%d typing requests for an answer ready in %v, want 0", n, took)
		}
	})
	t.Run("slow", func(t *testing.T) {
		t.Parallel()
		asker := &slowAsker{fixedAsker: fixedAsker{answer: streamedAnswer()}, release: make(chan struct{})}
		h := start(t, asker, func(c *discord.Config) { c.TypingDelay = 20 * time.Millisecond })
		ch := h.fake.AddChannel(discordtest.GuildText)
		h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention("who met Putin?")})
		h.fake.WaitRequests(1, "POST", "/channels/"+ch+"/typing")
		if n := len(h.fake.Requests("POST", "/channels/"+ch+"/messages")); n != 0 {
			t.Errorf("answer posted before the typing indicator")
		}
		close(asker.release)
		h.posted(1, ch)
		if n := len(h.fake.Requests("POST", "/channels/"+ch+"/typing")); n != 1 {
			t.Errorf("%d typing requests, want 1", n)
		}
	})
}

// linkAnswer is an answer of two messages whose text has bare links in
// both.
func linkAnswer() *bot.Answer {
	a := longAnswer()
	a.Text = "See https://example.com/first for the start. " + strings.Repeat("The talks went on in Paris and Riyadh for days. ", 45) +
		"\n\nThe report is at https://example.com/report?id=1 (the full text). [1]"
	return a
}

func TestNoLinkPreviews(t *testing.T) {
	t.Parallel()
	h := start(t, &fixedAsker{answer: linkAnswer()}, nil)
	ch := h.fake.AddChannel(discordtest.GuildText)
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention("what is in the report?")})
	got := h.posted(2, ch)
	first, last := decode(t, got[0]), decode(t, got[1])
	// Text alone: SUPPRESS_EMBEDS, links as they are.
	if first.Flags != suppressEmbeds || !strings.Contains(first.Content, "See https://example.com/first for") || len(first.Embeds) != 0 {
		t.Errorf("first message flags %d content %.60q, want SUPPRESS_EMBEDS and the bare link", first.Flags, first.Content)
	}
	// With the sources: no flag (it would hide them), links in <…>.
	if last.Flags != 0 || !strings.Contains(last.Content, "<https://example.com/report?id=1>") || len(last.Embeds) != 1 {
		t.Errorf("last message flags %d content %q, want no flag, the link in <…> and the sources", last.Flags, last.Content)
	}
	if p := h.fake.LinkPreviews(ch); len(p) != 0 {
		t.Errorf("link previews shown: %v", p)
	}
	msgs := h.fake.BotMessages(ch)
	if es := msgs[len(msgs)-1]["embeds"].([]map[string]any); len(es) != 1 || es[0]["title"] != "Sources" {
		t.Errorf("the last message shows embeds %v, want the sources", es)
	}
	golden(t, "link_answer.json", indent(t, []byte("["+string(got[0].Body)+","+string(got[1].Body)+"]")))

	// Rate limit and help messages, ephemeral follow-ups: text alone.
	token := h.fake.Interact(ch, h.bob, "ask", discordtest.Option{Name: "question", Value: "what is in the report?"}, discordtest.Option{Name: "private", Value: true})
	follow := h.fake.WaitRequests(1, "POST", "/webhooks/"+h.fake.AppID+"/"+token)
	if p := decode(t, follow[0]); p.Flags != ephemeral || len(p.Embeds) != 1 {
		t.Errorf("last follow-up flags %d, want ephemeral without SUPPRESS_EMBEDS (it has the sources)", p.Flags)
	}
	if p := decode(t, h.edit(token)); p.Flags != suppressEmbeds {
		t.Errorf("edited response flags %d, want SUPPRESS_EMBEDS (text alone)", p.Flags)
	}
}

func TestStreamedAnswerKeepsItsSources(t *testing.T) {
	t.Parallel()
	var fake *discordtest.Server
	steps := []string{"Witkoff met Putin, see https://example.com/x", "Witkoff met Putin last week, see https://example.com/x"}
	asker := &streamingAsker{steps: steps, final: streamedAnswer()}
	asker.wait = func(step int) {
		if step == 0 {
			fake.WaitRequests(1, "POST", "/channels/[0-9]+/messages")
		} else {
			fake.WaitRequests(step, "PATCH", "/channels/[0-9]+/messages/[0-9]+")
		}
	}
	h := startWith(t, asker, func(f *discordtest.Server) { fake = f }, nil)
	ch := fake.AddChannel(discordtest.GuildText)
	fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention("who met Putin?")})
	edits := fake.WaitRequests(2, "PATCH", "/channels/"+ch+"/messages/[0-9]+")
	if p := decode(t, h.posted(1, ch)[0]); p.Flags != suppressEmbeds {
		t.Errorf("partial answer flags %d, want SUPPRESS_EMBEDS", p.Flags)
	}
	var final map[string]any
	decodeInto(t, edits[1].Body, &final)
	if final["flags"] != 0.0 {
		t.Errorf("final edit flags = %v, want 0 sent (lifting SUPPRESS_EMBEDS)", final["flags"])
	}
	msg := fake.BotMessages(ch)[0]
	if es := msg["embeds"].([]map[string]any); len(es) != 1 || es[0]["title"] != "Sources" {
		t.Errorf("the answer shows embeds %v, want its sources", es)
	}
	if p := fake.LinkPreviews(ch); len(p) != 0 {
		t.Errorf("link previews: %v", p)
	}
}

// headlinesAsker serves headlines (and answers nothing).
type headlinesAsker struct {
	fixedAsker
	hs []bot.Headline

	mu     sync.Mutex
	topics []string
}

func (a *headlinesAsker) Latest(_ context.Context, topic string, n int) ([]bot.Headline, error) {
	a.mu.Lock()
	a.topics = append(a.topics, topic)
	a.mu.Unlock()
	var out []bot.Headline
	for _, h := range a.hs {
		if topic == "" || strings.Contains(strings.ToLower(h.Title+" "+h.Source), topic) {
			out = append(out, h)
		}
	}
	return out[:min(n, len(out))], nil
}

func topicOption(typed string) discordtest.Option {
	return discordtest.Option{Name: "latest", Options: []discordtest.Option{{Name: "topic", Value: typed, Focused: true}}}
}

func TestAutocompleteTopic(t *testing.T) {
	t.Parallel()
	h := start(t, newsBot(t), nil)
	f := h.fake
	ch := f.AddChannel(discordtest.GuildText)
	choices := func(typed string) []discordtest.Choice {
		t.Helper()
		i := f.Autocomplete(ch, h.alice, "news", topicOption(typed))
		f.Dispatch("INTERACTION_CREATE", i)
		token := i["token"].(string)
		cb := f.WaitRequests(1, "POST", `/interactions/\d+/`+token+"/callback")[0]
		if cb.Status != 204 {
			t.Fatalf("autocomplete response refused: %d %s", cb.Status, cb.Body)
		}
		c, _ := f.Choices(token)
		return c
	}
	all := choices("")
	if len(all) != 2 || all[0].Name != "Top Trump officials will hold talks with Europeans on the Russia-Ukraine war" || all[1].Value != "Riverside braces for the flood crest" {
		t.Errorf("choices for nothing typed = %+v, want the newest titles", all)
	}
	if got := choices("FLOOD cr"); len(got) != 1 || got[0].Name != "Riverside braces for the flood crest" {
		t.Errorf("choices for \"FLOOD cr\" = %+v", got)
	}
	// Not in a title, but in an article: found by the bot's search.
	if got := choices("shelters"); len(got) != 1 || got[0].Name != "Riverside braces for the flood crest" {
		t.Errorf("choices for \"shelters\" = %+v", got)
	}
	if got := choices("mongolia"); len(got) != 0 {
		t.Errorf("choices for \"mongolia\" = %+v, want none", got)
	}
	cb := f.Requests("POST", `/interactions/\d+/.*/callback`)
	golden(t, "autocomplete.json", indent(t, cb[0].Body))
}

func TestAutocompleteWithinDiscordsLimits(t *testing.T) {
	t.Parallel()
	key := ed25519.NewKeyFromSeed([]byte(strings.Repeat("a", ed25519.SeedSize)))
	asker := &headlinesAsker{}
	for i := 0; i < 60; i++ {
		title := fmt.Sprintf("Story %d: %s", i, strings.Repeat("a very long headline about the talks ", 5))
		asker.hs = append(asker.hs, bot.Headline{Title: title}, bot.Headline{Title: title}) // duplicates too
	}
	asker.hs = append(asker.hs, bot.Headline{Title: "  \u202e\n "}, bot.Headline{Title: "Ünïcode\tand\u200b emoji 📰 talks"})
	h := start(t, asker, func(c *discord.Config) { c.Token, c.PublicKey = "", key.Public().(ed25519.PublicKey) })
	srv := httptest.NewServer(h.a.InteractionsHandler())
	defer srv.Close()
	ch := h.fake.AddForeignChannel(discordtest.DM)
	for _, typed := range []string{"", "talks", "emoji"} {
		i := h.fake.Autocomplete(ch, h.alice, "news", topicOption(typed))
		code, body := h.fake.Deliver(srv.URL, key, time.Now(), i)
		r := decodeResponse(t, body)
		if code != 200 || r.Type != 8 || !strings.Contains(string(body), `"choices":[`) {
			t.Fatalf("%q: %d %s", typed, code, body)
		}
		if c, ok := h.fake.Choices(i["token"].(string)); !ok || len(c) != len(r.Data.Choices) {
			t.Errorf("%q: the fake refused the choices (see the transcript):\n%s", typed, h.fake.Transcript())
		}
		seen := map[string]bool{}
		for _, c := range r.Data.Choices {
			if seen[c.Name] || strings.ContainsAny(c.Name, "\u202e\n\t") {
				t.Errorf("%q: choice %q repeated or not clean", typed, c.Name)
			}
			seen[c.Name] = true
		}
		want := map[string]int{"": 25, "talks": 25, "emoji": 1}[typed]
		if len(r.Data.Choices) != want {
			t.Errorf("%q: %d choices, want %d", typed, len(r.Data.Choices), want)
		}
	}
	// The newest headlines are read once for all three.
	asker.mu.Lock()
	defer asker.mu.Unlock()
	if strings.Join(asker.topics, "|") != "|emoji" {
		t.Errorf("Latest called with %q, want the newest once, then a search for what matched too few titles", asker.topics)
	}
}

// panickyHeadlines panics when asked for headlines.
type panickyHeadlines struct{ fixedAsker }

func (*panickyHeadlines) Latest(context.Context, string, int) ([]bot.Headline, error) {
	var m map[string]int
	m["explode"]++
	return nil, nil
}

func TestAutocompletePanicRecovered(t *testing.T) {
	t.Parallel()
	key := ed25519.NewKeyFromSeed([]byte(strings.Repeat("p", ed25519.SeedSize)))
	h := start(t, &panickyHeadlines{}, func(c *discord.Config) { c.PublicKey = key.Public().(ed25519.PublicKey) })
	ch := h.fake.AddChannel(discordtest.GuildText)
	i := h.fake.Autocomplete(ch, h.alice, "news", topicOption("x"))
	h.fake.Dispatch("INTERACTION_CREATE", i)
	cb := h.fake.WaitRequests(1, "POST", `/interactions/\d+/`+i["token"].(string)+"/callback")[0]
	if r := decodeResponse(t, cb.Body); cb.Status != 204 || r.Type != 8 || len(r.Data.Choices) != 0 {
		t.Errorf("after a panic: %d %s, want an empty autocomplete result", cb.Status, cb.Body)
	}
	h.log.waitFor(t, "recovered from a panic")
	if log := h.log.String(); !strings.Contains(log, "assignment to entry in nil map") || !strings.Contains(log, "native_test.go") {
		t.Errorf("the log lacks the panic and its stack:\n%s", log)
	}

	srv := httptest.NewServer(h.a.InteractionsHandler())
	defer srv.Close()
	i = h.fake.Autocomplete(ch, h.alice, "news", topicOption("x"))
	if code, body := h.fake.Deliver(srv.URL, key, time.Now(), i); code != 200 || strings.TrimSpace(string(body)) != `{"type":8,"data":{"choices":[]}}` {
		t.Errorf("over HTTP after a panic: %d %s", code, body)
	}
	// A message command whose answer panics gets the apology.
	h2 := start(t, panickyBot(t), nil)
	ch2 := h2.fake.AddChannel(discordtest.GuildText)
	target := h2.fake.Store(discordtest.Say{Channel: ch2, Author: h.alice, Content: boom})
	cmd := h2.fake.MessageCommand(ch2, h.bob, "Ask newsbot", target)
	h2.fake.Dispatch("INTERACTION_CREATE", cmd)
	if p := decode(t, h2.edit(cmd["token"].(string))); p.Content != apology {
		t.Errorf("message command after a panic: %q", p.Content)
	}
	checkPanicLogged(t, h2)
}
