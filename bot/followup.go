package bot

import (
	"slices"
	"strings"
	"unicode"

	"github.com/newsbot/newsbot/knowledge/analysis"
)

// followUpVocab are, per language answers are worded in, the words that
// ask for more about a subject without naming one: "on which day?", "how
// many people?", "why?", "and the other side?", "Warum?", "Quel jour ?",
// "¿Por qué?", "为什么？". Words a language shares with English content
// words are left out ("data", Italian and Portuguese for "date", is an
// English subject).
var followUpVocab = []struct{ lang, words string }{
	{"en", `day days date time year month week when where place else other others reason
		why side sides number many much people person more detail details exactly happen happened mean
		cause caused causes`},
	{"fr", `pourquoi jour jours date quand où lieu endroit raison raisons cause quel quelle quels quelles
		lequel laquelle combien autre autres exactement détails`},
	{"de", `warum wieso weshalb tag tage tagen datum wann wo wohin ort grund gründe welchem welchen welcher
		welche welches wieviel viele genau andere anderen`},
	{"es", `por qué porqué día días fecha cuándo dónde lugar razón motivo causa cuál cuáles otro otros
		otra exactamente cuánto cuántos`},
	{"pt", `por que porquê dia dias quando onde lugar razão motivo qual quais outro outros exatamente`},
	{"it", `perché giorno giorni quando dove luogo motivo ragione quale quali altro altri esattamente`},
	{"ru", `почему зачем день дня дату дата когда где место причина какой какого какие`},
	{"zh", `为什么 哪天 哪一天 日期 什么时候 哪里 原因 其他`},
	{"ja", `なぜ どうして 何曜日 何日 いつ どこ 理由 日付 他`},
}

// followUpTerms returns the terms of followUpVocab as a question holding
// them may be analysed: a short question is often taken for English
// ("Warum?", "Quel jour ?": one stop word of its language is not enough
// to tell) or for a neighbouring language ("¿Qué día?" reads as French),
// so a foreign word counts in the analysis of English and of each other
// language too. English words count in English only: "time" stemmed as
// French would be "tim".
func followUpTerms() map[string]bool {
	m := map[string]bool{}
	langs := []string{"fr", "es", "de", "pt", "it", "ru"}
	for _, v := range followUpVocab {
		for _, w := range strings.Fields(v.words) {
			for _, t := range analysis.Terms(w, nil) {
				m[t] = true
			}
			if v.lang == "en" {
				continue
			}
			for _, l := range langs {
				for _, t := range analysis.TermsIn(w, l, nil) {
					m[t] = true
				}
			}
		}
	}
	return m
}

// followUpLangs maps each word of followUpVocab, lower case, to the
// languages whose vocabulary holds it.
var followUpLangs = func() map[string][]string {
	m := map[string][]string{}
	for _, v := range followUpVocab {
		for _, w := range strings.Fields(v.words) {
			if !slices.Contains(m[w], v.lang) {
				m[w] = append(m[w], v.lang)
			}
		}
	}
	return m
}()

// followUpLang returns the language of a follow-up made only of
// followUpVocab's words and stop words ("An welchem Tag?", "何曜日？"),
// which analysis.Detect may take for another ("An" is English too): the
// one language whose words it holds most, "" when it holds an English one,
// names a subject, or two languages tie ("Quando?").
func followUpLang(text string) string {
	if len(ownTerms(text)) > 0 {
		return ""
	}
	hits := map[string]int{}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		for _, l := range followUpLangs[w] {
			hits[l]++
		}
	}
	best, tie := "", false
	for l, n := range hits {
		switch {
		case best == "" || n > hits[best]:
			best, tie = l, false
		case n == hits[best]:
			tie = true
		}
	}
	if tie || best == "en" || hits["en"] > 0 {
		return ""
	}
	return best
}

// detectLang is analysis.Detect, but for a bare follow-up in one
// language's words (followUpLang), which is that language.
func detectLang(text string) (lang string, sure bool) {
	if l := followUpLang(text); l != "" {
		return l, true
	}
	return analysis.Detect(text)
}
