package discord

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// session is the part of discordgo the adapter uses. *discordgo.Session
// implements it through dgSession; every REST call takes
// discordgo.WithContext so that it stops with the answer it belongs to.
type session interface {
	Open() error
	Close() error
	AddHandler(handler interface{}) func()
	GatewayBot(options ...discordgo.RequestOption) (*discordgo.GatewayBotResponse, error)
	ApplicationCommands(appID, guildID string, options ...discordgo.RequestOption) ([]*discordgo.ApplicationCommand, error)
	ApplicationCommandBulkOverwrite(appID, guildID string, commands []*discordgo.ApplicationCommand, options ...discordgo.RequestOption) ([]*discordgo.ApplicationCommand, error)
	Channel(channelID string, options ...discordgo.RequestOption) (*discordgo.Channel, error)
	ChannelTyping(channelID string, options ...discordgo.RequestOption) error
	ChannelMessageSendComplex(channelID string, data *discordgo.MessageSend, options ...discordgo.RequestOption) (*discordgo.Message, error)
	// respond sends an interaction's response (wireResponse's body).
	respond(i *discordgo.Interaction, body any, options ...discordgo.RequestOption) error
	FollowupMessageCreate(interaction *discordgo.Interaction, wait bool, data *discordgo.WebhookParams, options ...discordgo.RequestOption) (*discordgo.Message, error)

	// editMessage edits one of the bot's messages in a channel, and
	// editResponse an interaction's response, with flags always sent (see
	// messageEdit).
	editMessage(channelID, messageID string, e *messageEdit, options ...discordgo.RequestOption) (*discordgo.Message, error)
	editResponse(i *discordgo.Interaction, e *messageEdit, options ...discordgo.RequestOption) (*discordgo.Message, error)

	// shutdown closes the gateway connection for good: no reconnection
	// follows, even from discordgo's heartbeat or reader goroutines.
	shutdown() error

	// identity returns the bot's user id and application id as reported
	// by the gateway's READY event; empty before the first READY.
	identity() (userID, appID string)
}

// dgSession adapts *discordgo.Session to session.
type dgSession struct {
	*discordgo.Session
}

func (s dgSession) identity() (string, string) {
	st := s.State
	st.RLock()
	defer st.RUnlock()
	var user, app string
	if st.User != nil {
		user = st.User.ID
	}
	if st.Application != nil {
		app = st.Application.ID
	}
	return user, app
}

// messageEdit is the body of an edit. discordgo's MessageEdit and
// WebhookEdit leave out flags that are 0 (and WebhookEdit has none), but an
// edit must send them: a partial answer goes out with SUPPRESS_EMBEDS, and
// the final answer that replaces it brings a Sources embed the flag would
// hide.
type messageEdit struct {
	Content         string                            `json:"content"`
	Embeds          []*discordgo.MessageEmbed         `json:"embeds"`
	AllowedMentions *discordgo.MessageAllowedMentions `json:"allowed_mentions"`
	Flags           discordgo.MessageFlags            `json:"flags"`
}

func (s dgSession) editMessage(channelID, messageID string, e *messageEdit, options ...discordgo.RequestOption) (*discordgo.Message, error) {
	// The bucket is discordgo's for ChannelMessageEditComplex.
	return s.patch(discordgo.EndpointChannelMessage(channelID, messageID), e, discordgo.EndpointChannelMessage(channelID, ""), options)
}

func (s dgSession) editResponse(i *discordgo.Interaction, e *messageEdit, options ...discordgo.RequestOption) (*discordgo.Message, error) {
	// The bucket is discordgo's for InteractionResponseEdit.
	return s.patch(discordgo.EndpointWebhookMessage(i.AppID, i.Token, "@original"), e, discordgo.EndpointWebhookToken("", ""), options)
}

