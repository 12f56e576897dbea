package knowledge

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// AnswerKind is the kind of thing a question asks for.
type AnswerKind int

// The kinds of answer the ranking and the template answers look for.
const (
	KindAny     AnswerKind = iota
	KindDate               // when, which day
	KindNumber             // how many, how much
	KindName               // who, which company/film, what is the name
	KindPercent            // what percentage
	KindCountry            // which country
	KindState              // which (US) state
	KindCity               // which city
)

var (
	askPercent = regexp.MustCompile(`(?i)\bwhat (percentage|percent|share|proportion)\b|\bby how (much|many percent)\b`)
	hasPercent = regexp.MustCompile(`(?i)\d(\.\d+)?\s?(%|percent\b|per cent\b)|\b(half|a third|a quarter|two-thirds|three-quarters)\b`)
	// hasCount is a number that is not a year.
	hasCount   = regexp.MustCompile(`(?i)\b(\d{1,3}(,\d{3})+|\d{1,3}|\d{5,}|\d+\.\d+|(1[0-8]|2[1-9])\d\d)\b|\$|£|€|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|thousand|million|billion|trillion|dozen)\b`)
	askCity    = regexp.MustCompile(`(?i)\b(which|what) (\w+ )?(city|cities|town|capital)\b|^\s*in which city\b`)
	askCountry = regexp.MustCompile(`(?i)\b(which|what) (\w+ )?(country|countries|nation)\b|\bwhere\b.*\b(country|nation)\b`)
	askState   = regexp.MustCompile(`(?i)\b(which|what) (us |u\.s\. |american )?state\b`)
	askDate    = regexp.MustCompile(`(?i)^\s*when\b|\b(what|which) (day|date|year|month|time)\b|\bon what date\b|\bhow soon\b`)
	askNumber  = regexp.MustCompile(`(?i)\bhow (many|much|long|old|far|tall|big|high|fast|often)\b|\b(what|which) (percentage|percent|number|amount|proportion|share|age|price|fee|cost|sum|figure|fraction|rate|score)\b|\bby how\b`)
	askName    = regexp.MustCompile(`(?i)^\s*(who|whom|whose|where)\b|\b(which|what) (\w+ )?(country|countries|city|state|company|companies|team|film|movie|show|series|book|album|song|person|man|woman|leader|president|minister|artist|singer|actor|actress|player|group|organi[sz]ation|brand|party|nation|airline|university|club|animal|band|app|network|island|province|region|agency|firm|author|rapper|athlete|star|star's|celebrity|musician|politician|official|ceo|bank|museum|newspaper|channel|platform|language|event|name)\b|\bwhat is the name\b|\bname(d)? of\b`)

	hasDate = regexp.MustCompile(`(?i)\b(jan(uary)?|feb(ruary)?|march|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?|oct(ober)?|nov(ember)?|dec(ember)?)\.? \d{1,2}\b|\b\d{1,2} (jan(uary)?|feb(ruary)?|march|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?|oct(ober)?|nov(ember)?|dec(ember)?)\b|\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|\b(19|20)\d\d\b`)
)

// QuestionKind tells what kind of answer question asks for.
func QuestionKind(question string) AnswerKind {
	switch {
	case askPercent.MatchString(question):
		return KindPercent
	case askCountry.MatchString(question):
		return KindCountry
	case askState.MatchString(question):
		return KindState
	case askCity.MatchString(question):
		return KindCity
	case askDate.MatchString(question):
		return KindDate
	case askNumber.MatchString(question):
		return KindNumber
	case askName.MatchString(question):
		return KindName
	}
	return KindAny
}

// HasKind reports whether text holds something of kind k that is not
// already in question (questionWords: its words, lower case).
func HasKind(text string, k AnswerKind, question string, questionWords map[string]bool) bool {
	switch k {
	case KindCountry:
		return namesPlace(countryNames, text, question)
	case KindState:
		return namesPlace(stateNames, text, question)
	case KindCity:
		return namesPlace(cityNames, text, question)
	case KindDate:
		return hasDate.MatchString(text)
	case KindNumber:
		return hasCount.MatchString(text)
	case KindPercent:
		return hasPercent.MatchString(text)
	case KindName:
		return hasNewName(text, questionWords)
	}
	return false
}

