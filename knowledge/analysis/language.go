package analysis

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/french"
	"github.com/kljensen/snowball/russian"
	"github.com/kljensen/snowball/spanish"
)

// Languages other than English. Text that is pure ASCII is analysed as
// English exactly as before (the fast path, and what the English
// benchmark measures); other text is given a language by Language and
// analysed with that language's stop words and Snowball stemmer, and runs
// of Chinese, Japanese or Korean characters, written without spaces,
// become overlapping character bigrams (the approach of Lucene's
// CJKAnalyzer), so that a question finds an article sharing two-character
// words with it.

// Language returns the language of text as an ISO 639-1 code: "zh", "ja"
// or "ko" by script (any kana makes it Japanese), "ru" for Cyrillic, and
// for Latin script the language whose stop words it uses most among "en",
// "fr", "es", "de", "pt" and "it" ("en" when none leads).
func Language(text string) string {
	if lang, ok := scriptLanguage(text); ok {
		return lang
	}
	counts := latinCounts(text)
	best := 0
	for i := range latinLanguages {
		if counts[i] > counts[best] {
			best = i
		}
	}
	return latinLanguages[best].code
}

// latinCounts counts the stop words of each of latinLanguages in text.
func latinCounts(text string) (counts [len(latinLanguages)]int) {
	eachWord(text, func(w []byte, _ bool) {
		langs := latinStop[string(w)]
		for i := 0; langs != 0; i, langs = i+1, langs>>1 {
			counts[i] += int(langs & 1)
		}
	})
	return counts
}

// latinStop maps each stop word of latinLanguages to the set of those
// whose stop word it is (bit i for latinLanguages[i]; bit 0, English, is
// stopWords): one look-up per word counts them all.
var latinStop = func() map[string]uint8 {
	m := map[string]uint8{}
	for i, l := range latinLanguages {
		for w := range l.stop {
			m[w] |= 1 << i
		}
	}
	return m
}()

// asciiLanguage is the language pure-ASCII text is analysed in: English
// unless another Latin-script language's stop words are at least two and
// more than English's ("Quante persone hanno partecipato al festival
// jazz?", "Os motoristas de autocarros entraram em greve"), so that a
// question or paragraph written without its diacritics meets the same
// text written with them, and an English sentence naming "Le Monde" or
// "La Stampa" stays English.
func asciiLanguage(text string) string { return pickASCIILanguage(latinCounts(text)) }

func pickASCIILanguage(counts [len(latinLanguages)]int) string {
	best := 0
	for i := 1; i < len(latinLanguages); i++ {
		if counts[i] > counts[best] {
			best = i
		}
	}
	if best == 0 || counts[best] < 2 {
		return "en"
	}
	return latinLanguages[best].code
}

type language struct {
	code  string
	stop  map[string]bool
	stems *stemCache
}

