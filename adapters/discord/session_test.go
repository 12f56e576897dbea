package discord

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// roundTripFunc records the requests a transport forwards.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestRewriteTransport(t *testing.T) {
	base, _ := url.Parse("http://127.0.0.1:9000/proxy/api/v9")
	var got []string
	tr := &rewriteTransport{base: base, next: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		got = append(got, r.Method+" "+r.URL.String()+" host="+r.Host)
		return nil, errors.New("stop")
	})}
	for _, u := range []string{
		"https://discord.com/api/v9/channels/1/messages?limit=2",
		"https://discord.com/api/v9/webhooks/1/tok/messages/@original",
		"https://cdn.discordapp.com/avatars/1/2.png",
	} {
		req, _ := http.NewRequest("POST", u, nil)
		tr.RoundTrip(req)
	}
	want := []string{
		"POST http://127.0.0.1:9000/proxy/api/v9/channels/1/messages?limit=2 host=127.0.0.1:9000",
		"POST http://127.0.0.1:9000/proxy/api/v9/webhooks/1/tok/messages/@original host=127.0.0.1:9000",
		"POST https://cdn.discordapp.com/avatars/1/2.png host=cdn.discordapp.com",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("forwarded:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestRedactURL(t *testing.T) {
	err := &url.Error{Op: "Patch", URL: "https://discord.com/api/v9/webhooks/123/aW50ZXJhY3Rpb246MTIz.abc_-XYZ/messages/@original", Err: errors.New("connection refused")}
	got := safeErr(err)
	if strings.Contains(got, "aW50ZXJhY3Rpb24") || !strings.Contains(got, "/webhooks/123/[redacted]/messages/@original") {
		t.Errorf("safeErr = %q", got)
	}
	if got := redactURL("POST /interactions/55/secret-token/callback"); got != "POST /interactions/55/[redacted]/callback" {
		t.Errorf("redactURL = %q", got)
	}
}
