package bot

import (
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsbot/newsbot/knowledge/analysis"
)

// TermCounter tells in how many paragraphs of the store each of terms (as
// analysis.Terms writes them) occurs; knowledge/index.Index implements it.
type TermCounter interface {
	DocFreqs(ctx context.Context, terms []string) (map[string]int, error)
	// DocCount is the number of paragraphs.
	DocCount(ctx context.Context) (int, error)
}

// Spelling correction: a question's word that no paragraph holds ("whre
// are the talks", "Witkof") is most often mistyped, and as the rarest word
// it would weigh the most, so a question with one typo found nothing. Such
// a word is replaced by the word one typing slip away that the store holds
// in the most paragraphs, or by a stop word one slip away ("whre" →
// "where", "waht" → "what"), the commonest words there are. A slip is
// what fingers do (edits1): a letter left out or doubled, two letters
// swapped, a key next to the right one on the keyboard, an accent left
// off — not any letter for any other, which on the dev questions turned
// words spelled right but new to the store into others ("trawlers" →
// "trailers", "Banksy" → "Bankly", "Decanter" → "Decenter").
//
// Left alone: words of fewer than minSpellRunes letters (too many words
// are one slip from them), words with digits or of scripts without a
// letter list here, a word whose best neighbour is in too few paragraphs
// (spellDocsPer), words in capitals (acronyms: "BRICS" is no "BRICKS"),
// and a capitalised word inside a sentence
// (a name: "Behn" is not "been") unless to another content word by a
// letter left out, doubled or swapped ("Witkof", "Zelenksy"). The
// answer says what it read as what (noteSpelling), so that a wrong guess
// shows.
const (
	minSpellRunes = 4
	// minSpellContentRunes is the shortest word corrected to another
	// content word rather than to a stop word: four-letter words have
	// dozens of real neighbours ("Kash": cash, bash, kish).
	minSpellContentRunes = 5
	// spellDocsPer: a correction must be in one paragraph of every
	// spellDocsPer (and at least one): in a large store, a word in a
	// handful of paragraphs is as likely another's typo or a rare name
	// ("trawlers" is no "trawles", "Tfump" no "Tump").
	spellDocsPer = 50_000
	// maxSpellWords bounds the work one question can cause.
	maxSpellWords = 4
)

