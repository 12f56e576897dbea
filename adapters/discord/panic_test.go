package discord_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/adapters/discord"
	"github.com/newsbot/newsbot/adapters/discord/discordtest"
	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/safe"
	"github.com/newsbot/newsbot/knowledge"
)

const apology = "Sorry — something went wrong answering that. It has been logged."

// panicky is a retriever that panics on questions containing "explode"
// and asks the real index otherwise.
type panicky struct{ next bot.Retriever }

func (p panicky) Search(ctx context.Context, q knowledge.Query) (*knowledge.Result, error) {
	if strings.Contains(q.Text, "explode") {
		var m map[string]int
		m["explode"]++ // assignment to entry in nil map
	}
	return p.next.Search(ctx, q)
}

// panickyBot is the real bot over the sample whose retriever panics on
// "explode".
func panickyBot(t *testing.T) *bot.Bot {
	b := newsBot(t)
	b.Retriever = panicky{next: b.Retriever}
	return b
}

const (
	boom = "Why did the levee explode?"
	next = "Where have shelters opened?"
	// nextAnswer is in the real answer to next.
	nextAnswer = "Shelters have opened at the high school"
)

// checkPanicLogged fails unless the log holds the recovered panic at error
// level, with its stack.
func checkPanicLogged(t *testing.T, h *harness) {
	t.Helper()
	h.log.waitFor(t, "recovered from a panic")
	log := h.log.String()
	for _, want := range []string{"level=ERROR", "assignment to entry in nil map", "goroutine ", "panic_test.go"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q:\n%s", want, log)
		}
	}
}

func TestPanicInMentionGetsApologyAndNextIsAnswered(t *testing.T) {
	t.Parallel()
	h := start(t, panickyBot(t), nil)
	ch := h.fake.AddChannel(discordtest.GuildText)
	before := safe.Panics()
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention(boom)})
	got := h.posted(1, ch)
	if p := decode(t, got[0]); got[0].Status != 200 || p.Content != apology {
		t.Fatalf("reply to the panicking question = %d %q, want the apology", got[0].Status, p.Content)
	}
	checkNoMentions(t, got[0])
	checkPanicLogged(t, h)
	if safe.Panics() == before {
		t.Error("the panic was not counted")
	}
	h.fake.Post(discordtest.Say{Channel: ch, Author: h.bob, Content: h.mention(next)})
	got = h.posted(2, ch)
	if p := decode(t, got[1]); !strings.Contains(p.Content, nextAnswer) {
		t.Errorf("the next question got %q, want the real answer (%q)", p.Content, nextAnswer)
	}
}

func TestPanicInGatewayCommandGetsApologyAndNextIsAnswered(t *testing.T) {
	t.Parallel()
	h := start(t, panickyBot(t), nil)
	ch := h.fake.AddChannel(discordtest.GuildText)
	token := h.fake.Interact(ch, h.alice, "ask", discordtest.Option{Name: "question", Value: boom})
	edit := h.fake.WaitRequests(1, "PATCH", "/webhooks/"+h.fake.AppID+"/"+token+"/messages/@original")[0]
	if p := decode(t, edit); p.Content != apology {
		t.Fatalf("edit after the panic = %q, want the apology", p.Content)
	}
	checkNoMentions(t, edit)
	checkPanicLogged(t, h)
	token = h.fake.Interact(ch, h.bob, "ask", discordtest.Option{Name: "question", Value: next})
	edit = h.fake.WaitRequests(1, "PATCH", "/webhooks/"+h.fake.AppID+"/"+token+"/messages/@original")[0]
	if p := decode(t, edit); !strings.Contains(p.Content, nextAnswer) {
		t.Errorf("the next /ask got %q, want the real answer", p.Content)
	}
}

func TestPanicInHTTPInteractionGetsApologyAndNextIsAnswered(t *testing.T) {
	t.Parallel()
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	h := start(t, panickyBot(t), func(c *discord.Config) { c.Token, c.PublicKey = "", pub })
	srv := httptest.NewServer(h.a.InteractionsHandler())
	defer srv.Close()
	ch := h.fake.AddChannel(discordtest.GuildText)

	cmd := h.fake.Command(ch, h.alice, "ask", discordtest.Option{Name: "question", Value: boom})
	if code, body := h.fake.Deliver(srv.URL, priv, time.Now(), cmd); code != 200 || !strings.Contains(string(body), `"type":5`) {
		t.Fatalf("/ask: %d %s, want the deferred response", code, body)
	}
	edit := h.fake.WaitRequests(1, "PATCH", "/webhooks/"+h.fake.AppID+"/"+cmd["token"].(string)+"/messages/@original")[0]
	if p := decode(t, edit); p.Content != apology {
		t.Fatalf("edit after the panic = %q, want the apology", p.Content)
	}
	checkNoMentions(t, edit)
	checkPanicLogged(t, h)

	cmd = h.fake.Command(ch, h.bob, "ask", discordtest.Option{Name: "question", Value: next})
	if code, _ := h.fake.Deliver(srv.URL, priv, time.Now(), cmd); code != 200 {
		t.Fatalf("next /ask: %d", code)
	}
	edit = h.fake.WaitRequests(1, "PATCH", "/webhooks/"+h.fake.AppID+"/"+cmd["token"].(string)+"/messages/@original")[0]
	if p := decode(t, edit); !strings.Contains(p.Content, nextAnswer) {
		t.Errorf("the next /ask got %q, want the real answer", p.Content)
	}
}

// latestPanics is a bot whose Latest panics once.
type latestPanics struct {
	*bot.Bot
	once chan struct{}
}

func (l latestPanics) Latest(ctx context.Context, topic string, n int) ([]bot.Headline, error) {
	select {
	case <-l.once:
		return l.Bot.Latest(ctx, topic, n)
	default:
		close(l.once)
		panic("headlines on fire")
	}
}

func TestPanicOutsideTheAnswerGetsApology(t *testing.T) {
	t.Parallel()
	h := start(t, latestPanics{Bot: newsBot(t), once: make(chan struct{})}, nil)
	ch := h.fake.AddChannel(discordtest.GuildText)
	token := h.fake.Interact(ch, h.alice, "news", discordtest.Option{Name: "latest"})
	edit := h.fake.WaitRequests(1, "PATCH", "/webhooks/"+h.fake.AppID+"/"+token+"/messages/@original")[0]
	if p := decode(t, edit); p.Content != apology {
		t.Fatalf("edit after the panic = %q, want the apology", p.Content)
	}
	h.log.waitFor(t, "headlines on fire")
	token = h.fake.Interact(ch, h.alice, "news", discordtest.Option{Name: "latest"})
	edit = h.fake.WaitRequests(1, "PATCH", "/webhooks/"+h.fake.AppID+"/"+token+"/messages/@original")[0]
	if p := decode(t, edit); len(p.Embeds) != 1 || !strings.Contains(p.Embeds[0].Description, "Riverside braces") {
		t.Errorf("the next /news latest got %+v, want the headlines", p)
	}
}
