package bot

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newsbot/newsbot/prompts"
)

// Window is a span of publication dates a question asks about: [Since,
// Until), whole days in the bot's time zone.
type Window struct {
	Since, Until time.Time
	// Expr is the expression the window was read from ("last week").
	Expr string
}

// IsZero reports whether w is no window.
func (w Window) IsZero() bool { return w.Since.IsZero() && w.Until.IsZero() }

// Label is the window in words: "16 April 2025", "14–16 April 2025",
// "30 March – 5 April 2025", "April 2025", "2024".
func (w Window) Label() string {
	if w.IsZero() {
		return ""
	}
	a, b := w.Since, w.Until.AddDate(0, 0, -1) // inclusive last day
	switch {
	case a.Month() == 1 && a.Day() == 1 && b.Month() == 12 && b.Day() == 31 && a.Year() == b.Year():
		return strconv.Itoa(a.Year())
	case a.Day() == 1 && b.AddDate(0, 0, 1).Day() == 1 && a.Month() == b.Month() && a.Year() == b.Year():
		return a.Format("January 2006")
	case a.Equal(b) || b.Before(a):
		return a.Format("2 January 2006")
	case a.Month() == b.Month() && a.Year() == b.Year():
		return fmt.Sprintf("%d–%s", a.Day(), b.Format("2 January 2006"))
	case a.Year() == b.Year():
		return fmt.Sprintf("%s – %s", a.Format("2 January"), b.Format("2 January 2006"))
	}
	return fmt.Sprintf("%s – %s", a.Format("2 January 2006"), b.Format("2 January 2006"))
}

// labelIn is Label in the language of set: English as Label says, other
// languages with their own month names and date layouts ("avril 2025",
// "14 avril 2025 – 16 avril 2025").
func (w Window) labelIn(set *prompts.Set) string {
	if w.IsZero() || set.Code() == "en" {
		return w.Label()
	}
	a, b := w.Since, w.Until.AddDate(0, 0, -1)
	switch {
	case a.Month() == 1 && a.Day() == 1 && b.Month() == 12 && b.Day() == 31 && a.Year() == b.Year():
		return strconv.Itoa(a.Year())
	case a.Day() == 1 && b.AddDate(0, 0, 1).Day() == 1 && a.Month() == b.Month() && a.Year() == b.Year():
		return set.Month(a)
	case a.Equal(b) || b.Before(a):
		return set.LongDate(a)
	}
	return set.LongDate(a) + " – " + set.LongDate(b)
}

