package feed_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/testkit"
	"github.com/newsbot/newsbot/knowledge/feed"
	"github.com/newsbot/newsbot/knowledge/web"
)

// benchSite serves feeds /feed/F.xml of n items each, linking to article
// pages /page/F/I of six paragraphs, all generated.
func benchSite(b *testing.B, feeds, items int) *httptest.Server {
	words := strings.Fields("minister council harbour election budget storm railway court strike vaccine summit treaty " +
		"market inflation drought wildfire protest hospital school bridge airport satellite festival museum parliament")
	para := func(f, i, k int) string {
		var sb strings.Builder
		for w := range 40 {
			sb.WriteString(words[(f*7+i*13+k*5+w*3)%len(words)])
			sb.WriteByte(' ')
		}
		return fmt.Sprintf("Story %d-%d paragraph %d: %s.", f, i, k, sb.String())
	}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
		switch {
		case len(parts) == 2 && parts[0] == "feed":
			f, _ := strconv.Atoi(strings.TrimSuffix(parts[1], ".xml"))
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed %d</title><link>%s/</link>`, f, srv.URL)
			for i := range items {
				fmt.Fprintf(w, `<item><title>Story %d-%d</title><link>%s/page/%d/%d?utm_source=rss</link><guid>s-%d-%d</guid>
					<pubDate>%s</pubDate><description>Summary of story %d-%d.</description></item>`,
					f, i, srv.URL, f, i, f, i, time.Date(2025, 4, 16, 12, 0, 0, 0, time.UTC).Add(-time.Duration(i)*time.Hour).Format(time.RFC1123Z), f, i)
			}
			fmt.Fprint(w, `</channel></rss>`)
		case len(parts) == 3 && parts[0] == "page":
			f, _ := strconv.Atoi(parts[1])
			i, _ := strconv.Atoi(parts[2])
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!doctype html><html><head><title>Story %d-%d</title><link rel="canonical" href="%s/page/%d/%d">
				<meta name="author" content="Reporter %d"></head><body><nav><a href="/">Home</a></nav><article><h1>Story %d-%d</h1>`,
				f, i, srv.URL, f, i, f, f, i)
			for k := range 6 {
				fmt.Fprintf(w, "<p>%s</p>", para(f, i, k))
			}
			fmt.Fprint(w, `</article><footer>Copyright</footer></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkPoll10Feeds50Items is a first poll of 10 feeds of 50 items
// each (500 pages, one host: at most 2 requests at a time, no delay) into
// an empty SQLite store; and a second poll, when nothing has changed.
func BenchmarkPoll10Feeds50Items(b *testing.B) {
	srv := benchSite(b, 10, 50)
	var srcs []feed.Source
	for f := range 10 {
		srcs = append(srcs, feed.Source{URL: fmt.Sprintf("%s/feed/%d.xml", srv.URL, f)})
	}
	newPoller := func(b *testing.B) *feed.Poller {
		st := testkit.Store(b)
		return &feed.Poller{Sources: srcs, Client: &web.Client{HostDelay: -1, PerHost: 2, Robots: true}, Store: st, State: st}
	}
	check := func(b *testing.B, r feed.Round, added int) {
		n := 0
		for _, f := range r.Feeds {
			if f.Err != nil {
				b.Fatal(f.Err)
			}
			n += f.Added
		}
		if n != added {
			b.Fatalf("added %d articles, want %d", n, added)
		}
	}
	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			p := newPoller(b)
			b.StartTimer()
			r, err := p.Poll(context.Background(), true)
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			check(b, r, 500)
			b.StartTimer()
		}
	})
	b.Run("unchanged", func(b *testing.B) {
		p := newPoller(b)
		if _, err := p.Poll(context.Background(), true); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			r, err := p.Poll(context.Background(), true)
			if err != nil {
				b.Fatal(err)
			}
			check(b, r, 0)
		}
	})
}
