package slack

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/newsbot/newsbot/internal/safe"
)

// DefaultScopes are the bot scopes newsbot asks for at install: mentions,
// thread follow-ups in public and private channels, direct messages and
// the assistant surface, posting, and the slash command.
var DefaultScopes = []string{
	"app_mentions:read", "channels:history", "groups:history", "im:history",
	"chat:write", "commands", "assistant:write",
}

// oauthFlow is Slack's OAuth v2 install: the redirect to the consent page
// and the exchange of the code for a bot token.
type oauthFlow struct {
	clientID, clientSecret string
	redirectURL            string
	scopes                 []string
	authorizeURL           string // Slack's consent page
	apiURL                 string // where oauth.v2.access is
	http                   *http.Client
	store                  TokenStore
	seal                   *sealer
	stateKey               []byte
}

// stateTTL is how long an install may take between /slack/install and
// the callback.
const stateTTL = 10 * time.Minute

// stateCookie binds the OAuth state to the browser that started the
// install.
const stateCookie = "newsbot_slack_oauth"

func newOAuthFlow(opt Options, hc *http.Client) (*oauthFlow, error) {
	switch {
	case opt.ClientSecret == "":
		return nil, errors.New("slack: SLACK_CLIENT_SECRET is required with SLACK_CLIENT_ID")
	case opt.RedirectURL == "":
		return nil, errors.New("slack: SLACK_REDIRECT_URL is required with SLACK_CLIENT_ID (the public URL of /slack/oauth/callback)")
	case opt.Installs == nil:
		return nil, errors.New("slack: OAuth installs need a token store")
	case len(opt.TokenKey) == 0:
		return nil, errors.New("slack: SLACK_TOKEN_KEY is required with SLACK_CLIENT_ID (32 bytes, e.g. openssl rand -hex 32)")
	}
	seal, err := newSealer(opt.TokenKey)
	if err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, opt.TokenKey)
	io.WriteString(mac, "newsbot slack oauth state v1")
	f := &oauthFlow{
		clientID: opt.ClientID, clientSecret: opt.ClientSecret, redirectURL: opt.RedirectURL,
		scopes: opt.Scopes, authorizeURL: "https://slack.com/oauth/v2/authorize", apiURL: slack.APIURL,
		http: hc, store: opt.Installs, seal: seal, stateKey: mac.Sum(nil),
	}
	if len(f.scopes) == 0 {
		f.scopes = DefaultScopes
	}
	if opt.APIURL != "" {
		// GovSlack, a proxy or a test: the consent page is on the same
		// host as the Web API, at /oauth/v2/authorize.
		u := opt.APIURL
		if !strings.HasSuffix(u, "/") {
			u += "/"
		}
		f.apiURL = u
		if p, err := url.Parse(u); err == nil {
			p.Path = strings.TrimSuffix(strings.TrimSuffix(p.Path, "/"), "/api") + "/oauth/v2/authorize"
			f.authorizeURL = p.String()
		}
	}
	return f, nil
}

// newState returns a state for the consent page and the nonce its cookie
// carries: nonce, expiry and an HMAC of both.
func (f *oauthFlow) newState(now time.Time) (state, nonce string) {
	var b [16 + 8]byte
	rand.Read(b[:16])
	binary.BigEndian.PutUint64(b[16:], uint64(now.Add(stateTTL).Unix()))
	mac := hmac.New(sha256.New, f.stateKey)
	mac.Write(b[:])
	signed := append(b[:], mac.Sum(nil)[:16]...)
	return base64.RawURLEncoding.EncodeToString(signed), base64.RawURLEncoding.EncodeToString(b[:16])
}

// checkState verifies a state from the callback against the cookie's
// nonce; it returns the nonce.
func (f *oauthFlow) checkState(state, cookie string, now time.Time) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(state)
	if err != nil || len(b) != 16+8+16 {
		return "", errors.New("malformed state")
	}
	mac := hmac.New(sha256.New, f.stateKey)
	mac.Write(b[:24])
	if !hmac.Equal(mac.Sum(nil)[:16], b[24:]) {
		return "", errors.New("state not signed by this newsbot")
	}
	if exp := time.Unix(int64(binary.BigEndian.Uint64(b[16:24])), 0); now.After(exp) {
		return "", errors.New("state expired")
	}
	nonce := base64.RawURLEncoding.EncodeToString(b[:16])
	if subtle.ConstantTimeCompare([]byte(nonce), []byte(cookie)) != 1 {
		return "", errors.New("state not started in this browser (cookie missing or different)")
	}
	return nonce, nil
}

// load returns the installation of team, or ErrNotInstalled.
func (f *oauthFlow) load(ctx context.Context, team string) (Installation, error) {
	sealed, err := f.store.Get(ctx, team)
	if err != nil {
		return Installation{}, err
	}
	return f.seal.open(team, sealed)
}

// save seals and stores an installation.
func (f *oauthFlow) save(ctx context.Context, in Installation) error {
	sealed, err := f.seal.seal(in)
	if err != nil {
		return err
	}
	return f.store.Put(ctx, in.TeamID, sealed)
}

// registerOAuth adds GET /slack/install and GET /slack/oauth/callback,
// which browsers open (so they are not signed by Slack); it returns how
// many routes it added.
func (a *Adapter) registerOAuth(mux *http.ServeMux) int {
	if a.oauth == nil {
		return 0
	}
	mux.Handle("GET /slack/install", a.recovered(a.serveInstall))
	mux.Handle("GET /slack/oauth/callback", a.recovered(a.serveOAuthCallback))
	return 2
}

