package discord

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot/newsbot/bot"
)

// stubSession records the REST calls of the interactions path in memory.
type stubSession struct {
	session // calls the interactions path does not make panic (nil)

	mu   sync.Mutex
	sent []message
	n    int
}

func (s *stubSession) record(content *string, embeds []*discordgo.MessageEmbed, am *discordgo.MessageAllowedMentions) (*discordgo.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := message{Embeds: embeds}
	if content != nil {
		m.Content = *content
	}
	if am == nil || am.Parse == nil || len(am.Parse) != 0 || len(am.Users) != 0 || len(am.Roles) != 0 || am.RepliedUser {
		m.Content = "\x00allowed_mentions not empty"
	}
	s.sent = append(s.sent, m)
	s.n++
	return &discordgo.Message{ID: "9" + strings.Repeat("0", s.n)}, nil
}

func (s *stubSession) editResponse(_ *discordgo.Interaction, e *messageEdit, _ ...discordgo.RequestOption) (*discordgo.Message, error) {
	return s.record(&e.Content, e.Embeds, e.AllowedMentions)
}

func (s *stubSession) FollowupMessageCreate(_ *discordgo.Interaction, _ bool, p *discordgo.WebhookParams, _ ...discordgo.RequestOption) (*discordgo.Message, error) {
	return s.record(&p.Content, p.Embeds, p.AllowedMentions)
}

func (s *stubSession) identity() (string, string) { return "100000000000000002", "100000000000000001" }

// echoAsker answers with the question itself, cited with the question as
// titles and outlets: what a stranger typed reaches every part of the
// rendering.
type echoAsker struct{}

func (echoAsker) Ask(_ context.Context, q bot.Question) (*bot.Answer, error) {
	text, err := bot.CleanQuestion(q.Text)
	if err != nil {
		return nil, err
	}
	a := &bot.Answer{Question: text, Text: strings.Repeat(q.Text+" [1] ", 3), Found: true}
	for i := 1; i <= 3; i++ {
		a.Citations = append(a.Citations, bot.Citation{N: i, Title: q.Text, Source: q.Text, URL: "https://example.com/" + q.Text})
	}
	return a, nil
}

func (echoAsker) Latest(_ context.Context, topic string, n int) ([]bot.Headline, error) {
	return []bot.Headline{{Title: topic, Source: topic, URL: topic}}, nil
}

// checkOutgoing fails unless m is within Discord's limits and cannot ping.
func checkOutgoing(t *testing.T, what string, m message) {
	t.Helper()
	if strings.HasPrefix(m.Content, "\x00") {
		t.Fatalf("%s: %s", what, m.Content[1:])
	}
	if textLen(m.Content) > maxContent {
		t.Fatalf("%s: content is %d units", what, textLen(m.Content))
	}
	if notifies(m.Content) {
		t.Fatalf("%s: content %q can ping", what, m.Content)
	}
	if len(m.Embeds) > maxEmbeds {
		t.Fatalf("%s: %d embeds", what, len(m.Embeds))
	}
	total := 0
	for _, e := range m.Embeds {
		if textLen(e.Description) > maxEmbedDescription || textLen(e.Title) > maxEmbedTitle || len(e.Fields) > 25 {
			t.Fatalf("%s: an embed is over the limits", what)
		}
		if notifies(e.Description) || notifies(e.Title) {
			t.Fatalf("%s: embed %q / %q can ping", what, e.Title, e.Description)
		}
		total += embedLen(e)
	}
	if total > maxEmbedTotal {
		t.Fatalf("%s: embeds total %d", what, total)
	}
}

// checkChoices fails unless an autocomplete result is within Discord's
// limits: at most 25 choices, names and values of 1 to 100 characters.
func checkChoices(t *testing.T, resp *discordgo.InteractionResponse) {
	t.Helper()
	if resp.Data == nil || resp.Data.Choices == nil {
		t.Fatalf("autocomplete result without choices: %+v", resp)
	}
	if n := len(resp.Data.Choices); n > maxChoices {
		t.Fatalf("%d choices", n)
	}
	for _, c := range resp.Data.Choices {
		v, ok := c.Value.(string)
		if n := textLen(c.Name); n < 1 || n > maxChoiceName || !ok || textLen(v) < 1 || textLen(v) > maxChoiceName {
			t.Fatalf("choice %q = %v is out of Discord's limits", c.Name, c.Value)
		}
	}
}

