package config

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// SlackConfig holds the settings of the Slack adapter. Its variables are
// listed by slackVars (see Vars), so that each area's settings live in one file.
// The zero value means "Slack off".
type SlackConfig struct {
	// BotToken (xoxb-…) enables the adapter.
	BotToken string
	// AppToken (xapp-…) selects Socket Mode; empty means HTTP mode.
	AppToken string
	// SigningSecret verifies HTTP requests; required in HTTP mode.
	SigningSecret string
	// Command is the slash command, e.g. "/news".
	Command string
	// InChannel makes slash command answers visible to the whole channel;
	// false answers ephemerally, with a "Share in channel" button.
	InChannel bool
	// APIURL is the Web API base URL, ending in "/"; empty means Slack's.
	APIURL string
	// NoThreadFollowups turns off answering replies without a mention in
	// threads newsbot answered in (SLACK_THREAD_FOLLOWUPS=off).
	NoThreadFollowups bool
	// ClientID and ClientSecret enable installs in many workspaces
	// through OAuth v2, with RedirectURL (the public URL of
	// /slack/oauth/callback) and TokenKey (32 bytes sealing the bot
	// tokens, which are kept in the store's slack_installs table).
	ClientID, ClientSecret string
	RedirectURL            string
	TokenKey               []byte
}

// Enabled reports whether the Slack adapter is configured.
func (s SlackConfig) Enabled() bool { return s.BotToken != "" || s.ClientID != "" }

// OAuth reports whether installs through OAuth are configured.
func (s SlackConfig) OAuth() bool { return s.ClientID != "" }

// SocketMode reports whether the adapter connects through Socket Mode
// rather than taking HTTP requests.
func (s SlackConfig) SocketMode() bool { return s.AppToken != "" }

// Validate checks the settings that depend on each other. It returns an
// error naming the variable to set when the combination cannot work: an app
// token without a bot token, or HTTP mode without a signing secret.
func (s SlackConfig) Validate() error {
	switch {
	case s.ClientID != "" && s.ClientSecret == "":
		return errors.New("config: SLACK_CLIENT_ID is set but SLACK_CLIENT_SECRET is not; OAuth installs need both")
	case s.ClientID == "" && s.ClientSecret != "":
		return errors.New("config: SLACK_CLIENT_SECRET is set but SLACK_CLIENT_ID is not; OAuth installs need both")
	case s.ClientID != "" && s.RedirectURL == "":
		return errors.New("config: SLACK_REDIRECT_URL is required with SLACK_CLIENT_ID (the public URL of /slack/oauth/callback)")
	case s.ClientID != "" && len(s.TokenKey) == 0:
		return errors.New("config: SLACK_TOKEN_KEY is required with SLACK_CLIENT_ID (32 random bytes: openssl rand -hex 32)")
	case s.ClientID != "" && s.AppToken == "" && s.SigningSecret == "":
		return errors.New("config: SLACK_SIGNING_SECRET is required for Slack over HTTP (or set SLACK_APP_TOKEN for Socket Mode)")
	case s.ClientID != "":
		return nil
	case s.BotToken == "" && s.AppToken != "":
		return errors.New("config: SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not; the Slack adapter needs the bot token (xoxb-…)")
	case s.BotToken == "" && s.SigningSecret != "":
		return errors.New("config: SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not; the Slack adapter needs the bot token (xoxb-…)")
	case s.BotToken != "" && s.AppToken == "" && s.SigningSecret == "":
		return errors.New("config: SLACK_SIGNING_SECRET is required for Slack over HTTP (or set SLACK_APP_TOKEN for Socket Mode)")
	}
	return nil
}

var slashCommand = regexp.MustCompile(`^/[a-z0-9_-]{1,31}$`)

// parseTokenKey reads the key that seals the Slack bot tokens: 32 bytes,
// written as 64 hex digits or in (standard or URL-safe) base64.
func parseTokenKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == 32 {
			return b, nil
		}
	}
	return nil, errors.New("not a 32-byte key in hex (64 digits) or base64; make one with: openssl rand -hex 32")
}

// slackVars lists the variables of SlackConfig: the bot's, then those of
// installs in many workspaces (OAuth).
func slackVars() []Var { return append(slackBotVars(), slackOAuthVars()...) }

