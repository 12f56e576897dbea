package bot

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Time expressions in the languages answers are worded in besides English
// (prompts/<lang>/): French, German, Spanish, Portuguese, Italian, Russian,
// Chinese and Japanese. They mean what their English counterparts in
// dateRules mean ("hier" is "yesterday": from yesterday up to today); they
// are tried after the English rules.
//
// Go's \b knows only ASCII word characters, so the Latin and Cyrillic
// phrases are matched between non-letters (the phrase is submatch 1, the
// expression); Chinese and Japanese ones, written without spaces, anywhere.
var langDateRules = slices.Concat(
	// the day before yesterday (before "yesterday": "avant-hier" holds "hier")
	phraseRule([]string{`avant[- ]hier`, `vorgestern`, `anteayer`, `antes de ayer`, `anteontem`, `l['’]altro ieri`, `altro ieri`, `позавчера`},
		[]string{`前天`, `一昨日`, `おととい`}, func(today time.Time) (Window, bool) {
			return span(today.AddDate(0, 0, -2), today.AddDate(0, 0, 1))
		}),
	// today, this morning, tonight
	phraseRule([]string{`aujourd['’]hui`, `ce matin`, `ce soir`, `cet après-midi`, `heute(?: morgen| abend| nachmittag)?`, `hoy`, `esta mañana`, `esta tarde`, `esta noche`,
		`hoje`, `esta manhã`, `oggi`, `stamattina`, `stasera`, `questa mattina`, `questa sera`, `сегодня`, `этим утром`, `сегодня утром`},
		[]string{`今天`, `今日`, `今晨`, `今晚`, `今朝`, `今夜`}, func(today time.Time) (Window, bool) {
			return span(today, today.AddDate(0, 0, 1))
		}),
	// yesterday, last night
	phraseRule([]string{`hier(?: soir)?`, `gestern(?: abend)?`, `ayer`, `anoche`, `ontem`, `ieri(?: sera)?`, `вчера`},
		[]string{`昨天`, `昨晚`, `昨日`, `昨夜`, `きのう`}, func(today time.Time) (Window, bool) {
			return span(today.AddDate(0, 0, -1), today.AddDate(0, 0, 1))
		}),
	// over the weekend
	phraseRule([]string{`(?:ce |le )?week-end(?: dernier)?`, `(?:am |letzten |vergangenen )?wochenende`, `(?:el |este )?fin de semana(?: pasado)?`, `(?:no |neste )?fim de semana(?: passado)?`,
		`(?:nel |questo |lo scorso )?fine settimana(?: scorso)?`, `(?:на |в )?(?:прошлые )?выходны[хе]`},
		[]string{`上周末`, `周末`, `週末`}, func(today time.Time) (Window, bool) {
			return span(mostRecent(today, time.Saturday, false), today.AddDate(0, 0, 1))
		}),
	// last week (the calendar week before this one, up to today)
	phraseRule([]string{`la semaine (?:dernière|passée)`, `(?:la |in der )?(?:letzten|vergangenen|vorigen) woche`, `(?:letzte|vergangene|vorige) woche`,
		`la semana pasada`, `(?:na |a )?semana passada`, `(?:la )?settimana scorsa`, `(?:la )?scorsa settimana`, `(?:на )?прошлой неделе`, `прошлая неделя`},
		[]string{`上周`, `上個?星期`, `上个星期`, `上週`, `先週`}, func(today time.Time) (Window, bool) {
			return span(monday(today).AddDate(0, 0, -7), today.AddDate(0, 0, 1))
		}),
	// this week
	phraseRule([]string{`cette semaine`, `(?:in )?diese[rn]? woche`, `esta semana`, `(?:nesta |esta )semana`, `questa settimana`, `(?:на )?этой неделе`},
		[]string{`本周`, `这周`, `這週`, `这个星期`, `今週`}, func(today time.Time) (Window, bool) {
			return span(monday(today), today.AddDate(0, 0, 1))
		}),
	// last month
	phraseRule([]string{`(?:le )?mois dernier`, `(?:le )?mois passé`, `(?:im )?(?:letzten|vergangenen|vorigen) monat`, `(?:el )?mes pasado`, `(?:no |o )?mês passado`,
		`(?:il )?mese scorso`, `(?:lo )?scorso mese`, `(?:в )?прошлом месяце`},
		[]string{`上个月`, `上個月`, `上月`, `先月`}, func(today time.Time) (Window, bool) {
			first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, today.Location())
			return span(first.AddDate(0, -1, 0), today.AddDate(0, 0, 1))
		}),
	// this month
	phraseRule([]string{`ce mois-ci`, `ce mois`, `(?:in )?diese[mn] monat`, `este mes`, `(?:neste |este )mês`, `questo mese`, `(?:в )?этом месяце`},
		[]string{`本月`, `这个月`, `這個月`, `今月`}, func(today time.Time) (Window, bool) {
			return span(time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, today.Location()), today.AddDate(0, 0, 1))
		}),
	// last year
	phraseRule([]string{`l['’]année (?:dernière|passée)`, `l['’]an (?:dernier|passé)`, `(?:im )?(?:letzten|vergangenen|vorigen) jahr`, `(?:letztes|vergangenes|voriges) jahr`, `(?:el )?año pasado`,
		`(?:no |o )?ano passado`, `l['’]anno scorso`, `(?:lo )?scorso anno`, `(?:в )?прошлом году`},
		[]string{`去年`, `昨年`}, func(today time.Time) (Window, bool) {
			first := time.Date(today.Year(), 1, 1, 0, 0, 0, 0, today.Location())
			return span(first.AddDate(-1, 0, 0), today.AddDate(0, 0, 1))
		}),
	// this year
	phraseRule([]string{`cette année`, `(?:in )?diese[ms] jahr`, `este año`, `(?:neste |este )ano`, `quest['’]anno`, `(?:в )?этом году`},
		[]string{`今年`}, func(today time.Time) (Window, bool) {
			return span(time.Date(today.Year(), 1, 1, 0, 0, 0, 0, today.Location()), today.AddDate(0, 0, 1))
		}),
	// three days ago, two weeks ago
	[]dateRule{{re: regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}])(?P<expr>(?:il y a|vor|hace|há|ha) (\d{1,3}) (jours?|tage?n?|días?|dias?|semaines?|wochen?|semanas?)|(\d{1,3}) (giorni|settimane) fa|(\d{1,3}) (дн(?:я|ей)|день|недел[юиь]) назад)(?:$|[^\p{L}\p{N}])`),
		window: func(m []string, today, _ time.Time) (Window, bool) {
			n, unit := m[2], m[3]
			if n == "" {
				n, unit = m[4], m[5]
			}
			if n == "" {
				n, unit = m[6], m[7]
			}
			return agoWindow(today, n, unit)
		}},
		{re: regexp.MustCompile(`(\d{1,3})\s*(天|日|周|週間?|个?星期)前`), window: func(m []string, today, _ time.Time) (Window, bool) {
			return agoWindow(today, m[1], m[2])
		}}},
)

// Month names, in the languages of langDateRules: "en avril", "im April",
// "en abril", "em abril", "ad aprile", "в апреле" (in April), "depuis
// avril", "seit April", "desde abril", "с апреля" (since April), each with
// an optional year, and days: "le 3 avril", "am 3. April", "el 3 de
// abril", "3 апреля", "4月3日"; "4月" and "2025年4月" alone are the month.
// They mean what "in April", "since April" and "on 3 April" mean.
var (
	latinMonths = map[string]time.Month{
		// French
		"janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
		"août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
		// German (Mai, November, September as in French or English)
		"januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "april": 4, "juni": 6, "juli": 7,
		"august": 8, "september": 9, "oktober": 10, "dezember": 12,
		// Spanish
		"enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
		"septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
		// Portuguese ("março" only with its cedilla: "Marco" is a name)
		"janeiro": 1, "fevereiro": 2, "março": 3, "maio": 5, "junho": 6, "julho": 7, "setembro": 9,
		"outubro": 10, "novembro": 11, "dezembro": 12,
		// Italian
		"gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7,
		"settembre": 9, "ottobre": 10, "dicembre": 12,
	}
	// Russian month names by their first letters: every case ("апрель",
	// "апреля", "в апреле") starts with them; "ма" (май, мая, мае) is
	// tried after "мар".
	russianMonths = []string{"янв", "фев", "мар", "апр", "ма", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"}
)

var (
	latinMonthRe   = `(` + strings.Join(sortedKeys(latinMonths), "|") + `)`
	russianMonthRe = `(январ[ьяе]|феврал[ьяе]|март[ае]?|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|август[ае]?|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе])`
)

// sortedKeys returns m's keys, the longest first, so that an alternation
// of them prefers "septiembre" to a shorter name it starts with.
func sortedKeys(m map[string]time.Month) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	return keys
}

// monthOf names the month of a matched month name.
func monthOf(name string) time.Month {
	name = strings.ToLower(name)
	if mo, ok := latinMonths[name]; ok {
		return mo
	}
	for i, pre := range russianMonths {
		if strings.HasPrefix(name, pre) {
			return time.Month(i + 1)
		}
	}
	return 0
}

// between wraps a Latin or Cyrillic expression in the non-letters around
// it (Go's \b knows only ASCII), naming it expr, as phraseRule does.
func between(expr string) *regexp.Regexp {
	return regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}])(?P<expr>` + expr + `)(?:$|[^\p{L}\p{N}])`)
}

