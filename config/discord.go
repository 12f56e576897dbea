package config

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// DiscordConfig holds the settings of the Discord adapter. Its variables are
// listed by discordVars (see Vars), so that each area's settings live in one file.
// The zero value means "Discord off".
type DiscordConfig struct {
	// BotToken (without the "Bot " prefix) enables the adapter: the gateway
	// connection (mentions, DMs, slash commands) and command registration.
	BotToken string
	// AppID is the application's id; empty means the id Discord reports when
	// the bot connects.
	AppID string
	// GuildID, when set, registers the slash commands to that server only
	// (updates show at once) instead of globally.
	GuildID string
	// PublicKey verifies requests to the HTTP interactions endpoint
	// (/discord/interactions); nil means the endpoint is off.
	PublicKey ed25519.PublicKey
	// ShardID and ShardCount split the gateway connection of large bots.
	ShardID, ShardCount int
	// APIURL is the REST base URL (Discord's, a REST proxy's, or a test
	// fake's), without a trailing slash.
	APIURL string
	// MessageContent requests the privileged Message Content intent.
	MessageContent bool
}

// Enabled reports whether the Discord adapter is configured: a bot token
// (gateway) or a public key (HTTP interactions endpoint).
func (d DiscordConfig) Enabled() bool { return d.BotToken != "" || len(d.PublicKey) > 0 }

// DefaultDiscordAPIURL is Discord's REST API base (version 9, the version
// discordgo speaks).
const DefaultDiscordAPIURL = "https://discord.com/api/v9"

var snowflake = regexp.MustCompile(`^[0-9]{15,21}$`)

func parseSnowflake(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v != "" && !snowflake.MatchString(v) {
		return "", fmt.Errorf("%q is not a Discord id (15 to 21 digits; copy it with Developer Mode on)", v)
	}
	return v, nil
}

// discordVars lists the variables of DiscordConfig.
func discordVars() []Var {
	return []Var{
		{Env: "DISCORD_BOT_TOKEN", Secret: true, Usage: "Discord bot token (Developer Portal → Bot → Reset Token); setting it enables the Discord adapter in `newsbot serve`",
			set: func(c *Config, v string) error {
				v = strings.TrimSpace(v)
				v = strings.TrimPrefix(v, "Bot ")
				if strings.ContainsAny(v, " \t\r\n") {
					return errors.New("contains spaces; paste the token alone")
				}
				c.Discord.BotToken = v
				return nil
			}},
		{Env: "DISCORD_APP_ID", Usage: "Discord application id, for registering slash commands; empty means the id Discord reports on connecting",
			set: func(c *Config, v string) (err error) { c.Discord.AppID, err = parseSnowflake(v); return err }},
		{Env: "DISCORD_GUILD_ID", Usage: "register the slash commands to this Discord server only (instant updates while testing); empty registers them globally",
			set: func(c *Config, v string) (err error) { c.Discord.GuildID, err = parseSnowflake(v); return err }},
		{Env: "DISCORD_PUBLIC_KEY", Usage: "the application's public key (hex); setting it serves POST /discord/interactions for an Interactions Endpoint URL",
			set: func(c *Config, v string) error {
				v = strings.TrimSpace(v)
				if v == "" {
					c.Discord.PublicKey = nil
					return nil
				}
				k, err := hex.DecodeString(v)
				if err != nil || len(k) != ed25519.PublicKeySize {
					return fmt.Errorf("%q is not a public key (64 hex digits, from General Information → Public Key)", v)
				}
				c.Discord.PublicKey = ed25519.PublicKey(k)
				return nil
			}},
		{Env: "DISCORD_SHARD_ID", Default: "0", Usage: "this process's gateway shard (0 to DISCORD_SHARD_COUNT-1), for bots in very many servers",
			set: func(c *Config, v string) (err error) { c.Discord.ShardID, err = parseInt(v, 0, 65535); return err }},
		{Env: "DISCORD_SHARD_COUNT", Default: "1", Usage: "number of gateway shards the bot runs as",
			set: func(c *Config, v string) (err error) {
				n, err := parseInt(v, 1, 65536)
				if err != nil {
					return err
				}
				if c.Discord.ShardID >= n {
					return fmt.Errorf("%d shards, so DISCORD_SHARD_ID must be below %d (it is %d)", n, n, c.Discord.ShardID)
				}
				c.Discord.ShardCount = n
				return nil
			}},
		{Env: "DISCORD_API_URL", Default: DefaultDiscordAPIURL, Usage: "Discord REST API base URL (a REST proxy, or a test fake); the gateway URL comes from its /gateway/bot answer",
			set: func(c *Config, v string) error {
				u, err := url.Parse(strings.TrimSpace(v))
				if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
					return fmt.Errorf("%q is not an http(s) URL such as %s", v, DefaultDiscordAPIURL)
				}
				c.Discord.APIURL = strings.TrimRight(u.String(), "/")
				return nil
			}},
		{Env: "DISCORD_MESSAGE_CONTENT", Default: "false", Usage: "request the privileged Message Content intent (enable it in the Developer Portal too): replies to the bot without a mention are then understood",
			set: func(c *Config, v string) (err error) { c.Discord.MessageContent, err = parseBool(v); return err }},
	}
}
