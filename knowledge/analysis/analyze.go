package analysis

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
)

// Terms appends to dst the index terms of text: words lower-cased, folded to
// ASCII where they are Latin letters with diacritics, English stop words
// removed, and stemmed with the Snowball (Porter2) English stemmer. Numbers
// are kept ("1,000" becomes "1000"); dotted and upper-case acronyms ("U.S.",
// "US", "AI") are kept even where their letters spell a stop word.
//
// That is the analysis of English, and of pure-ASCII text unless it is
// clearly in another Latin-script language (asciiLanguage: "Was hat der
// Stadtrat gestern mitgeteilt?"). Other text is analysed in its language
// (Language; see language.go): French, Spanish, Portuguese, Italian,
// German and Russian with their own stop words and stemmers, and runs of
// Chinese, Japanese or Korean characters as overlapping bigrams.
//
// Terms is the one analyser used for both paragraphs and questions, so that
// the two always agree. It is safe for concurrent use.
func Terms(text string, dst []string) []string {
	return TermsWithPrefix(text, nil, dst)
}

// TermPrefixes returns the first two bytes of each of terms, for
// termsWithPrefix.
func TermPrefixes[V any](terms map[string]V) map[string]bool {
	out := make(map[string]bool, len(terms))
	for t := range terms {
		out[t[:min(2, len(t))]] = true
	}
	return out
}

// TermsWithPrefix is Terms restricted, unless prefixes is nil, to the words
// whose first two bytes are in prefixes. Stemming only changes a word's
// ending, so this finds every occurrence of the terms the prefixes were
// taken from (termPrefixes) while stemming few words: the cheap way to see
// which query terms a text holds.
func TermsWithPrefix(text string, prefixes map[string]bool, dst []string) []string {
	if !isASCII(text) {
		return termsInLanguage(text, Language(text), prefixes, dst)
	}
	// One pass analyses the text as English and counts the stop words of
	// each Latin-script language; the rare text asciiLanguage finds in
	// another is analysed again in it.
	start := len(dst)
	var counts [len(latinLanguages)]int
	eachWord(text, func(w []byte, acronym bool) {
		langs := latinStop[string(w)]
		for i := 0; langs != 0; i, langs = i+1, langs>>1 {
			counts[i] += int(langs & 1)
		}
		if prefixes != nil && !prefixes[string(w[:min(2, len(w))])] || !acronym && latinStop[string(w)]&1 != 0 {
			return
		}
		dst = append(dst, stem(string(w)))
	})
	if l := pickASCIILanguage(counts); l != "en" {
		return termsInLanguage(text, l, prefixes, dst[:start])
	}
	return dst
}

// IsStopWord reports whether the lower-case word w is an English stop word
// that the analyser drops.
func IsStopWord(w string) bool { return stopWords[w] }

// stemCacheSize bounds the stem cache: a news corpus's working vocabulary
// fits in it many times over (the RealTime QA benchmark's searches stem
// about 18,000 distinct words).
const stemCacheSize = 1 << 17

// stems caches the stems of the words stem has seen.
var stems = stemCache{size: stemCacheSize}

// stem returns the Snowball stem of a lower-case word, caching results: news
// text has a small working vocabulary, and the cache also interns the stems.
func stem(w string) string { return stems.stem(w) }

// stemCache maps words to their stems. Once it has stored size words, it is
// emptied and fills again, so that pathological input (random tokens)
// cannot grow it without limit. It is safe for concurrent use.
type stemCache struct {
	words sync.Map     // lower-case word -> its stem
	n     atomic.Int64 // words stored since the cache was last emptied
	size  int64
	fn    func(string) string // the stemmer; nil: English
}

func (c *stemCache) stem(w string) string {
	if v, ok := c.words.Load(w); ok {
		return v.(string)
	}
	s := w
	if len(w) > 2 && !isNumeric(w) {
		if c.fn != nil {
			s = c.fn(w)
		} else {
			s = english.Stem(w, true)
		}
	}
	if s == w {
		s = strings.Clone(w)
	}
	// Words longer than 24 bytes are rarely repeated: not worth a place.
	if len(w) > 24 {
		return s
	}
	v, loaded := c.words.LoadOrStore(strings.Clone(w), s)
	if !loaded && c.n.Add(1) > c.size {
		c.n.Store(0)
		c.words.Clear()
	}
	return v.(string)
}

// len is how many words the cache holds.
func (c *stemCache) len() int {
	n := 0
	c.words.Range(func(any, any) bool { n++; return true })
	return n
}

func isNumeric(w string) bool {
	for i := 0; i < len(w); i++ {
		if (w[i] < '0' || w[i] > '9') && w[i] != '.' {
			return false
		}
	}
	return true
}

