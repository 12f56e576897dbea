package analysis

import (
	"strings"
	"unicode"
)

// Detect returns the language of text (an ISO 639-1 code) among those
// newsbot answers in — "en", "fr", "de", "es", "pt", "it", "ru", "zh",
// "ja" and "ko" — and whether it is sure. It is meant for questions and
// articles alike; short questions are where it is unsure, and callers fall
// back to English then.
//
// Scripts decide first (any kana is Japanese, Hangul Korean, other Han
// Chinese, Cyrillic Russian), as in Language. Latin-script text is scored by
// its function words and question words in each language, with the
// letters and endings only one or two of them write (ñ and ¿ for Spanish,
// ã and -ção for Portuguese, ß for German, -zione for Italian, œ for
// French…); it is sure when one language leads. Language, which the
// analyser uses to pick stemmers and is part of the stored analyser
// version, is left as it is.
func Detect(text string) (lang string, sure bool) {
	if lang, ok := scriptLanguage(text); ok {
		return lang, true
	}
	var score [len(detectLangs)]float64
	lower := strings.ToLower(text)
	for _, w := range strings.FieldsFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '’' }) {
		w = strings.Trim(w, "'’")
		// Elisions: l'année, dell'anno, d’euros.
		if i := strings.IndexAny(w, "'’"); i > 0 {
			head := w[:i]
			for j, l := range detectLangs {
				if l.elisions[head] {
					score[j] += 1
				}
			}
			w = strings.TrimLeft(w[i:], "'’")
		}
		for j, l := range detectLangs {
			if l.words[w] {
				score[j]++
			}
			for _, suf := range l.endings {
				if len(w) > len(suf)+1 && strings.HasSuffix(w, suf) {
					score[j] += 1.5
					break
				}
			}
		}
	}
	for _, r := range lower {
		if r < 0x80 {
			continue
		}
		for j, l := range detectLangs {
			if strings.ContainsRune(l.letters, r) {
				score[j] += 0.5
			}
		}
	}
	best, second := 0, -1
	for j := 1; j < len(detectLangs); j++ {
		if score[j] > score[best] {
			best, second = j, best
		} else if second < 0 || score[j] > score[second] {
			second = j
		}
	}
	if score[best] == 0 {
		return "en", false
	}
	return detectLangs[best].code, score[best] > score[second]
}

type detectLang struct {
	code string
	// words are function and question words (with their diacritics);
	// elisions the words written before an apostrophe (l', dell');
	// endings the word endings typical of the language; letters the
	// letters beyond ASCII it uses.
	words    map[string]bool
	elisions map[string]bool
	endings  []string
	letters  string
}

var detectLangs = [...]detectLang{
	{code: "en", words: words(`the a an of in on to and is are was were be been has have had did does do what who whom whose when where why how which that this these those with from for by about at it its he she they his her their than after before yesterday today week year last said says will would not`),
		elisions: words(`don doesn didn isn wasn`), endings: []string{"ing", "ed"}},
	{code: "fr", words: words(`le la les un une des du de et est sont été a ont au aux qui que quoi quand où pourquoi comment combien quel quelle quels quelles ce cette ces il elle ils elles dans sur pour par avec sans pas ne se son sa ses leur leurs hier aujourd semaine dernière dernier année mois après avant selon`),
		elisions: words(`l d qu j n s c aujourd`), endings: []string{"eau", "eaux", "ée", "ées", "ment", "tion", "tions", "ait", "aient"}, letters: "éèêëàâçîïôûùœ"},
	{code: "de", words: words(`der die das den dem des ein eine einen einem einer und ist sind war waren wurde wurden hat haben hatte wer was wann wo warum wie welche welcher welches wieviel viel im in auf mit von zu zum zur für über nach bei nicht sich es er sie gestern heute woche letzte letzten jahr monat diese dieses`),
		endings: []string{"ung", "ungen", "heit", "keit", "lich", "schaft"}, letters: "äöüß"},
	{code: "es", words: words(`el la los las un una unos unas del de y es son fue fueron ha han qué quién quiénes cuándo dónde por cómo cuál cuánto cuánta cuántos cuántas en con para sin se su sus lo al ayer hoy semana pasada pasado año mes este esta según`),
		endings: []string{"ción", "ciones", "idad", "mente", "ado", "ada"}, letters: "ñáéíóú¿¡"},
	{code: "pt", words: words(`o a os as um uma do da dos das de e é são foi foram tem têm quem quando onde porque por que como qual quais quanto quanta quantos no na nos nas em com para sem se seu sua ao ontem hoje semana passada passado ano mês este esta segundo não`),
		endings: []string{"ção", "ções", "ões", "ão", "dade", "mente", "ado", "ada"}, letters: "ãõçáéíóúâêô"},
	{code: "it", words: words(`il lo la i gli le un uno una del della dei degli delle di e è sono era stato stata ha hanno chi cosa che quando dove perché come quale quanto quanti quante in con per su nel nella nei al alla ieri oggi settimana scorsa scorso anno mese questo questa secondo non`),
		elisions: words(`l dell all nell sull un d c`), endings: []string{"zione", "zioni", "ità", "mente", "ato", "ata"}, letters: "àèéìòù"},
}