// slackBotVars lists the variables of the bot in one workspace.
func slackBotVars() []Var {
	return []Var{
		{Env: "SLACK_BOT_TOKEN", Secret: true, Usage: "Slack bot token (xoxb-…); setting it enables the Slack adapter in `newsbot serve`",
			set: func(c *Config, v string) error {
				v = strings.TrimSpace(v)
				if v != "" && !strings.HasPrefix(v, "xoxb-") {
					return errors.New("not a bot token (xoxb-…)")
				}
				c.Slack.BotToken = v
				return nil
			}},
		{Env: "SLACK_APP_TOKEN", Secret: true, Usage: "Slack app-level token (xapp-…, scope connections:write); setting it connects through Socket Mode instead of HTTP",
			set: func(c *Config, v string) error {
				v = strings.TrimSpace(v)
				if v != "" && !strings.HasPrefix(v, "xapp-") {
					return errors.New("not an app-level token (xapp-…)")
				}
				c.Slack.AppToken = v
				return nil
			}},
		{Env: "SLACK_SIGNING_SECRET", Secret: true, Usage: "Slack signing secret; verifies every request to /slack/* (required in HTTP mode)",
			set: func(c *Config, v string) error { c.Slack.SigningSecret = strings.TrimSpace(v); return nil }},
		{Env: "SLACK_COMMAND", Default: "/news", Usage: "the Slack slash command newsbot answers, as configured in the Slack app",
			set: func(c *Config, v string) error {
				v = strings.TrimSpace(v)
				if !slashCommand.MatchString(v) {
					return fmt.Errorf("%q is not a slash command like /news (lowercase letters, digits, - and _)", v)
				}
				c.Slack.Command = v
				return nil
			}},
		{Env: "SLACK_RESPONSE_TYPE", Default: "ephemeral", Usage: "who sees slash command answers: ephemeral (only the asker, with a Share in channel button) or in_channel",
			set: func(c *Config, v string) error {
				switch strings.TrimSpace(v) {
				case "ephemeral":
					c.Slack.InChannel = false
				case "in_channel":
					c.Slack.InChannel = true
				default:
					return fmt.Errorf("%q is neither ephemeral nor in_channel", v)
				}
				return nil
			}},
		{Env: "SLACK_API_URL", Usage: "Slack Web API base URL (for GovSlack, a proxy or tests); empty means https://slack.com/api/",
			set: func(c *Config, v string) error {
				v = strings.TrimSpace(v)
				if v == "" {
					c.Slack.APIURL = ""
					return nil
				}
				u, err := url.Parse(v)
				if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
					return fmt.Errorf("%q is not an http(s) URL like https://slack.com/api/", v)
				}
				if !strings.HasSuffix(v, "/") {
					v += "/"
				}
				c.Slack.APIURL = v
				return nil
			}},
		{Env: "SLACK_THREAD_FOLLOWUPS", Default: "on", Usage: "on: replies in a channel thread newsbot answered in are follow-ups without a new mention (events message.channels, message.groups); off: only mentions",
			set: func(c *Config, v string) error {
				switch strings.ToLower(strings.TrimSpace(v)) {
				case "on", "true", "1", "yes":
					c.Slack.NoThreadFollowups = false
				case "off", "false", "0", "no":
					c.Slack.NoThreadFollowups = true
				default:
					return fmt.Errorf("%q is neither on nor off", v)
				}
				return nil
			}},
	}
}

// slackOAuthVars lists the variables of OAuth installs in many workspaces.
func slackOAuthVars() []Var {
	return []Var{
		{Env: "SLACK_CLIENT_ID", Usage: "Slack app client ID; with SLACK_CLIENT_SECRET, SLACK_REDIRECT_URL and SLACK_TOKEN_KEY enables installs in many workspaces (GET /slack/install)",
			set: func(c *Config, v string) error { c.Slack.ClientID = strings.TrimSpace(v); return nil }},
		{Env: "SLACK_CLIENT_SECRET", Secret: true, Usage: "Slack app client secret, for the OAuth code exchange (oauth.v2.access)",
			set: func(c *Config, v string) error { c.Slack.ClientSecret = strings.TrimSpace(v); return nil }},
		{Env: "SLACK_REDIRECT_URL", Usage: "public URL of /slack/oauth/callback, as in the app's OAuth redirect URLs (https://newsbot.example.com/slack/oauth/callback)",
			set: func(c *Config, v string) error {
				v = strings.TrimSpace(v)
				if v == "" {
					c.Slack.RedirectURL = ""
					return nil
				}
				u, err := url.Parse(v)
				if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || !strings.HasSuffix(u.Path, "/slack/oauth/callback") {
					return fmt.Errorf("%q is not an http(s) URL ending in /slack/oauth/callback", v)
				}
				c.Slack.RedirectURL = v
				return nil
			}},
		{Env: "SLACK_TOKEN_KEY", Secret: true, Usage: "32-byte key (64 hex digits or base64; openssl rand -hex 32) sealing the OAuth installs' bot tokens (AES-256-GCM) and signing the OAuth state",
			set: func(c *Config, v string) error {
				if strings.TrimSpace(v) == "" {
					c.Slack.TokenKey = nil
					return nil
				}
				k, err := parseTokenKey(v)
				if err != nil {
					return err
				}
				c.Slack.TokenKey = k
				return nil
			}},
	}
}
