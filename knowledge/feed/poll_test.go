package feed_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/feed"
	"github.com/newsbot/newsbot/knowledge/index"
)

func TestPollStoresFullArticlesFromRSSAtomAndJSONFeed(t *testing.T) {
	s := newSite(t)
	e := newEnv(t, s.URL+"/rss.xml", s.URL+"/atom.xml", s.URL+"/feed.json")
	r := e.poll(t, false)
	for _, f := range r.Feeds {
		if f.Err != nil {
			t.Fatalf("%s: %v", f.URL, f.Err)
		}
	}
	if got := e.count(t); got != 6 {
		t.Errorf("stored %d articles, want 6 (the bridge story is in all three feeds)", got)
	}
	tests := []struct {
		url, title, byline, source, text string
		published                        time.Time
	}{
		// Canonical link, byline in <meta name=author>, site name from og:site_name.
		{s.URL + "/news/bridge", "Harbour bridge reopens after storm repairs", "Anna Berg", "Example Wire",
			"chief engineer Petra Lindqvist", time.Date(2025, 4, 15, 8, 30, 0, 0, time.UTC)},
		// No canonical; byline in the text ("By Tomas Novak"), not the feed's dc:creator.
		{s.URL + "/news/tram", "Council approves new tram line", "Tomas Novak", "127.0.0.1",
			"voted 31 to 12", time.Date(2025, 4, 15, 7, 0, 0, 0, time.UTC)},
		// og:url (relative) is the canonical URL; the item has no date: none
		// (the day it was read is not its publication date).
		{s.URL + "/news/library-hours", "Library extends opening hours", "Ines Duarte", "127.0.0.1",
			"evening visits had tripled", time.Time{}},
		// Windows-1252 page; relative Atom link; date from <updated>.
		{s.URL + "/news/quota", "Fishermen protest quota cuts", "Lena Fischer", "127.0.0.1",
			"“We cannot live on these quotas,” said José Müller", time.Date(2025, 4, 14, 16, 20, 0, 0, time.UTC)},
		// Redirected link: the final URL; byline from the JSON Feed author.
		{s.URL + "/news/final", "Reservoir levels recover after wet winter", "Sam Okafor", "Valley Daily",
			"97 percent of capacity", time.Date(2025, 4, 13, 9, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		a := e.article(t, tt.url)
		if a == nil {
			t.Errorf("no article at %s", tt.url)
			continue
		}
		if a.Title != tt.title || a.Byline != tt.byline || a.Source != tt.source || !a.Published.Equal(tt.published) {
			t.Errorf("%s: got title %q byline %q source %q published %v\nwant %q %q %q %v",
				tt.url, a.Title, a.Byline, a.Source, a.Published, tt.title, tt.byline, tt.source, tt.published)
		}
		if !strings.Contains(text(a), tt.text) {
			t.Errorf("%s: text lacks %q (the page's full text):\n%s", tt.url, tt.text, text(a))
		}
		if !a.Updated.IsZero() {
			t.Errorf("%s: marked updated on first sight", tt.url)
		}
		if a.FirstSeen.IsZero() {
			t.Errorf("%s: no first-seen time", tt.url)
		}
		for _, junk := range []string{"Photo: Example Wire", "Most read", "Copyright", "By Tomas Novak"} {
			if strings.Contains(text(a), junk) {
				t.Errorf("%s: text holds page furniture %q", tt.url, junk)
			}
		}
	}
	// The JSON Feed item without a link is stored from its own content.
	res, err := e.index.Search(context.Background(), knowledge.Query{Text: "school year start week later", K: 1})
	if err != nil || len(res.Passages) == 0 || res.Passages[0].Title != "School year to start a week later" || res.Passages[0].Source != "127.0.0.1" {
		t.Errorf("content-only JSON Feed item: %+v, %v", res, err)
	}
	for _, f := range r.Feeds {
		if strings.HasSuffix(f.URL, "feed.json") && (f.FromSummary != 1 || f.Failed != 0) {
			t.Errorf("feed.json: %d from summary, %d failed; want 1, 0", f.FromSummary, f.Failed)
		}
	}
}

func TestSameStoryThroughSeveralFeedsIsOneArticle(t *testing.T) {
	// The bridge story: RSS links it with utm_ parameters, Atom through its
	// AMP URL, JSON Feed through a short link that redirects to the AMP
	// page, whose canonical link names the article.
	s := newSite(t)
	e := newEnv(t, s.URL+"/rss.xml", s.URL+"/atom.xml", s.URL+"/feed.json")
	e.poll(t, false)
	arts, err := e.store.Latest(context.Background(), knowledge.LatestQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range arts {
		if strings.Contains(a.Title, "Harbour bridge") {
			n++
			if !a.Updated.IsZero() {
				t.Errorf("the bridge story was marked updated by its second feed")
			}
		}
	}
	if n != 1 {
		t.Errorf("%d bridge articles, want 1", n)
	}
	// A later poll of a new feed with the same story fetches nothing.
	before := s.hitCount("/news/bridge") + s.hitCount("/amp/news/bridge")
	s.serveText("/more.xml", "application/rss+xml", `<rss version="2.0"><channel><title>More</title>
		<item><title>Bridge</title><link>`+s.URL+`/news/bridge?utm_campaign=x</link><description>Again.</description></item>
		</channel></rss>`)
	e.poller.Sources = append(e.poller.Sources, feed.Source{URL: s.URL + "/more.xml"})
	r := e.poll(t, false)
	if after := s.hitCount("/news/bridge") + s.hitCount("/amp/news/bridge"); after != before {
		t.Errorf("the stored story's page was fetched again (%d -> %d)", before, after)
	}
	if len(r.Feeds) != 1 || r.Feeds[0].Unchanged != 1 || r.Feeds[0].Added != 0 {
		t.Errorf("the new feed's round: %+v", r.Feeds)
	}
}

func TestSecondPollIsConditional(t *testing.T) {
	s := newSite(t)
	e := newEnv(t, s.URL+"/rss.xml")
	e.poll(t, false)
	if st := e.state(t, s.URL+"/rss.xml"); st.ETag == "" || st.Items != 3 || st.Title != "Example Wire — World" {
		t.Fatalf("state after the first poll: %+v", st)
	}
	pages := s.hitCount("/news/tram")
	// Not due yet: nothing is fetched.
	e.advance(10 * time.Minute)
	if r := e.poll(t, false); len(r.Feeds) != 0 || s.hitCount("/rss.xml") != 1 {
		t.Fatalf("a feed not yet due was polled: %+v", r.Feeds)
	}
	e.advance(25 * time.Minute)
	r := e.poll(t, false)
	if len(r.Feeds) != 1 || !r.Feeds[0].NotModified || r.Feeds[0].Work != 0 {
		t.Fatalf("second poll: %+v, want 304 Not Modified and nothing to do", r.Feeds)
	}
	if s.hitCount("/rss.xml") != 2 || s.hitCount("/news/tram") != pages {
		t.Errorf("requests: feed %d (want 2), tram page %d (want %d)", s.hitCount("/rss.xml"), s.hitCount("/news/tram"), pages)
	}
	st := e.state(t, s.URL+"/rss.xml")
	if !st.NextFetch.Equal(e.clock().Add(30*time.Minute)) || st.Items != 3 || st.Failures != 0 {
		t.Errorf("state after 304: %+v", st)
	}
}

func TestChangedArticleReplacesOldVersion(t *testing.T) {
	s := newSite(t)
	e := newEnv(t, s.URL+"/rss.xml")
	e.poll(t, false)
	first := e.clock()
	// The story is corrected: new text on the page, a new description.
	page := strings.Replace(string(s.fixture("bridge.html")), "4.2 million euros", "5.1 million euros", 1)
	s.serveText("/news/bridge", "text/html; charset=utf-8", page)
	rss := strings.Replace(string(s.fixture("rss.xml")), "reopened on Tuesday.", "reopened on Tuesday (corrected).", 1)
	s.serveText("/rss.xml", "application/rss+xml", rss)
	e.advance(time.Hour)
	r := e.poll(t, false)
	if len(r.Feeds) != 1 || r.Feeds[0].Updated != 1 || r.Feeds[0].Work != 1 {
		t.Fatalf("poll after the correction: %+v, want 1 item to redo and 1 article updated", r.Feeds)
	}
	a := e.article(t, s.URL+"/news/bridge")
	if a == nil || !strings.Contains(text(a), "5.1 million") || strings.Contains(text(a), "4.2 million") {
		t.Fatalf("the stored version is not the corrected one: %v", a)
	}
	if !a.Updated.Equal(e.clock()) || !a.FirstSeen.Equal(first) {
		t.Errorf("updated %v first seen %v; want %v and %v", a.Updated, a.FirstSeen, e.clock(), first)
	}
	res, err := e.index.Search(context.Background(), knowledge.Query{Text: "repairs cost million euros", K: 5})
	if err != nil || len(res.Passages) == 0 {
		t.Fatalf("search: %v, %v", res, err)
	}
	for _, p := range res.Passages {
		if strings.Contains(p.Text, "4.2 million") {
			t.Errorf("the old version is still found: %q", p.Text)
		}
		if p.ArticleID == a.ID && !p.Updated.Equal(e.clock()) {
			t.Errorf("the passage does not carry the update time: %v", p.Updated)
		}
	}
}

func TestFailuresKeepTheGoodAndALaterPollPicksUpTheRest(t *testing.T) {
	s := newSite(t)
	var huge atomic.Int64
	release := make(chan struct{})
	s.handle("/p/404", http.NotFound)
	s.handle("/p/500", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", http.StatusInternalServerError) })
	s.handle("/p/slow", func(w http.ResponseWriter, r *http.Request) {
		select { // never answers within the client's timeout
		case <-r.Context().Done():
		case <-release:
		}
	})
	t.Cleanup(func() { close(release) })
	s.handle("/p/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		chunk := []byte("<p>" + strings.Repeat("x", 64<<10-7) + "</p>\n")
		for huge.Load() < 50<<20 {
			n, err := w.Write(chunk)
			huge.Add(int64(n))
			if err != nil {
				return
			}
		}
	})
	var items strings.Builder
	for i, p := range []string{"404", "500", "slow", "huge"} {
		fmt.Fprintf(&items, `<item><title>Story %s</title><link>%s/p/%s</link><pubDate>Mon, 14 Apr 2025 0%d:00:00 GMT</pubDate>
			<description>Summary of story %s, short.</description></item>`, p, s.URL, p, i+1, p)
	}
	fmt.Fprintf(&items, `<item><title>Tram</title><link>%s/news/tram</link><pubDate>Mon, 14 Apr 2025 09:00:00 GMT</pubDate><description>Tram.</description></item>`, s.URL)
	s.serveText("/mixed.xml", "application/rss+xml", `<rss version="2.0"><channel><title>Mixed</title>`+items.String()+`</channel></rss>`)

	e := newEnv(t, s.URL+"/mixed.xml")
	e.poller.Client.Timeout = 2 * time.Second // generous: only /p/slow should hit it
	e.poller.Client.MaxBytes = 1 << 20
	r := e.poll(t, false)
	f := r.Feeds[0]
	if f.Err != nil || f.Added != 5 || f.FromSummary != 4 || f.Failed != 0 {
		t.Fatalf("first poll: %+v; want 5 added, 4 of them from the feed's summary", f)
	}
	if n := huge.Load(); n >= 50<<20 {
		t.Errorf("the 50 MB page was read to the end (%d bytes sent)", n)
	}
	for _, p := range []string{"404", "500", "slow", "huge"} {
		a := e.article(t, s.URL+"/p/"+p)
		if a == nil || text(a) != "Summary of story "+p+", short." {
			t.Errorf("/p/%s: %v, want the feed's summary", p, a)
		}
	}
	if a := e.article(t, s.URL+"/news/tram"); a == nil || !strings.Contains(text(a), "voted 31 to 12") {
		t.Errorf("the good page was not stored in full: %v", a)
	}

	// The pages come back; the feed itself has not changed (304), but the
	// next poll retries the pages it could not read.
	for _, p := range []string{"404", "500", "slow", "huge"} {
		s.serveText("/p/"+p, "text/html", strings.Replace(string(s.fixture("final.html")), "97 percent", "9"+p+" percent", 1))
	}
	e.advance(31 * time.Minute)
	r = e.poll(t, false)
	f = r.Feeds[0]
	if !f.NotModified || f.Work != 4 || f.Updated != 4 || f.FromSummary != 0 {
		t.Fatalf("second poll: %+v; want 304 and the 4 pages retried and stored in full", f)
	}
	for _, p := range []string{"404", "500", "slow", "huge"} {
		if a := e.article(t, s.URL+"/p/"+p); a == nil || !strings.Contains(text(a), "9"+p+" percent") {
			t.Errorf("/p/%s after the retry: %v", p, a)
		}
	}
	// Nothing is left to retry.
	e.advance(31 * time.Minute)
	if r = e.poll(t, false); r.Feeds[0].Work != 0 {
		t.Errorf("third poll redid %d items", r.Feeds[0].Work)
	}
}

func TestFailingFeedBacksOffAndRecovers(t *testing.T) {
	s := newSite(t)
	s.handle("/flaky.xml", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusInternalServerError) })
	e := newEnv(t, s.URL+"/rss.xml", s.URL+"/flaky.xml")
	e.poll(t, false)
	good := e.count(t)
	url := s.URL + "/flaky.xml"
	for i, wait := range []time.Duration{30 * time.Minute, time.Hour, 2 * time.Hour, 4 * time.Hour} {
		st := e.state(t, url)
		if st.Failures != i+1 || !strings.Contains(st.LastError, "500") || !st.NextFetch.Equal(e.clock().Add(wait)) {
			t.Fatalf("after failure %d: %+v; want next fetch in %v", i+1, st, wait)
		}
		hits := s.hitCount("/flaky.xml")
		e.advance(wait - time.Minute)
		e.poll(t, false)
		if s.hitCount("/flaky.xml") != hits {
			t.Fatalf("the failing feed was retried before its backoff ran out")
		}
		e.advance(time.Minute)
		e.poll(t, false)
		if s.hitCount("/flaky.xml") != hits+1 {
			t.Fatalf("the failing feed was not retried when due")
		}
	}
	// Malformed XML is a failure too, and loses nothing already stored.
	s.serveText("/flaky.xml", "application/rss+xml", string(s.fixture("malformed.xml")))
	e.advance(24 * time.Hour)
	e.poll(t, false)
	if st := e.state(t, url); st.Failures != 6 || !strings.Contains(st.LastError, "parse feed") {
		t.Errorf("after malformed XML: %+v", st)
	}
	if e.count(t) != good {
		t.Errorf("articles: %d, want the %d stored before", e.count(t), good)
	}
	// Fixed: the failures are forgotten.
	s.serveText("/flaky.xml", "application/atom+xml", string(s.fixture("atom.xml")))
	e.advance(24 * time.Hour)
	e.poll(t, false)
	if st := e.state(t, url); st.Failures != 0 || st.LastError != "" || st.Title != "Coastal Times" || st.Articles != 1 {
		t.Errorf("after recovery: %+v", st)
	}
}

func TestRetryAfterSetsTheNextFetch(t *testing.T) {
	s := newSite(t)
	s.handle("/busy.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7200")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	})
	e := newEnv(t, s.URL+"/busy.xml")
	e.poll(t, false)
	st := e.state(t, s.URL+"/busy.xml")
	if st.Failures != 1 || st.NextFetch.Before(e.clock().Add(119*time.Minute)) {
		t.Errorf("after 429 with Retry-After: 7200: %+v, want next fetch in 2 hours", st)
	}
	// Forced before then, the client does not even ask.
	e.poll(t, true)
	if n := s.hitCount("/busy.xml"); n != 1 {
		t.Errorf("%d requests to a host that asked for 2 hours' peace, want 1", n)
	}
}

