package discord_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/adapters/discord"
	"github.com/newsbot/newsbot/adapters/discord/discordtest"
)

func TestInteractionsEndpoint(t *testing.T) {
	t.Parallel()
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	_, forger, _ := ed25519.GenerateKey(rand.Reader)
	// No bot token: the endpoint alone, answering through the interaction
	// webhooks (which need no token).
	h := start(t, newsBot(t), func(c *discord.Config) { c.Token, c.PublicKey = "", pub })
	srv := httptest.NewServer(h.a.InteractionsHandler())
	defer srv.Close()
	url := srv.URL + "/discord/interactions"
	now := time.Now()

	if code, body := h.fake.Deliver(url, priv, now, discordtest.Ping()); code != 200 || strings.TrimSpace(string(body)) != `{"type":1}` {
		t.Errorf("PING: %d %s, want 200 {\"type\":1}", code, body)
	}
	ch := h.fake.AddChannel(discordtest.GuildText)
	refused := []struct {
		name string
		key  ed25519.PrivateKey
		at   time.Time
	}{
		{"forged", forger, now},
		{"stale", priv, now.Add(-10 * time.Minute)},
		{"from the future", priv, now.Add(10 * time.Minute)},
	}
	for _, r := range refused {
		cmd := h.fake.Command(ch, h.alice, "ask", discordtest.Option{Name: "question", Value: "Who met Vladimir Putin?"})
		if code, body := h.fake.Deliver(url, r.key, r.at, cmd); code != 401 {
			t.Errorf("%s signature: %d %s, want 401", r.name, code, body)
		}
	}
	// Unsigned, and signed over a different body.
	for name, mutate := range map[string]func(*http.Request){
		"unsigned": func(r *http.Request) { r.Header.Del("X-Signature-Ed25519") },
		"tampered": func(r *http.Request) { r.Body, r.ContentLength = io.NopCloser(strings.NewReader(`{"type":2}`)), 10 },
	} {
		body := []byte(`{"type":1}`)
		ts := strconv.FormatInt(now.Unix(), 10)
		req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
		req.Header.Set("X-Signature-Timestamp", ts)
		req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(priv, append([]byte(ts), body...))))
		mutate(req)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 {
			t.Errorf("%s request: %d, want 401", name, resp.StatusCode)
		}
	}
	if n := len(h.fake.Requests("PATCH", "/.*")); n != 0 {
		t.Errorf("refused interactions led to %d edits", n)
	}

	// A genuine /ask: deferred in the HTTP response, completed over REST.
	cmd := h.fake.Command(ch, h.alice, "ask", discordtest.Option{Name: "question", Value: "Where were earlier rounds of negotiations held?"})
	code, body := h.fake.Deliver(url, priv, now, cmd)
	if code != 200 || !strings.Contains(string(body), `"type":5`) {
		t.Fatalf("/ask: %d %s, want 200 with a deferred response", code, body)
	}
	token := cmd["token"].(string)
	edit := h.fake.WaitRequests(1, "PATCH", "/webhooks/"+h.fake.AppID+"/"+token+"/messages/@original")[0]
	if p := decode(t, edit); edit.Status != 200 || !strings.Contains(p.Content, "Saudi Arabia") {
		t.Errorf("edit: %d %+v", edit.Status, p)
	}
	checkNoMentions(t, edit)
	// The same interaction again (a replay with a fresh signature) is refused.
	if code, _ := h.fake.Deliver(url, priv, now, cmd); code != 401 {
		t.Errorf("replayed interaction: %d, want 401", code)
	}
	// /news help is answered in the HTTP response itself.
	help := h.fake.Command(ch, h.alice, "news", discordtest.Option{Name: "help"})
	if code, body := h.fake.Deliver(url, priv, now, help); code != 200 || !strings.Contains(string(body), `"type":4`) || !strings.Contains(string(body), `"flags":68`) { // ephemeral, no link previews
		t.Errorf("/news help: %d %s", code, body)
	}
	// Malformed but signed.
	req, _ := http.NewRequest("POST", url, strings.NewReader("{not json"))
	ts := strconv.FormatInt(now.Unix(), 10)
	req.Header.Set("X-Signature-Timestamp", ts)
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(priv, []byte(ts+"{not json"))))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("malformed body: %d, want 400", resp.StatusCode)
	}
}