var monthRules = []dateRule{
	// le 3 avril, am 3. April, el 3 de abril (de 2025), il 3 aprile, 3 апреля 2025
	{re: between(`(?:le |am |el |il |em |no dia |o dia )?(\d{1,2})(?:er|\.|º)? (?:de )?(?:` + latinMonthRe + `|` + russianMonthRe + `)(?:,? (?:de )?(\d{4})(?: г(?:ода|\.)?)?)?`),
		window: func(m []string, today, _ time.Time) (Window, bool) {
			d, _ := strconv.Atoi(m[2])
			y, _ := strconv.Atoi(m[5])
			t, ok := pastDate(today, monthOf(m[3]+m[4]), d, y)
			if !ok {
				return Window{}, false
			}
			return span(t, t.AddDate(0, 0, 1))
		}},
	// en avril, au mois d'avril, im April, en abril, em abril, ad aprile,
	// в апреле (2025 года); since: depuis avril, seit April, desde abril,
	// da aprile, с апреля
	{re: between(`(en|au mois d['’]|im|in|seit|depuis|desde|em|no mês de|a|ad|nel mese di|da|dal mese di|в|во|с|со) ` +
		`(?:` + latinMonthRe + `|` + russianMonthRe + `)(?:,? (?:de )?(\d{4})(?: г(?:ода|\.)?)?)?`),
		window: func(m []string, today, _ time.Time) (Window, bool) {
			prep := strings.ToLower(m[2])
			y, _ := strconv.Atoi(m[5])
			since := prep == "seit" || prep == "depuis" || prep == "desde" || strings.HasPrefix(prep, "da") || prep == "с" || prep == "со"
			return monthWindow(today, monthOf(m[3]+m[4]), y, since, false)
		}},
	// 4月3日, 2025年4月3日, 4月3号 (a day); 4月, 2025年4月 (the month);
	// 4月以来 (since April)
	{re: regexp.MustCompile(`(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})[日号])?(以来)?`),
		window: func(m []string, today, _ time.Time) (Window, bool) {
			y, _ := strconv.Atoi(m[1])
			mo, _ := strconv.Atoi(m[2])
			if mo < 1 || mo > 12 {
				return Window{}, false
			}
			if m[3] != "" {
				d, _ := strconv.Atoi(m[3])
				t, ok := pastDate(today, time.Month(mo), d, y)
				if !ok {
					return Window{}, false
				}
				if m[4] != "" {
					return span(t, today.AddDate(0, 0, 1))
				}
				return span(t, t.AddDate(0, 0, 1))
			}
			return monthWindow(today, time.Month(mo), y, m[4] != "", false)
		}},
}

