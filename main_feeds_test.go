package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/config"
)

// newsSite serves the feed fixtures of knowledge/feed/testdata locally.
func newsSite(t *testing.T) *httptest.Server {
	t.Helper()
	files := map[string]string{"/rss.xml": "rss.xml", "/news/bridge": "bridge.html", "/news/tram": "tram.html", "/news/library": "library.html"}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		data, err := os.ReadFile(filepath.Join("knowledge", "feed", "testdata", name))
		if err != nil {
			t.Error(err)
		}
		if strings.HasSuffix(name, ".xml") {
			w.Header().Set("Content-Type", "application/rss+xml")
		}
		w.Write(bytes.ReplaceAll(data, []byte("{{BASE}}"), []byte(srv.URL)))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestTestsNeverPollTheDefaultFeeds(t *testing.T) {
	cfg, err := config.Load(config.Source{Getenv: func(string) (string, bool) { return "", false }})
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Feeds.Sources()) == 0 || !cfg.FeedsFromDefault() {
		t.Fatalf("the default configuration has no default feeds: %+v", cfg.Feeds)
	}
	a := &app{cfg: cfg}
	if p := a.newPoller(nil); len(p.Sources) != 0 {
		t.Errorf("in a test binary the default feeds would be polled: %+v", p.Sources)
	}
}

func TestFreshReplWithoutNetworkSaysSoOnceAndAnswersFromTheSample(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	url := dead.URL
	dead.Close() // nothing listens there: like a machine without network
	db := filepath.Join(t.TempDir(), "news.db")
	env := map[string]string{"NEWSBOT_DB": db, "NEWSBOT_FEEDS": url + "/a.xml," + url + "/b.xml", "NEWSBOT_HOST_DELAY": "0s"}
	out, errOut, err := newsbotEnv(t, env, "Who is travelling to Paris and when?\nWhere were earlier rounds of negotiations held?\n")
	if err != nil {
		t.Fatal(err)
	}
	all := out + errOut
	if n := strings.Count(all, "couldn't reach the network"); n != 1 {
		t.Errorf("the offline notice appears %d times, want once:\n%s", n, all)
	}
	if !strings.Contains(out, "loaded the bundled sample") || !strings.Contains(out, "Marco Rubio") || !strings.Contains(out, "Saudi Arabia") {
		t.Errorf("answers from the sample missing:\n%s", out)
	}
	// The failures are recorded, and reported by `newsbot feeds`.
	out, _, err = newsbotEnv(t, env, "", "feeds")
	if err != nil || strings.Count(out, "failed once") != 2 || !strings.Contains(out, "connection refused") {
		t.Errorf("newsbot feeds after the offline start: %v\n%s", err, out)
	}
}

func TestFreshReplFetchesTheFeedsBeforeTheFirstAnswer(t *testing.T) {
	site := newsSite(t)
	db := filepath.Join(t.TempDir(), "news.db")
	env := map[string]string{"NEWSBOT_DB": db, "NEWSBOT_FEEDS": site.URL + "/rss.xml", "NEWSBOT_HOST_DELAY": "0s"}
	out, errOut, err := newsbotEnv(t, env, "How many commuters cross the harbour bridge each day?\n:feeds\n")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut, "fetching today's news from 1 feed") || !strings.Contains(errOut, "Example Wire — World: 3 new, 0 updated") ||
		!strings.Contains(errOut, "Fetched 3 articles from 1 of 1 feed") {
		t.Errorf("first-fetch progress:\n%s", errOut)
	}
	if strings.Contains(out, "bundled sample") || !strings.Contains(out, "30,000 commuters") || !strings.Contains(out, site.URL+"/news/bridge") {
		t.Errorf("answer from the fetched feed:\n%s", out)
	}
	if !strings.Contains(out, "last fetch:") || !strings.Contains(out, "3 items in the feed, 3 articles added in all") {
		t.Errorf(":feeds in the REPL:\n%s", out)
	}
}

func TestIngestURLsAndFeedsCommand(t *testing.T) {
	site := newsSite(t)
	db := filepath.Join(t.TempDir(), "news.db")
	env := map[string]string{"NEWSBOT_DB": db, "NEWSBOT_FEEDS": site.URL + "/rss.xml 15m", "NEWSBOT_HOST_DELAY": "0s"}
	out, _, err := newsbotEnv(t, env, "", "ingest", site.URL+"/news/tram")
	if err != nil || !strings.Contains(out, "(page): 1 added") {
		t.Fatalf("ingest page URL: %v\n%s", err, out)
	}
	saved := filepath.Join(t.TempDir(), "feed.rss")
	data, _ := os.ReadFile(filepath.Join("knowledge", "feed", "testdata", "rss.xml"))
	os.WriteFile(saved, bytes.ReplaceAll(data, []byte("{{BASE}}"), []byte(site.URL)), 0o644)
	// The tram page had no date; the feed's dates it (an update).
	out, _, err = newsbotEnv(t, env, "", "ingest", saved, "knowledge/testdata/plain.txt")
	if err != nil || !strings.Contains(out, `(feed "Example Wire — World", 3 items): 2 added, 1 updated, 0 unchanged`) || !strings.Contains(out, "ingest: 1 added") {
		t.Errorf("ingest saved feed and a text file: %v\n%s", err, out)
	}
	if _, _, err := newsbotEnv(t, env, "", "ingest", site.URL+"/missing"); err == nil {
		t.Error("ingest of a 404: nil error")
	}
	out, _, err = newsbotEnv(t, env, "", "feeds")
	if err != nil || !strings.Contains(out, "every 15m") || !strings.Contains(out, "last fetch: never") {
		t.Errorf("feeds before polling: %v\n%s", err, out)
	}
	out, _, err = newsbotEnv(t, env, "", "feeds", "--poll")
	if err != nil || !strings.Contains(out, "Example Wire — World") || !strings.Contains(out, ", ok — 3 items in the feed") {
		t.Errorf("feeds --poll: %v\n%s", err, out)
	}
}