var (
	latinLetters    = []rune("abcdefghijklmnopqrstuvwxyzàáâãäçèéêëìíîïñòóôõöùúûüßœ")
	cyrillicLetters = []rune("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
)

// spellWord is one word of a question that no paragraph holds.
type spellWord struct {
	start, end int // byte offsets in the question
	lower      string
	name       bool     // capitalised, not a sentence's first word
	term       string   // its term, which no paragraph holds
	variants   []string // lower-case words one slip away
}

// spellFix is one word correctSpelling replaced.
type spellFix struct {
	From, To string
	// Quiet is set when the correction needs no word to the reader: To is
	// a stop word ("whre" → "where"), or one term is the other's start
	// (a letter left out of a name, "Witkof"; another form of the word,
	// "evacuees" searched as "evacu", the stem of "evacuation").
	Quiet bool
}

// correctSpelling returns question with its unknown words corrected (see
// above) and the corrections, or question itself when there is nothing to
// correct or tc is nil. A failing store leaves the question as it is:
// correcting is a help, not a step an answer depends on.
func correctSpelling(ctx context.Context, tc TermCounter, question string) (string, []spellFix) {
	if tc == nil {
		return question, nil
	}
	lang := analysis.Language(question)
	type word struct {
		start, end int
		lower      string
		name       bool
		term       string
	}
	var words []word
	eachQuestionWord(question, func(start, end int) {
		w := question[start:end]
		lower := strings.ToLower(w)
		if utf8.RuneCountInString(lower) < minSpellRunes || alphabetOf(lower) == nil || w == strings.ToUpper(w) {
			return // short, another script, or all capitals (an acronym: "BRICS" is no "BRICKS")
		}
		terms := analysis.TermsIn(lower, lang, nil)
		if len(terms) != 1 {
			return // a stop word, or not one term
		}
		first, _ := utf8.DecodeRuneInString(w)
		words = append(words, word{start, end, lower, unicode.IsUpper(first) && !sentenceStart(question[:start]), terms[0]})
	})
	if len(words) == 0 {
		return question, nil
	}
	known := make([]string, len(words))
	for i, w := range words {
		known[i] = w.term
	}
	dfs, err := tc.DocFreqs(ctx, known)
	if err != nil {
		return question, nil
	}
	var unknown []spellWord
	for _, w := range words {
		if dfs[w.term] == 0 && len(unknown) < maxSpellWords {
			unknown = append(unknown, spellWord{start: w.start, end: w.end, lower: w.lower, name: w.name, term: w.term, variants: edits1(w.lower, !w.name, stemRunes(w.lower, w.term))})
		}
	}
	if len(unknown) == 0 {
		return question, nil
	}
	// The terms of every variant, looked up at once.
	termOf := map[string]string{} // variant -> its term, "" for a stop word
	var lookup []string
	for _, u := range unknown {
		for _, v := range u.variants {
			if _, ok := termOf[v]; ok {
				continue
			}
			terms := analysis.TermsIn(v, lang, nil)
			switch len(terms) {
			case 0:
				termOf[v] = ""
			case 1:
				termOf[v] = terms[0]
				lookup = append(lookup, terms[0])
			}
		}
	}
	slices.Sort(lookup)
	lookup = slices.Compact(lookup)
	freqs, err := tc.DocFreqs(ctx, lookup)
	if err != nil {
		return question, nil
	}
	docs, err := tc.DocCount(ctx)
	if err != nil {
		return question, nil
	}
	minDocs := max(1, docs/spellDocsPer)
	var b strings.Builder
	var fixes []spellFix
	last := 0
	for _, u := range unknown {
		best := bestVariant(u, termOf, freqs, minDocs)
		if best == "" {
			continue
		}
		orig := question[u.start:u.end]
		t := termOf[best]
		fix := spellFix{From: orig, To: sameCase(orig, best), Quiet: t == "" || strings.HasPrefix(t, u.term) || strings.HasPrefix(u.term, t)}
		b.WriteString(question[last:u.start])
		b.WriteString(fix.To)
		last = u.end
		fixes = append(fixes, fix)
	}
	if len(fixes) == 0 {
		return question, nil
	}
	b.WriteString(question[last:])
	return b.String(), fixes
}

// bestVariant picks u's correction: a stop word when one is a single edit
// away (one with u's first letter first: typos seldom hit it, "whre" is
// "where", not "here"; then a question word, and a swap before a letter
// more or less: "wehre" is "where", not "were"), else the content word held in the most paragraphs
// (at least minDocs; ties go to the first in byte order), else "".
func bestVariant(u spellWord, termOf map[string]string, freqs map[string]int, minDocs int) string {
	var stop, best string
	bestDF := 0
	first, _ := utf8.DecodeRuneInString(u.lower)
	stopRank := func(v string) int {
		rank := 0
		if r, _ := utf8.DecodeRuneInString(v); r != first {
			rank += 4
		}
		if !questionWords[v] {
			rank += 2
		}
		if len(v) != len(u.lower) {
			rank++
		}
		return rank
	}
	for _, v := range u.variants {
		t, ok := termOf[v]
		if !ok {
			continue
		}
		if t != "" && !sameEnding(v, t, u.lower, u.term) && (u.name || !inflects(v, t)) {
			// The slip made an ending up ("evacuees" is no "evacueds",
			// "trawlers" no "trawleds") or changed a name's ("Banksy" is
			// no "Banks").
			continue
		}
		if t == "" {
			if u.name {
				continue
			}
			if stop == "" || stopRank(v) < stopRank(stop) || stopRank(v) == stopRank(stop) && v < stop {
				stop = v
			}
			continue
		}
		if df := freqs[t]; df > bestDF || df == bestDF && df > 0 && v < best {
			best, bestDF = v, df
		}
	}
	switch {
	case stop != "":
		return stop
	case bestDF >= minDocs && utf8.RuneCountInString(u.lower) >= minSpellContentRunes:
		return best
	}
	return ""
}

// eachQuestionWord calls fn with the byte span of each run of letters
// (and apostrophes inside it) in text.
func eachQuestionWord(text string, fn func(start, end int)) {
	start := -1
	for i, r := range text {
		inWord := unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || (r == '\'' || r == '’') && start >= 0
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			fn(start, trimApostrophe(text, start, i))
			start = -1
		}
	}
	if start >= 0 {
		fn(start, trimApostrophe(text, start, len(text)))
	}
}

// trimApostrophe returns end moved before apostrophes ending text[start:end].
func trimApostrophe(text string, start, end int) int {
	for end > start {
		r, size := utf8.DecodeLastRuneInString(text[start:end])
		if r != '\'' && r != '’' {
			break
		}
		end -= size
	}
	return end
}