func TestRobotsTxtIsHonouredForPages(t *testing.T) {
	s := newSite(t)
	s.serveText("/robots.txt", "text/plain", "User-agent: newsbot\nDisallow: /news/\n\nUser-agent: *\nAllow: /\n")
	e := newEnv(t, s.URL+"/rss.xml")
	r := e.poll(t, false)
	if f := r.Feeds[0]; f.FromSummary != 3 {
		t.Errorf("%+v: want all 3 items from the feed's summary", f)
	}
	for _, p := range []string{"/news/bridge", "/news/tram", "/news/library"} {
		if n := s.hitCount(p); n != 0 {
			t.Errorf("%s fetched %d times despite robots.txt", p, n)
		}
	}
	if n := s.hitCount("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times, want 1", n)
	}
	if a := e.article(t, s.URL+"/news/bridge"); a == nil || text(a) != "The harbour bridge reopened on Tuesday." {
		t.Errorf("bridge from the summary: %v", a)
	}
}

func TestInterruptedPollKeepsWhatWasStoredAndResumes(t *testing.T) {
	s := newSite(t)
	e := newEnv(t, s.URL+"/rss.xml")
	e.poller.Concurrency = 1 // items in feed order: bridge, tram, library
	ctx, cancel := context.WithCancel(context.Background())
	s.handle("/news/library", func(w http.ResponseWriter, r *http.Request) {
		cancel() // the process is told to stop while this page loads
		<-r.Context().Done()
	})
	if _, err := e.poller.Poll(ctx, false); err == nil {
		t.Fatal("interrupted poll: nil error")
	}
	if a, b := e.article(t, s.URL+"/news/bridge"), e.article(t, s.URL+"/news/tram"); a == nil || b == nil {
		t.Fatalf("articles read before the interruption were lost: %v %v", a, b)
	}
	if e.article(t, s.URL+"/news/library-hours") != nil || e.article(t, s.URL+"/news/library") != nil {
		t.Fatal("the interrupted item was stored")
	}
	st := e.state(t, s.URL+"/rss.xml")
	if st.ETag != "" || !st.NextFetch.Equal(e.clock()) || st.Failures != 0 {
		t.Errorf("state after interruption: %+v; want no validators, due now, no failure", st)
	}
	s.handle("/news/library", nil)
	e.poll(t, false)
	if e.article(t, s.URL+"/news/library-hours") == nil {
		t.Error("the next poll did not pick up the rest")
	}
	if n := s.hitCount("/news/tram"); n != 1 {
		t.Errorf("the tram page was fetched %d times, want once", n)
	}
}