func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// Stop words are folded as eachWord folds words (no diacritics).
var (
	frenchStop  = words(`au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l m n s t y ete etre est sont etait a ont avait cette cet quel quelle quels quelles combien comment pourquoi quand ou qui quoi lequel laquelle`)
	spanishStop = words(`de la que el en y a los del se las por un para con no una su al lo como mas pero sus le ya o este si porque esta entre cuando muy sin sobre tambien me hasta hay donde quien desde todo nos durante todos uno les ni contra otros ese eso ante ellos e esto mi antes algunos que unos yo otro otras otra el tanto esa estos mucho quienes nada muchos cual poco ella estar estas algunas algo nosotros es son fue era ha han cuanto cuanta cuantos cuantas como cuando donde por que quien cual`)
	germanStop  = words(`der die das den dem des ein eine einer eines einem einen und oder aber in im an am auf aus bei mit nach von vom zu zum zur ist sind war waren wird werden wurde wurden hat haben hatte hatten nicht auch als wie was wer wo wann warum wieviel wie viel welche welcher welches sich es er sie wir ihr ich du fur uber unter vor noch nur schon so dass`)
	russianStop = words(`и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над больше тот через эти нас про всего них какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им более всегда конечно всю между сколько стоит стоил стоила`)

	portugueseStop = words(`o a os as um uma uns umas do da dos das de e em no na nos nas ao aos com para por pelo pela sem se seu sua seus suas que quem quando onde porque porque como qual quais quanto quanta quantos quantas e sao foi foram tem era esta estao este isso isto nao mais mas ou ja ele ela eles elas`)
	italianStop    = words(`il lo la i gli le un uno una di del dello della dei degli delle da dal dalla dai in nel nella nei con su sul sulla per tra fra e ed che chi cosa non sono ha hanno ho era erano stato stata al allo alla ai agli come anche ma o se questo questa quello quella quanto quanta quanti quante quando dove perche quale quali`)

	latinLanguages = [...]language{
		{code: "en", stop: stopWords},
		{code: "fr", stop: frenchStop, stems: &stemCache{size: stemCacheSize / 4, fn: func(w string) string { return french.Stem(w, true) }}},
		{code: "es", stop: spanishStop, stems: &stemCache{size: stemCacheSize / 4, fn: func(w string) string { return spanish.Stem(w, true) }}},
		{code: "de", stop: germanStop, stems: &stemCache{size: stemCacheSize / 4, fn: germanStem}},
		{code: "pt", stop: portugueseStop, stems: &stemCache{size: stemCacheSize / 4, fn: portugueseStem}},
		{code: "it", stop: italianStop, stems: &stemCache{size: stemCacheSize / 4, fn: italianStem}},
	}
	russianLanguage = language{code: "ru", stop: russianStop, stems: &stemCache{size: stemCacheSize / 4, fn: func(w string) string { return russian.Stem(w, true) }}}
)