var months = map[string]time.Month{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
	"june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
	"october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

var numberWords = map[string]int{"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
	"seven": 7, "eight": 8, "nine": 9, "ten": 10, "couple of": 2, "few": 3}

const (
	monthRe   = `(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?`
	weekdayRe = `(monday|tuesday|wednesday|thursday|friday|saturday|sunday)`
	countRe   = `(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|couple of|few)`
)

// dateRule reads one kind of time expression. match's submatches are
// passed to window with "today" (midnight in the bot's zone) and now.
type dateRule struct {
	re     *regexp.Regexp
	window func(m []string, today, now time.Time) (Window, bool)
}

func day(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

func span(since, until time.Time) (Window, bool) { return Window{Since: since, Until: until}, true }

// mostRecent returns the latest date on or before today (strictly before,
// when strict) that falls on wd.
func mostRecent(today time.Time, wd time.Weekday, strict bool) time.Time {
	back := (int(today.Weekday()) - int(wd) + 7) % 7
	if back == 0 && strict {
		back = 7
	}
	return today.AddDate(0, 0, -back)
}

// monday returns the Monday starting today's week.
func monday(today time.Time) time.Time { return mostRecent(today, time.Monday, false) }

// pastDate resolves month/day (and year, when given) to a date. Without a
// year it is the nearest such date; a date still to come names no
// publication window (articles about it are written before it), so ok is
// false then.
func pastDate(today time.Time, m time.Month, d int, year int) (time.Time, bool) {
	if d < 1 || d > 31 {
		return time.Time{}, false
	}
	y := year
	if y == 0 {
		y = today.Year()
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, today.Location())
	if t.Month() != m { // 31 April
		return time.Time{}, false
	}
	if year == 0 && t.After(today) && t.Sub(today) > today.Sub(t.AddDate(-1, 0, 0)) {
		t = t.AddDate(-1, 0, 0) // last year's is nearer
	}
	return t, !t.After(today)
}

// monthWindow is the window of "in April" (in year y; 0 for the nearest
// April past or under way), or of "since April" (since) up to today;
// "last April" (last) is never this month. A month still to come names
// no window.
func monthWindow(today time.Time, mo time.Month, y int, since, last bool) (Window, bool) {
	if mo < 1 || mo > 12 {
		return Window{}, false
	}
	if y == 0 {
		y = today.Year()
		ahead := int(mo - today.Month()) // months until mo this year
		if last && ahead >= 0 || ahead > 6 {
			y-- // "last April", or a month long past rather than to come
		} else if ahead > 0 {
			return Window{}, false // a month still to come
		}
	}
	start := time.Date(y, mo, 1, 0, 0, 0, 0, today.Location())
	if start.After(today) {
		return Window{}, false
	}
	if since {
		return span(start, today.AddDate(0, 0, 1))
	}
	return span(start, start.AddDate(0, 1, 0))
}

func count(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return numberWords[s]
}

var dateRules = []dateRule{
	// 2025-04-16
	{regexp.MustCompile(`(?i)\b(?:on |since )?(\d{4})-(\d{2})-(\d{2})\b`), func(m []string, today, _ time.Time) (Window, bool) {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		if mo < 1 || mo > 12 {
			return Window{}, false
		}
		t, ok := pastDate(today, time.Month(mo), d, y)
		if !ok {
			return Window{}, false
		}
		if strings.HasPrefix(m[0], "since") {
			return span(t, today.AddDate(0, 0, 1))
		}
		return span(t, t.AddDate(0, 0, 1))
	}},
	// since Monday
	{regexp.MustCompile(`(?i)\bsince (?:last )?` + weekdayRe + `\b`), func(m []string, today, _ time.Time) (Window, bool) {
		return span(mostRecent(today, weekdays[m[1]], false), today.AddDate(0, 0, 1))
	}},
	// since April 16 / since 16 April
	{regexp.MustCompile(`(?i)\bsince (?:` + monthRe + ` (\d{1,2})(?:st|nd|rd|th)?|(\d{1,2})(?:st|nd|rd|th)? (?:of )?` + monthRe + `)\b`), func(m []string, today, _ time.Time) (Window, bool) {
		mo, d := m[1], m[2]
		if mo == "" {
			mo, d = m[4], m[3]
		}
		n, _ := strconv.Atoi(d)
		t, ok := pastDate(today, months[mo], n, 0)
		if !ok {
			return Window{}, false
		}
		return span(t, today.AddDate(0, 0, 1))
	}},
	// on April 16, April 16 2025, 16 April
	{regexp.MustCompile(`(?i)\b(?:on )?(?:` + monthRe + ` (\d{1,2})(?:st|nd|rd|th)?|(\d{1,2})(?:st|nd|rd|th)? (?:of )?` + monthRe + `)(?:,? (\d{4}))?\b`), func(m []string, today, _ time.Time) (Window, bool) {
		mo, d := m[1], m[2]
		if mo == "" {
			mo, d = m[4], m[3]
		}
		n, _ := strconv.Atoi(d)
		y, _ := strconv.Atoi(m[5])
		t, ok := pastDate(today, months[mo], n, y)
		if !ok {
			return Window{}, false
		}
		return span(t, t.AddDate(0, 0, 1))
	}},
	// in April, in April 2025, since April, during March
	{regexp.MustCompile(`(?i)\b(in|during|since|from|of|this|last) ` + monthRe + `(?:,? (\d{4}))?\b`), func(m []string, today, _ time.Time) (Window, bool) {
		y, _ := strconv.Atoi(m[3])
		return monthWindow(today, months[m[2]], y, m[1] == "since", m[1] == "last")
	}},
	// in 2024, since 2023, during 2020
	{regexp.MustCompile(`(?i)\b(in|during|since|of) ((?:19|20)\d\d)\b`), func(m []string, today, _ time.Time) (Window, bool) {
		y, _ := strconv.Atoi(m[2])
		start := time.Date(y, 1, 1, 0, 0, 0, 0, today.Location())
		if start.After(today) {
			return Window{}, false
		}
		if m[1] == "since" {
			return span(start, today.AddDate(0, 0, 1))
		}
		return span(start, start.AddDate(1, 0, 0))
	}},
	// today, this morning, tonight
	{regexp.MustCompile(`(?i)\b(today|tonight|this (?:morning|afternoon|evening))\b`), func(_ []string, today, _ time.Time) (Window, bool) {
		return span(today, today.AddDate(0, 0, 1))
	}},
	// yesterday, last night
	{regexp.MustCompile(`(?i)\b(yesterday|last night)\b`), func(_ []string, today, _ time.Time) (Window, bool) {
		return span(today.AddDate(0, 0, -1), today.AddDate(0, 0, 1))
	}},
	// over the weekend, this weekend, last weekend
	{regexp.MustCompile(`(?i)\b(over the|this|last|at the|on the) weekend\b`), func(m []string, today, _ time.Time) (Window, bool) {
		sat := mostRecent(today, time.Saturday, false)
		if m[1] == "last" && (today.Weekday() == time.Saturday || today.Weekday() == time.Sunday) {
			sat = sat.AddDate(0, 0, -7)
		}
		return span(sat, today.AddDate(0, 0, 1))
	}},
	// this week, earlier this week
	{regexp.MustCompile(`(?i)\b(?:earlier )?this week\b`), func(_ []string, today, _ time.Time) (Window, bool) {
		return span(monday(today), today.AddDate(0, 0, 1))
	}},
	// last week (the calendar week before this one), past week (7 days)
	{regexp.MustCompile(`(?i)\b(last|past|previous) week\b`), func(m []string, today, _ time.Time) (Window, bool) {
		if m[1] == "past" {
			return span(today.AddDate(0, 0, -7), today.AddDate(0, 0, 1))
		}
		return span(monday(today).AddDate(0, 0, -7), today.AddDate(0, 0, 1))
	}},
	// this month, last month, past month
	{regexp.MustCompile(`(?i)\b(this|last|past|previous) month\b`), func(m []string, today, _ time.Time) (Window, bool) {
		first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, today.Location())
		switch m[1] {
		case "this":
			return span(first, today.AddDate(0, 0, 1))
		case "past":
			return span(today.AddDate(0, -1, 0), today.AddDate(0, 0, 1))
		}
		return span(first.AddDate(0, -1, 0), today.AddDate(0, 0, 1))
	}},
	// this year, last year, past year
	{regexp.MustCompile(`(?i)\b(this|last|past|previous) year\b`), func(m []string, today, _ time.Time) (Window, bool) {
		first := time.Date(today.Year(), 1, 1, 0, 0, 0, 0, today.Location())
		switch m[1] {
		case "this":
			return span(first, today.AddDate(0, 0, 1))
		case "past":
			return span(today.AddDate(-1, 0, 0), today.AddDate(0, 0, 1))
		}
		return span(first.AddDate(-1, 0, 0), today.AddDate(0, 0, 1))
	}},
	// past 3 days, last two weeks
	{regexp.MustCompile(`(?i)\b(?:past|last|previous) ` + countRe + ` (days?|weeks?|months?)\b`), func(m []string, today, _ time.Time) (Window, bool) {
		n := count(m[1])
		if n <= 0 || n > 1000 {
			return Window{}, false
		}
		since := today
		switch {
		case strings.HasPrefix(m[2], "day"):
			since = today.AddDate(0, 0, -n)
		case strings.HasPrefix(m[2], "week"):
			since = today.AddDate(0, 0, -7*n)
		default:
			since = today.AddDate(0, -n, 0)
		}
		return span(since, today.AddDate(0, 0, 1))
	}},
	// three days ago, a week ago
	{regexp.MustCompile(`(?i)\b` + countRe + ` (days?|weeks?) ago\b`), func(m []string, today, _ time.Time) (Window, bool) {
		n := count(m[1])
		if n <= 0 || n > 1000 {
			return Window{}, false
		}
		if strings.HasPrefix(m[2], "day") {
			return span(today.AddDate(0, 0, -n), today.AddDate(0, 0, 1))
		}
		return span(today.AddDate(0, 0, -7*n-3), today.AddDate(0, 0, 1))
	}},
	// on Tuesday, last Tuesday, Tuesday's
	{regexp.MustCompile(`(?i)\b(on |last |this )?` + weekdayRe + `\b`), func(m []string, today, _ time.Time) (Window, bool) {
		return span(mostRecent(today, weekdays[m[2]], m[1] == "last "), today.AddDate(0, 0, 1))
	}},
}

// ParseWindow finds a time expression in question and returns the window of
// publication dates to search, relative to now in now's location, and the
// question with the expression removed (for searching). ok is false when
// the question names no time.
//
// Calendar expressions mean their span ("in April", "on 3 March", "in
// 2024", "this week"). Expressions that look back from now ("yesterday",
// "last week", "over the weekend", "on Monday", "three days ago") reach up to
// today, because what happened then is reported then and after: "Who met
// Putin last week?" is answered by this week's articles too.
func ParseWindow(question string, now time.Time) (w Window, rest string, ok bool) {
	// The rules match case-insensitively on the question itself, so the
	// positions they find are positions in it: lower-casing first would
	// change byte lengths ("Ⱥ" is 2 bytes, "ⱥ" 3) and shift every position
	// after such a character. Submatches are folded to ASCII for the word
	// tables: every rune the patterns match is ASCII or folds to it (the
	// Kelvin sign matches "k").
	today := day(now)
	for _, r := range dateRules {
		loc := r.re.FindStringSubmatchIndex(question)
		if loc == nil {
			continue
		}
		m := make([]string, len(loc)/2)
		for i := range m {
			if loc[2*i] >= 0 {
				m[i] = asciiLower(question[loc[2*i]:loc[2*i+1]])
			}
		}
		w, ok := r.window(m, today, now)
		if !ok {
			continue
		}
		// A rule that matches the characters around the expression names
		// it (dates_lang.go).
		from, to := loc[0], loc[1]
		if i := r.re.SubexpIndex("expr"); i > 0 && loc[2*i] >= 0 {
			from, to = loc[2*i], loc[2*i+1]
		}
		w.Expr = strings.TrimSpace(question[from:to])
		rest := strings.Join(strings.Fields(question[:from]+" "+question[to:]), " ")
		return w, rest, true
	}
	return Window{}, question, false
}

// asciiLower lower-cases the ASCII letters of s and maps other runes that
// case-fold to an ASCII letter (the Kelvin sign K, the long s ſ) to it, as
// the rules' (?i) matching does.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf {
			return unicode.ToLower(r)
		}
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < utf8.RuneSelf {
				return unicode.ToLower(f)
			}
		}
		return r
	}, s)
}

// presentTense matches questions about the current state of affairs, for
// which recent articles are preferred.
var presentTense = regexp.MustCompile(`(?i)\b(is|are|am|has|have|does|do)\b|\b(currently|now|latest|recent|recently|ongoing|still|new)\b|^\s*what(?:'s| is) happening\b`)

// IsPresentTense reports whether question asks about how things stand now.
func IsPresentTense(question string) bool { return presentTense.MatchString(question) }
