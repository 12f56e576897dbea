package bot

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/analysis"
)

// Short answers: a name, number, date or place of at most maxShortWords
// words that answers a question asking for one, taken from the quoted
// sentences or their headlines and backed by several articles among the
// results. None is given on weak evidence: a wrong confident line is worse
// than none. Measured on the RealTime QA dev split (docs/quality.md) their
// precision is still about 32%, so they are reported (Answer.Short, `ask
// --json`) but not yet put at the head of answers.
const (
	maxShortWords = 12
	// minShortVote is the share of the results' weight that must name a
	// candidate for it to be the short answer.
	minShortVote = 0.6
	// minShortArticles is how many articles must name it.
	minShortArticles = 3
	// shortVoters is how many of the top passages vote.
	shortVoters = 10
)

var (
	reShortDate = regexp.MustCompile(`(?i)\b(?:(?:jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.? \d{1,2}(?:st|nd|rd|th)?(?:,? (?:19|20)\d\d)?|\d{1,2}(?:st|nd|rd|th)? (?:of )?(?:jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?:,? (?:19|20)\d\d)?|(?:jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?) (?:19|20)\d\d|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b`)
	reAskYear   = regexp.MustCompile(`(?i)\b(?:what|which|in what|in which) year\b`)
	reYear      = regexp.MustCompile(`\b(?:19|20)\d\d\b`)
	// titleWords start a name but are not the name ("President Vladimir
	// Putin" answers as "Vladimir Putin").
	titleWords = map[string]bool{"president": true, "prime": true, "minister": true, "secretary": true, "sen": true,
		"senator": true, "rep": true, "gov": true, "governor": true, "mayor": true, "chancellor": true, "king": true,
		"queen": true, "prince": true, "princess": true, "pope": true, "dr": true, "mr": true, "mrs": true, "ms": true,
		"judge": true, "justice": true, "gen": true, "general": true, "ceo": true, "chief": true, "envoy": true,
		"special": true, "vice": true, "state": true, "former": true, "coach": true, "director": true, "leader": true}
	// nameJoiners may stand inside a name ("Bank of England", "Charles de Gaulle").
	nameJoiners = map[string]bool{"of": true, "de": true, "da": true, "van": true, "von": true, "der": true, "bin": true, "al": true, "the": true, "and": true, "&": true}
)

// shortAnswer returns the short answer to question from the chosen
// sentences, or "".
func shortAnswer(question string, res *knowledge.Result, sel []picked) string {
	if res == nil || len(sel) == 0 {
		return ""
	}
	kind := questionKind(question)
	if kind == analysis.KindAny {
		return ""
	}
	words := analysis.QuestionWords(question)
	votes, articles := articleVotes(question, kind, words, res.Passages)
	best, bestVote := "", 0.0
	texts := make([]string, 0, 2*len(sel))
	for _, s := range sel {
		texts = append(texts, s.text, s.passage.Title)
	}
	for _, text := range texts {
		for c := range analysis.CandidateAnswers(text, kind, question, words) {
			if !plausible(kind, c) {
				continue
			}
			if v := votes[c]; v > bestVote || v == bestVote && c < best {
				best, bestVote = c, v
			}
		}
	}
	if best == "" || bestVote < minShortVote || articles[best] < minShortArticles {
		return ""
	}
	for _, text := range texts {
		var span string
		switch {
		case kind == analysis.KindDate:
			span = dateSpan(question, text, best)
		case kind.IsPlace() || kind == analysis.KindPercent:
			span = findFold(text, best)
		case kind == analysis.KindNumber:
			span = numberSpan(text, best, words)
		default:
			span = nameSpan(text, best, words)
		}
		if span != "" && len(strings.Fields(span)) <= maxShortWords {
			return span
		}
	}
	return ""
}

// notNames are capitalised words that are no answer to "who" or "which":
// nationalities, calendar words, common abbreviations.
var notNames = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`american americans british european europeans asian african chinese russian russians
		french german germans italian spanish japanese korean indian israeli israelis palestinian palestinians ukrainian
		ukrainians canadian mexican iranian arab western eastern northern southern democrat democrats republican
		republicans democratic gop u.s us u.k uk eu un nato ai ceo tv i we mr mrs ms dr st jr sr
		january february march april may june july august september october november december jan feb mar apr jun
		jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday`) {
		m[w] = true
	}
	return m
}()

var reNumberWord = regexp.MustCompile(`^(?:\d[\d,.]*%?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|hundred|thousand|million|billion)$`)

// plausible reports whether candidate c (lower case) can answer a
// question of kind k at all.
func plausible(k analysis.AnswerKind, c string) bool {
	switch {
	case k == analysis.KindNumber:
		return reNumberWord.MatchString(c)
	case k == analysis.KindName:
		r, _ := utf8.DecodeRuneInString(c)
		return !unicode.IsDigit(r) && !notNames[c] && !analysis.IsPlaceName(c)
	case k == analysis.KindDate:
		return true
	}
	return !notNames[c] || k.IsPlace() && analysis.IsPlaceName(c)
}

