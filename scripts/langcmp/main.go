// Command langcmp compares language detectors on the texts newsbot meets:
// short questions (knowledge/analysis/testdata/short-questions.txt), real
// news pages (Mozilla Readability's test pages, their <html lang> as the
// truth, the text as newsbot stores it), the per-language suite's articles
// (bot/testdata/langs) and 1,000 articles of the RealTime QA corpus
// (English). Results and the choice made: docs/languages.md.
//
// It is a module of its own, so that the detectors it compares stay out of
// newsbot's. Prepare the pages, then run it from this directory:
//
//	git -C readability ls-tree -r --name-only HEAD test/test-pages | grep source.html$ | …  # each to /tmp/moz/NAME.html
//	for f in /tmp/moz/*.html; do newsbot ingest --db /tmp/mozper/$(basename $f .html).db $f; done
//	go run .
package main

import (
	"bufio"
	"compress/gzip"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/abadojack/whatlanggo"
	"github.com/newsbot/newsbot/knowledge/analysis"
	"github.com/pemistahl/lingua-go"
	_ "modernc.org/sqlite"
)

type item struct{ lang, text string }

var codes = map[string]bool{"en": true, "fr": true, "de": true, "es": true, "pt": true, "it": true, "ru": true, "zh": true, "ja": true, "ko": true}