// eachWord calls fn with every word of text, lower-cased and folded (valid
// only during the call). acronym is true for words written in capitals
// ("US", "NATO") or with dots ("U.S.").
func eachWord(text string, fn func(w []byte, acronym bool)) {
	var buf []byte
	upper, lower, dotted := 0, 0, false
	flush := func() {
		if len(buf) > 0 {
			acr := dotted || (upper >= 2 && lower == 0 && upper <= 6)
			fn(buf, acr)
		}
		buf = buf[:0]
		upper, lower, dotted = 0, 0, false
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z'):
			buf = append(buf, byte(r))
			lower++
		case r < utf8.RuneSelf && (r >= 'A' && r <= 'Z'):
			buf = append(buf, byte(r+'a'-'A'))
			upper++
		case r >= '0' && r <= '9':
			buf = append(buf, byte(r))
		case r == '\'' || r == '’' || r == 'ʼ':
			// Inside a word: "Trump's" -> "trump", "don't" -> "dont".
			next, nsize := utf8.DecodeRuneInString(text[i+size:])
			if len(buf) > 0 && unicode.IsLetter(next) {
				after, _ := utf8.DecodeRuneInString(text[i+size+nsize:])
				if (next == 's' || next == 'S') && !unicode.IsLetter(after) {
					i += size + nsize // possessive: drop the 's
					continue
				}
				i += size
				continue
			}
			flush()
		case (r == ',' || r == '.') && len(buf) > 0 && isDigitByte(buf[len(buf)-1]) && i+1 < len(text) && isDigitByte(text[i+1]):
			// "1,000" and "3.5" are one number.
			if r == '.' {
				buf = append(buf, '.')
			}
		case r == '.' && len(buf) == 1 && isLetterByte(buf[0]) && i+2 < len(text) && isLetterByte(text[i+1]) && (text[i+2] == '.'):
			// "U.S." -> "us": keep collecting single letters joined by dots.
			dotted = true
		case r == '.' && dotted && len(buf) >= 1 && i+2 < len(text) && isLetterByte(text[i+1]) && text[i+2] == '.':
		case r == '.' && dotted:
			flush()
		case unicode.IsLetter(r) || unicode.IsNumber(r):
			if f, ok := foldRune(r); ok {
				if unicode.IsUpper(r) {
					upper++
				} else {
					lower++
				}
				buf = append(buf, f...)
			} else {
				lr := unicode.ToLower(r)
				if lr != r {
					upper++
				} else {
					lower++
				}
				buf = utf8.AppendRune(buf, lr)
			}
		case unicode.Is(unicode.Mn, r):
			// Combining marks (decomposed diacritics) are dropped.
		default:
			flush()
		}
		i += size
	}
	flush()
}

func isDigitByte(b byte) bool  { return b >= '0' && b <= '9' }
func isLetterByte(b byte) bool { return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') }

// foldRune maps common Latin letters with diacritics to ASCII, lower case.
func foldRune(r rune) (string, bool) {
	if r < 0xC0 || r > 0x17F {
		return "", false
	}
	s, ok := latinFold[r]
	return s, ok
}

var latinFold = func() map[rune]string {
	m := map[rune]string{}
	add := func(to string, runes string) {
		for _, r := range runes {
			m[r] = to
		}
	}
	add("a", "ÀÁÂÃÄÅàáâãäåĀāĂăĄą")
	add("ae", "Ææ")
	add("c", "ÇçĆćĈĉĊċČč")
	add("d", "ĎďĐđÐð")
	add("e", "ÈÉÊËèéêëĒēĔĕĖėĘęĚě")
	add("g", "ĜĝĞğĠġĢģ")
	add("h", "ĤĥĦħ")
	add("i", "ÌÍÎÏìíîïĨĩĪīĬĭĮįİı")
	add("j", "Ĵĵ")
	add("k", "Ķķ")
	add("l", "ĹĺĻļĽľĿŀŁł")
	add("n", "ÑñŃńŅņŇň")
	add("o", "ÒÓÔÕÖØòóôõöøŌōŎŏŐő")
	add("oe", "Œœ")
	add("r", "ŔŕŖŗŘř")
	add("s", "ŚśŜŝŞşŠš")
	add("ss", "ß")
	add("t", "ŢţŤťŦŧ")
	add("th", "Þþ")
	add("u", "ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲų")
	add("w", "Ŵŵ")
	add("y", "ÝýÿŶŷŸ")
	add("z", "ŹźŻżŽž")
	return m
}()

// stopWords are dropped from paragraphs and questions alike. Besides the
// usual function words they include question words, which say what kind of
// answer is wanted but never occur in it.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
a about above after again against all am an and any are aren arent as at
be because been before being below between both but by
can cannot cant could couldnt
did didnt do does doesnt doing dont down during
each few for from further
had hadnt has hasnt have havent having he hed hell hes her here heres hers herself him himself his how hows
i id ill im ive if in into is isnt it its itself
lets me more most mustnt my myself
no nor not of off on once only or other ought our ours ourselves out over own
same shant she shed shell shes should shouldnt so some such
than that thats the their theirs them themselves then there theres these they theyd theyll theyre theyve this those through to too
under until up us very
was wasnt we wed well were weve werent what whats when whens where wheres which while who whos whom why whys with wont would wouldnt
you youd youll youre youve your yours yourself yourselves
also just will shall may might must yet s t
`) {
		m[w] = true
	}
	return m
}()
