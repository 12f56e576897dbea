package config

import (
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
}

// Enabled reports whether the Slack adapter is configured.
func (s SlackConfig) Enabled() bool { return s.BotToken != "" }

// SocketMode reports whether the adapter connects through Socket Mode
// rather than taking HTTP requests.
func (s SlackConfig) SocketMode() bool { return s.AppToken != "" }

// Validate checks the settings that depend on each other. It returns an
// error naming the variable to set when the combination cannot work: an app
// token without a bot token, or HTTP mode without a signing secret.
func (s SlackConfig) Validate() error {
	switch {
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

// slackVars lists the variables of SlackConfig.
func slackVars() []Var {
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
	}
}