func main() {
	var short, pages, corpus []item
	f, _ := os.Open("/work/main/knowledge/analysis/testdata/short-questions.txt")
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		a, b, _ := strings.Cut(l, "\t")
		short = append(short, item{a, b})
	}
	// Mozilla pages: truth from <html lang>, text as stored.
	reLang := regexp.MustCompile(`(?i)<html[^>]*\blang=["']?([a-z]{2})`)
	names, _ := os.ReadDir("/tmp/moz")
	for _, e := range names {
		name := strings.TrimSuffix(e.Name(), ".html")
		src, _ := os.ReadFile("/tmp/moz/" + e.Name())
		m := reLang.FindSubmatch(src)
		if m == nil || !codes[strings.ToLower(string(m[1]))] {
			continue
		}
		db, _ := sql.Open("sqlite", "/tmp/mozper/"+name+".db")
		var parts []string
		pr, err := db.Query(`select text from paragraphs order by doc`)
		if err != nil {
			db.Close()
			continue
		}
		for pr.Next() {
			var t string
			pr.Scan(&t)
			parts = append(parts, t)
		}
		pr.Close()
		db.Close()
		if len(parts) > 0 {
			pages = append(pages, item{strings.ToLower(string(m[1])), strings.Join(parts, "\n")})
		}
	}
	// langs suite articles
	lf, _ := os.Open("/work/main/bot/testdata/langs/articles.jsonl")
	sc = bufio.NewScanner(lf)
	sc.Buffer(nil, 1<<20)
	var suite []item
	for sc.Scan() {
		var a struct {
			Lang       string   `json:"lang"`
			ID         string   `json:"id"`
			URL        string   `json:"url"`
			Title      string   `json:"title"`
			Paragraphs []string `json:"paragraphs"`
			Text       string   `json:"text"`
		}
		json.Unmarshal(sc.Bytes(), &a)
		lang := a.Lang
		if lang == "" {
			u := a.URL
			lang = u[strings.LastIndex(u, "/")+1:][:2]
		}
		suite = append(suite, item{lang, a.Title + "\n" + strings.Join(a.Paragraphs, "\n") + a.Text})
	}
	// corpus: first 1000 articles (English)
	gz, _ := os.Open("/work/shared/data/realtimeqa/corpus.jsonl.gz")
	zr, _ := gzip.NewReader(gz)
	sc = bufio.NewScanner(zr)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() && len(corpus) < 1000 {
		var a map[string]any
		json.Unmarshal(sc.Bytes(), &a)
		var t string
		for _, k := range []string{"title", "text", "content", "body"} {
			if s, ok := a[k].(string); ok {
				t += s + "\n"
			}
		}
		if ps, ok := a["paragraphs"].([]any); ok {
			for _, p := range ps {
				if s, ok := p.(string); ok {
					t += s + "\n"
				}
			}
		}
		corpus = append(corpus, item{"en", t})
	}
	fmt.Printf("short %d, pages %d, suite %d, corpus %d\n", len(short), len(pages), len(suite), len(corpus))
	ll := lingua.NewLanguageDetectorBuilder().FromLanguages(lingua.English, lingua.French, lingua.German, lingua.Spanish, lingua.Portuguese,
		lingua.Italian, lingua.Russian, lingua.Chinese, lingua.Japanese, lingua.Korean)
	t0 := time.Now()
	lhigh := ll.Build()
	fmt.Println("lingua high build", time.Since(t0))
	llow := lingua.NewLanguageDetectorBuilder().FromLanguages(lingua.English, lingua.French, lingua.German, lingua.Spanish, lingua.Portuguese,
		lingua.Italian, lingua.Russian, lingua.Chinese, lingua.Japanese, lingua.Korean).WithLowAccuracyMode().Build()
	dets := []struct {
		name string
		fn   func(string) (string, bool)
	}{
		{"newsbot Detect", func(s string) (string, bool) { return analysis.Detect(s) }},
		{"newsbot Language", func(s string) (string, bool) { return analysis.Language(s), true }},
		{"whatlanggo", func(s string) (string, bool) {
			i := whatlanggo.DetectWithOptions(s, whatlanggo.Options{Whitelist: map[whatlanggo.Lang]bool{whatlanggo.Eng: true, whatlanggo.Fra: true, whatlanggo.Deu: true, whatlanggo.Spa: true, whatlanggo.Por: true, whatlanggo.Ita: true, whatlanggo.Rus: true, whatlanggo.Cmn: true, whatlanggo.Jpn: true, whatlanggo.Kor: true}})
			return whatCode(i.Lang), i.IsReliable()
		}},
		{"whatlanggo (guess)", func(s string) (string, bool) {
			i := whatlanggo.DetectWithOptions(s, whatlanggo.Options{Whitelist: map[whatlanggo.Lang]bool{whatlanggo.Eng: true, whatlanggo.Fra: true, whatlanggo.Deu: true, whatlanggo.Spa: true, whatlanggo.Por: true, whatlanggo.Ita: true, whatlanggo.Rus: true, whatlanggo.Cmn: true, whatlanggo.Jpn: true, whatlanggo.Kor: true}})
			return whatCode(i.Lang), true
		}},
		{"lingua (high)", func(s string) (string, bool) {
			l, ok := lhigh.DetectLanguageOf(s)
			return strings.ToLower(l.IsoCode639_1().String()), ok
		}},
		{"lingua (low)", func(s string) (string, bool) {
			l, ok := llow.DetectLanguageOf(s)
			return strings.ToLower(l.IsoCode639_1().String()), ok
		}},
	}
	for _, d := range dets {
		fmt.Printf("%-18s", d.name)
		for _, set := range []struct {
			n  string
			it []item
		}{{"short", short}, {"pages", pages}, {"suite", suite}, {"corpus", corpus}} {
			right, unsure, wrong := 0, 0, 0
			start := time.Now()
			for _, it := range set.it {
				got, sure := d.fn(it.text)
				switch {
				case got == it.lang && sure:
					right++
				case !sure:
					unsure++
				default:
					wrong++
					if set.n == "pages" || set.n == "short" {
						fmt.Fprintf(os.Stderr, "%s %s: want %s got %s: %.60q\n", d.name, set.n, it.lang, got, it.text)
					}
				}
			}
			per := time.Since(start) / time.Duration(len(set.it))
			fmt.Printf(" | %s %d/%d right, %d unsure, %d wrong, %v each", set.n, right, len(set.it), unsure, wrong, per.Round(time.Microsecond))
		}
		fmt.Println()
	}
}

func whatCode(l whatlanggo.Lang) string {
	return map[whatlanggo.Lang]string{whatlanggo.Eng: "en", whatlanggo.Fra: "fr", whatlanggo.Deu: "de", whatlanggo.Spa: "es", whatlanggo.Por: "pt", whatlanggo.Ita: "it", whatlanggo.Rus: "ru", whatlanggo.Cmn: "zh", whatlanggo.Jpn: "ja", whatlanggo.Kor: "ko"}[l]
}
