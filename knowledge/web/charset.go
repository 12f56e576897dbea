package web

import (
	"bytes"
	"fmt"
	"mime"
	"strings"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/transform"
)

// DecodeHTML returns an HTML body as UTF-8, decoded from the character set
// named by the byte-order mark, the Content-Type header, or a <meta charset>
// in the first 1024 bytes; content that is valid UTF-8 with no declaration
// is kept, other undeclared content is read as Windows-1252 (the HTML
// standard's fallback). It also returns the name of the character set used.
func DecodeHTML(body []byte, contentType string) ([]byte, string, error) {
	enc, name, _ := charset.DetermineEncoding(body, contentType)
	if name == "utf-8" {
		return bytes.TrimPrefix(body, []byte("\ufeff")), name, nil
	}
	out, _, err := transform.Bytes(enc.NewDecoder(), body)
	if err != nil {
		return nil, name, fmt.Errorf("decode %s: %w", name, err)
	}
	return out, name, nil
}

// Charset returns the charset parameter of a Content-Type header in lower
// case, or "" when there is none.
func Charset(contentType string) string {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return strings.ToLower(params["charset"])
}

// MediaType returns the media type of a Content-Type header in lower case
// ("text/html"), or "" when there is none.
func MediaType(contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return mt
}
