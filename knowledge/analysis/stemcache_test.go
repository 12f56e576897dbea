package analysis

import (
	"fmt"
	"sync"
	"testing"

	"github.com/kljensen/snowball/english"
)

// The stem cache stays within its size, however many distinct words it is
// fed from several goroutines, and gives the stems the stemmer gives.
func TestStemCacheStaysBounded(t *testing.T) {
	const size, goroutines = 100, 4
	c := &stemCache{size: size}
	hot := []string{"running", "elections", "ministers"}
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5000 {
				w := fmt.Sprintf("token%dx%dings", g, i) // never seen twice
				for _, w := range append([]string{w}, hot...) {
					if got, want := c.stem(w), english.Stem(w, true); got != want {
						t.Errorf("stem(%q) = %q, want %q", w, got, want)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	// Goroutines racing to fill it may each add a word past the size.
	if n := c.len(); n > size+goroutines {
		t.Errorf("after 20,000 distinct words the cache holds %d, want at most %d", n, size+goroutines)
	}
}

// The package's cache, which stem uses, is bounded too.
func TestStemBounded(t *testing.T) {
	for i := range 2*stemCacheSize + 10 {
		stem(fmt.Sprintf("w%dq", i))
	}
	if n := stems.len(); n > stemCacheSize {
		t.Errorf("after %d distinct words stem's cache holds %d, want at most %d", 2*stemCacheSize+10, n, stemCacheSize)
	}
}
