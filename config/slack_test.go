package config

import (
	"bytes"
	"strings"
	"testing"
)

func TestSlackSettings(t *testing.T) {
	c, err := Load(Source{Getenv: env(map[string]string{
		"SLACK_BOT_TOKEN": "xoxb-1-2", "SLACK_SIGNING_SECRET": "s3cret", "SLACK_COMMAND": "/headlines",
		"SLACK_RESPONSE_TYPE": "in_channel", "SLACK_API_URL": "http://127.0.0.1:9/api",
	})})
	if err != nil {
		t.Fatal(err)
	}
	s := c.Slack
	if !s.Enabled() || s.SocketMode() || s.Command != "/headlines" || !s.InChannel || s.APIURL != "http://127.0.0.1:9/api/" {
		t.Errorf("Slack = %+v", s)
	}
	if err := s.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	for _, set := range c.Settings() {
		if strings.Contains(set.Value, "xoxb-1-2") || strings.Contains(set.Value, "s3cret") {
			t.Errorf("Settings shows a Slack secret: %+v", set)
		}
	}
	d, err := Load(Source{Getenv: env(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if d.Slack.Enabled() || d.Slack.Command != "/news" || d.Slack.InChannel || d.Slack.Validate() != nil {
		t.Errorf("default Slack = %+v, want off, /news, ephemeral", d.Slack)
	}
}

func TestSlackInvalidValuesNameTheVariable(t *testing.T) {
	for name, val := range map[string]string{
		"SLACK_BOT_TOKEN":     "xapp-wrong-kind",
		"SLACK_APP_TOKEN":     "xoxb-wrong-kind",
		"SLACK_COMMAND":       "news",
		"SLACK_RESPONSE_TYPE": "public",
		"SLACK_API_URL":       "ftp://slack.example",
	} {
		_, err := Load(Source{Getenv: env(map[string]string{name: val})})
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%q: error %v, want one naming %s", name, val, err, name)
		}
		if err != nil && strings.Contains(val, "wrong-kind") && strings.Contains(err.Error(), val) {
			t.Errorf("%s: the error echoes the token: %v", name, err)
		}
	}
}

func TestSlackValidateCombinations(t *testing.T) {
	for _, tt := range []struct {
		s    SlackConfig
		want string
	}{
		{SlackConfig{BotToken: "xoxb-1"}, "SLACK_SIGNING_SECRET"},
		{SlackConfig{AppToken: "xapp-1"}, "SLACK_BOT_TOKEN"},
		{SlackConfig{SigningSecret: "s"}, "SLACK_BOT_TOKEN"},
		{SlackConfig{BotToken: "xoxb-1", AppToken: "xapp-1"}, ""},
		{SlackConfig{BotToken: "xoxb-1", SigningSecret: "s"}, ""},
	} {
		err := tt.s.Validate()
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("Validate(%+v) = %v, want an error naming %q", tt.s, err, tt.want)
		}
	}
}

// Installs in many workspaces: the OAuth settings, the key in hex, follow-ups
// off; the combinations that cannot work name the missing variable.
func TestSlackOAuthSettings(t *testing.T) {
	key := strings.Repeat("ab", 32)
	c, err := Load(Source{Getenv: env(map[string]string{
		"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "cs3cret", "SLACK_SIGNING_SECRET": "s3cret",
		"SLACK_REDIRECT_URL": "https://newsbot.example/slack/oauth/callback", "SLACK_TOKEN_KEY": key,
		"SLACK_THREAD_FOLLOWUPS": "off",
	})})
	if err != nil {
		t.Fatal(err)
	}
	s := c.Slack
	if !s.Enabled() || !s.OAuth() || len(s.TokenKey) != 32 || s.TokenKey[0] != 0xab || !s.NoThreadFollowups || s.Validate() != nil {
		t.Errorf("Slack = %+v, Validate %v", s, s.Validate())
	}
	for _, set := range c.Settings() {
		if strings.Contains(set.Value, key) || strings.Contains(set.Value, "cs3cret") {
			t.Errorf("Settings shows a secret: %+v", set)
		}
	}
	if _, err := Load(Source{Getenv: env(map[string]string{"SLACK_TOKEN_KEY": "abcd"})}); err == nil || !strings.Contains(err.Error(), "SLACK_TOKEN_KEY") {
		t.Errorf("short key: %v", err)
	}
	if _, err := Load(Source{Getenv: env(map[string]string{"SLACK_REDIRECT_URL": "https://x.example/cb"})}); err == nil || !strings.Contains(err.Error(), "SLACK_REDIRECT_URL") {
		t.Errorf("bad redirect URL: %v", err)
	}
	for missing, cfg := range map[string]SlackConfig{
		"SLACK_CLIENT_SECRET":  {ClientID: "1"},
		"SLACK_REDIRECT_URL":   {ClientID: "1", ClientSecret: "s"},
		"SLACK_TOKEN_KEY":      {ClientID: "1", ClientSecret: "s", RedirectURL: "https://x/slack/oauth/callback"},
		"SLACK_SIGNING_SECRET": {ClientID: "1", ClientSecret: "s", RedirectURL: "https://x/slack/oauth/callback", TokenKey: make([]byte, 32)},
	} {
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), missing) {
			t.Errorf("Validate(%+v) = %v, want it to name %s", cfg, err, missing)
		}
	}
}

func TestParseTokenKey(t *testing.T) {
	want := bytes.Repeat([]byte{7}, 32)
	for _, k := range []string{strings.Repeat("07", 32), "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=", "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc"} {
		if key, err := parseTokenKey(k); err != nil || !bytes.Equal(key, want) {
			t.Errorf("parseTokenKey(%q) = %x, %v", k, key, err)
		}
	}
	if _, err := parseTokenKey("0707"); err == nil {
		t.Error("parseTokenKey took a 2-byte key")
	}
}
