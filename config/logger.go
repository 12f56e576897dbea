package config

import (
	"github.com/newsbot/newsbot/internal/logctx"

	"io"
	"log/slog"
	"strings"
)

// secretish names log attributes whose values must never be written.
var secretish = []string{"token", "secret", "password", "apikey", "api_key", "authorization", "signature"}

// NewLogger returns the logger c describes, writing to w. Attributes whose
// key names a secret are replaced by "[redacted]", whatever logs them, and
// so is every secret value of c (see Secrets) wherever it appears in a
// record: its message, attributes, nested groups and error values.
func NewLogger(c *Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel, ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		k := strings.ToLower(a.Key)
		for _, s := range secretish {
			if strings.Contains(k, s) {
				return slog.String(a.Key, "[redacted]")
			}
		}
		return a
	}}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if c.LogFormat == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(c.Redactor().Handler(logctx.Handler(h)))
}