// germanStem is a light German stemmer (Snowball's German is not in the
// stemming library used): it strips the past participle's ge- and the
// common inflectional endings, so that "gekostet", "kostete" and "kosten"
// meet at "kost".
func germanStem(w string) string {
	if strings.HasPrefix(w, "ge") && len(w) > 6 && (strings.HasSuffix(w, "t") || strings.HasSuffix(w, "en")) {
		w = w[2:]
	}
	for _, suf := range []string{"eten", "ete", "est", "et", "en", "em", "er", "es", "te", "e", "n", "s", "t"} {
		if len(w)-len(suf) >= 4 && strings.HasSuffix(w, suf) {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

// portugueseStem and italianStem are light stemmers (Snowball's are not
// in the stemming library used; words arrive folded, without
// diacritics): they strip one common inflectional or derivational
// ending, so that "motoristas" and "motorista", "persone" and "persona",
// "partecipato" and "partecipare" meet. Stems keep at least four letters.
func portugueseStem(w string) string { return stripEnding(w, portugueseEndings) }

func italianStem(w string) string { return stripEnding(w, italianEndings) }

var (
	portugueseEndings = []string{"amente", "mente", "acoes", "icoes", "acao", "icao", "ados", "adas", "idos", "idas", "ando", "endo", "indo",
		"aram", "eram", "iram", "ara", "era", "ira", "ado", "ada", "ido", "ida", "oes", "ais", "eis", "ar", "er", "ir", "os", "as", "es", "o", "a", "e", "s"}
	italianEndings = []string{"amente", "mente", "azioni", "azione", "eranno", "iranno", "ando", "endo", "ato", "ata", "ati", "ate", "uto", "uta", "iti", "ito", "ita",
		"ano", "ono", "are", "ere", "ire", "i", "e", "o", "a"}
)

func stripEnding(w string, endings []string) string {
	for _, suf := range endings {
		if len(w)-len(suf) >= 4 && strings.HasSuffix(w, suf) {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func hasCJK(w []byte) bool {
	for i := 0; i < len(w); {
		r, n := utf8.DecodeRune(w[i:])
		if r >= 0x2E80 && isCJK(r) {
			return true
		}
		i += n
	}
	return false
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r) || r == 'ー'
}

// cjkBreak reports whether r ends a run of CJK characters without being
// part of a bigram: hiragana (Japanese particles and inflections: の, は,
// を, ました; words written in hiragana alone are mostly function words)
// and Chinese function and question characters (的, 了, 吗, 什么, 为…,
// 哪, 谁, 怎, 何). Bigrams across them ("了什", "橋の") are in no article
// worth finding, and in a question they weigh as much as the rarest word
// (they are in no paragraph), so that the question's real words no
// longer cover enough of its weight.
func cjkBreak(r rune) bool {
	if unicode.Is(unicode.Hiragana, r) {
		return true
	}
	switch r {
	case '的', '了', '吗', '呢', '么', '什', '是', '为', '哪', '谁', '怎', '何', '吧', '啊', '呀':
		return true
	}
	return false
}

// TermsIn appends to dst the terms of text analysed as lang (an ISO 639-1
// code; English for a language without its own analysis, CJK runs as
// bigrams whatever lang is), whatever language Terms would find it in:
// for matching a text against words known to be in lang.
func TermsIn(text, lang string, dst []string) []string {
	return termsInLanguage(text, lang, nil, dst)
}

// termsInLanguage is TermsWithPrefix for text that is not pure ASCII.
func termsInLanguage(text, lang string, prefixes map[string]bool, dst []string) []string {
	var l language
	switch lang {
	case "ru":
		l = russianLanguage
	default:
		l = latinLanguages[0]
		for _, c := range latinLanguages {
			if c.code == lang {
				l = c
			}
		}
	}
	eachWord(text, func(w []byte, acronym bool) {
		if hasCJK(w) {
			dst = cjkBigrams(w, prefixes, dst)
			return
		}
		if prefixes != nil && !prefixes[string(w[:min(2, len(w))])] || !acronym && l.stop[string(w)] {
			return
		}
		if l.stems == nil {
			dst = append(dst, stem(string(w)))
		} else {
			dst = append(dst, l.stems.stem(string(w)))
		}
	})
	return dst
}

// cjkBigrams appends the overlapping bigrams of the CJK characters in w (a
// lone character is its own term), runs ending at the characters cjkBreak
// names, which are dropped; other letters in w (a Latin word written
// against CJK text) are one term each run.
func cjkBigrams(w []byte, prefixes map[string]bool, dst []string) []string {
	s := string(w)
	var run []int // byte offsets of the current CJK run's characters
	emit := func(t string) {
		if prefixes == nil || prefixes[t[:min(2, len(t))]] {
			dst = append(dst, t)
		}
	}
	flush := func(end int) {
		switch {
		case len(run) == 1:
			emit(s[run[0]:end])
		case len(run) > 1:
			for i := 0; i+1 < len(run); i++ {
				stop := end
				if i+2 < len(run) {
					stop = run[i+2]
				}
				emit(s[run[i]:stop])
			}
		}
		run = run[:0]
	}
	other := -1
	for i, r := range s {
		if cjkBreak(r) {
			flush(i)
			if other >= 0 {
				emit(stem(s[other:i]))
				other = -1
			}
			continue
		}
		if isCJK(r) {
			if other >= 0 {
				emit(stem(s[other:i]))
				other = -1
			}
			run = append(run, i)
			continue
		}
		flush(i)
		if other < 0 {
			other = i
		}
	}
	flush(len(s))
	if other >= 0 {
		emit(stem(s[other:]))
	}
	return dst
}

// scriptLanguage names the language of text by its script alone: "ja"
// (any kana), "ko", "zh" or "ru" when that script holds at least a
// quarter of the letters (Cyrillic: most of them); ok is false for Latin
// script, which Language and Detect tell apart by their words.
func scriptLanguage(text string) (lang string, ok bool) {
	var han, kana, hangul, cyr, latin int
	for _, r := range text {
		switch {
		case r < 0x80:
			if unicode.IsLetter(r) {
				latin++
			}
		case unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
			kana++
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.Is(unicode.Hangul, r):
			hangul++
		case unicode.Is(unicode.Cyrillic, r):
			cyr++
		case unicode.IsLetter(r):
			latin++
		}
	}
	switch {
	case kana > 0 && kana+han >= latin/4:
		return "ja", true
	case hangul > 0 && hangul >= latin/4:
		return "ko", true
	case han > 0 && han >= latin/4:
		return "zh", true
	case cyr > latin:
		return "ru", true
	}
	return "", false
}
