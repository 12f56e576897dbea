package knowledge

import (
	"fmt"
	"sync"
	"testing"

	"github.com/kljensen/snowball/english"
)

// The stem cache stays within two generations whatever it is fed, gives
// the stems the stemmer gives, and keeps the words in use.
func TestStemCacheStaysBounded(t *testing.T) {
	const size = 100
	c := newStemCache(size)
	hot := []string{"running", "elections", "ministers"}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5000 {
				w := fmt.Sprintf("token%dx%dings", g, i) // never seen twice
				if got, want := c.stem(w), english.Stem(w, true); got != want {
					t.Errorf("stem(%q) = %q, want %q", w, got, want)
					return
				}
				for _, h := range hot {
					if got, want := c.stem(h), english.Stem(h, true); got != want {
						t.Errorf("stem(%q) = %q, want %q", h, got, want)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	// Each generation may overshoot its size by a word per goroutine racing
	// to fill it.
	if n := c.len(); n > 2*(size+4) {
		t.Errorf("after 20,000 distinct words the cache holds %d, want at most %d", n, 2*(size+4))
	}
	for _, h := range hot {
		if _, ok := c.cur.Load().words.Load(h); !ok {
			t.Errorf("%q, used all along, is not in the current generation", h)
		}
	}
}

// The package's cache, which stem uses, is bounded too.
func TestStemBounded(t *testing.T) {
	for i := range 3 * stemCacheSize {
		stem(fmt.Sprintf("w%dq", i))
	}
	if n := stems.len(); n > 2*stemCacheSize+64 {
		t.Errorf("after %d distinct words stem's cache holds %d, want at most about %d", 3*stemCacheSize, n, 2*stemCacheSize)
	}
}