// alphabetOf returns the letters a correction of the lower-case word w may
// use: its script's, or nil when w mixes scripts or holds a letter of
// another script (CJK, whose terms are bigrams, among them) or an
// apostrophe.
func alphabetOf(w string) []rune {
	var alphabet []rune
	for _, r := range w {
		a := cyrillicLetters
		if slices.Contains(latinLetters, r) {
			a = latinLetters
		} else if !slices.Contains(cyrillicLetters, r) {
			return nil
		}
		if alphabet != nil && len(alphabet) != len(a) {
			return nil // the two lists differ in length
		}
		alphabet = a
	}
	return alphabet
}

// edits1 returns the distinct words one typing slip from w, in byte
// order, w itself left out: a letter deleted (typed twice, or a stray key
// next to a neighbour's: strayKey), two neighbours swapped, a letter
// inserted (left out), a letter replaced by a key next to it on a QWERTY
// keyboard (QWERTZ and AZERTY swap few of them) or by the same letter with
// or without an accent, unless replace is false (names: "Decanter" is no
// "Devanter"). The first letter stays, unless swapped with the second,
// and the slip is within w's first stem letters (stemRunes): past the
// stem, the analyser drops what was typed, so a slip there is no reason
// the word is unknown ("evacuees" is no "evacuers").
func edits1(w string, replace bool, stem int) []string {
	alphabet := alphabetOf(w)
	rs := []rune(w)
	seen := map[string]bool{w: true}
	var out []string
	add := func(v []rune) {
		s := string(v)
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	buf := make([]rune, 0, len(rs)+1)
	for i := range rs[:min(stem, len(rs))] {
		if i > 0 && strayKey(rs, i) {
			// The first letter is seldom the slip ("Decanter" is no
			// "Recanter"); the first two swapped are ("hwo").
			add(append(append(buf[:0], rs[:i]...), rs[i+1:]...))
		}
		if i+1 < len(rs) && rs[i] != rs[i+1] {
			v := append(buf[:0], rs...)
			v[i], v[i+1] = v[i+1], v[i]
			add(v)
		}
		for _, c := range alphabet {
			if replace && i > 0 && c != rs[i] && slipOf(rs[i], c) {
				v := append(buf[:0], rs...)
				v[i] = c
				add(v)
			}
		}
	}
	for i := 1; i <= min(stem, len(rs)); i++ {
		for _, c := range alphabet {
			add(append(append(append(buf[:0], rs[:i]...), c), rs[i:]...))
		}
	}
	slices.Sort(out)
	return out
}

// strayKey reports whether rs[i] may have been typed by mistake: it
// doubles the letter before or after it, or its key is next to theirs
// ("meeeting", "tallks", "talkls").
func strayKey(rs []rune, i int) bool {
	for _, j := range []int{i - 1, i + 1} {
		if j >= 0 && j < len(rs) && (rs[j] == rs[i] || slipOf(rs[j], rs[i])) {
			return true
		}
	}
	return false
}

// stemRunes returns how many of word's first letters a slip may be in:
// its term's, when the term is word's start (ending); all otherwise.
func stemRunes(word, term string) int {
	if _, ok := ending(word, term); ok {
		return utf8.RuneCountInString(term)
	}
	return utf8.RuneCountInString(word)
}

// sameEnding reports whether word and typed, whose terms are term and
// typedTerm, end the same way past their terms: the slip was in the stem
// ("tlaks" and "talks" both end in "s" past "tlak" and "talk").
func sameEnding(word, term, typed, typedTerm string) bool {
	a, ok := ending(word, term)
	b, okTyped := ending(typed, typedTerm)
	return ok && okTyped && a == b
}

// ending returns what word has past its term: the term is word's start,
// accents and a final "i" for "y" aside ("Zelensky" of "zelenski",
// "Brücke" of "bruck"); ok is false when it is not.
func ending(word, term string) (string, bool) {
	ws, ts := []rune(word), []rune(term)
	if len(ts) > len(ws) {
		return "", false
	}
	for i, r := range ts {
		w := foldAccent(ws[i])
		if w != r && !(r == 'i' && w == 'y' && i == len(ts)-1) {
			return "", false
		}
	}
	return string(ws[len(ts):]), true
}

// suffixes are the English endings the stemmer takes off words, for
// inflects.
var suffixes = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range strings.Fields(`s es ed ing ings er ers est ion ions ation ations ment ments ness ly al ally
		ity ities ive ives ize izes ized izing ise ises ised ising ist ists ism ence ences ance ances ent ents ant ants
		able ible ful e ee y ies ied`) {
		m[s] = true
	}
	return m
}()

