package web

import (
	"bytes"
	"cmp"
	"fmt"
	"mime"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gogs/chardet"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// headScanLimit bounds how far into a page DecodeHTML looks for a <meta>
// declaring the character set: the whole <head>, up to this many bytes.
const headScanLimit = 512 << 10

// DecodeHTML returns an HTML body as UTF-8 and the name of the character
// set it was decoded from. The order, like a browser's but sturdier:
//
//  1. a byte-order mark;
//  2. content that is valid UTF-8 and has multi-byte sequences is UTF-8,
//     whatever is declared (pages saved or re-served as UTF-8 often keep
//     their old GB2312 or ISO-8859-1 declaration; a real legacy body is
//     practically never valid UTF-8);
//  3. the Content-Type header's charset;
//  4. a <meta charset> or <meta http-equiv=Content-Type> anywhere in the
//     <head> (not only in the first 1,024 bytes);
//  5. ASCII or valid UTF-8 content is UTF-8; anything else goes to a
//     statistical detector, and failing that Windows-1252, the HTML
//     standard's fallback.
//
// A declared UTF-8 that the body is not, is ignored in favour of detection.
func DecodeHTML(body []byte, contentType string) ([]byte, string, error) {
	return decode(body, Charset(contentType), func() string { return metaCharset(body) }, chardet.NewHtmlDetector())
}

// DecodeXML returns an XML document (a feed) as UTF-8, with any encoding
// in its prolog rewritten to UTF-8 so that an XML parser does not decode it
// a second time. The order is that of DecodeHTML, with the prolog's
// encoding before the Content-Type header's charset (servers often add a
// wrong default charset to XML).
func DecodeXML(body []byte, contentType string) ([]byte, string, error) {
	prolog := prologEncoding(body)
	out, name, err := decode(body, prolog, func() string { return Charset(contentType) }, chardet.NewTextDetector())
	if err != nil {
		return nil, name, err
	}
	return rewriteProlog(out), name, nil
}

// decode applies DecodeHTML's order with first and then second as the two
// declarations (second computed only when needed).
func decode(body []byte, first string, second func() string, det *chardet.Detector) ([]byte, string, error) {
	if enc, name, n := bomEncoding(body); enc != nil {
		return transcode(body[n:], enc, name)
	}
	if utf8.Valid(body) && hasMultiByte(body) {
		return body, "utf-8", nil
	}
	for _, cs := range []string{first, second()} {
		if cs == "" {
			continue
		}
		enc, name := charset.Lookup(cs)
		if enc == nil {
			continue
		}
		if name == "utf-8" {
			if utf8.Valid(body) {
				return body, name, nil
			}
			continue // declared UTF-8 but is not: detect
		}
		if strings.HasPrefix(name, "utf-16") {
			// A body without a BOM that parses as ASCII is not UTF-16
			// (the HTML standard reads such a declaration as UTF-8).
			if utf8.Valid(body) {
				return body, "utf-8", nil
			}
		}
		return transcode(body, enc, name)
	}
	if utf8.Valid(body) {
		return body, "utf-8", nil
	}
	if enc, name := detect(body, det); enc != nil {
		return transcode(body, enc, name)
	}
	enc, name := charset.Lookup("windows-1252")
	return transcode(body, enc, name)
}

func transcode(body []byte, enc encoding.Encoding, name string) ([]byte, string, error) {
	if name == "utf-8" {
		if utf8.Valid(body) {
			return body, name, nil
		}
		return bytes.ToValidUTF8(body, []byte("\ufffd")), name, nil
	}
	out, _, err := transform.Bytes(enc.NewDecoder(), body)
	if err != nil {
		return nil, name, fmt.Errorf("decode %s: %w", name, err)
	}
	return out, name, nil
}

func bomEncoding(b []byte) (encoding.Encoding, string, int) {
	switch {
	case bytes.HasPrefix(b, []byte("\xef\xbb\xbf")):
		return unicode.UTF8, "utf-8", 3
	case bytes.HasPrefix(b, []byte("\xfe\xff")):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "utf-16be", 2
	case bytes.HasPrefix(b, []byte("\xff\xfe")):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "utf-16le", 2
	}
	return nil, "", 0
}

func hasMultiByte(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// detect asks the statistical detector for the body's character set; nil
// when it has no confident answer the decoder knows.
func detect(body []byte, det *chardet.Detector) (encoding.Encoding, string) {
	sample := body
	if len(sample) > 256<<10 {
		sample = sample[:256<<10]
	}
	// Not DetectBest: it breaks ties by which of its goroutines answers
	// first, so that one page could decode two ways (ISO-8859-1 or -2 for
	// a short Latin text).
	all, err := det.DetectAll(sample)
	if err != nil || len(all) == 0 {
		return nil, ""
	}
	res := slices.MinFunc(all, func(a, b chardet.Result) int {
		return cmp.Or(cmp.Compare(b.Confidence, a.Confidence), cmp.Compare(tieRank(a.Charset), tieRank(b.Charset)), strings.Compare(a.Charset, b.Charset))
	})
	if res.Confidence < 10 {
		return nil, ""
	}
	cs := res.Charset
	switch strings.ToUpper(cs) {
	case "UTF-8", "UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE", "ISO-2022-JP", "ISO-2022-KR", "ISO-2022-CN":
		return nil, "" // not valid UTF-8 (checked) and no BOM: don't trust
	case "GB18030":
		cs = "gb18030"
	}
	enc, name := charset.Lookup(cs)
	return enc, name
}

// tieRank orders character sets the detector is as confident of: the
// Western ones first, as browsers' fallback for Latin text is
// Windows-1252, then the others.
func tieRank(cs string) int {
	switch strings.ToUpper(cs) {
	case "ISO-8859-1", "WINDOWS-1252":
		return 0
	}
	return 1
}

// metaCharset returns the character set a <meta> in the page's <head>
// declares, or "".
func metaCharset(body []byte) string {
	if len(body) > headScanLimit {
		body = body[:headScanLimit]
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "body":
				return ""
			case "meta":
				if !hasAttr {
					continue
				}
				var cs, httpEquiv, content string
				for {
					k, v, more := z.TagAttr()
					switch string(k) {
					case "charset":
						cs = string(v)
					case "http-equiv":
						httpEquiv = strings.ToLower(strings.TrimSpace(string(v)))
					case "content":
						content = string(v)
					}
					if !more {
						break
					}
				}
				if cs = strings.TrimSpace(cs); cs != "" {
					return strings.ToLower(cs)
				}
				if httpEquiv == "content-type" {
					if cs := charsetFromContent(content); cs != "" {
						return cs
					}
				}
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "head" {
				return ""
			}
		}
	}
}

// charsetFromContent returns the charset named in a <meta> content
// attribute ("text/html; charset=gb2312"), leniently.
func charsetFromContent(content string) string {
	if cs := Charset(content); cs != "" {
		return cs
	}
	low := strings.ToLower(content)
	i := strings.Index(low, "charset")
	if i < 0 {
		return ""
	}
	rest := strings.TrimLeft(low[i+len("charset"):], " \t")
	if !strings.HasPrefix(rest, "=") {
		return ""
	}
	rest = strings.Trim(strings.TrimLeft(rest[1:], " \t"), `"'`)
	if j := strings.IndexAny(rest, ` ;"'`); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// prologEncoding returns the encoding named by an XML prolog, or "".
func prologEncoding(b []byte) string {
	start, end, val := prologEncodingSpan(b)
	if start < 0 || end < start {
		return ""
	}
	return strings.ToLower(string(val))
}

func prologEncodingSpan(b []byte) (int, int, []byte) {
	head := b[:min(len(b), 512)]
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	off := len(head) - len(trimmed)
	if !bytes.HasPrefix(trimmed, []byte("<?xml")) {
		return -1, -1, nil
	}
	stop := bytes.Index(trimmed, []byte("?>"))
	if stop < 0 {
		return -1, -1, nil
	}
	decl := trimmed[:stop]
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return -1, -1, nil
	}
	rest := decl[i+len("encoding"):]
	j := 0
	for j < len(rest) && (rest[j] == ' ' || rest[j] == '=' || rest[j] == '\t') {
		j++
	}
	if j >= len(rest) || (rest[j] != '"' && rest[j] != '\'') {
		return -1, -1, nil
	}
	q := rest[j]
	k := bytes.IndexByte(rest[j+1:], q)
	if k < 0 {
		return -1, -1, nil
	}
	s := off + i + len("encoding") + j + 1
	return s, s + k, rest[j+1 : j+1+k]
}

// rewriteProlog sets a prolog's encoding (of a document now in UTF-8) to
// UTF-8.
func rewriteProlog(b []byte) []byte {
	s, e, val := prologEncodingSpan(b)
	if s < 0 || strings.EqualFold(string(val), "utf-8") {
		return b
	}
	out := make([]byte, 0, len(b))
	out = append(out, b[:s]...)
	out = append(out, "UTF-8"...)
	return append(out, b[e:]...)
}

// Charset returns the charset parameter of a Content-Type header in lower
// case, or "" when there is none.
func Charset(contentType string) string {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return strings.ToLower(strings.Trim(strings.TrimSpace(params["charset"]), `"'`))
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
