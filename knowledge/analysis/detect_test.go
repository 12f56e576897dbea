package analysis

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// TestDetectShortQuestions measures Detect on short questions in each
// language: a question is right when Detect is sure of its language,
// unsure when Detect is not sure (the bot answers in English then), wrong
// when it is sure of another language. Wrong answers must stay rare.
func TestDetectShortQuestions(t *testing.T) {
	f, err := os.Open("testdata/short-questions.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type tally struct{ right, unsure, wrong int }
	by := map[string]*tally{}
	var order []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		want, q, _ := strings.Cut(line, "\t")
		if by[want] == nil {
			by[want] = &tally{}
			order = append(order, want)
		}
		got, sure := Detect(q)
		switch {
		case got == want && sure:
			by[want].right++
		case !sure:
			by[want].unsure++
			t.Logf("unsure: %s %q (best guess %s)", want, q, got)
		default:
			by[want].wrong++
			t.Errorf("wrong: %s %q detected as %s", want, q, got)
		}
	}
	for _, l := range order {
		c := by[l]
		t.Logf("%s: %d right, %d unsure, %d wrong of %d", l, c.right, c.unsure, c.wrong, c.right+c.unsure+c.wrong)
	}
}

func TestDetect(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Le conseil a voté mercredi le budget du tramway, qui coûteront 40 millions d’euros.", "fr"},
		{"A prefeitura de São Paulo anunciou a construção de uma nova linha de metrô.", "pt"},
		{"Il sindaco di Milano ha presentato il nuovo piano della mobilità.", "it"},
		{"La ciudad de Sevilla comprará doce trenes nuevos según el alcalde.", "es"},
		{"Die neue Brücke kostete nach Angaben der Stadt 12 Millionen Euro.", "de"},
		{"The council approved the budget for the new tram line on Wednesday.", "en"},
		{"Строительство нового моста в Казани обошлось городу в два миллиарда рублей.", "ru"},
		{"三名宇航员周二返回地面。", "zh"},
		{"三人の宇宙飛行士が火曜日に地球へ帰還した。", "ja"},
	}
	for _, tt := range tests {
		if got, sure := Detect(tt.text); got != tt.want || !sure {
			t.Errorf("Detect(%q) = %q, %v; want %q, sure", tt.text, got, sure, tt.want)
		}
	}
	if got, sure := Detect("NASA"); sure && got != "en" {
		t.Errorf("Detect(NASA) = %q, sure", got)
	}
}
