package bot

import (
	"testing"
	"time"
)

// Time expressions in each language answers are worded in mean what their
// English counterparts mean.
func TestParseWindowLanguages(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	// Wednesday 16 April 2025, 10:30 in Paris.
	now := time.Date(2025, 4, 16, 10, 30, 0, 0, paris)
	d := func(m time.Month, dd int) time.Time { return time.Date(2025, m, dd, 0, 0, 0, 0, paris) }
	var (
		today     = [2]time.Time{d(4, 16), d(4, 17)}
		yesterday = [2]time.Time{d(4, 15), d(4, 17)}
		before    = [2]time.Time{d(4, 14), d(4, 17)}
		thisWeek  = [2]time.Time{d(4, 14), d(4, 17)}
		lastWeek  = [2]time.Time{d(4, 7), d(4, 17)}
		weekend   = [2]time.Time{d(4, 12), d(4, 17)}
		thisMonth = [2]time.Time{d(4, 1), d(4, 17)}
		lastMonth = [2]time.Time{d(3, 1), d(4, 17)}
		thisYear  = [2]time.Time{d(1, 1), d(4, 17)}
		lastYear  = [2]time.Time{time.Date(2024, 1, 1, 0, 0, 0, 0, paris), d(4, 17)}
		days3     = [2]time.Time{d(4, 13), d(4, 17)}
		weeks2    = [2]time.Time{d(3, 30), d(4, 17)}
	)
	tests := []windowCase{
		// French
		{"Que s'est-il passé hier à Gaza ?", yesterday, "hier", "Que s'est-il passé à Gaza ?"},
		{"Qui a parlé aujourd'hui ?", today, "aujourd'hui", "Qui a parlé ?"},
		{"Qu'a dit le maire avant-hier ?", before, "avant-hier", "Qu'a dit le maire ?"},
		{"Qui a gagné la semaine dernière ?", lastWeek, "la semaine dernière", "Qui a gagné ?"},
		{"Quoi de neuf cette semaine ?", thisWeek, "cette semaine", "Quoi de neuf ?"},
		{"Que s'est-il passé ce week-end ?", weekend, "ce week-end", "Que s'est-il passé ?"},
		{"Les grèves du mois dernier", lastMonth, "mois dernier", "Les grèves du"},
		{"Les grèves de ce mois-ci", thisMonth, "ce mois-ci", "Les grèves de"},
		{"Combien de séismes cette année ?", thisYear, "cette année", "Combien de séismes ?"},
		{"Qui a gagné l'année dernière ?", lastYear, "l'année dernière", "Qui a gagné ?"},
		{"Un séisme il y a 3 jours", days3, "il y a 3 jours", "Un séisme"},
		// German
		{"Was ist gestern in Berlin passiert?", yesterday, "gestern", "Was ist in Berlin passiert?"},
		{"Was gibt es heute?", today, "heute", "Was gibt es ?"},
		{"Wer hat letzte Woche gewonnen?", lastWeek, "letzte Woche", "Wer hat gewonnen?"},
		{"Was geschah in der vergangenen Woche?", lastWeek, "in der vergangenen Woche", "Was geschah ?"},
		{"Was sagte Scholz diese Woche?", thisWeek, "diese Woche", "Was sagte Scholz ?"},
		{"Was geschah am Wochenende?", weekend, "am Wochenende", "Was geschah ?"},
		{"Streiks im letzten Monat", lastMonth, "im letzten Monat", "Streiks"},
		{"Wahlen letztes Jahr", lastYear, "letztes Jahr", "Wahlen"},
		{"Ein Beben vor 3 Tagen", days3, "vor 3 Tagen", "Ein Beben"},
		// Spanish
		{"¿Qué pasó ayer en Madrid?", yesterday, "ayer", "¿Qué pasó en Madrid?"},
		{"¿Qué dijo hoy el presidente?", today, "hoy", "¿Qué dijo el presidente?"},
		{"¿Quién ganó la semana pasada?", lastWeek, "la semana pasada", "¿Quién ganó ?"},
		{"¿Qué pasó el mes pasado?", lastMonth, "el mes pasado", "¿Qué pasó ?"},
		{"¿Cuántos incendios este año?", thisYear, "este año", "¿Cuántos incendios ?"},
		{"Un terremoto hace 2 semanas", weeks2, "hace 2 semanas", "Un terremoto"},
		// Portuguese
		{"O que aconteceu ontem em Lisboa?", yesterday, "ontem", "O que aconteceu em Lisboa?"},
		{"Quem ganhou na semana passada?", lastWeek, "na semana passada", "Quem ganhou ?"},
		{"O que disse o ministro hoje?", today, "hoje", "O que disse o ministro ?"},
		{"Inflação no ano passado", lastYear, "no ano passado", "Inflação"},
		{"Um sismo há 3 dias", days3, "há 3 dias", "Um sismo"},
		// Italian
		{"Cosa è successo ieri a Roma?", yesterday, "ieri", "Cosa è successo a Roma?"},
		{"Chi ha vinto la settimana scorsa?", lastWeek, "la settimana scorsa", "Chi ha vinto ?"},
		{"Cosa ha detto oggi il premier?", today, "oggi", "Cosa ha detto il premier?"},
		{"Gli scioperi del mese scorso", lastMonth, "mese scorso", "Gli scioperi del"},
		{"Quanti incendi quest'anno?", thisYear, "quest'anno", "Quanti incendi ?"},
		{"Un terremoto 3 giorni fa", days3, "3 giorni fa", "Un terremoto"},
		// Russian
		{"Что случилось вчера в Москве?", yesterday, "вчера", "Что случилось в Москве?"},
		{"Кто победил на прошлой неделе?", lastWeek, "на прошлой неделе", "Кто победил ?"},
		{"Что сказал министр сегодня?", today, "сегодня", "Что сказал министр ?"},
		{"Что произошло в прошлом месяце?", lastMonth, "в прошлом месяце", "Что произошло ?"},
		{"Выборы в этом году", thisYear, "в этом году", "Выборы"},
		{"Землетрясение 3 дня назад", days3, "3 дня назад", "Землетрясение"},
		// Chinese
		{"昨天巴黎发生了什么？", yesterday, "昨天", "巴黎发生了什么？"},
		{"上周谁赢了？", lastWeek, "上周", "谁赢了？"},
		{"今天有什么新闻？", today, "今天", "有什么新闻？"},
		{"前天发生了什么？", before, "前天", "发生了什么？"},
		{"本周的新闻", thisWeek, "本周", "的新闻"},
		{"上个月的罢工", lastMonth, "上个月", "的罢工"},
		{"去年的选举", lastYear, "去年", "的选举"},
		{"3天前的地震", days3, "3天前", "的地震"},
		// Japanese
		{"昨日パリで何が起きましたか？", yesterday, "昨日", "パリで何が起きましたか？"},
		{"先週誰が勝ちましたか？", lastWeek, "先週", "誰が勝ちましたか？"},
		{"一昨日の地震", before, "一昨日", "の地震"},
		{"今週のニュース", thisWeek, "今週", "のニュース"},
		{"先月のストライキ", lastMonth, "先月", "のストライキ"},
		{"昨年の選挙", lastYear, "昨年", "の選挙"},
		{"週末のニュース", weekend, "週末", "のニュース"},
		{"2週間前の地震", weeks2, "2週間前", "の地震"},
	}
	checkWindows(t, now, tests)
	// Words that only hold a time word are no window.
	for _, q := range []string{"Qui est le chef de la ville de Hierro ?", "Wer leitet die Heutezeitung?", "Who is Ayerbe?", "Ontembo mine", "Chi è Ierimonti?"} {
		if w, _, ok := ParseWindow(q, now); ok {
			t.Errorf("ParseWindow(%q) = %+v, want no window", q, w)
		}
	}
}

