package bot

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/analysis"
)

// Disagreements: when the top passages of one story give different values
// for the same thing on the same day — a count or toll ("1,200 homes
// destroyed" against "about 900 homes destroyed"), an amount ("fined $2.5
// million" against "fined $4 million"), a date ("the outage began on
// Monday" against "on Sunday"), a name (who was blamed, who won) — the
// answer shows them side by side with outlet and date instead of picking
// one.
//
// It is conservative, a false disagreement being worse than a missed one:
// a count is a number, the noun it counts and the participle or verb
// saying what happened to them ("destroyed", "killed"); an amount is a
// sum of money in one currency with what it is of ("a fine of", "a $40m
// deal", "fined"); a date is a weekday or day of a month after "on", with
// the past-tense verb and its subject before it ("the outage began on");
// a name is who was "blamed … for" something or who "won" something. Two
// values are of the same thing only when those words are the same (an
// amount's currency too), their articles are of one story
// (knowledge/story) and were published on the same day (a toll that rises
// from one day to the next is news, not a disagreement), and the thing is
// one the question asks about or the answer quotes both; when the question
// names what happened ("how many homes were damaged?"), only values of
// that are compared. Values differ only when they cannot both be true:
// "more than 400" agrees with 945, "about 900" with 950 (not 1,200); names
// differ only when neither contains the other ("Ortiz" and "Ramon Ortiz"
// are one person). A sentence naming another year than its article's is
// background, not the day's news, and is not compared; nor is a sum that
// only may be ("a maximum fine of", "can choose a lump sum of").

// Disagreement is a thing the sources give different values for.
type Disagreement struct {
	// About names the thing: "homes destroyed".
	About  string
	Values []DisagreeingValue
}

// DisagreeingValue is one source's value, with the citation of the
// sentence that gives it.
type DisagreeingValue struct {
	// Value is the count as the source says it, with its attribution when
	// the sentence gives one ("about 900 homes destroyed, according to
	// Placer County").
	Value     string
	Citation  int // the Citation's N
	Source    string
	Published time.Time
}

// reCount finds a number and the words after it: an optional qualifier,
// the number, an optional scale, then up to three words.
var reCount = regexp.MustCompile(`(?i)\b((?:about|around|nearly|almost|roughly|some|approximately|more than|over|at least|fewer than|less than|up to)\s+)?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s+(?:thousand|million|billion))?((?:\s+[\p{L}'’-]+){1,4})`)

// reBefore is the verb just before a count: "destroyed 1,200", "has
// killed at least 12".
var reBefore = regexp.MustCompile(`(?i)\b([\p{L}]+ed)\s+(?:(?:about|around|nearly|almost|roughly|some|approximately|more than|over|at least|up to)\s+)?$`)

// reAttribution is who a count is from: "according to the county",
// "citing officials".
var reAttribution = regexp.MustCompile(`(?i)\b(?:according to|citing)\s+[^,.;:!?]{2,60}`)

// countWords are nouns that are no thing counted: units of time and the
// like.
var countWords = map[string]bool{"year": true, "month": true, "week": true, "day": true, "hour": true, "minut": true,
	"percent": true, "time": true, "am": true, "pm": true, "of": true,
	// Money is an amount (amountsIn), not a count.
	"dollar": true, "euro": true, "pound": true, "yen": true, "yuan": true, "rupe": true, "franc": true, "cent": true}

// claim kinds.
const (
	kindCount  = "count"
	kindAmount = "amount"
	kindDate   = "date"
	kindName   = "name"
)

// claim is one value in a sentence: a count, an amount, a date or a name.
type claim struct {
	kind string
	// noun and verb say what the value is of, as stems: the noun counted
	// and what happened to it; an amount's head word and its currency; a
	// date's subject and verb; a name's object and role ("outag",
	// "blame").
	noun, verb string
	about      string // "homes destroyed"
	value      float64
	// val is the value compared: the number, the amount with its
	// currency, the name in lower case; a date's is set from its
	// article's publication date (resolveDate).
	val string
	// qual is a count's or an amount's qualifier ("about", "more than"):
	// the values it agrees with (bounds).
	qual     string
	text     string // as displayed
	raw      string // the sentence's words the value was read from
	passage  knowledge.Passage
	sentence string
	// A date claim's weekday (0 when none, else time.Weekday+1), or month
	// and day.
	weekday, month, day int
}

// claimsIn returns the counts, amounts, dates and names of a sentence.
func claimsIn(s string) []claim {
	var out []claim
	out = append(out, countsIn(s)...)
	out = append(out, amountsIn(s)...)
	out = append(out, datesIn(s)...)
	out = append(out, namesIn(s)...)
	return out
}

