package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// The pages in testdata/charset are invented, shaped like real news pages
// (a long <head> of preloads and styles, so a <meta> lands after the first
// 1,024 bytes). They are stored as UTF-8; each case encodes its page as the
// server would have sent it.
func TestDecodeHTMLPages(t *testing.T) {
	tests := []struct {
		file, ctype string
		enc         encoding.Encoding // nil: sent as stored (UTF-8)
		wantName    string
		want        string // a phrase of the page that must come out intact
	}{
		// <meta charset=windows-1252> after byte 1,024, real 1252 body.
		{"meta-after-1024.html", "text/html", charmap.Windows1252, "windows-1252", "council\u2019s \u201cfinal\u201d budget"},
		// No declaration anywhere, UTF-8 body (a server sending text/html).
		{"utf8-no-meta.html", "text/html", nil, "utf-8", "宇航员周二返回地面"},
		// Declares GB2312 but the page was re-saved as UTF-8.
		{"gb2312-declared-utf8-body.html", "", nil, "utf-8", "宇航员周二返回地面"},
		// Declares GB2312 (read as GBK) with a real GBK body.
		{"gbk-body.html", "", simplifiedchinese.GBK, "gbk", "宇航员周二返回地面"},
		// Shift_JIS, declared nowhere: the detector.
		{"shift_jis-undeclared.html", "text/html", japanese.ShiftJIS, "shift_jis", "宇宙飛行士が火曜日に地球へ帰還"},
		// Windows-1252, declared nowhere: the detector or the fallback.
		{"windows-1252-undeclared.html", "text/html", charmap.Windows1252, "windows-1252", "caf\u00e9 district\u2019s"},
		// The header says Shift_JIS, the <meta> ISO-8859-1: the header wins.
		{"header-vs-meta.html", "text/html; charset=Shift_JIS", japanese.ShiftJIS, "shift_jis", "宇宙飛行士が火曜日に地球へ帰還"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", "charset", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			body := src
			if tt.enc != nil {
				if body, err = tt.enc.NewEncoder().Bytes(src); err != nil {
					t.Fatal(err)
				}
				if utf8.Valid(body) {
					t.Fatalf("encoded body is valid UTF-8: the case tests nothing")
				}
			}
			got, name, err := DecodeHTML(body, tt.ctype)
			if err != nil {
				t.Fatal(err)
			}
			if name != tt.wantName {
				t.Errorf("charset %q, want %q", name, tt.wantName)
			}
			if !strings.Contains(string(got), tt.want) {
				t.Errorf("decoded page lacks %q", tt.want)
			}
			if string(got) != string(src) {
				t.Errorf("decoded page differs from the original")
			}
		})
	}
}

func TestMetaCharset(t *testing.T) {
	late, err := os.ReadFile("testdata/charset/meta-after-1024.html")
	if err != nil {
		t.Fatal(err)
	}
	if i := strings.Index(string(late), "<meta"); i < 1024 {
		t.Fatalf("<meta> at byte %d, want after 1,024", i)
	}
	tests := []struct{ html, want string }{
		{string(late), "windows-1252"},
		{`<head><meta charset=" Shift_JIS "></head>`, "shift_jis"},
		{`<head><META HTTP-EQUIV="content-type" CONTENT="text/html; charset=GB2312"></head>`, "gb2312"},
		{`<meta http-equiv=Content-Type content="text/html;charset='euc-kr'">`, "euc-kr"},
		{`<meta content="text/html; charset=koi8-r" http-equiv="Content-Type">`, "koi8-r"},
		{`<meta name="description" content="charset=big5">`, ""},
		{`<head></head><body><meta charset="big5">`, ""},
		{`<body><meta charset="big5">`, ""},
		{`<head><script>var s = '<meta charset="big5">';</script><meta charset="euc-jp">`, "euc-jp"},
		{`<!-- <meta charset="big5"> --><meta charset="utf-8">`, "utf-8"},
		{``, ""},
	}
	for _, tt := range tests {
		if got := metaCharset([]byte(tt.html)); got != tt.want {
			t.Errorf("metaCharset(%q) = %q, want %q", tt.html, got, tt.want)
		}
	}
}

