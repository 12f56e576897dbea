package analysis

import (
	"regexp"
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
	KindPlace              // where: a country, US state or city
)

// questionStart matches the start of a question, with the connective a
// follow-up may begin with ("and where …?", "so when …?").
const questionStart = `^\s*(?:(?:and|but|so|then),?\s+)?`

var (
	askPercent = regexp.MustCompile(`(?i)\bwhat (percentage|percent|share|proportion)\b|\bby how (much|many percent)\b`)
	hasPercent = regexp.MustCompile(`(?i)\d(\.\d+)?\s?(%|percent\b|per cent\b)|\b(half|a third|a quarter|two-thirds|three-quarters)\b`)
	// hasCount is a number that is not a year.
	hasCount   = regexp.MustCompile(`(?i)\b(\d{1,3}(,\d{3})+|\d{1,3}|\d{5,}|\d+\.\d+|(1[0-8]|2[1-9])\d\d)\b|\$|£|€|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|thousand|million|billion|trillion|dozen)\b`)
	askCity    = regexp.MustCompile(`(?i)\b(which|what) (\w+ )?(city|cities|town|capital)\b|` + questionStart + `in which city\b`)
	askCountry = regexp.MustCompile(`(?i)\b(which|what) (\w+ )?(country|countries|nation)\b|\bwhere\b.*\b(country|nation)\b`)
	askState   = regexp.MustCompile(`(?i)\b(which|what) (us |u\.s\. |american )?state\b`)
	askDate    = regexp.MustCompile(`(?i)` + questionStart + `when\b|\b(what|which) (day|date|year|month|time)\b|\bon what date\b|\bhow soon\b`)
	askNumber  = regexp.MustCompile(`(?i)\bhow (many|much|long|old|far|tall|big|high|fast|often)\b|\b(what|which) (percentage|percent|number|amount|proportion|share|age|price|fee|cost|sum|figure|fraction|rate|score)\b|\bby how\b`)
	askPlace   = regexp.MustCompile(`(?i)` + questionStart + `(where|in what place)\b`)
	askName    = regexp.MustCompile(`(?i)` + questionStart + `(who|whom|whose|where)\b|\b(which|what) (\w+ )?(country|countries|city|state|company|companies|team|film|movie|show|series|book|album|song|person|man|woman|leader|president|minister|artist|singer|actor|actress|player|group|organi[sz]ation|brand|party|nation|airline|university|club|animal|band|app|network|island|province|region|agency|firm|author|rapper|athlete|star|star's|celebrity|musician|politician|official|ceo|bank|museum|newspaper|channel|platform|language|event|name)\b|\bwhat is the name\b|\bname(d)? of\b`)

	hasDate = regexp.MustCompile(`(?i)\b(jan(uary)?|feb(ruary)?|march|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?|oct(ober)?|nov(ember)?|dec(ember)?)\.? \d{1,2}\b|\b\d{1,2} (jan(uary)?|feb(ruary)?|march|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?|oct(ober)?|nov(ember)?|dec(ember)?)\b|\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|\b(19|20)\d\d\b`)
)

// IsPlace reports whether k asks for a place.
func (k AnswerKind) IsPlace() bool { return k.places() != nil }

var (
	countryOnly = []*gazetteer{countryNames}
	stateOnly   = []*gazetteer{stateNames}
	cityOnly    = []*gazetteer{cityNames}
	anyPlace    = []*gazetteer{countryNames, stateNames, cityNames}
)

// places returns the name lists of the places k asks for, or nil when k
// does not ask for a place.
func (k AnswerKind) places() []*gazetteer {
	switch k {
	case KindCountry:
		return countryOnly
	case KindState:
		return stateOnly
	case KindCity:
		return cityOnly
	case KindPlace:
		return anyPlace
	}
	return nil
}

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
	case askPlace.MatchString(question):
		return KindPlace
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
	if gs := k.places(); gs != nil {
		for _, g := range gs {
			if namesPlace(g, text, question) {
				return true
			}
		}
		return false
	}
	switch k {
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
	found := false
	eachNewWord(text, questionWords, false, func(string) bool { found = true; return false })
	return found
}

// eachNewWord calls fn, until it returns false, with the words of text,
// lower-cased, that are capitalised but do not start a sentence (and, with
// numbers, that start with a digit), and that are neither stop words nor
// words of the question.
func eachNewWord(text string, questionWords map[string]bool, numbers bool, fn func(word string) bool) {
	start := true
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return unicode.IsSpace(r) || r == '"' || r == '“' || r == '”' || r == '(' }) {
		r, _ := utf8.DecodeRuneInString(w)
		word := strings.ToLower(strings.TrimRight(w, ".,;:!?'’)"))
		if len(word) > 1 && (!start && unicode.IsUpper(r) || numbers && unicode.IsDigit(r)) && !questionWords[word] && !IsStopWord(word) {
			if !fn(word) {
				return
			}
		}
		start = strings.HasSuffix(w, ".") || strings.HasSuffix(w, "?") || strings.HasSuffix(w, "!") || strings.HasSuffix(w, "—")
	}
}

// QuestionWords returns the lower-case words of a question.
func QuestionWords(question string) map[string]bool {
	m := map[string]bool{}
	eachWord(question, func(w []byte, _ bool) { m[string(w)] = true })
	return m
}

// newNames returns the capitalised words (not starting a sentence) and
// numbers in text that the question does not contain, lower-cased.
func newNames(text string, questionWords map[string]bool) map[string]bool {
	out := map[string]bool{}
	eachNewWord(text, questionWords, true, func(w string) bool { out[w] = true; return true })
	return out
}

// CandidateAnswers returns what in text could answer a question of kind k,
// lower-cased: the places of that kind not in the question for place
// questions, percentages for percentage questions, else the capitalised
// words (not starting a sentence) and numbers the question does not hold
// (questionWords: see QuestionWords).
func CandidateAnswers(text string, k AnswerKind, question string, questionWords map[string]bool) map[string]bool {
	var found []string
	switch gs := k.places(); {
	case gs != nil:
		for _, g := range gs {
			found = append(found, g.find(text)...)
		}
	case k == KindPercent:
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
