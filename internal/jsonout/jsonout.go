// Package jsonout writes the command line's JSON output: one encoding for
// every command, with <, > and & left as they are (they are text, not
// HTML).
package jsonout

import (
	"encoding/json"
	"io"
)

// Write writes v as one line of JSON (JSON Lines output, `ask --json`).
func Write(w io.Writer, v any) error { return encode(w, v, "") }

// WriteIndented writes v as indented JSON (listings meant to be read too).
func WriteIndented(w io.Writer, v any) error { return encode(w, v, "  ") }

func encode(w io.Writer, v any, indent string) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if indent != "" {
		enc.SetIndent("", indent)
	}
	return enc.Encode(v)
}
