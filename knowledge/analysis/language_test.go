package analysis

import (
	"slices"
	"testing"
)

func TestLanguage(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Combien coûtera le nouveau tramway de la ville ?", "fr"},
		{"Le conseil a voté mercredi le budget du tramway, qui coûteront 40 millions d’euros.", "fr"},
		{"¿Cuánto costará la nueva línea de metro de la ciudad?", "es"},
		{"Wie viel hat die neue Brücke in der Stadt gekostet?", "de"},
		{"Сколько стоил новый мост в городе?", "ru"},
		{"宇航员什么时候返回地面？", "zh"},
		{"宇宙飛行士はいつ地球に帰還しましたか？", "ja"},
		{"The council’s “final” budget sets aside €4.2 million for the café district.", "en"},
		{"What did the mayor of São Paulo say about the metro?", "en"},
		{"Porque é que os motoristas de autocarros estão em greve?", "pt"},
		{"Più di 20.000 persone hanno partecipato lunedì al festival jazz di Roccalta.", "it"},
	}
	for _, tt := range tests {
		if got := Language(tt.text); got != tt.want {
			t.Errorf("Language(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// Question and article words in the same language meet at one term.
func TestTermsInLanguage(t *testing.T) {
	tests := []struct{ name, question, article, shared string }{
		{"French", "Combien coûtera le tramway à Lyon ?", "Selon la mairie, les travaux du tramway coûteront 40 millions d’euros.", "cout"},
		{"German", "Wie viel hat die Brücke in München gekostet?", "Die neue Brücke kostete nach Angaben der Stadt 12 Millionen Euro.", "kost"},
		{"Spanish", "¿Cuántos trenes compró la ciudad de Sevilla?", "La ciudad de Sevilla comprará doce trenes nuevos según el alcalde.", "compr"},
		{"Russian", "Сколько стоил новый мост в Казани?", "Строительство нового моста в Казани обошлось городу в два миллиарда рублей.", "мост"},
		{"Chinese", "宇航员什么时候返回地面？", "三名宇航员周二返回地面，完成了为期六个月的任务。", "宇航"},
		{"Japanese", "宇宙飛行士はいつ帰還しましたか？", "三人の宇宙飛行士が火曜日に地球へ帰還した。", "帰還"},
		{"Portuguese", "Porque é que os motoristas estão em greve?", "Os motoristas de autocarros entraram em greve no domingo.", "motorist"},
		{"Italian", "Quante persone hanno partecipato al festival?", "Più di 20.000 persone hanno partecipato lunedì al festival.", "partecip"},
		// Written without diacritics, a question is still German.
		{"German in ASCII", "Was hat der Stadtrat gestern mitgeteilt?", "Die Kosten hat der Stadtrat am Dienstag mitgeteilt, sagte die Bürgermeisterin.", "mitgeteil"},
	}
	for _, tt := range tests {
		q, a := Terms(tt.question, nil), Terms(tt.article, nil)
		if !slices.Contains(q, tt.shared) || !slices.Contains(a, tt.shared) {
			t.Errorf("%s: question terms %q, article terms %q; want both to hold %q", tt.name, q, a, tt.shared)
		}
	}
}

func TestCJKBigrams(t *testing.T) {
	if got, want := Terms("返回地面", nil), []string{"返回", "回地", "地面"}; !slices.Equal(got, want) {
		t.Errorf("Terms = %q, want %q", got, want)
	}
	if got, want := Terms("中 NASA宇航员", nil), []string{"中", "nasa", "宇航", "航员"}; !slices.Equal(got, want) {
		t.Errorf("Terms = %q, want %q", got, want)
	}
	// Restricted to prefixes, as TermsWithPrefix is used to find terms.
	pre := TermPrefixes(map[string]bool{"地面": true})
	if got := TermsWithPrefix("宇航员返回地面", pre, nil); !slices.Equal(got, []string{"地面"}) {
		t.Errorf("TermsWithPrefix = %q", got)
	}
}

func TestASCIILanguage(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Was hat der Stadtrat gestern mitgeteilt?", "de"},
		{"Quante persone hanno partecipato al festival jazz?", "it"},
		{"Os motoristas de autocarros de Vila Nova entraram em greve no domingo.", "pt"},
		// Foreign names in English text leave it English.
		{"Le Monde and La Stampa reported the talks.", "en"},
		{"Le Pen wins", "en"},
		{"What is the capital of Mongolia?", "en"},
	}
	for _, tt := range tests {
		if got := asciiLanguage(tt.text); got != tt.want {
			t.Errorf("asciiLanguage(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// Hiragana and Chinese function characters end CJK runs and are not
// indexed: a question's particles weigh nothing.
func TestCJKBreaks(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"昨天市议会宣布了什么", []string{"昨天", "天市", "市议", "议会", "会宣", "宣布"}},
		{"バス運転手はなぜストライキをしているのですか", []string{"バス", "ス運", "運転", "転手", "スト", "トラ", "ライ", "イキ"}},
		{"サッカー", []string{"サッ", "ッカ", "カー"}},
		{"これは", nil},
	}
	for _, tt := range tests {
		if got := Terms(tt.in, nil); !slices.Equal(got, tt.want) {
			t.Errorf("Terms(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// English text keeps its analysis, ASCII or not.
func TestEnglishUnchanged(t *testing.T) {
	a := Terms("The council’s “final” budget was approved", nil)
	b := Terms("The council's \"final\" budget was approved", nil)
	if !slices.Equal(a, b) {
		t.Errorf("%q != %q", a, b)
	}
}
