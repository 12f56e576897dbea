package config

import (
	"net/url"
	"strings"

	"github.com/newsbot/newsbot/internal/redact"
)

// Secrets returns every secret value the configuration holds, for
// redaction: the values of the Secret variables (Slack's bot and app
// tokens and signing secret, the Discord bot token, OPENAI_API_KEY, which
// is also the embeddings' key), the password of NEWSBOT_DATABASE_URL (not
// the whole URL: its host and database are useful in errors), PGPASSWORD
// (which the PostgreSQL driver reads when the URL has no password), and
// any password or token inside another setting's URLs (a feed or an API
// URL with user:password@ or ?token=). DISCORD_PUBLIC_KEY is not among
// them: it only verifies Discord's signatures, and Discord shows it to
// anyone who can see the application.
func (c *Config) Secrets() []string {
	if c == nil {
		return nil
	}
	return c.secrets
}

// Redactor replaces the configuration's secrets (see Secrets) wherever
// they appear: NewLogger's records use it, and so must anything else that
// prints (main wraps stdout, stderr and the error it prints).
func (c *Config) Redactor() *redact.Redactor {
	if c == nil {
		return nil
	}
	return c.redactor
}

// secretValues returns the values to redact for variable v set to val.
func secretValues(v Var, val string) []string {
	if val == "" {
		return nil
	}
	if !v.Secret {
		return urlCredentials(val)
	}
	if v.Env == "NEWSBOT_DATABASE_URL" {
		return urlCredentials(val)
	}
	// The value as given and trimmed, and each word of it: DISCORD_BOT_TOKEN
	// may be pasted with its "Bot " prefix.
	out := []string{val, strings.TrimSpace(val)}
	return append(out, strings.Fields(val)...)
}

// urlCredentials returns the passwords and tokens in the URLs of val (one
// URL, or a list separated by commas or spaces): the password of
// user:password@, as written and decoded, and the values of query
// parameters named like a secret (password, token, key, ...).
func urlCredentials(val string) []string {
	var out []string
	for _, piece := range strings.FieldsFunc(val, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
		scheme, rest, ok := strings.Cut(piece, "://")
		if !ok || scheme == "" {
			continue
		}
		// As written: between the first ':' of the userinfo and its '@'.
		if at := strings.LastIndex(strings.SplitN(rest, "/", 2)[0], "@"); at >= 0 {
			if _, pw, ok := strings.Cut(rest[:at], ":"); ok {
				out = append(out, pw)
			}
		}
		u, err := url.Parse(piece)
		if err != nil {
			continue
		}
		if pw, ok := u.User.Password(); ok {
			out = append(out, pw)
		}
		for k, vs := range u.Query() {
			if secretKey(k) {
				out = append(out, vs...)
			}
		}
	}
	return out
}

// secretKey reports whether a query parameter or log attribute name
// names a secret.
func secretKey(k string) bool {
	k = strings.ToLower(k)
	switch k {
	case "key", "sig", "auth", "pass", "pwd":
		return true
	}
	for _, s := range secretish {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}