// countsIn returns the counts of a sentence.
func countsIn(s string) []claim {
	var out []claim
	for _, m := range reCount.FindAllStringSubmatchIndex(s, -1) {
		num := strings.ReplaceAll(s[m[4]:m[5]], ",", "")
		v, err := strconv.ParseFloat(num, 64)
		if err != nil {
			continue
		}
		if m[6] >= 0 {
			switch strings.ToLower(strings.TrimSpace(s[m[6]:m[7]])) {
			case "thousand":
				v *= 1e3
			case "million":
				v *= 1e6
			case "billion":
				v *= 1e9
			}
		}
		words := strings.Fields(s[m[8]:m[9]])
		if len(words) == 0 {
			continue
		}
		// The noun: the first word (or the second, after an adjective
		// such as "other"? no: other counts are other things — the
		// first word only).
		nounWord := strings.Trim(words[0], ",.;:!?'’\"")
		if nounWord == "" || strings.ToLower(nounWord) != nounWord {
			continue // a name or a date ("12 June"), not a count
		}
		if len(num) == 4 && v >= 1900 && v <= 2100 && m[2] < 0 {
			continue // a year
		}
		nt := analysis.Terms(nounWord, nil)
		if len(nt) == 0 || countWords[nt[0]] {
			continue
		}
		// The verb: an -ed word right before the number, else among the
		// three words after the noun ("homes destroyed", "homes were
		// destroyed", "homes have been destroyed").
		verb := ""
		if bm := reBefore.FindStringSubmatch(s[:m[0]]); bm != nil {
			verb = bm[1]
		} else {
			for _, w := range words[1:] {
				w = strings.Trim(w, ",.;:!?'’\"")
				lw := strings.ToLower(w)
				if strings.HasSuffix(lw, "ed") && len(lw) > 4 && lw != "need" {
					verb = lw
					break
				}
				if strings.ContainsAny(w, ",.;:") {
					break
				}
			}
		}
		if verb == "" {
			continue // what happened to them is not said: not comparable
		}
		vt := analysis.Terms(verb, nil)
		if len(vt) == 0 {
			continue
		}
		text := strings.TrimSpace(s[m[0]:m[5]])
		if m[6] >= 0 {
			text += s[m[6]:m[7]]
		}
		about := strings.ToLower(strings.Trim(nounWord, ",.;:")) + " " + strings.ToLower(verb)
		text += " " + about
		if a := reAttribution.FindString(s[m[1]:]); a != "" {
			text += ", " + strings.TrimSpace(a)
		}
		qual := ""
		if m[2] >= 0 {
			qual = strings.ToLower(s[m[2]:m[3]])
		}
		out = append(out, claim{kind: kindCount, noun: nt[0], verb: vt[0], about: about, value: v, val: strconv.FormatFloat(v, 'g', -1, 64), qual: qual,
			text: text, raw: s[m[0]:m[1]], sentence: s})
	}
	return out
}

// disagreements finds the values the top passages of one story give
// differently; quoted are the passages of the answer's sentences, whose
// values are compared even when the question does not name their noun.
func (b *Bot) disagreements(ctx context.Context, question string, res *knowledge.Result, sel []picked) ([]groupedClaims, error) {
	ss, ok := b.Library.(knowledge.StoryStore)
	if !ok || res == nil {
		return nil, nil
	}
	asked, whenAsked := termSet(question), reWhen.MatchString(question)
	quoted := map[string]bool{}
	for _, s := range sel {
		quoted[s.passage.ArticleID+"\x00"+s.text] = true
	}
	var claims []claim
	var ids []string
	for i, p := range res.Passages {
		if i >= b.passages() || !relevant(p, res.Terms) {
			continue
		}
		for _, s := range analysis.Sentences(p.Text) {
			s = strings.TrimSpace(s)
			for _, c := range claimsIn(s) {
				if !quoted[p.ArticleID+"\x00"+s] && !askedAbout(c, asked, whenAsked) {
					continue
				}
				if c.kind == kindDate && (p.Published.IsZero() || !resolveDate(&c, p.Published.In(b.location()))) {
					continue
				}
				if !p.Published.IsZero() && otherYear(s, p.Published.In(b.location()).Year()) {
					continue // background: "killed 15 people in 2025" in a 2026 story
				}
				c.passage = p
				claims = append(claims, c)
				ids = append(ids, p.ArticleID)
			}
		}
	}
	// A question naming what happened ("damaged") compares only counts of
	// that: homes destroyed are not homes damaged.
	named := map[string]bool{}
	for _, c := range claims {
		if asked[c.verb] {
			named[c.verb] = true
		}
	}
	if len(named) > 0 {
		kept := claims[:0]
		ids = ids[:0]
		for _, c := range claims {
			if named[c.verb] {
				kept = append(kept, c)
				ids = append(ids, c.passage.ArticleID)
			}
		}
		claims = kept
	}
	if len(claims) < 2 {
		return nil, nil
	}
	storyOf, err := ss.StoriesOf(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("disagreements: %w", err)
	}
	loc := b.location()
	type key struct{ story, day, kind, noun, verb string }
	groups := map[key][]claim{}
	var order []key
	for _, c := range claims {
		st := storyOf[c.passage.ArticleID]
		if st == "" || c.passage.Published.IsZero() {
			continue
		}
		k := key{st, c.passage.Published.In(loc).Format("2006-01-02"), c.kind, c.noun, c.verb}
		// One value per article: its best-ranked.
		dup := false
		for _, o := range groups[k] {
			dup = dup || o.passage.ArticleID == c.passage.ArticleID
		}
		if dup {
			continue
		}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], c)
	}
	var out []groupedClaims
	for _, k := range order {
		g := groups[k]
		if !differ(g) {
			continue
		}
		out = append(out, groupedClaims{about: g[0].about, claims: g})
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].claims) > len(out[j].claims) })
	return out, nil
}

