package bot

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newsbot/newsbot/knowledge/analysis"
)

// The amounts, dates and names a disagreement can be about (disagree.go
// has the counts and what makes two values of the same thing).

const qualifier = `(?:about|around|nearly|almost|roughly|some|approximately|more than|over|at least|up to|less than)`

// reAmount is a sum of money: a currency sign, the number and a scale
// ("$2.5 million", "€40m", "US$3bn"), or the number, a scale and the
// currency's name ("2.5 billion dollars").
var reAmount = regexp.MustCompile(`(?i)(?:\b(` + qualifier + `)\s+)?(?:(US\$|C\$|A\$|\$|€|£)\s?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+(thousand|million|billion|trillion)\b|(bn|m|k)\b)?|\b(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+(thousand|million|billion|trillion))?\s+(dollars|euros|pounds)\b)`)

var currencies = map[string]string{"$": "USD", "us$": "USD", "dollars": "USD", "c$": "CAD", "a$": "AUD", "€": "EUR", "euros": "EUR", "£": "GBP", "pounds": "GBP"}

var scales = map[string]float64{"": 1, "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}

// amountVerbs are the verbs an amount can be of: what one outlet says was
// fined or raised, another gives differently. Verbs of any sum ("cost",
// "paid", "estimated") are not among them: two sums "paid" in one story are
// seldom one sum (on the RealTime QA corpus they were different things).
var amountVerbs = map[string]bool{"fined": true, "raised": true, "awarded": true, "seized": true, "stole": true, "stolen": true,
	"embezzled": true, "pledged": true, "donated": true, "ordered": true, "sought": true, "demanded": true}

// reRateOrLimit is an amount that is no one sum: a limit ("a maximum
// fine"), an average, a rate ("$105 a month").
var (
	reLimitBefore = regexp.MustCompile(`(?i)\b(?:maximum|minimum|average|median|typical|each|per|up to)\b(?:\s+\S+){0,3}\s*$`)
	// reMaybe is a sum that may be, not one that is: "faces a maximum
	// penalty of …", "can choose a lump sum of …".
	reMaybe     = regexp.MustCompile(`\b(?:[Mm]aximum|[Mm]inimum|[Cc]an|[Cc]ould|[Ww]ould|may|[Mm]ight|[Ff]aces?|[Uu]p to)\b`) // "may", not "May"
	reRateAfter = regexp.MustCompile(`(?i)^\s*(?:a|an|per|each)\s+(?:year|month|week|day|hour|gallon|share|person|head|ticket)\b`)
)

// amountsIn returns the sums of money of a sentence, each with what it is
// of: the noun right after it when an article comes before it ("a $40m
// deal"), the noun before "of" ("a fine of $2.5 million"), else one of
// amountVerbs at most four words before it, names between them ("fined
// Northwind Airlines $2.5 million"); an amount of none of these, a limit
// and a rate are left out.
func amountsIn(s string) []claim {
	var out []claim
	for _, m := range reAmount.FindAllStringSubmatchIndex(s, -1) {
		group := func(i int) string {
			if m[2*i] < 0 {
				return ""
			}
			return s[m[2*i]:m[2*i+1]]
		}
		cur, num, scale := group(2), group(3), group(4)+group(5)
		if cur == "" {
			cur, num, scale = group(8), group(6), group(7)
		}
		code := currencies[strings.ToLower(cur)]
		v, err := strconv.ParseFloat(strings.ReplaceAll(num, ",", ""), 64)
		if code == "" || err != nil {
			continue
		}
		v *= scales[strings.ToLower(scale)]
		if reLimitBefore.MatchString(s[:m[0]]) || reRateAfter.MatchString(s[m[1]:]) || reMaybe.MatchString(s[:m[0]]) {
			continue
		}
		head, about := amountHead(s[:m[0]], s[m[1]:])
		if head == "" {
			continue
		}
		raw := s[m[0]:m[1]]
		text := strings.TrimSpace(raw)
		if a := reAttribution.FindString(s[m[1]:]); a != "" {
			text += ", " + strings.TrimSpace(a)
		}
		out = append(out, claim{kind: kindAmount, noun: head, verb: code, about: about, value: v, qual: strings.ToLower(group(1)),
			val: code + " " + strconv.FormatFloat(v, 'g', -1, 64), text: text, raw: raw, sentence: s})
	}
	return out
}

// amountHead is what an amount between before and after is of: its stem
// and how it is named ("the fine", "the amount fined").
func amountHead(before, after string) (stem, about string) {
	words := strings.Fields(before)
	if n := len(words); n >= 1 && determiners[strings.ToLower(words[n-1])] {
		if w := firstWord(after); w != "" && strings.ToLower(w) == w && !analysis.IsStopWord(w) {
			if t := analysis.Terms(w, nil); len(t) == 1 && !countWords[t[0]] {
				return t[0], "the " + w
			}
		}
		return "", ""
	}
	if n := len(words); n >= 2 && strings.EqualFold(words[n-1], "of") {
		w := strings.Trim(words[n-2], "\"'’")
		if strings.ToLower(w) == w && !analysis.IsStopWord(w) && !strings.ContainsAny(w, ",.;:") {
			if t := analysis.Terms(w, nil); len(t) == 1 {
				return t[0], "the " + w
			}
		}
	}
	for i := len(words) - 1; i >= 0 && i >= len(words)-4; i-- {
		w := words[i]
		if strings.ContainsAny(w, ",.;:!?()") {
			break
		}
		lw := strings.ToLower(w)
		if lw != w {
			continue // a name between verb and amount: "fined Northwind"
		}
		if amountVerbs[lw] {
			if t := analysis.Terms(lw, nil); len(t) == 1 {
				return t[0], "the amount " + lw
			}
			break
		}
		if i < len(words)-1 {
			break // only names may come between verb and amount
		}
	}
	return "", ""
}

var determiners = map[string]bool{"a": true, "an": true, "the": true, "its": true, "their": true, "his": true, "her": true}

func firstWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return strings.TrimRight(f[0], ",.;:!?\"'’)")
}

