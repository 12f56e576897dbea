// Command stemcmp compares the light German, Portuguese and Italian
// stemmers of knowledge/analysis (copied here as they are) with Snowball's
// (github.com/blevesearch/snowballstem) on pairs of folded words that should
// meet and pairs that should not. Results: docs/languages.md.
package main

import (
	"fmt"
	"strings"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/german"
	"github.com/blevesearch/snowballstem/italian"
	"github.com/blevesearch/snowballstem/portuguese"
)

func sb(f func(*snowballstem.Env) bool) func(string) string {
	return func(w string) string { e := snowballstem.NewEnv(w); f(e); return e.Current() }
}

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
func strip(w string, endings []string) string {
	for _, suf := range endings {
		if len(w)-len(suf) >= 4 && strings.HasSuffix(w, suf) {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

var pt = []string{"amente", "mente", "acoes", "icoes", "acao", "icao", "ados", "adas", "idos", "idas", "ando", "endo", "indo",
	"aram", "eram", "iram", "ara", "era", "ira", "ado", "ada", "ido", "ida", "oes", "ais", "eis", "ar", "er", "ir", "os", "as", "es", "o", "a", "e", "s"}
var it = []string{"amente", "mente", "azioni", "azione", "eranno", "iranno", "ando", "endo", "ato", "ata", "ati", "ate", "uto", "uta", "iti", "ito", "ita",
	"ano", "ono", "are", "ere", "ire", "i", "e", "o", "a"}

func main() {
	sets := []struct {
		lang       string
		cur, snow  func(string) string
		same, diff [][2]string
	}{
		{"de", germanStem, sb(german.Stem), [][2]string{{"gekostet", "kostete"}, {"kosten", "kostet"}, {"brucke", "brucken"}, {"stadt", "stadte"}, {"streiken", "streikten"}, {"menschen", "mensch"}, {"besuchten", "besucht"}, {"festivals", "festival"}, {"busfahrer", "busfahrern"}, {"angekundigt", "angekundigte"}, {"millionen", "million"}, {"regierung", "regierungen"}, {"wahlen", "wahl"}, {"gewonnen", "gewann"}},
			[][2]string{{"kosten", "kosmos"}, {"stadt", "statt"}, {"wahl", "wal"}, {"rat", "rate"}, {"arm", "armee"}}},
		{"pt", func(w string) string { return strip(w, pt) }, sb(portuguese.Stem), [][2]string{{"motoristas", "motorista"}, {"custara", "custar"}, {"ponte", "pontes"}, {"anunciou", "anunciado"}, {"greve", "greves"}, {"pessoas", "pessoa"}, {"festival", "festivais"}, {"eleicoes", "eleicao"}, {"governo", "governos"}, {"prefeito", "prefeitura"}, {"custou", "custar"}},
			[][2]string{{"ponte", "ponto"}, {"casa", "caso"}, {"bom", "boa"}}},
		{"it", func(w string) string { return strip(w, it) }, sb(italian.Stem), [][2]string{{"persone", "persona"}, {"partecipato", "partecipare"}, {"costera", "costare"}, {"ponte", "ponti"}, {"autisti", "autista"}, {"sciopero", "scioperi"}, {"elezioni", "elezione"}, {"governo", "governi"}, {"annunciato", "annuncia"}, {"costato", "costo"}},
			[][2]string{{"ponte", "ponti"}, {"caso", "casa"}, {"porto", "porta"}}},
	}
	for _, s := range sets {
		for _, name := range []string{"current", "snowball"} {
			f := s.cur
			if name == "snowball" {
				f = s.snow
			}
			ok, sep := 0, 0
			var miss []string
			for _, p := range s.same {
				if f(p[0]) == f(p[1]) {
					ok++
				} else {
					miss = append(miss, p[0]+"/"+p[1]+"="+f(p[0])+","+f(p[1]))
				}
			}
			for _, p := range s.diff {
				if f(p[0]) != f(p[1]) {
					sep++
				}
			}
			fmt.Printf("%s %-8s meet %d/%d apart %d/%d  missed: %s\n", s.lang, name, ok, len(s.same), sep, len(s.diff), strings.Join(miss, " "))
		}
	}
}