func TestDecodeHTMLOrder(t *testing.T) {
	utf8Body := "<p>L\u2019\u00e9t\u00e9 \u00e0 Paris</p>"
	tests := []struct {
		name, ctype string
		body        []byte
		want        string
		wantName    string
	}{
		{"UTF-8 body beats a legacy header", "text/html; charset=iso-8859-1", []byte(utf8Body), utf8Body, "utf-8"},
		{"ASCII keeps the declaration's name", "text/html; charset=windows-1252", []byte("<p>plain</p>"), "<p>plain</p>", "windows-1252"},
		{"declared UTF-8 that is not: detect", "text/html; charset=utf-8", []byte("<p>caf\xe9 cr\xe8me br\xfbl\xe9e, d\xe9j\xe0 vu, tr\xe8s bien</p>"), "<p>café crème brûlée, déjà vu, très bien</p>", "windows-1252"},
		{"UTF-16LE BOM", "text/html; charset=iso-8859-1", []byte("\xff\xfe<\x00p\x00>\x00\xe9\x00"), "<p>é", "utf-16le"},
		{"UTF-8 BOM dropped", "", []byte("\ufeff" + utf8Body), utf8Body, "utf-8"},
		{"unknown declared name falls through", "text/html; charset=x-no-such", []byte("<p>caf\xe9</p>"), "<p>café</p>", "windows-1252"},
		{"UTF-16 declared without BOM on ASCII", "text/html; charset=utf-16", []byte("<p>plain</p>"), "<p>plain</p>", "utf-8"},
	}
	for _, tt := range tests {
		got, name, err := DecodeHTML(tt.body, tt.ctype)
		if err != nil || string(got) != tt.want || name != tt.wantName {
			t.Errorf("%s: %q %q %v; want %q %q", tt.name, got, name, err, tt.want, tt.wantName)
		}
	}
}

func TestDecodeXML(t *testing.T) {
	item := "<item><title>Le co\u00fbt du tram d\u00e9passe 4 M\u20ac</title></item>"
	cp, _ := charmap.Windows1252.NewEncoder().String(item)
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("<item><title>宇航员返回地面</title></item>")
	tests := []struct {
		name, ctype, body, want, wantName string
	}{
		{"prolog", "application/rss+xml", `<?xml version="1.0" encoding="windows-1252"?>` + cp, `<?xml version="1.0" encoding="UTF-8"?>` + item, "windows-1252"},
		{"prolog beats header", "text/xml; charset=utf-8", `<?xml version="1.0" encoding='gb2312'?>` + gbk, `<?xml version="1.0" encoding='UTF-8'?><item><title>宇航员返回地面</title></item>`, "gbk"},
		{"header without prolog", "text/xml; charset=windows-1252", cp, item, "windows-1252"},
		{"UTF-8 body with a legacy prolog", "", `<?xml version="1.0" encoding="ISO-8859-1"?>` + item, `<?xml version="1.0" encoding="UTF-8"?>` + item, "utf-8"},
		{"plain UTF-8 untouched", "", `<?xml version="1.0"?>` + item, `<?xml version="1.0"?>` + item, "utf-8"},
		{"JSON feed untouched", "application/feed+json", `{"title":"caf\u00e9"}`, `{"title":"caf\u00e9"}`, "utf-8"},
	}
	for _, tt := range tests {
		got, name, err := DecodeXML([]byte(tt.body), tt.ctype)
		if err != nil || string(got) != tt.want || name != tt.wantName {
			t.Errorf("%s: %q %q %v; want %q %q", tt.name, got, name, err, tt.want, tt.wantName)
		}
	}
}

// FuzzDecodeHTML and FuzzDecodeXML decode any page or feed body under any
// Content-Type: no panic; UTF-8 out; the same result every time.
func FuzzDecodeHTML(f *testing.F) {
	f.Add([]byte("<p>caf\xe9</p>"), "text/html; charset=x-no-such")
	f.Add([]byte(`<head><meta charset="gb2312"></head>`+"\xd3\xee"), "text/html")
	f.Add([]byte("\xff\xfe<\x00"), "")
	f.Add([]byte(`<meta http-equiv=content-type content="charset='`), "text/html; charset=")
	f.Fuzz(func(t *testing.T, body []byte, ctype string) {
		out, name, err := DecodeHTML(body, ctype)
		if err == nil && !utf8.Valid(out) {
			t.Fatalf("DecodeHTML(%q, %q) = %q: not UTF-8", body, ctype, out)
		}
		// The same page decodes the same way every time (the detector's
		// ties once went by goroutine timing).
		if again, name2, err2 := DecodeHTML(body, ctype); string(again) != string(out) || name2 != name || (err2 == nil) != (err == nil) {
			t.Fatalf("DecodeHTML(%q, %q): %q as %s, then %q as %s", body, ctype, out, name, again, name2)
		}
	})
}

func FuzzDecodeXML(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0" encoding="shift_jis"?><rss>`+"\x93\xfa"), "")
	f.Add([]byte(`<?xml encoding='`), "text/xml; charset=koi8-r")
	f.Fuzz(func(t *testing.T, body []byte, ctype string) {
		out, name, err := DecodeXML(body, ctype)
		if err == nil && !utf8.Valid(out) {
			t.Fatalf("DecodeXML(%q, %q) = %q: not UTF-8", body, ctype, out)
		}
		if again, name2, err2 := DecodeXML(body, ctype); string(again) != string(out) || name2 != name || (err2 == nil) != (err == nil) {
			t.Fatalf("DecodeXML(%q, %q): %q as %s, then %q as %s", body, ctype, out, name, again, name2)
		}
	})
}
