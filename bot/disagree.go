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

// Disagreements: when the top passages of one story give different counts
// of the same thing on the same day ("1,200 homes destroyed" against
// "about 900 homes destroyed"), the answer shows them side by side with
// outlet and date instead of picking one.
//
// It is conservative: a count is a number, the noun it counts and the
// participle or verb saying what happened to them ("destroyed", "killed");
// two counts are of the same thing only when noun and verb are the same
// words, their articles are of one story (knowledge/story) and were
// published on the same day (a toll that rises from one day to the next
// is news, not a disagreement), and the noun is one the question asks
// about or the answer quotes both; when the question names what happened
// ("how many homes were damaged?"), only counts of that are compared.

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
	"percent": true, "time": true, "am": true, "pm": true, "of": true}

// claim is one count in a sentence.
type claim struct {
	noun, verb string // stems
	about      string // "homes destroyed"
	value      float64
	text       string // as displayed
	passage    knowledge.Passage
	sentence   string
}

// claimsIn returns the counts of a sentence.
func claimsIn(s string) []claim {
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
		out = append(out, claim{noun: nt[0], verb: vt[0], about: about, value: v, text: text, sentence: s})
	}
	return out
}

// disagreements finds the counts the top passages of one story give
// differently; quoted are the passages of the answer's sentences, whose
// counts are compared even when the question does not name their noun.
func (b *Bot) disagreements(ctx context.Context, question string, res *knowledge.Result, sel []picked) ([]groupedClaims, error) {
	ss, ok := b.Library.(knowledge.StoryStore)
	if !ok || res == nil {
		return nil, nil
	}
	asked := termSet(question)
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
				if asked[c.noun] || quoted[p.ArticleID+"\x00"+s] {
					c.passage = p
					claims = append(claims, c)
					ids = append(ids, p.ArticleID)
				}
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
	type key struct{ story, day, noun, verb string }
	groups := map[key][]claim{}
	var order []key
	for _, c := range claims {
		st := storyOf[c.passage.ArticleID]
		if st == "" || c.passage.Published.IsZero() {
			continue
		}
		k := key{st, c.passage.Published.In(loc).Format("2006-01-02"), c.noun, c.verb}
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
		values := map[float64]bool{}
		for _, c := range g {
			values[c.value] = true
		}
		if len(values) < 2 {
			continue
		}
		out = append(out, groupedClaims{about: g[0].about, claims: g})
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].claims) > len(out[j].claims) })
	return out, nil
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
	ans.Text = strings.TrimSpace(ans.Text) + "\n\n" + strings.Join(notes, "\n")
	return nil
}