func TestRetentionSkipsAndPrunesOldArticles(t *testing.T) {
	s := newSite(t)
	e := newEnv(t, s.URL+"/old.xml")
	e.poller.Retention = 90 * 24 * time.Hour
	s.serveText("/old.xml", "application/rss+xml", `<rss version="2.0"><channel><title>Old</title>
		<item><title>Ancient</title><link>`+s.URL+`/news/tram</link><pubDate>Mon, 01 Jan 2024 09:00:00 GMT</pubDate><description>Old.</description></item>
		<item><title>Recent</title><link>`+s.URL+`/news/final</link><pubDate>Mon, 14 Apr 2025 09:00:00 GMT</pubDate><description>New.</description></item>
		</channel></rss>`)
	old := &knowledge.Article{URL: "https://example.com/2024", Title: "Stored long ago", Published: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), Paragraphs: []string{"Old news."}}
	if _, err := index.Apply(context.Background(), e.store, []*index.Prepared{index.Prepare(old)}, old.Published); err != nil {
		t.Fatal(err)
	}
	r := e.poll(t, false)
	if r.Pruned != 1 || e.article(t, "https://example.com/2024") != nil {
		t.Errorf("pruned %d, want the 2024 article deleted", r.Pruned)
	}
	if s.hitCount("/news/tram") != 0 || e.article(t, s.URL+"/news/tram") != nil {
		t.Error("an item older than the retention was fetched or stored")
	}
	if e.article(t, s.URL+"/news/final") == nil || e.count(t) != 1 {
		t.Errorf("store holds %d articles, want only the recent one", e.count(t))
	}
}