// articleVotes returns, for each candidate answer in the top passages,
// the share of the articles' weight (each article counts once, by its best
// passage's score) whose passages or headline name it, and how many
// articles do: a name repeated in one article is one voice. (A question
// about a story often asks for its topic, which the headline names.)
func articleVotes(question string, kind analysis.AnswerKind, words map[string]bool, ps []knowledge.Passage) (map[string]float64, map[string]int) {
	if len(ps) > shortVoters {
		ps = ps[:shortVoters]
	}
	if len(ps) == 0 || ps[0].Score <= 0 {
		return nil, nil
	}
	top := ps[0].Score
	weight := map[string]float64{}        // article -> its best passage's weight
	named := map[string]map[string]bool{} // article -> candidates its passages name
	for _, p := range ps {
		w := p.Score / top
		if w > weight[p.ArticleID] {
			weight[p.ArticleID] = w
		}
		if named[p.ArticleID] == nil {
			named[p.ArticleID] = analysis.CandidateAnswers(p.Title, kind, question, words)
		}
		for c := range analysis.CandidateAnswers(p.Text, kind, question, words) {
			named[p.ArticleID][c] = true
		}
	}
	total := 0.0
	for _, w := range weight {
		total += w
	}
	votes, count := map[string]float64{}, map[string]int{}
	for a, cs := range named {
		for c := range cs {
			votes[c] += weight[a] / total
			count[c]++
		}
	}
	return votes, count
}

// findFold returns the first piece of text equal to word (lower case) up
// to case, on word boundaries, as the text writes it; "" when none.
func findFold(text, word string) string {
	re, err := regexp.Compile(`(?i)(?:^|[^\pL\pN])(` + regexp.QuoteMeta(word) + `)(?:$|[^\pL\pN])`)
	if err != nil {
		return ""
	}
	m := re.FindStringSubmatchIndex(text)
	if m == nil {
		return ""
	}
	return text[m[2]:m[3]]
}

// dateSpan returns the date expression of text that holds the voted
// candidate (a month, day or year), or a year for "which year" questions.
func dateSpan(question, text, voted string) string {
	if reAskYear.MatchString(question) {
		if y := reYear.FindString(text); y != "" && strings.Contains(voted, y) {
			return y
		}
		return ""
	}
	for _, d := range reShortDate.FindAllString(text, -1) {
		if findFold(d, voted) != "" {
			return d
		}
	}
	return ""
}

// numberSpan returns the voted number with the word after it when that is
// a word of the question ("1,200 homes"), or a unit of money or percent.
func numberSpan(text, voted string, questionWords map[string]bool) string {
	n := findFold(text, voted)
	if n == "" || !strings.ContainsFunc(n, unicode.IsDigit) && analysis.IsStopWord(voted) {
		return ""
	}
	i := strings.Index(text, n)
	before, after := text[:i], text[i+len(n):]
	if r, _ := utf8.DecodeLastRuneInString(before); r == '$' || r == '£' || r == '€' {
		n = string(r) + n
	}
	if f := strings.Fields(after); len(f) > 0 {
		next := strings.Trim(f[0], ".,;:!?\"'’”)")
		if l := strings.ToLower(next); questionWords[l] || l == "million" || l == "billion" || l == "trillion" || l == "percent" || l == "%" {
			n += " " + next
		}
	}
	return n
}

// nameSpan returns the run of capitalised words of text around the voted
// word, without leading titles or words of the question.
func nameSpan(text, voted string, questionWords map[string]bool) string {
	toks := strings.FieldsFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || r == '"' || r == '“' || r == '”' || r == '(' || r == ')'
	})
	trim := func(w string) string { return strings.TrimRight(w, ".,;:!?'’") }
	capital := func(w string) bool {
		r, _ := utf8.DecodeRuneInString(w)
		return unicode.IsUpper(r) || unicode.IsDigit(r)
	}
	at := -1
	for i, w := range toks {
		if strings.EqualFold(trim(strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")), voted) {
			at = i
			break
		}
	}
	if at < 0 {
		return ""
	}
	lo, hi := at, at
	for lo > 0 && !strings.ContainsAny(toks[lo-1], ",;:.!?") && (capital(toks[lo-1]) || nameJoiners[toks[lo-1]] && lo > 1 && capital(toks[lo-2])) {
		lo--
	}
	for hi+1 < len(toks) && !strings.ContainsAny(toks[hi], ",;:!?") && !strings.HasSuffix(toks[hi], ".") &&
		(capital(toks[hi+1]) || nameJoiners[toks[hi+1]] && hi+2 < len(toks) && capital(toks[hi+2])) {
		hi++
	}
	for lo < at && (titleWords[strings.ToLower(trim(toks[lo]))] || notNames[strings.ToLower(trim(toks[lo]))] ||
		questionWords[strings.ToLower(trim(toks[lo]))] || nameJoiners[toks[lo]]) {
		lo++
	}
	for hi > at && nameJoiners[toks[hi]] {
		hi--
	}
	out := trim(strings.Join(toks[lo:hi+1], " "))
	out = strings.TrimSuffix(strings.TrimSuffix(out, "'s"), "’s")
	return out
}
