package discord_test

import (
	"strings"
	"testing"

	"github.com/newsbot/newsbot/adapters/discord/discordtest"
)

// statuses returns the statuses of the requests, in order.
func statuses(rs []discordtest.Request) []int {
	var out []int
	for _, r := range rs {
		out = append(out, r.Status)
	}
	return out
}

func TestRateLimitedRESTIsWaitedOut(t *testing.T) {
	t.Parallel()
	h := start(t, newsBot(t), nil)
	ch := h.fake.AddChannel(discordtest.GuildText)
	// Two 429s with Discord's headers and body on the reply, one on the
	// callback of a slash command: discordgo waits retry_after and retries.
	h.fake.Fail("POST", "/channels/"+ch+"/messages", 2, 429)
	h.fake.Fail("POST", `/interactions/\d+/[^/]+/callback`, 1, 429)
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention(next)})
	got := h.fake.WaitRequests(3, "POST", "/channels/"+ch+"/messages")
	if s := statuses(got); s[0] != 429 || s[1] != 429 || s[2] != 200 {
		t.Fatalf("statuses %v, want 429 429 200", s)
	}
	if p := decode(t, got[2]); !strings.Contains(p.Content, nextAnswer) {
		t.Errorf("answer after the rate limit = %q", p.Content)
	}
	token := h.fake.Interact(ch, h.bob, "ask", discordtest.Option{Name: "question", Value: next})
	edit := h.fake.WaitRequests(1, "PATCH", "/webhooks/"+h.fake.AppID+"/"+token+"/messages/@original")[0]
	if s := statuses(h.fake.Requests("POST", `/interactions/\d+/`+token+"/callback")); len(s) != 2 || s[0] != 429 || s[1] != 204 {
		t.Errorf("callback statuses %v, want 429 204", s)
	}
	if p := decode(t, edit); edit.Status != 200 || !strings.Contains(p.Content, nextAnswer) {
		t.Errorf("/ask after the rate limit: %d %q", edit.Status, p.Content)
	}
}

func TestServerErrorsLoseOneReplyNotTheAdapter(t *testing.T) {
	t.Parallel()
	h := start(t, newsBot(t), nil)
	ch := h.fake.AddChannel(discordtest.GuildText)
	// A 500 on a reply: sending a message is not idempotent, so it is not
	// retried; the failure is logged and the next question is answered.
	h.fake.Fail("POST", "/channels/"+ch+"/messages", 1, 500)
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention(next)})
	h.log.waitFor(t, "deliver answer failed")
	if s := statuses(h.fake.Requests("POST", "/channels/"+ch+"/messages")); len(s) != 1 || s[0] != 500 {
		t.Fatalf("statuses %v, want one 500", s)
	}
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.bob, Content: h.mention(next)})
	got := h.fake.WaitRequests(2, "POST", "/channels/"+ch+"/messages")
	if p := decode(t, got[1]); got[1].Status != 200 || !strings.Contains(p.Content, nextAnswer) {
		t.Errorf("next answer: %d %q", got[1].Status, p.Content)
	}

	// Edits are idempotent: a 503 is retried once by the adapter, 502s
	// by discordgo.
	for _, tt := range []struct {
		status, times int
	}{{503, 1}, {502, 2}} {
		h.fake.Fail("PATCH", `/webhooks/\d+/[^/]+/messages/@original`, tt.times, tt.status)
		token := h.fake.Interact(ch, h.alice, "ask", discordtest.Option{Name: "question", Value: next})
		edits := h.fake.WaitRequests(tt.times+1, "PATCH", "/webhooks/"+h.fake.AppID+"/"+token+"/messages/@original")
		last := edits[len(edits)-1]
		if p := decode(t, last); last.Status != 200 || !strings.Contains(p.Content, nextAnswer) {
			t.Errorf("%d on the edit: statuses %v, last %q; want the answer after the retry", tt.status, statuses(edits), p.Content)
		}
	}
	// And the adapter still answers.
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention(next)})
	if got := h.fake.WaitRequests(3, "POST", "/channels/"+ch+"/messages"); got[2].Status != 200 {
		t.Errorf("after the faults: %d", got[2].Status)
	}
}