// A shutdown during a slow OnRound (an embedding round) reaches the
// callback through its ctx, and Run returns once the callback does, not
// when the callback's own 30 seconds are up.
func TestRunCancelledDuringSlowOnRound(t *testing.T) {
	s := newSite(t)
	e := newEnv(t, s.URL+"/rss.xml")
	e.poller.Now = nil // real time: Run sleeps until the next feed is due
	entered := make(chan struct{}, 1)
	sawCancel := make(chan struct{}, 1)
	e.poller.OnRound = func(ctx context.Context, r feed.Round) {
		entered <- struct{}{}
		slow := time.NewTimer(30 * time.Second)
		defer slow.Stop()
		select {
		case <-ctx.Done():
			sawCancel <- struct{}{}
		case <-slow.C:
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- e.poller.Run(ctx) }()
	select {
	case <-entered:
	case err := <-done:
		t.Fatalf("Run returned before any round: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("no round within 30s")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run after cancel: %v, want nil", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Run still waits for the slow OnRound 20s after cancel")
	}
	select {
	case <-sawCancel:
	default:
		t.Error("OnRound returned without seeing its ctx done")
	}
}

func TestRunPollsInTheBackgroundUntilCancelled(t *testing.T) {
	s := newSite(t)
	e := newEnv(t, s.URL+"/rss.xml")
	e.poller.Now = nil // real time: Run sleeps until the next feed is due
	rounds := make(chan feed.Round, 4)
	e.poller.OnRound = func(_ context.Context, r feed.Round) { rounds <- r }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.poller.Run(ctx) }()
	select {
	case r := <-rounds:
		if len(r.Feeds) != 1 || r.Feeds[0].Added != 3 {
			t.Errorf("first background round: %+v", r.Feeds)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no round within 30s")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run after cancel: %v, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if e.count(t) != 3 {
		t.Errorf("%d articles stored, want 3", e.count(t))
	}
}