// Month names in each language mean what "in April", "since April" and
// "on 3 April" mean.
func TestParseWindowMonths(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	// Wednesday 16 April 2025, 10:30 in Paris.
	now := time.Date(2025, 4, 16, 10, 30, 0, 0, paris)
	d := func(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, paris) }
	var (
		april    = [2]time.Time{d(2025, 4, 1), d(2025, 5, 1)}
		march24  = [2]time.Time{d(2024, 3, 1), d(2024, 4, 1)}
		december = [2]time.Time{d(2024, 12, 1), d(2025, 1, 1)}
		sinceMar = [2]time.Time{d(2025, 3, 1), d(2025, 4, 17)}
		april3   = [2]time.Time{d(2025, 4, 3), d(2025, 4, 4)}
		feb1     = [2]time.Time{d(2025, 2, 1), d(2025, 2, 2)}
	)
	tests := []windowCase{
		{"Qu'a dit le maire en avril ?", april, "en avril", "Qu'a dit le maire ?"},
		{"Les grèves en mars 2024", march24, "en mars 2024", "Les grèves"},
		{"Qui a gagné le 3 avril ?", april3, "le 3 avril", "Qui a gagné ?"},
		{"Les prix depuis mars", sinceMar, "depuis mars", "Les prix"},
		{"Le séisme du 1er février", feb1, "1er février", "Le séisme du"},
		{"Neige en décembre", december, "en décembre", "Neige"},
		{"Was geschah im April?", april, "im April", "Was geschah ?"},
		{"Preise seit März", sinceMar, "seit März", "Preise"},
		{"Wer sprach am 3. April?", april3, "am 3. April", "Wer sprach ?"},
		{"¿Qué pasó en abril?", april, "en abril", "¿Qué pasó ?"},
		{"¿Quién ganó el 3 de abril de 2025?", april3, "el 3 de abril de 2025", "¿Quién ganó ?"},
		{"Los precios desde marzo", sinceMar, "desde marzo", "Los precios"},
		{"O que aconteceu em abril?", april, "em abril", "O que aconteceu ?"},
		{"Os preços desde março", sinceMar, "desde março", "Os preços"},
		{"Cosa è successo ad aprile?", april, "ad aprile", "Cosa è successo ?"},
		{"Chi ha vinto il 3 aprile?", april3, "il 3 aprile", "Chi ha vinto ?"},
		{"Что случилось в апреле?", april, "в апреле", "Что случилось ?"},
		{"Забастовка 3 апреля", april3, "3 апреля", "Забастовка"},
		{"Цены с марта", sinceMar, "с марта", "Цены"},
		{"Выборы в марте 2024 года", march24, "в марте 2024 года", "Выборы"},
		{"4月发生了什么？", april, "4月", "发生了什么？"},
		{"4月3日的地震", april3, "4月3日", "的地震"},
		{"2024年12月的选举", december, "2024年12月", "的选举"},
		{"3月以来的物价", sinceMar, "3月以来", "的物价"},
		{"4月3日の地震", april3, "4月3日", "の地震"},
	}
	checkWindows(t, now, tests)
	// Names and months still to come are no window.
	for _, q := range []string{"Marco Rubio em Lisboa", "Qui est Avrillon ?", "Что в магазине?", "Les soldes en juillet", "6月的选举", "Carlos da Silva"} {
		if w, _, ok := ParseWindow(q, now); ok {
			t.Errorf("ParseWindow(%q) = %+v, want no window", q, w)
		}
	}
}

// windowCase is a question, the window ParseWindow should read in it, its
// expression and the question without it.
type windowCase struct {
	q      string
	window [2]time.Time
	expr   string
	rest   string
}

// checkWindows checks ParseWindow on each of tests, as of now.
func checkWindows(t *testing.T, now time.Time, tests []windowCase) {
	t.Helper()
	for _, tt := range tests {
		w, rest, ok := ParseWindow(tt.q, now)
		if !ok {
			t.Errorf("ParseWindow(%q): no window", tt.q)
			continue
		}
		if !w.Since.Equal(tt.window[0]) || !w.Until.Equal(tt.window[1]) {
			t.Errorf("ParseWindow(%q) = [%v, %v), want [%v, %v)", tt.q, w.Since, w.Until, tt.window[0], tt.window[1])
		}
		if w.Expr != tt.expr || rest != tt.rest {
			t.Errorf("ParseWindow(%q): expression %q, rest %q; want %q, %q", tt.q, w.Expr, rest, tt.expr, tt.rest)
		}
	}
}
