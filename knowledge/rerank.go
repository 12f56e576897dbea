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
	KindAny    AnswerKind = iota
	KindDate              // when, which day
	KindNumber            // how many, what percentage
	KindName              // who, which country/company/film, what is the name
)

var (
	askDate   = regexp.MustCompile(`(?i)^\s*when\b|\b(what|which) (day|date|year|month|time)\b|\bon what date\b|\bhow soon\b`)
	askNumber = regexp.MustCompile(`(?i)\bhow (many|much|long|old|far|tall|big|high|fast|often)\b|\b(what|which) (percentage|percent|number|amount|proportion|share|age|price|fee|cost|sum|figure|fraction|rate|score)\b|\bby how\b`)
	askName   = regexp.MustCompile(`(?i)^\s*(who|whom|whose|where)\b|\b(which|what) (\w+ )?(country|countries|city|state|company|companies|team|film|movie|show|series|book|album|song|person|man|woman|leader|president|minister|artist|singer|actor|actress|player|group|organi[sz]ation|brand|party|nation|airline|university|club|animal|band|app|network|island|province|region|agency|firm|author|rapper|athlete|star|star's|celebrity|musician|politician|official|ceo|bank|museum|newspaper|channel|platform|language|event|name)\b|\bwhat is the name\b|\bname(d)? of\b`)

	hasDate   = regexp.MustCompile(`(?i)\b(jan(uary)?|feb(ruary)?|march|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?|oct(ober)?|nov(ember)?|dec(ember)?)\.? \d{1,2}\b|\b\d{1,2} (jan(uary)?|feb(ruary)?|march|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?|oct(ober)?|nov(ember)?|dec(ember)?)\b|\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|\b(19|20)\d\d\b`)
	hasNumber = regexp.MustCompile(`(?i)\d|%|\$|£|€|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|thousand|million|billion|trillion|dozen|half)\b`)
)

// QuestionKind tells what kind of answer question asks for.
func QuestionKind(question string) AnswerKind {
	switch {
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
// already in the question (questionWords: the question's words, lower case).
func HasKind(text string, k AnswerKind, questionWords map[string]bool) bool {
	switch k {
	case KindDate:
		return hasDate.MatchString(text)
	case KindNumber:
		return hasNumber.MatchString(text)
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
// score (relative to the best), plus rewards for the question's adjacent
// word pairs found side by side, and for holding the kind of answer asked
// for.
func rerank(question string, res *Result, r Ranking) {
	if len(res.Passages) == 0 {
		return
	}
	qterms := Terms(question, nil)
	idf := map[string]float64{}
	total := 0.0
	for _, t := range res.Terms {
		idf[t.Term] = t.IDF
		total += t.IDF
	}
	type pair struct{ a, b string }
	var pairs []pair
	pairTotal := 0.0
	for i := 0; i+1 < len(qterms); i++ {
		if qterms[i] != qterms[i+1] {
			pairs = append(pairs, pair{qterms[i], qterms[i+1]})
			pairTotal += idf[qterms[i]] + idf[qterms[i+1]]
		}
	}
	kind := QuestionKind(question)
	words := QuestionWords(question)
	top := res.Passages[0].Score
	scores := make([]float64, len(res.Passages))
	var buf []string
	for i, p := range res.Passages {
		s := 0.0
		if top > 0 {
			s = p.Score / top
		}
		if len(pairs) > 0 && pairTotal > 0 && r.PhraseWeight > 0 {
			buf = Terms(p.Text, buf[:0])
			adj := map[pair]bool{}
			for j := 0; j+1 < len(buf); j++ {
				adj[pair{buf[j], buf[j+1]}] = true
				adj[pair{buf[j+1], buf[j]}] = true
			}
			got := 0.0
			for _, pr := range pairs {
				if adj[pr] {
					got += idf[pr.a] + idf[pr.b]
				}
			}
			s += r.PhraseWeight * got / pairTotal
		}
		if kind != KindAny && r.TypeWeight > 0 && HasKind(p.Text, kind, words) {
			s += r.TypeWeight
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
	_ = total
}