const monthNames = `January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?`

// reDate is an event's date: its subject and past-tense verb (with a
// particle: "broke out"), then "on" and a weekday or a day of a month.
var reDate = regexp.MustCompile(`\b([\p{L}][\p{L}'’-]*)\s+([\p{Ll}]+)(\s+(?:out|off|up|down))?\s+on\s+(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|(?:` + monthNames + `)\s+\d{1,2}\b|\d{1,2}\s+(?:` + monthNames + `))`)

// pastVerbs are past tenses not ending in -ed.
var pastVerbs = map[string]bool{"began": true, "broke": true, "struck": true, "fell": true, "rose": true, "won": true, "lost": true,
	"sank": true, "hit": true, "held": true, "met": true, "left": true, "took": true, "shut": true, "went": true, "came": true}

// reportingVerbs say when something was said, not when it happened.
var reportingVerbs = map[string]bool{"said": true, "told": true, "announced": true, "added": true, "reported": true, "warned": true,
	"confirmed": true, "stated": true, "noted": true, "claimed": true, "tweeted": true, "posted": true, "wrote": true, "testified": true,
	"explained": true, "revealed": true, "insisted": true, "argued": true, "asked": true, "answered": true, "replied": true,
	"responded": true, "denied": true, "disclosed": true, "acknowledged": true, "admitted": true, "estimated": true, "predicted": true,
	"urged": true, "published": true, "updated": true, "commented": true, "declined": true, "briefed": true}