var interactionSeeds = []string{
	`{"type":1,"id":"1"}`,
	`{"type":2,"id":"2","token":"t","application_id":"100000000000000001","channel_id":"5","guild_id":"3","member":{"user":{"id":"7","username":"alice"}},"data":{"id":"1","name":"ask","type":1,"options":[{"name":"question","type":3,"value":"Who met Putin? @everyone <@123>"},{"name":"private","type":5,"value":true}]}}`,
	`{"type":2,"id":"3","token":"t","channel_id":"5","user":{"id":"7"},"data":{"name":"news","options":[{"name":"latest","type":1,"options":[{"name":"topic","type":3,"value":"[x](http://evil) ＠here"}]}]}}`,
	`{"type":2,"id":"4","data":{"name":"news","options":[{"name":"help","type":1}]}}`,
	`{"type":2,"id":"5","data":{"name":"ask","options":[{"name":"question","type":3,"value":12}]}}`,
	`{"type":2,"id":"6","data":{"name":"ask","options":[null,{"name":"question"}]}}`,
	`{"type":2,"id":"7","data":null,"member":{"user":null}}`,
	`{"type":3,"id":"8","data":{"custom_id":"x","component_type":2}}`,
	`{"type":4,"id":"9","data":{"name":"ask","options":[{"name":"question","type":3,"value":"Ⱥ","focused":true}]}}`,
	`{"type":5,"id":"10","data":{"custom_id":"m","components":[]}}`,
	`{"type":2,"id":"11","data":{"name":"ask","options":[{"name":"question","type":3,"value":"Ⱥ İ ẞ \u200b\u202e e\u0301 👩‍👩‍👧 \ud800"}]}}`,
	`{"type":2,"id":"12","data":{"name":"nope"}}`,
	`{not json`,
	`[]`,
	`{"type":2}`,
	`{"type":2,"id":"13","token":"t","channel_id":"5","channel":{"id":"5","type":11},"guild_id":"3","context":0,"member":{"user":{"id":"7"}},"data":{"id":"1","name":"Ask newsbot","type":3,"target_id":"8","resolved":{"messages":{"8":{"id":"8","channel_id":"5","content":"@everyone Putin met <@123> in [Riyadh](http://evil) https://x.example/a_b","mentions":[{"id":"123","username":"@here"}],"author":{"id":"9"}}}}}}`,
	`{"type":2,"id":"14","token":"t","channel_id":"5","channel":{"type":3},"context":2,"authorizing_integration_owners":{"1":"7"},"user":{"id":"7"},"data":{"name":"Ask newsbot","type":3,"target_id":"8","resolved":{"messages":{"8":{"id":"x","embeds":[{"title":"Ⱥ","description":"<@&1>"}]}}}}}`,
	`{"type":2,"id":"15","data":{"name":"Ask newsbot","type":3,"target_id":"9","resolved":{"messages":{}}}}`,
	`{"type":4,"id":"16","data":{"name":"news","options":[{"name":"latest","type":1,"options":[{"name":"topic","type":3,"value":"@everyone","focused":true}]}]}}`,
	`{"type":2,"id":"17","channel":"not an object","data":{"name":"ask","options":[{"name":"question","type":3,"value":"q"}]}}`,
}

// FuzzInteraction feeds signed-off interaction bodies to the decode and
// dispatch path of the HTTP endpoint, then completes what it deferred
// against an in-memory Discord. Properties: no panic; a body is refused
// with 400 or 401, or answered; every response and message allows no
// mentions, cannot ping, and stays within Discord's limits; an answer
// takes at most three messages.
func FuzzInteraction(f *testing.F) {
	for _, s := range interactionSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		s := &stubSession{}
		a := newAdapter(echoAsker{}, Config{StreamInterval: -1}, s, slog.New(slog.DiscardHandler))
		d := a.dispatch(context.Background(), body)
		switch d.status {
		case 0:
		case 400, 401:
			if d.resp != nil || d.finish != nil {
				t.Fatalf("refused with %d but answered too", d.status)
			}
			return
		default:
			t.Fatalf("status %d", d.status)
		}
		if d.resp == nil || d.i == nil {
			t.Fatal("accepted without a response")
		}
		if data := d.resp.Data; data != nil && d.resp.Type == discordgo.InteractionResponseChannelMessageWithSource {
			am := data.AllowedMentions
			if am == nil || am.Parse == nil || len(am.Parse) != 0 {
				t.Fatalf("response allows mentions: %+v", am)
			}
			checkOutgoing(t, "response", message{Content: data.Content, Embeds: data.Embeds})
		}
		if d.resp.Type == discordgo.InteractionApplicationCommandAutocompleteResult {
			checkChoices(t, d.resp)
		}
		if d.finish == nil {
			return
		}
		d.finish(context.Background())
		if len(s.sent) > maxMessages {
			t.Fatalf("%d messages for one interaction", len(s.sent))
		}
		for i, m := range s.sent {
			checkOutgoing(t, "message "+string(rune('1'+i)), m)
		}
	})
}
