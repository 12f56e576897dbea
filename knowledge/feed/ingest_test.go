package feed_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/knowledge/feed"
)

func TestIngestURLsAndFiles(t *testing.T) {
	s := newSite(t)
	e := newEnv(t)
	e.poller.State = nil // a one-off ingest keeps no feed state
	ctx := context.Background()

	res, kind, err := e.poller.Ingest(ctx, s.URL+"/news/quota")
	if err != nil || kind != feed.KindPage || res.Added != 1 || res.Title != "Fishermen protest quota cuts" {
		t.Fatalf("page URL: %+v, %v, %v", res, kind, err)
	}
	res, _, err = e.poller.Ingest(ctx, s.URL+"/news/quota")
	if err != nil || res.Unchanged != 1 || res.Added+res.Updated != 0 {
		t.Errorf("the same page again: %+v, %v; want unchanged", res, err)
	}
	res, kind, err = e.poller.Ingest(ctx, s.URL+"/atom.xml")
	// The quota page has no date of its own and was stored undated; the
	// feed's date dates it, an update.
	if err != nil || kind != feed.KindFeed || res.Title != "Coastal Times" || res.Items != 2 || res.Added != 1 || res.Updated != 1 {
		t.Errorf("feed URL: %+v, %v, %v; want the bridge added and the quota page dated", res, kind, err)
	}

	// Saved to disk: a feed and a page (the feed's links still point at
	// the site, whose pages are fetched).
	dir := t.TempDir()
	feedFile := filepath.Join(dir, "saved-feed.xml")
	pageFile := filepath.Join(dir, "page.htm")
	os.WriteFile(feedFile, s.fixture("rss.xml"), 0o644)
	os.WriteFile(pageFile, s.fixture("final.html"), 0o644)
	for _, f := range []string{feedFile, pageFile} {
		if k, err := feed.SniffFile(f); err != nil || k == feed.KindUnknown {
			t.Errorf("SniffFile(%s) = %v, %v", f, k, err)
		}
	}
	res, kind, err = e.poller.Ingest(ctx, feedFile)
	if err != nil || kind != feed.KindFeed || res.Items != 3 || res.Added != 2 || res.Unchanged != 1 {
		t.Errorf("saved feed: %+v, %v, %v", res, kind, err)
	}
	if a := e.article(t, s.URL+"/news/tram"); a == nil || !strings.Contains(text(a), "voted 31 to 12") {
		t.Errorf("saved feed's item page not read: %v", a)
	}
	res, kind, err = e.poller.Ingest(ctx, pageFile)
	if err != nil || kind != feed.KindPage || res.Added != 1 || res.Title != "Reservoir levels recover after wet winter" {
		t.Errorf("saved page: %+v, %v, %v", res, kind, err)
	}

	txt := filepath.Join(dir, "notes.txt")
	os.WriteFile(txt, []byte("A title\n\nSome text."), 0o644)
	if k, _ := feed.SniffFile(txt); k != feed.KindUnknown {
		t.Errorf("SniffFile(text) = %v", k)
	}
	if _, _, err := e.poller.Ingest(ctx, txt); err == nil || !strings.Contains(err.Error(), "neither a feed") {
		t.Errorf("text file: %v", err)
	}
	if _, _, err := e.poller.Ingest(ctx, s.URL+"/missing"); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("missing URL: %v", err)
	}
}