// inflects reports whether word is term with an English ending
// ("negotiations" of "negoti", "cities" of "citi", "running" of "run",
// "happy" of "happi", "taking" of "take"): a word made of a known stem
// and a made-up ending ("trawleds") does not.
func inflects(word, term string) bool {
	if word == term {
		return true
	}
	stem := term
	if strings.HasSuffix(term, "i") && strings.HasPrefix(word, strings.TrimSuffix(term, "i")+"y") {
		stem = strings.TrimSuffix(term, "i") + "y"
	}
	if e := strings.TrimSuffix(stem, "e"); e != stem && !strings.HasPrefix(word, stem) && strings.HasPrefix(word, e) && e != "" {
		stem = e // "taking" of "take"
	}
	if !strings.HasPrefix(word, stem) || stem == "" {
		return false
	}
	rest := word[len(stem):]
	if rest != "" && rest[0] == stem[len(stem)-1] && suffixes[rest[1:]] {
		return true // a doubled consonant: "running"
	}
	return rest == "" || suffixes[rest]
}

// questionWords are the words questions start with, in the languages
// answers are worded in, preferred among stop words one slip away.
var questionWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`who whom whose what which where when why how
		qui que quoi quel quelle quels quelles où quand pourquoi comment combien
		wer wen wem wessen was welche welcher welches wo wann warum wie wieviel
		quién quiénes qué cuál cuáles dónde cuándo por qué cómo cuánto cuánta cuántos cuántas
		quem quais qual onde quando porquê como quanto quanta quantos quantas
		chi che cosa quale quali dove quando perché come quanto quanta quanti quante
		кто что какой какая какие где когда почему как сколько`) {
		m[w] = true
	}
	return m
}()

// sentenceStart reports whether a word after before starts a sentence:
// before is blank, or ends in ".", "!" or "?" and blanks.
func sentenceStart(before string) bool {
	before = strings.TrimRightFunc(before, unicode.IsSpace)
	return before == "" || strings.HasSuffix(before, ".") || strings.HasSuffix(before, "!") || strings.HasSuffix(before, "?") ||
		strings.HasSuffix(before, "¿") || strings.HasSuffix(before, "¡")
}

// qwertyRows are the letter rows of a QWERTY keyboard.
var qwertyRows = [3]string{"qwertyuiop", "asdfghjkl", "zxcvbnm"}

// slipOf reports whether typing a for b is a slip: keys next to each
// other (in a row, or in the rows above and below, which are offset by
// half a key), or one letter with and without an accent ("e" for "é").
func slipOf(a, b rune) bool {
	fa, fb := foldAccent(a), foldAccent(b)
	if fa == fb {
		return true
	}
	if a != fa && b != fb {
		return false // two accented letters: not a neighbour's key
	}
	ra, ca, oka := keyOf(fa)
	rb, cb, okb := keyOf(fb)
	if !oka || !okb {
		return false
	}
	// Each row starts half a key right of the one above: "a" touches "q"
	// and "w", "z" touches "a" and "s".
	switch ra - rb {
	case 0:
		return ca-cb == 1 || cb-ca == 1
	case 1: // a in the row below b's
		return cb == ca || cb == ca+1
	case -1:
		return ca == cb || ca == cb+1
	}
	return false
}

// keyOf returns the row and column of letter r on a QWERTY keyboard.
func keyOf(r rune) (row, col int, ok bool) {
	for i, keys := range qwertyRows {
		if c := strings.IndexRune(keys, r); c >= 0 {
			return i, c, true
		}
	}
	return 0, 0, false
}

// foldAccent returns the unaccented letter of the lower-case Latin letter
// r, or r itself.
func foldAccent(r rune) rune {
	for base, accented := range accentsOf {
		if strings.ContainsRune(accented, r) {
			return base
		}
	}
	return r
}

var accentsOf = map[rune]string{'a': "àáâãä", 'c': "ç", 'e': "èéêë", 'i': "ìíîï", 'n': "ñ", 'o': "òóôõö", 'u': "ùúûü", 's': "ß"}

// sameCase returns word written with the case of orig's first letter
// (and all in capitals when orig is).
func sameCase(orig, word string) string {
	if orig == strings.ToUpper(orig) && utf8.RuneCountInString(orig) > 1 {
		return strings.ToUpper(word)
	}
	first, _ := utf8.DecodeRuneInString(orig)
	if unicode.IsUpper(first) {
		r, size := utf8.DecodeRuneInString(word)
		return string(unicode.ToUpper(r)) + word[size:]
	}
	return word
}
