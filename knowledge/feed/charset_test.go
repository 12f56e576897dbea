package feed

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestExtractPageCharsets(t *testing.T) {
	paras := "<p>宇航员周二返回地面，完成了为期六个月的空间站任务，三名航天员身体状况良好。</p>" +
		"<p>中国载人航天工程办公室表示，此次任务期间，乘组完成了多次出舱活动和科学实验。</p>" +
		"<p>专家认为，这次任务为后续的长期驻留积累了宝贵经验，下一批航天员将于明年春季出发。</p>"
	head := "<head>" + strings.Repeat(`<link rel="preload" href="/static/app.js" as="script">`, 25)
	utf8Page := head + `<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>宇航员返回地面</title></head><body><article><h1>宇航员返回地面</h1>` + paras + `</article></body>`
	gbkPage, _ := simplifiedchinese.GBK.NewEncoder().String(utf8Page)
	for name, body := range map[string]string{"GB2312 declared, UTF-8 body": utf8Page, "GBK body, late meta": gbkPage} {
		p, err := ExtractPage([]byte(body), "text/html", "https://news.example.cn/a.html")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := strings.Join(p.Article.Paragraphs, "\n"); !strings.Contains(got, "宇航员周二返回地面") || p.Article.Title != "宇航员返回地面" {
			t.Errorf("%s: title %q, text %q", name, p.Article.Title, got)
		}
	}
}

func TestParseFeedCharsets(t *testing.T) {
	rss := `<?xml version="1.0" encoding="Shift_JIS"?><rss version="2.0"><channel><title>ニュース</title><link>https://news.example.jp/</link>` +
		`<item><title>宇宙飛行士が帰還</title><link>https://news.example.jp/a</link></item></channel></rss>`
	sjis, _ := japanese.ShiftJIS.NewEncoder().String(rss)
	for name, body := range map[string]string{"Shift_JIS": sjis, "UTF-8 under a Shift_JIS prolog": rss} {
		doc, err := Parse([]byte(body), "application/rss+xml; charset=iso-8859-1", "https://news.example.jp/rss")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if doc.Title != "ニュース" || len(doc.Items) != 1 || doc.Items[0].Title != "宇宙飛行士が帰還" {
			t.Errorf("%s: %q %+v", name, doc.Title, doc.Items)
		}
	}
}