// datesIn returns the dates of a sentence's events: "the outage began on
// Monday", "the fire broke out on June 2". The subject is one lower-case
// word, not a stop word ("he was arrested on Monday" is left out: whose
// arrest? So is "dockworkers at the Port of Rotterdam walked out": the
// word before the verb is not what walked out).
func datesIn(s string) []claim {
	var out []claim
	for _, m := range reDate.FindAllStringSubmatchIndex(s, -1) {
		subject, verb := s[m[2]:m[3]], s[m[4]:m[5]]
		lv := strings.ToLower(verb)
		if reportingVerbs[lv] || !(strings.HasSuffix(lv, "ed") && len(lv) > 4 || pastVerbs[lv]) {
			continue
		}
		ls := strings.ToLower(subject)
		if _, day := weekdays[ls]; day || ls != subject || analysis.IsStopWord(ls) {
			continue
		}
		st, vt := analysis.Terms(ls, nil), analysis.Terms(lv, nil)
		if len(st) != 1 || len(vt) != 1 {
			continue
		}
		phrase := lv
		if m[6] >= 0 {
			phrase += " " + strings.TrimSpace(s[m[6]:m[7]])
		}
		when := s[m[8]:m[9]]
		c := claim{kind: kindDate, noun: st[0], verb: vt[0] + strings.ReplaceAll(phrase[len(lv):], " ", ""), about: "when the " + ls + " " + phrase,
			text: "on " + when, raw: s[m[2]:m[9]], sentence: s}
		if wd, ok := weekdays[strings.ToLower(when)]; ok {
			c.weekday = int(wd) + 1
		} else {
			f := strings.Fields(strings.ReplaceAll(when, ".", ""))
			mon, day := f[0], f[len(f)-1]
			if _, err := strconv.Atoi(mon); err == nil {
				mon, day = day, mon
			}
			c.month = monthNumber(mon)
			c.day, _ = strconv.Atoi(day)
			if c.month == 0 || c.day < 1 || c.day > 31 {
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

// monthNumber is the month s names ("June", "Sept."), else 0.
func monthNumber(s string) int {
	return int(months[strings.ToLower(strings.TrimSuffix(s, "."))])
}

// resolveDate gives a date claim its day, from its article's publication
// date: a weekday is the last one on or before it; false when the day
// does not exist.
func resolveDate(c *claim, published time.Time) bool {
	var d time.Time
	if c.weekday > 0 {
		back := (int(published.Weekday()) - (c.weekday - 1) + 7) % 7
		d = published.AddDate(0, 0, -back)
	} else {
		d = time.Date(published.Year(), time.Month(c.month), c.day, 0, 0, 0, 0, published.Location())
		if d.Day() != c.day {
			return false
		}
	}
	c.val = d.Format("2006-01-02")
	if c.weekday > 0 {
		c.text += " (" + d.Format("2 Jan") + ")"
	}
	return true
}

// The name of a role: who was blamed for something ("blamed Corvid
// Systems for the outage"), who won something ("Helen Marsh won the
// vote").
const reName = `((?:\p{Lu}[\p{L}'’.&-]*)(?:\s+(?:of\s+|&\s+)?\p{Lu}[\p{L}'’.&-]*){0,4})`

var (
	reBlamed = regexp.MustCompile(`\bblamed\s+(?:the\s+)?` + reName + `\s+for\s+((?:the|a|an|its|their|this|last)\s+)?([\p{L}'’-]+)`)
	reWon    = regexp.MustCompile(reName + `\s+won\s+((?:the|a|an|its|their|this|last)\s+)?([\p{L}'’-]+)`)
)

// notObjects are words after "won the" that are not what was won ("won
// their first national title").
var notObjects = map[string]bool{"first": true, "second": true, "third": true, "fourth": true, "fifth": true, "last": true, "next": true,
	"national": true, "straight": true, "consecutive": true, "back-to-back": true, "most": true, "only": true, "same": true, "other": true}

// namesIn returns who a sentence says was blamed or won, with what for.
func namesIn(s string) []claim {
	var out []claim
	for _, r := range []struct {
		re   *regexp.Regexp
		role string
		who  string
	}{{reBlamed, "blame", "who was blamed for"}, {reWon, "won", "who won"}} { // roles as stems
		for _, m := range r.re.FindAllStringSubmatchIndex(s, -1) {
			name := cleanName(s[m[2]:m[3]])
			obj := s[m[6]:m[7]]
			lo := strings.ToLower(obj)
			if name == "" || lo != obj || analysis.IsStopWord(lo) || notObjects[lo] {
				continue
			}
			ot := analysis.Terms(lo, nil)
			if len(ot) != 1 {
				continue
			}
			art := "the "
			if m[4] >= 0 {
				art = s[m[4]:m[5]]
			}
			out = append(out, claim{kind: kindName, noun: ot[0], verb: r.role, about: r.who + " " + strings.TrimSpace(art) + " " + obj,
				val: strings.ToLower(name), text: name, raw: s[m[0]:m[1]], sentence: s})
		}
	}
	return out
}

// cleanName drops a name's leading words that are no name ("The",
// "On", a weekday); "" when nothing is left or it is one letter.
func cleanName(n string) string {
	f := strings.Fields(n)
	for len(f) > 0 {
		lw := strings.ToLower(strings.Trim(f[0], ".’'"))
		if _, day := weekdays[lw]; day || analysis.IsStopWord(lw) || monthNumber(lw) > 0 || lw == "" {
			f = f[1:]
			continue
		}
		break
	}
	if len(f) == 0 {
		return ""
	}
	n = strings.Join(f, " ")
	if utf8.RuneCountInString(n) < 2 {
		return ""
	}
	r, _ := utf8.DecodeRuneInString(n)
	if !unicode.IsUpper(r) {
		return ""
	}
	return n
}

// sameValue reports whether two claims of one thing give the same value:
// names are the same when the words of one are all in the other ("Ortiz",
// "Ramon Ortiz").
func sameValue(a, b claim) bool {
	if a.val == b.val {
		return true
	}
	if a.kind == kindCount || a.kind == kindAmount {
		alo, ahi := bounds(a)
		blo, bhi := bounds(b)
		return alo <= bhi && blo <= ahi
	}
	if a.kind != kindName {
		return false
	}
	norm := func(s string) []string {
		f := strings.Fields(s)
		for i, w := range f {
			f[i] = strings.TrimSuffix(strings.TrimSuffix(strings.Trim(w, ".,"), "'s"), "’s")
		}
		return f
	}
	wa, wb := norm(a.val), norm(b.val)
	if len(wa) > len(wb) {
		wa, wb = wb, wa
	}
	in := map[string]bool{}
	for _, w := range wb {
		in[w] = true
	}
	for _, w := range wa {
		if !in[w] {
			return false
		}
	}
	return true
}

// bounds is the range a qualified value allows: "more than 400" is any
// value above 400 (and so agrees with 945), "about 900" one within a tenth
// of 900, "nearly 30" one up to a tenth below 30.
func bounds(c claim) (lo, hi float64) {
	v := c.value
	switch strings.Join(strings.Fields(c.qual), " ") {
	case "more than", "over", "at least":
		return v, math.Inf(1)
	case "fewer than", "less than", "up to":
		return 0, v
	case "about", "around", "roughly", "some", "approximately":
		return v * 0.9, v * 1.1
	case "nearly", "almost":
		return v * 0.9, v
	}
	return v, v
}