var reSentenceYear = regexp.MustCompile(`\b(1[89]\d\d|20\d\d)\b`)

// otherYear reports whether sentence s names a year other than year: its
// values are of the past, not of the day's news.
func otherYear(s string, year int) bool {
	for _, y := range reSentenceYear.FindAllString(s, -1) {
		if n, _ := strconv.Atoi(y); n != year {
			return true
		}
	}
	return false
}

// reWhen is a question for a date.
var reWhen = regexp.MustCompile(`(?i)\b(?:when|what day|which day|what date|on what date)\b`)

// askedAbout reports whether a question whose terms are asked is about
// what c is of: the noun counted, the amount's head ("fined"), a date's
// subject when it asks when, a name's role ("blame", "won").
func askedAbout(c claim, asked map[string]bool, when bool) bool {
	switch c.kind {
	case kindDate:
		return when && asked[c.noun]
	case kindName:
		return asked[c.verb]
	}
	return asked[c.noun]
}

// differ reports whether two of the claims give different values.
func differ(g []claim) bool {
	for i := range g {
		for j := i + 1; j < len(g); j++ {
			if !sameValue(g[i], g[j]) {
				return true
			}
		}
	}
	return false
}

type groupedClaims struct {
	about  string
	claims []claim
}

// disagreeData is what disagree.tmpl is rendered with.
type disagreeData struct {
	About  string
	Values []disagreeValue
}

type disagreeValue struct {
	Value, Source string
	Published     time.Time
	N             int
}

// addDisagreements adds to ans the disagreements among its passages: each
// value cited (a citation added when its sentence is not cited yet), the
// values side by side at the end of the text, and no short answer (there
// is no one value to give).
func (b *Bot) addDisagreements(ctx context.Context, question string, r *retrieval, ans *Answer) error {
	if r.digest {
		return nil
	}
	groups, err := b.disagreements(ctx, question, r.res, r.sel)
	if err != nil || len(groups) == 0 {
		return err
	}
	var notes []string
	for _, g := range groups {
		d := Disagreement{About: g.about}
		data := disagreeData{About: g.about}
		for _, c := range g.claims {
			n := 0
			for _, ct := range ans.Citations {
				if ct.ArticleID == c.passage.ArticleID && ct.Paragraph == c.passage.Paragraph {
					n = ct.N
					if !strings.Contains(ct.Quote, c.sentence) {
						ans.Citations[n-1].Quote = strings.TrimSpace(ct.Quote + " " + c.sentence)
					}
					break
				}
			}
			if n == 0 {
				n = len(ans.Citations) + 1
				ans.Citations = append(ans.Citations, citationFor(n, c.passage, c.sentence))
			}
			pub := c.passage.Published.In(b.location())
			d.Values = append(d.Values, DisagreeingValue{Value: c.text, Citation: n, Source: c.passage.Source, Published: pub})
			data.Values = append(data.Values, disagreeValue{Value: c.text, Source: c.passage.Source, Published: pub, N: n})
		}
		note, err := b.prompts().Render("disagree.tmpl", data)
		if err != nil {
			return err
		}
		ans.Disagreements = append(ans.Disagreements, d)
		notes = append(notes, strings.TrimSpace(note))
	}
	ans.Short = ""
	ans.addNote(strings.Join(notes, "\n"))
	return nil
}