// hasNewName reports whether text holds a capitalised word, not at the
// start of a sentence, that the question does not contain.
func hasNewName(text string, questionWords map[string]bool) bool {
	start := true
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return unicode.IsSpace(r) || r == '"' || r == '“' || r == '”' || r == '(' }) {
		r, _ := utf8.DecodeRuneInString(w)
		word := strings.ToLower(strings.TrimRight(w, ".,;:!?'’)"))
		if !start && unicode.IsUpper(r) && len(word) > 1 && !questionWords[word] && !IsStopWord(word) {
			return true
		}
		start = strings.HasSuffix(w, ".") || strings.HasSuffix(w, "?") || strings.HasSuffix(w, "!") || strings.HasSuffix(w, "—")
	}
	return false
}

// QuestionWords returns the lower-case words of a question.
func QuestionWords(question string) map[string]bool {
	m := map[string]bool{}
	eachWord(question, func(w string, _ bool) { m[w] = true })
	return m
}

// rerank re-orders res.Passages by reading their text: the first-stage
// score (relative to the best), plus rewards for holding the kind of answer
// asked for, and a name other well-ranked passages mention too.
func rerank(question string, res *Result, r Ranking) {
	if len(res.Passages) == 0 {
		return
	}
	kind := QuestionKind(question)
	words := QuestionWords(question)
	top := res.Passages[0].Score
	scores := make([]float64, len(res.Passages))
	// Answer redundancy: names (and numbers) that several well-ranked
	// passages mention, and the question does not, are likely answers.
	var votes []float64
	if r.VoteWeight > 0 && top > 0 {
		names := make([]map[string]bool, len(res.Passages))
		mass := map[string]float64{}
		totalMass := 0.0
		for i, p := range res.Passages {
			names[i] = candidateAnswers(p.Text, kind, question, words)
			w := p.Score / top
			totalMass += w
			for n := range names[i] {
				mass[n] += w
			}
		}
		votes = make([]float64, len(res.Passages))
		for i := range res.Passages {
			for n := range names[i] {
				votes[i] = max(votes[i], mass[n]/totalMass)
			}
		}
	}
	for i, p := range res.Passages {
		s := 0.0
		if top > 0 {
			s = p.Score / top
		}
		if kind != KindAny && r.TypeWeight > 0 && HasKind(p.Text, kind, question, words) {
			s += r.TypeWeight
		}
		if votes != nil {
			s += r.VoteWeight * votes[i]
		}
		scores[i] = s
	}
	idx := make([]int, len(res.Passages))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return scores[idx[a]] > scores[idx[b]] })
	out := make([]Passage, len(idx))
	for i, j := range idx {
		out[i] = res.Passages[j]
		out[i].Score = scores[j]
	}
	res.Passages = out
}

// newNames returns the capitalised words (not starting a sentence) and
// numbers in text that the question does not contain, lower-cased.
func newNames(text string, questionWords map[string]bool) map[string]bool {
	out := map[string]bool{}
	start := true
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return unicode.IsSpace(r) || r == '"' || r == '“' || r == '”' || r == '(' }) {
		r, _ := utf8.DecodeRuneInString(w)
		word := strings.ToLower(strings.TrimRight(w, ".,;:!?'’)"))
		if len(word) > 1 && !questionWords[word] && !IsStopWord(word) && (!start && unicode.IsUpper(r) || unicode.IsDigit(r)) {
			out[word] = true
		}
		start = strings.HasSuffix(w, ".") || strings.HasSuffix(w, "?") || strings.HasSuffix(w, "!") || strings.HasSuffix(w, "—")
	}
	return out
}

// candidateAnswers returns what in text could answer a question of kind k:
// the places of that kind not in the question for place questions,
// percentages and numbers for number questions, else new names.
func candidateAnswers(text string, k AnswerKind, question string, questionWords map[string]bool) map[string]bool {
	var found []string
	switch k {
	case KindCountry:
		found = countryNames.find(text)
	case KindState:
		found = stateNames.find(text)
	case KindCity:
		found = cityNames.find(text)
	case KindPercent:
		found = hasPercent.FindAllString(text, -1)
	default:
		return newNames(text, questionWords)
	}
	q := strings.ToLower(question)
	out := map[string]bool{}
	for _, m := range found {
		if m = strings.ToLower(m); !strings.Contains(q, m) {
			out[m] = true
		}
	}
	return out
}