// recovered runs next, turning a panic into a 500 page (and a log line
// with the stack).
func (a *Adapter) recovered(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rw := &trackingWriter{ResponseWriter: w}
		if err := safe.Do(r.Context(), a.log, "slack "+r.URL.Path, func() { next(rw, r) }); err != nil && !rw.wrote {
			installPage(w, http.StatusInternalServerError, "Something went wrong", "newsbot could not finish the install. Please try again.")
		}
	})
}

// serveInstall sends the browser to Slack's consent page, with a state
// bound to a short-lived cookie.
func (a *Adapter) serveInstall(w http.ResponseWriter, r *http.Request) {
	f := a.oauth
	state, nonce := f.newState(time.Now())
	http.SetCookie(w, &http.Cookie{
		Name: stateCookie, Value: nonce, Path: "/slack/oauth", MaxAge: int(stateTTL / time.Second),
		HttpOnly: true, Secure: strings.HasPrefix(f.redirectURL, "https://"), SameSite: http.SameSiteLaxMode,
	})
	q := url.Values{
		"client_id": {f.clientID}, "scope": {strings.Join(f.scopes, ",")},
		"redirect_uri": {f.redirectURL}, "state": {state},
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, f.authorizeURL+"?"+q.Encode(), http.StatusFound)
}

// serveOAuthCallback checks the state, exchanges the code for the
// workspace's bot token (oauth.v2.access) and keeps it sealed.
func (a *Adapter) serveOAuthCallback(w http.ResponseWriter, r *http.Request) {
	f := a.oauth
	w.Header().Set("Cache-Control", "no-store")
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		a.log.Info("install cancelled", "error", truncate(e, 100))
		installPage(w, http.StatusOK, "Not installed", "newsbot was not installed ("+truncate(e, 100)+").")
		return
	}
	var cookie string
	if c, err := r.Cookie(stateCookie); err == nil {
		cookie = c.Value
	}
	nonce, err := f.checkState(q.Get("state"), cookie, time.Now())
	if err == nil && !a.firstSeen(r.Context(), "oauth-state:"+nonce, 2*stateTTL) {
		err = errors.New("state used before")
	}
	if err != nil {
		a.log.Warn("refused an OAuth callback", "reason", err.Error(), "remote", r.RemoteAddr)
		installPage(w, http.StatusBadRequest, "Install link expired", "This install was not started here or took too long. Please start again from the install link.")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: stateCookie, Value: "", Path: "/slack/oauth", MaxAge: -1, HttpOnly: true})
	code := q.Get("code")
	if code == "" {
		installPage(w, http.StatusBadRequest, "Not installed", "Slack sent no authorization code.")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	res, err := slack.GetOAuthV2ResponseContext(ctx, f.http, f.clientID, f.clientSecret, code, f.redirectURL, slack.OAuthOptionAPIURL(f.apiURL))
	switch {
	case err != nil:
		a.log.Error("oauth.v2.access", "err", err)
		installPage(w, http.StatusBadGateway, "Not installed", "Slack did not accept the install. Please try again.")
		return
	case res.IsEnterpriseInstall || res.Team.ID == "":
		a.log.Warn("refused an org-wide install", "enterprise", res.Enterprise.ID)
		installPage(w, http.StatusBadRequest, "Not installed", "newsbot is installed one workspace at a time, not for a whole organisation.")
		return
	case res.TokenType != "bot" || !strings.HasPrefix(res.AccessToken, "xoxb-") || res.BotUserID == "":
		a.log.Error("oauth.v2.access gave no bot token", "team", res.Team.ID, "token_type", res.TokenType)
		installPage(w, http.StatusBadGateway, "Not installed", "Slack gave newsbot no bot token. Please check the app's bot scopes.")
		return
	}
	in := Installation{
		TeamID: res.Team.ID, TeamName: res.Team.Name, BotToken: res.AccessToken, BotUserID: res.BotUserID,
		AppID: res.AppID, Scope: res.Scope, InstalledBy: res.AuthedUser.ID, InstalledAt: time.Now().UTC(),
	}
	if err := f.save(ctx, in); err != nil {
		a.log.Error("store the installation", "team", in.TeamID, "err", err)
		installPage(w, http.StatusInternalServerError, "Not installed", "newsbot could not keep the install. Please try again.")
		return
	}
	a.spaces.forget(in.TeamID)
	a.log.Info("installed", "team", in.TeamID, "by", in.InstalledBy, "scope", in.Scope)
	where := in.TeamName
	if where == "" {
		where = "your workspace"
	}
	installPage(w, http.StatusOK, "newsbot is installed", fmt.Sprintf("newsbot is installed in %s. Mention it in a channel, write to it directly, or open it from Slack's sidebar.", where))
}

// installPage writes a small HTML page.
func installPage(w http.ResponseWriter, status int, title, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html><meta charset=utf-8><title>%s</title><h1>%s</h1><p>%s</p>\n",
		html.EscapeString(title), html.EscapeString(title), html.EscapeString(text))
}

// uninstall forgets team's installation (app_uninstalled, or its bot
// token revoked).
func (a *Adapter) uninstall(ctx context.Context, team, why string) {
	if a.oauth == nil || team == "" {
		a.log.Info(why+"; nothing to forget (single-token setup: remove SLACK_BOT_TOKEN)", "team", team)
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := a.oauth.store.Delete(ctx, team); err != nil {
		a.log.Error("forget the installation", "team", team, "err", err)
	}
	a.spaces.forget(team)
	a.log.Info(why+": installation forgotten", "team", team)
}