func (s dgSession) respond(i *discordgo.Interaction, body any, options ...discordgo.RequestOption) error {
	// The endpoint and bucket of discordgo's InteractionRespond, which
	// cannot send an autocomplete result without choices.
	endpoint := discordgo.EndpointInteractionResponse(i.ID, i.Token)
	_, err := s.RequestWithBucketID("POST", endpoint, body, endpoint, options...)
	return err
}

func (s dgSession) patch(uri string, e *messageEdit, bucket string, options []discordgo.RequestOption) (*discordgo.Message, error) {
	body, err := s.RequestWithBucketID("PATCH", uri, e, bucket, options...)
	if err != nil {
		return nil, err
	}
	var m discordgo.Message
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("%w: %s", discordgo.ErrJSONUnmarshal, err)
	}
	return &m, nil
}

func (s dgSession) shutdown() error {
	// Open reads ShouldReconnectOnError under the session's lock, and the
	// reconnect that a failing heartbeat or read starts happens after Close,
	// which takes the lock too.
	s.Lock()
	s.ShouldReconnectOnError = false
	s.Unlock()
	return s.Close()
}

// discordAPI is the base discordgo builds every REST URL from
// (discordgo.EndpointAPI without its trailing slash). discordgo's package
// variables are never changed: tests run sessions against different fakes
// in parallel, and a REST proxy is reached by rewriting requests instead.
var discordAPI = strings.TrimSuffix(discordgo.EndpointAPI, "/")

// newSession returns a discordgo session for token whose REST requests go
// to apiBase (see rewriteTransport) and whose gateway identifies with
// intents and the given shard. The session keeps only the minimal state (its
// own user and application), not guild caches.
func newSession(token, apiBase string, intents discordgo.Intent, shardID, shardCount int) (*discordgo.Session, error) {
	auth := ""
	if token != "" {
		auth = "Bot " + token
	}
	s, err := discordgo.New(auth)
	if err != nil {
		return nil, fmt.Errorf("discord: new session: %w", err)
	}
	base, err := url.Parse(strings.TrimRight(apiBase, "/"))
	if err != nil {
		return nil, fmt.Errorf("discord: API URL: %w", err)
	}
	s.Client = &http.Client{Timeout: 20 * time.Second, Transport: &rewriteTransport{base: base, next: http.DefaultTransport}}
	s.StateEnabled = false
	s.Identify.Intents = intents
	s.ShardID, s.ShardCount = shardID, shardCount
	s.LogLevel = discordgo.LogError
	return s, nil
}

// rewriteTransport sends requests for Discord's REST API
// (https://discord.com/api/v9/...) to base instead, keeping the rest of the
// path and the query. That is how DISCORD_API_URL points discordgo at a REST
// proxy or a test fake without touching discordgo's package variables.
// Requests for other hosts pass through unchanged.
type rewriteTransport struct {
	base *url.URL
	next http.RoundTripper
}

func (t *rewriteTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rest, ok := strings.CutPrefix(r.URL.String(), discordAPI)
	if !ok || t.base.String() == discordAPI {
		return t.next.RoundTrip(r)
	}
	u, err := url.Parse(t.base.String() + rest)
	if err != nil {
		return nil, fmt.Errorf("rewrite %s: %w", redactURL(r.URL.Path), err)
	}
	r = r.Clone(r.Context())
	r.URL = u
	r.Host = u.Host
	return t.next.RoundTrip(r)
}

// interactionToken matches the tokens that webhook and interaction URLs
// carry (/webhooks/APP/TOKEN, /interactions/ID/TOKEN/callback).
var interactionToken = regexp.MustCompile(`/(webhooks|interactions)/([0-9]+)/[A-Za-z0-9._-]+`)

// redactURL removes interaction tokens from text that may contain a REST
// URL (errors of the HTTP client quote the URL they failed on).
func redactURL(s string) string {
	return interactionToken.ReplaceAllString(s, "/$1/$2/[redacted]")
}

// safeErr is err's message with interaction tokens removed, for logs.
func safeErr(err error) string {
	if err == nil {
		return ""
	}
	return redactURL(err.Error())
}