func init() { dateRules = append(append(dateRules, monthRules...), langDateRules...) }

// phraseRule matches any of the phrases (Latin or Cyrillic, between
// non-letters), case-insensitively, or of the cjk ones (anywhere).
func phraseRule(phrases, cjk []string, window func(today time.Time) (Window, bool)) []dateRule {
	w := func(_ []string, today, _ time.Time) (Window, bool) { return window(today) }
	return []dateRule{
		{regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}])(?P<expr>` + strings.Join(phrases, "|") + `)(?:$|[^\p{L}\p{N}])`), w},
		{regexp.MustCompile(strings.Join(cjk, "|")), w},
	}
}

// agoWindow is "n days (or weeks) ago": from then up to today, a week
// reaching three days further back, as the English rule does.
func agoWindow(today time.Time, count, unit string) (Window, bool) {
	n, err := strconv.Atoi(count)
	if err != nil || n <= 0 || n > 1000 {
		return Window{}, false
	}
	u := strings.ToLower(unit)
	if strings.HasPrefix(u, "s") || strings.HasPrefix(u, "w") || strings.HasPrefix(u, "н") || strings.ContainsAny(u, "周週星") {
		return span(today.AddDate(0, 0, -7*n-3), today.AddDate(0, 0, 1))
	}
	return span(today.AddDate(0, 0, -n), today.AddDate(0, 0, 1))
}
