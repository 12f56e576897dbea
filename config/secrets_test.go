package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/internal/safe"
)

// secretEnv sets every secret newsbot knows, each in the shape an operator
// would paste it.
var secretEnv = map[string]string{
	"SLACK_BOT_TOKEN":      "xoxb-111-222-slackbot",
	"SLACK_APP_TOKEN":      "xapp-1-A1-333-slackapp",
	"SLACK_SIGNING_SECRET": "8f742231b10e8888abcd99yyyzzz85a5",
	"DISCORD_BOT_TOKEN":    "Bot MTAxNDk.discord.token",
	"DISCORD_PUBLIC_KEY":   "e9b3b5f4c1b8b9d7a5e0d2e2a3c4b5d6e7f8091a2b3c4d5e6f708192a3b4c5d6",
	"OPENAI_API_KEY":       "sk-openai-key-0123",
	"NEWSBOT_DATABASE_URL": "postgres://newsbot:p%40ss%2Fword@db.internal:5432/news?sslpassword=tls-key-pass",
	"NEWSBOT_FEEDS":        "https://reader:feedpass1@private.example/rss 15m, https://x.example/atom?token=feedtoken2&page=2",
	"SLACK_API_URL":        "https://proxy:proxypass3@slack-proxy.example/api/",
	"PGPASSWORD":           "pg-env-password",
	"NEWSBOT_LLM_MODEL":    "gpt-4o-mini",
	"NEWSBOT_HTTP_ADDR":    "127.0.0.1:8080",
}

func TestSecrets(t *testing.T) {
	c, err := Load(Source{Getenv: env(secretEnv)})
	if err != nil {
		t.Fatal(err)
	}
	got := c.Secrets()
	for _, want := range []string{"xoxb-111-222-slackbot", "xapp-1-A1-333-slackapp", "8f742231b10e8888abcd99yyyzzz85a5",
		"MTAxNDk.discord.token", "sk-openai-key-0123", "p@ss/word", "p%40ss%2Fword", "tls-key-pass",
		"feedpass1", "feedtoken2", "proxypass3", "pg-env-password"} {
		if !slices.Contains(got, want) {
			t.Errorf("Secrets() lacks %q: %q", want, got)
		}
	}
	for _, public := range []string{secretEnv["DISCORD_PUBLIC_KEY"], secretEnv["NEWSBOT_DATABASE_URL"], "gpt-4o-mini", "newsbot", "2"} {
		if slices.Contains(got, public) {
			t.Errorf("Secrets() holds %q, which is not secret", public)
		}
	}

	// The logger replaces them wherever they appear.
	for _, format := range []string{"text", "json"} {
		c.LogFormat = format
		var buf bytes.Buffer
		log := NewLogger(c, &buf)
		log.Warn("upstream said: 500 echo Authorization: Bot MTAxNDk.discord.token",
			"err", errors.New(`{"error":"invalid key sk-openai-key-0123","db":"postgres://newsbot:p%40ss%2Fword@db.internal"}`),
			"feed", "https://reader:feedpass1@private.example/rss")
		out := buf.String()
		for _, s := range got {
			if len(s) >= 6 && strings.Contains(out, s) {
				t.Errorf("%s log shows %q:\n%s", format, s, out)
			}
		}
		if !strings.Contains(out, "db.internal") || !strings.Contains(out, "private.example") {
			t.Errorf("%s log lost what is not secret:\n%s", format, out)
		}
	}
}

// An invalid value that quotes a credential is reported without it.
func TestLoadErrorHidesCredentials(t *testing.T) {
	_, err := Load(Source{Getenv: env(map[string]string{"NEWSBOT_FEEDS": "https://reader:feedpass1@private.example/rss 5s"})})
	if err == nil || !strings.Contains(err.Error(), "NEWSBOT_FEEDS") || strings.Contains(err.Error(), "feedpass1") {
		t.Errorf("err = %v; want NEWSBOT_FEEDS named and the password hidden", err)
	}
}

func TestNoSecretsNoRedaction(t *testing.T) {
	c, err := Load(Source{Getenv: env(map[string]string{"NEWSBOT_FEEDS": ""})})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Secrets()) != 0 || c.Redactor().Active() {
		t.Errorf("Secrets() = %q with nothing secret configured", c.Secrets())
	}
}

// A panic recovered at a boundary is logged, value and stack, without the
// secrets it quotes.
func TestPanicLogHidesSecrets(t *testing.T) {
	c, err := Load(Source{Getenv: env(secretEnv)})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	perr := safe.Do(context.Background(), NewLogger(c, &buf), "slack command", func() {
		panic(fmt.Sprintf("answering with token %s and key %s", "xoxb-111-222-slackbot", "sk-openai-key-0123"))
	})
	if perr == nil || !strings.Contains(buf.String(), "recovered from a panic") || !strings.Contains(buf.String(), "secrets_test.go") {
		t.Fatalf("panic not logged with its stack: %v\n%s", perr, buf.String())
	}
	for _, s := range []string{"xoxb-111-222-slackbot", "sk-openai-key-0123"} {
		if strings.Contains(buf.String(), s) || strings.Contains(c.Redactor().Error(perr).Error(), s) {
			t.Errorf("the panic's log or error shows %q:\n%s", s, buf.String())
		}
	}
}
