package bot

import (
	"cmp"
	"maps"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsbot/newsbot/knowledge/analysis"
)

// answerSpan is a piece of a sentence that could answer: key is its lower-case
// form for counting, text as the sentence writes it.
type answerSpan struct {
	key, text string
	at        int // byte offset in the sentence, -1 unknown
	// unit is set for a number followed by a word of the question ("12
	// countries" for "how many countries").
	unit bool
	// possessive is set for a name followed by "'s".
	possessive bool
}

var (
	reAnyWhich = regexp.MustCompile(`(?i)\b(?:which|what)\s+(\pL[\pL'’-]*)(?:\s+(\pL[\pL'’-]*))?(?:\s+(\pL[\pL'’-]*))?`)
	reNotThing = regexp.MustCompile(`(?i)^\W*(?:and\s+|so\s+)?(?:what(?:'s| is| was)?\s+(?:new|happen|happened|going on|the latest|latest|next)|what (?:do|does|did|can|could|should|would|will|are|were|is|was) (?:you|we|i|they|he|she|it|people)\b)`)
	// personNouns after "which" ask for a person, like "who".
	personNouns = wordSet(`singer comedian actor actress leader president minister person man woman artist player rapper author
		figure celebrity musician politician official ceo pontiff coach chancellor senator governor mayor judge director
		star athlete host envoy founder billionaire candidate chief king queen prince princess pope lawmaker journalist
		writer filmmaker quarterback pitcher golfer driver boxer swimmer runner economist scientist astronaut
		superstar guest legend icon nominee winner champion activist executive skater skier gymnast entrepreneur`)
	// reWhatDoes asks what someone does or says ("what will Rubio
	// discuss", "bans on doing what"), seldom a name.
	reWhatDoes = regexp.MustCompile(`(?i)\bwhat\s+(?:do|does|did|will|would|can|could|should|has|have|had)\s|\b(?:doing|do|does|did|done)\s+what\b`)
	// reAsksDeadline asks for a date ("what is the filing deadline"),
	// reAsksAmount for a number ("in which of the following amounts").
	reAsksDeadline = regexp.MustCompile(`(?i)\b(?:what|which)(?:\s+[\pL'’-]+){0,4}\s+deadline\b`)
	reAsksAmount   = regexp.MustCompile(`(?i)\b(?:what|which)(?:\s+[\pL'’-]+){0,4}\s+(?:amounts?|sums?)\b`)
	reAsksWho      = regexp.MustCompile(`(?i)(?:^|\W)(?:who|whom)\b`)
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// shortKind is the kind of thing question asks for, for short answers:
// questionKind, with "which/what <noun> …" counted as asking for a name.
func shortKind(question string) analysis.AnswerKind {
	k := questionKind(question)
	if k == analysis.KindAny {
		// "A tower collapsed. Where did it occur?": the last sentence asks.
		if i := strings.LastIndexAny(strings.TrimRight(question, "?!. "), ".!?"); i >= 0 {
			k = questionKind(question[i+1:])
		}
	}
	if k == analysis.KindAny || k == analysis.KindName {
		tw := typeWords(question)
		switch {
		case tw["city"] || tw["town"] || tw["capital"]:
			return analysis.KindCity
		case tw["country"] || tw["nation"]:
			return analysis.KindCountry
		case tw["state"] && !tw["secretary"] && !tw["department"]:
			return analysis.KindState
		case reAsksDeadline.MatchString(question):
			return analysis.KindDate
		case reAsksAmount.MatchString(question):
			return analysis.KindNumber
		}
	}
	if k == analysis.KindAny && reAnyWhich.MatchString(question) && !reNotThing.MatchString(question) && !asksWhy.MatchString(question) &&
		!reWhatDoes.MatchString(question) {
		return analysis.KindName
	}
	return k
}

// reNameOf names the kind of thing asked for after "name of" or "type
// of" ("what is the name of the storm system", "which type of dog
// breed").
var reNameOf = regexp.MustCompile(`(?i)\b(?:name|type|kind|sort) of (?:the |a |an |this |that )?(\pL[\pL'’-]*)(?:\s+(\pL[\pL'’-]*))?`)

// typeWords returns the words that name the kind of thing asked for
// ("which US university" → us, university; "the name of the storm system"
// → storm, system): allowed in an answer although the question holds
// them.
func typeWords(question string) map[string]bool { return kindWords(question, false) }

// kindWords returns typeWords, and with verb the verb after them too
// ("which company said"): the sentences name the answer near it.
func kindWords(question string, verb bool) map[string]bool {
	out := map[string]bool{}
	if !reAnyWhich.MatchString(question) {
		return out
	}
	for _, m := range append(reAnyWhich.FindAllStringSubmatch(question, -1), reNameOf.FindAllStringSubmatch(question, -1)...) {
		for i, w := range m[1:] {
			l := strings.ToLower(w)
			if i > 0 && typeVerb(l) {
				if verb {
					out[l] = true
				}
				break // "which natural phenomenon lit up", "which company announced"
			}
			if l != "" {
				out[l] = true
			}
		}
	}
	return out
}

// typeVerbs are verbs that follow the kind of thing asked for ("which
// natural phenomenon lit up the sky", "which company is"): the kind ends
// before them.
var typeVerbs = wordSet(`is was are were has have had do does did will would can could should may might must be been
	lit won made took got gave went came saw said told left met led ran set hit put cut lost held kept sold bought brought
	built found began became fell rose shut spent sent struck broke drew grew knew threw wrote beat paid says makes plans
	wants hopes faces leads owns gets takes`)

// typeVerb reports whether w (lower case), after the first word following
// "which" or "what", is a verb: a typeVerb or a past tense's "-ed".
func typeVerb(w string) bool {
	return typeVerbs[w] || utf8.RuneCountInString(w) > 4 && strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "eed")
}

// asksPerson reports whether question asks for a person.
func asksPerson(question string) bool {
	if reAsksWho.MatchString(question) {
		return true
	}
	for w := range typeWords(question) {
		if personNouns[strings.TrimSuffix(w, "s")] || personNouns[w] {
			return true
		}
	}
	return false
}

// inQuestion reports whether word w (lower case) is a word of the
// question, or shares a long prefix with one (German and Germany, Korea
// and Korean).
func inQuestion(w string, qwords map[string]bool) bool {
	parts := analysis.QuestionWords(w) // folded as the question's words are
	if len(parts) == 0 {
		return false
	}
	for p := range parts {
		if !qwords[p] && !nearWord(p, qwords) {
			return false
		}
	}
	return true
}

// nearWord reports whether w shares all but three letters with a word of
// four letters or more of qwords, as a prefix.
func nearWord(w string, qwords map[string]bool) bool {
	if len(w) < 4 {
		return false
	}
	for q := range qwords {
		if len(q) >= 4 && (strings.HasPrefix(q, w) || strings.HasPrefix(w, q)) && abs(len(q)-len(w)) <= 3 {
			return true
		}
	}
	return false
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// abbreviation reports whether token t ending in "." is an abbreviation
// that does not end a name ("Jr.", "U.S.", "St.").
func abbreviation(t string) bool {
	core := strings.TrimSuffix(t, ".")
	if r, _ := utf8.DecodeRuneInString(core); unicode.IsDigit(r) {
		return false
	}
	return strings.Contains(core, ".") || utf8.RuneCountInString(core) <= 2 || core == "Jr" || core == "Sr" || core == "St" || core == "Mt"
}

// nameSpans returns the runs of capitalised words of sentence that are not
// all words of the question, titles or common capitalised words.
func nameSpans(sentence string, qwords, allowed map[string]bool, seen *textWords) []answerSpan {
	common := seen.lowerSet()
	var toks []string
	var offs []int
	sep := func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(`"“”()[]`, r) }
	for i, r := range sentence {
		if sep(r) {
			continue
		}
		if i == 0 || sep(lastRune(sentence[:i])) {
			j := strings.IndexFunc(sentence[i:], sep)
			if j < 0 {
				j = len(sentence) - i
			}
			toks, offs = append(toks, sentence[i:i+j]), append(offs, i)
		}
	}
	joiner := func(t string) bool { return nameJoiners[t] && t != "and" }
	clean := func(t string) string {
		t = strings.TrimRight(t, ",;:!?'’—–-")
		if strings.HasSuffix(t, ".") && !abbreviation(t) {
			t = strings.TrimSuffix(t, ".")
		}
		t = strings.TrimSuffix(strings.TrimSuffix(t, "'s"), "’s")
		return strings.TrimLeft(t, "'‘—–-")
	}
	capital := func(t string) bool {
		r, _ := utf8.DecodeRuneInString(strings.TrimLeft(t, "'‘"))
		return unicode.IsUpper(r)
	}
	ends := func(t string) bool {
		t = strings.TrimRight(t, "'’")
		if strings.HasSuffix(t, ".") {
			return !abbreviation(t)
		}
		return strings.ContainsRune(",;:!?—–", lastRune(t))
	}
	skip := func(l string) bool { // words that are no name on their own
		return nameJoiners[l] || titleWords[l] || notNames[strings.ReplaceAll(l, ".", "")] || analysis.IsStopWord(l)
	}
	asked := func(l string) bool { return inQuestion(l, qwords) && !inQuestion(l, allowed) }
	// owner reports whether t is a possessive ending the name before it
	// ("Rupert Murdoch's UK newspaper group"), not a common word's
	// ("Women's World Cup").
	owner := func(t string) bool {
		t = strings.TrimRight(t, ",;:")
		c, ok := strings.CutSuffix(t, "'s")
		if !ok {
			c, ok = strings.CutSuffix(t, "’s")
		}
		l := strings.ToLower(c)
		return ok && !common[l] && !commonOwners[l]
	}
	var out []answerSpan
	for i := 0; i < len(toks); i++ {
		if strings.Contains(toks[i], "/") { // a photo credit, "Kim Hong-ji/Reuters"
			continue
		}
		start := i == 0 || ends(toks[i-1]) || strings.Contains(toks[i-1], "/")
		first := clean(toks[i])
		if lf := strings.ToLower(first); !capital(toks[i]) || reTicker.MatchString(first) || start && (analysis.IsStopWord(lf) || allCaps(first) || common[lf] || discourse[lf] || strings.HasSuffix(lf, "ly")) {
			continue
		}
		j := i
		stems := map[string]bool{wordStem(first): true}
		for j+1 < len(toks) && !ends(toks[j]) && !owner(toks[j]) && !strings.Contains(toks[j+1], "/") && (capital(toks[j+1]) ||
			joiner(toks[j+1]) && j+2 < len(toks) && capital(toks[j+2]) && !ends(toks[j+1])) {
			if toks[j+1] == "The" || reTicker.MatchString(clean(toks[j+1])) {
				break // "Kate Franco The Coachella Valley", "Meta Platforms META.O": two names, a ticker
			}
			if st := wordStem(clean(toks[j+1])); capital(toks[j+1]) {
				if stems[st] {
					break // "Serena Williams Serena Williams", "Olympics Olympic": two names
				}
				stems[st] = true
			}
			j++
		}
		run := toks[i : j+1]
		at := offs[i]
		i = j
		if start && len(run) == 1 && seen.unnamed(strings.ToLower(first)) {
			continue // "Stargazers", "Tens": capitalised for the sentence's start only
		}
		if j+1 < len(toks) && strings.Contains(toks[j+1], "/") {
			continue // the name in a photo credit
		}
		if s0 := i - len(run) + 1; s0 > 0 && strings.Contains(toks[s0-1], "/") {
			// After a photo credit ("Simon Dawson/No10 Downing Street
			// Johnson speaks") the credit's end and the caption's
			// subject are one run: where one ends is unknown.
			k := 0
			for k < len(run) && agencies[strings.ToLower(clean(run[k]))] {
				k++
			}
			if len(run)-k >= 2 {
				continue
			}
		}
		// Words of the question before or after the name are its context
		// ("White House Chief of Staff Susie Wiles"), joiners are not the
		// name's ends.
		lo, hi := 0, len(run)
		edge := func(t string) bool {
			l := strings.ToLower(clean(t))
			return asked(l) || joiner(t) || calendarWords[l] || l == "et" || l == "pt"
		}
		for lo < hi && (edge(run[lo]) || descriptor(clean(run[lo]))) {
			lo++
		}
		for hi > lo && edge(run[hi-1]) && !asked(strings.ToLower(clean(run[hi-1]))) {
			hi--
		}
		if lo > 0 && lo < len(run) {
			at = offs[i-len(run)+1+lo]
		}
		words := make([]string, 0, hi-lo)
		fresh, topic := false, false
		for n, t := range run[lo:hi] {
			c := clean(t)
			if n < hi-lo-1 && (strings.HasSuffix(t, "'s") || strings.HasSuffix(t, "’s")) {
				c = t // "Women's World Cup": the possessive inside the name
			}
			if c == "" {
				continue
			}
			words = append(words, c)
			switch l := strings.ToLower(c); {
			case skip(l):
			case asked(l):
				topic = true
			case !inQuestion(l, qwords):
				// A word the question holds, although it names the kind
				// asked for ("which Sesame Street character"), is no
				// answer alone.
				fresh = true
			}
		}
		if !fresh || topic || len(words) > maxShortWords || len(words) == 1 && common[strings.ToLower(words[0])] || agency(words) {
			continue
		}
		text := strings.Join(words, " ")
		last := run[len(run)-1]
		out = append(out, answerSpan{key: strings.ToLower(text), text: text, at: at,
			possessive: strings.HasSuffix(strings.TrimRight(last, ",;:"), "'s") || strings.HasSuffix(strings.TrimRight(last, ",;:"), "’s")})
	}
	return out
}

// reTicker is a stock's code as agencies write it ("META.O", "TSLA.N").
var reTicker = regexp.MustCompile(`^[A-Z]{1,5}\.[A-Z]{1,2}$`)

// commonOwners are common nouns whose possessive stands inside names
// ("Women's World Cup", "People's Republic of China").
var commonOwners = wordSet(`women men children people girls boys veterans workers world nation mother father master`)

// wordStem is w lower case without a plural's or possessive's "s", to tell
// a word repeated ("Olympics Olympic").
func wordStem(w string) string {
	w = strings.ToLower(w)
	w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
	if utf8.RuneCountInString(w) > 3 {
		w = strings.TrimSuffix(w, "s")
	}
	return w
}

// descriptor reports whether w is a hyphenated word describing the name
// after it ("London-based Unilever", "Oscar-winner Jamie Lee Curtis"):
// its last part is lower case, unlike a name's ("Jay-Z", "Rolls-Royce").
func descriptor(w string) bool {
	i := strings.LastIndexAny(w, "-‑")
	if i <= 0 {
		return false
	}
	last := w[i+1:]
	if last == "" || last == "elect" || titleWords[strings.ToLower(w)] {
		return false // "President-elect", "Co-founder": titles
	}
	r, _ := utf8.DecodeRuneInString(last)
	return unicode.IsLower(r) && utf8.RuneCountInString(last) >= 3
}

// discourse are words that start sentences capitalised without being
// names.
var discourse = wordSet(`however following according available groups critics simply passing yes full live now back almost
	despite though although meanwhile instead still after before while since during here there today tonight yesterday
	tomorrow also earlier later last next first finally officials experts police authorities fans organizers investigators
	researchers residents supporters analysts sources some many most several both each every other others more less new
	only even just then thus therefore indeed overall plus besides once nearly about around roughly approximately
	among amid under over inside outside across through despite unlike like instead asked told said says dear`)

// calendarWords are month and day names, which end no name.
var calendarWords = wordSet(`january february march april may june july august september october november december jan feb
	mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday`)

// orgHeads end the names of organisations, not people.
var orgHeads = wordSet(`department agency council court committee association corporation corp inc co ltd llc group party
	union league office ministry administration commission bureau service services institute university college school
	foundation board authority company airlines airline bank fund network news times post journal club`)

// agencies are the news and photo agencies credited in passages, seldom
// what a question asks for.
var agencies = wordSet("reuters afp ap getty images usa today associated press")

// agency reports whether words name a news or photo agency.
func agency(words []string) bool {
	for _, w := range words {
		if !agencies[strings.ToLower(w)] {
			return false
		}
	}
	return true
}

// textWords are what the candidate sentences say of their words: lower
// holds the words they write in lower case (capitalised at a sentence's
// start, they are no name), named the words they capitalise inside a
// sentence, lower-cased.
type textWords struct {
	lower, named map[string]bool
}

// lowerSet returns w.lower; nil for a nil w.
func (w *textWords) lowerSet() map[string]bool {
	if w == nil {
		return nil
	}
	return w.lower
}

// unnamed reports whether the texts never capitalise word (lower case)
// inside a sentence; false for a nil w, which knows no texts.
func (w *textWords) unnamed(word string) bool {
	return w != nil && !w.named[word]
}

// lowerWords returns what texts say of their words (textWords).
func lowerWords(texts []string) *textWords {
	out := &textWords{lower: map[string]bool{}, named: map[string]bool{}}
	for _, t := range texts {
		start := true
		for _, tok := range strings.Fields(t) {
			for _, w := range strings.FieldsFunc(tok, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' && r != '\'' }) {
				r, _ := utf8.DecodeRuneInString(w)
				switch {
				case unicode.IsLower(r):
					out.lower[w] = true
				case unicode.IsUpper(r) && !start:
					out.named[strings.ToLower(strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "'"))] = true
				}
			}
			start = strings.ContainsAny(tok[len(tok)-1:], ".?!:") || strings.HasSuffix(tok, "—")
		}
	}
	return out
}

// allCaps reports whether w is a word of four letters or more in capitals
// (a dateline's "WASHINGTON").
func allCaps(w string) bool {
	n := 0
	for _, r := range w {
		if !unicode.IsUpper(r) {
			return false
		}
		n++
	}
	return n >= 4
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// placeSpans returns the places of kind k that sentence names and the
// question does not, with the capitalised words that follow them ("New
// York City").
func placeSpans(sentence, question string, k analysis.AnswerKind, qwords map[string]bool) []answerSpan {
	var out []answerSpan
	for _, c := range slices.Sorted(maps.Keys(analysis.CandidateAnswers(sentence, k, question, qwords))) {
		if inQuestion(c, qwords) || namedOtherwise(c, qwords) {
			continue
		}
		text := findFold(sentence, c)
		if text == "" {
			continue // a dateline's "WASHINGTON" is where the story was written
		}
		at := strings.Index(sentence, text)
		if strings.Contains(text, ".") && strings.HasPrefix(sentence[at+len(text):], ".") {
			text += "." // "U.S.", whose last dot the name list drops
		}
		if upper := strings.Fields(text); len(upper) > 0 && allCaps(strings.Join(upper, "")) {
			for i, w := range upper { // a dateline's "EL PASO" reads "El Paso"
				_, n := utf8.DecodeRuneInString(w)
				upper[i] = w[:n] + strings.ToLower(w[n:])
			}
			text = strings.Join(upper, " ")
		}
		if rest := sentence[at+len(text):]; rest != "" {
			if f := strings.Fields(rest); len(f) > 0 && (f[0] == "City" || f[0] == "City," || f[0] == "City.") && !strings.HasSuffix(text, "City") {
				text += " City"
			}
		}
		out = append(out, answerSpan{key: strings.ToLower(text), text: text, at: at})
	}
	return out
}

// placeAliases are the names of a place the question may give it by
// another name ("American imports" for the United States).
var placeAliases = [][]string{
	{"us", "u.s", "u.s.", "usa", "united states", "america", "american", "americans"},
	{"uk", "u.k", "u.k.", "britain", "great britain", "united kingdom", "british"},
}

// homeCountry are the names of the country most of the corpus's outlets
// write from: in their stories it is mostly the setting ("the U.S."), seldom
// the country a question asks for, so its spans weigh homeWeight as much.
var homeCountry = map[string]bool{"us": true, "u.s": true, "u.s.": true, "usa": true, "america": true, "united states": true}

// namedOtherwise reports whether the question (its words, qwords) names
// place (lower case) by another of its names.
func namedOtherwise(place string, qwords map[string]bool) bool {
	for _, names := range placeAliases {
		is, named := false, false
		for _, n := range names {
			is = is || n == place
			named = named || qwords[n] || qwords[strings.ReplaceAll(n, ".", "")]
		}
		if is && named {
			return true
		}
	}
	return false
}

// spelledNumbers are the numbers written as words that short answers give in
// digits.
var spelledNumbers = map[string]string{"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
	"eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "fifteen": "15", "twenty": "20", "thirty": "30",
	"forty": "40", "fifty": "50", "hundred": "100", "dozen": "12"}

var reNumberToken = regexp.MustCompile(`(?i)[$£€]?\b(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s?%)?|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|dozen)\b`)

// numberAsk is what a question asking for a number says of it: the
// nouns counted ("how many Lego bricks": lego, brick), whether it says
// "how many" (a count, no sum of money) and "how long" (a duration or a
// length, a number with its unit).
type numberAsk struct {
	counted         map[string]bool // wordStem of the words
	howMany, length bool
}

var (
	reHowMany = regexp.MustCompile(`(?i)\bhow many\b((?:\s+[\pL\pN'’-]+){0,6})`)
	reHowLong = regexp.MustCompile(`(?i)\bhow long\b`)
	// lengthUnits end the answer to "how long": a duration or a length.
	lengthUnits = wordSet(`second minute hour day night week month year decade century centurie mile kilometer kilometre km
		feet foot meter metre yard inch`)
	// countLead may stand between "how many" and the noun counted.
	countLead = wordSet(`of the more additional total new different other`)
)

// A number after a word and a hyphen is a name's ("COVID-19", "F-35");
// "one in seven", "3 out of 4" are ratios, no count.
var (
	reNameNumber  = regexp.MustCompile(`[\pL\d]-$`)
	spelledAlt    = `one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred`
	reRatioAfter  = regexp.MustCompile(`(?i)^ (?:in|out of) (?:\d|(?:` + spelledAlt + `)\b)`)
	reRatioBefore = regexp.MustCompile(`(?i)(?:\d|\b(?:` + spelledAlt + `)) (?:in|out of) $`)
)

// numberAskOf returns what question says of the number it asks for.
func numberAskOf(question string) numberAsk {
	out := numberAsk{counted: map[string]bool{}, length: reHowLong.MatchString(question)}
	m := reHowMany.FindStringSubmatch(question)
	if m == nil {
		return out
	}
	out.howMany = true
	for _, w := range strings.Fields(m[1]) {
		l := strings.ToLower(strings.Trim(w, "'’"))
		if len(out.counted) == 0 && (countLead[l] || unicode.IsDigit([]rune(l)[0])) {
			continue
		}
		if analysis.IsStopWord(l) || strings.HasSuffix(l, "ed") {
			break // "how many people died"
		}
		if !strings.Contains(l, "-") { // "one-cent coins" count coins
			out.counted[wordStem(l)] = true
		}
	}
	return out
}

// unitWord reports whether w (lower case) stands after a number as the
// unit the question asks for.
func (a numberAsk) unitWord(w string) bool {
	return a.counted[wordStem(w)] || a.length && lengthUnits[wordStem(w)]
}

// numberSpans returns the numbers of sentence that the question does not
// hold and are not years, with a unit after them: the noun the question
// counts ("12 countries"), a duration for "how long" ("43 days", none
// without). A sum of money answers no "how many", nor a number joined
// to another noun than the one counted ("1-cent coins" for "how many
// coins"), nor "one" with no unit ("a highly anticipated one").
func numberSpans(sentence, question string, qwords map[string]bool) []answerSpan {
	ask := numberAskOf(question)
	var out []answerSpan
	for _, m := range reNumberToken.FindAllStringIndex(sentence, -1) {
		n := sentence[m[0]:m[1]]
		core := strings.TrimLeft(n, "$£€")
		if qwords[strings.ToLower(core)] || reYear.MatchString(core) && len(core) == 4 && !strings.ContainsAny(n, "$£€") ||
			partOfDate(sentence[:m[0]], sentence[m[1]:]) || ask.howMany && core != n ||
			reNameNumber.MatchString(sentence[:m[0]]) || reRatioAfter.MatchString(sentence[m[1]:]) || reRatioBefore.MatchString(sentence[:m[0]]) {
			continue // "COVID-19", "one in seven"
		}
		text, unit := n, false
		d, spelled := spelledNumbers[strings.ToLower(n)]
		if spelled {
			if after := sentence[m[1]:]; d == "1" && strings.HasPrefix(after, "-") || strings.HasPrefix(after, " of ") {
				continue // "one-cent", "one of them", "two of the": no count
			}
			text = d
		}
		hyphen := strings.HasPrefix(sentence[m[1]:], "-")
		f := strings.Fields(sentence[m[1]:])
		clean := func(w string) string { return strings.ToLower(strings.Trim(w, ".,;:!?\"'’”)-")) }
		from := 0 // the first word after the number and its "million"
		if len(f) > 0 {
			if w := clean(f[0]); w == "million" || w == "billion" || w == "trillion" || w == "percent" {
				text += " " + w
				from = 1
			}
		}
		// The unit asked for within three words, no punctuation between:
		// "12 countries", "750,000 federal workers", "114 billion coins",
		// "5-year" as written.
		for i := from; i < min(len(f), 3); i++ {
			w := clean(f[i])
			if i == from && hyphen && len(ask.counted) > 0 && !ask.counted[wordStem(strings.SplitN(w, "-", 2)[0])] {
				break // "1-cent coins" for "how many coins"
			}
			if ask.unitWord(strings.SplitN(w, "-", 2)[0]) || ask.unitWord(w) {
				unit = true
				for i+1 < min(len(f), 3) && !strings.ContainsAny(f[i], ".,;:!?()\"“”") && ask.unitWord(clean(f[i+1])) {
					i++ // "federal workers" for "how many federal workers"
				}
				switch {
				case hyphen && i == from:
					text += "-" + w
				default:
					text += " " + strings.Join(append(slices.Clone(f[from:i]), strings.Trim(f[i], ".,;:!?\"'’”)")), " ")
				}
				break
			}
			if i > from && strings.ContainsAny(f[i-1], ".,;:!?()\"“”") || strings.ContainsAny(f[i], ".,;:!?()\"“”") {
				break
			}
		}
		if hyphen && len(ask.counted) > 0 && !unit {
			continue // "1-cent coins" for "how many coins"
		}
		if !unit && !ask.length {
			// Another word of the question near: the number counts it, read
			// with it only when no count names its noun and the word is no
			// adjective ("750,000 federal employees").
			for i := from; i < min(len(f), 3); i++ {
				w := clean(f[i])
				if analysis.IsStopWord(w) || !inQuestion(w, qwords) {
					continue
				}
				unit = true
				switch {
				case i > from || len(ask.counted) > 0 || adjectival(w):
				case hyphen:
					text += "-" + w // "5-year", as written
				default:
					text += " " + w
				}
				break
			}
		}
		if hyphen && len(ask.counted) > 0 && !unit || ask.length && !unit || spelled && d == "1" && !unit {
			continue
		}
		out = append(out, answerSpan{key: strings.ToLower(strings.ReplaceAll(text, "-", " ")), text: text, at: m[0], unit: unit})
	}
	return out
}

// adjectival reports whether w has an adjective's end ("federal",
// "American", "respiratory"), which ends no count's unit.
func adjectival(w string) bool {
	for _, end := range append(adjectiveEnds, "al", "ic", "ian", "ary", "an") {
		if strings.HasSuffix(w, end) {
			return true
		}
	}
	return false
}

var (
	reMonthBefore = regexp.MustCompile(`(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*$`)
	reTimeAround  = regexp.MustCompile(`^(?::\d\d|\s*(?:a\.m|p\.m|am\b|pm\b))`)
)

// partOfDate reports whether a number between before and after is a day
// of a date or an hour.
func partOfDate(before, after string) bool {
	return reMonthBefore.MatchString(before) || reTimeAround.MatchString(after) || strings.HasSuffix(before, ":")
}

// dateSpans returns the dates of sentence the question does not hold, or
// its years for "which year" questions.
func dateSpans(sentence, question string) []answerSpan {
	re := reShortDate
	if reAskYear.MatchString(question) {
		re = reYear
	}
	q := strings.ToLower(question)
	var out []answerSpan
	for _, ix := range re.FindAllStringIndex(sentence, -1) {
		m := sentence[ix[0]:ix[1]]
		if l := strings.ToLower(m); !strings.Contains(q, l) {
			out = append(out, answerSpan{key: l, text: m, at: ix[0]})
		}
	}
	return out
}

// spansOf returns what in sentence could answer a question of kind k,
// whose type words are allowed and whose kinds of thing typeNouns
// (thingNouns(allowed)).
func spansOf(sentence, question string, k analysis.AnswerKind, qwords, allowed, typeNouns map[string]bool, seen *textWords) []answerSpan {
	switch {
	case k.IsPlace():
		return placeSpans(sentence, question, k, qwords)
	case k == analysis.KindPercent:
		var out []answerSpan
		for _, c := range slices.Sorted(maps.Keys(analysis.CandidateAnswers(sentence, k, question, qwords))) {
			if t := findFold(sentence, c); t != "" {
				out = append(out, answerSpan{key: c, text: t, at: strings.Index(sentence, t)})
			}
		}
		return out
	case k == analysis.KindNumber:
		return numberSpans(sentence, question, qwords)
	case k == analysis.KindDate:
		return dateSpans(sentence, question)
	}
	spans := nameSpans(sentence, qwords, allowed, seen)
	if asksCommonThing(typeNouns) || reAsksKindOf.MatchString(question) {
		spans = append(spans, nounSpans(sentence, qwords, typeNouns)...)
	}
	if !asksTitle(allowed) {
		return spans
	}
	quoted := quotedSpans(sentence, qwords)
	var out []answerSpan
	for _, sp := range spans { // a name inside a quoted title is the title's
		inside := false
		for _, q := range quoted {
			inside = inside || sp.at >= q.at && sp.at < q.at+len(q.text)
		}
		if !inside {
			out = append(out, sp)
		}
	}
	return append(out, quoted...)
}

// titleNouns after "which" or "what" ask for the title of a work or a
// name given to something, which passages often quote.
var titleNouns = wordSet(`film films movie movies show shows series book books album albums song songs title titles name
	nickname term phrase slogan motto word podcast play musical game tour program programme sitcom novel documentary
	exhibition campaign operation`)

// asksTitle reports whether the question's type words (typeWords) ask
// for a title.
func asksTitle(allowed map[string]bool) bool {
	for w := range allowed {
		if titleNouns[w] {
			return true
		}
	}
	return false
}

var reQuoted = regexp.MustCompile(`[“"]([^“”"]{1,80})[”"]`)

// quotedSpans returns the short quoted pieces of sentence that start with
// a capital and are not all words of the question: titles (“Drunk in
// Love”) rather than quotations.
func quotedSpans(sentence string, qwords map[string]bool) []answerSpan {
	var out []answerSpan
	for _, m := range reQuoted.FindAllStringSubmatchIndex(sentence, -1) {
		text := strings.TrimSpace(strings.TrimRight(sentence[m[2]:m[3]], ",.;:!? "))
		words := strings.Fields(text)
		if len(words) == 0 || len(words) > 6 || !utf8.ValidString(text) {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(text); !unicode.IsUpper(r) {
			continue
		}
		fresh := false
		for _, w := range words {
			l := strings.ToLower(strings.Trim(w, ",.;:!?'’"))
			if l != "" && !analysis.IsStopWord(l) && !inQuestion(l, qwords) {
				fresh = true
			}
		}
		if fresh {
			out = append(out, answerSpan{key: strings.ToLower(text), text: text, at: m[2]})
		}
	}
	return out
}

// spanVote is a span's probability of being the answer and whether a
// quoted sentence holds it.
type spanVote struct {
	text   string
	prob   float64
	quoted bool
	// runnerUp is the next span's probability (bestSpan).
	runnerUp float64
	// byDoc is prob by the paragraph (Passage.Doc) of the sentences that
	// hold the span.
	byDoc map[int64]float64
}

// proximityScale is the distance, in bytes, at which a span of a sentence
// is half as likely the answer as one next to a word of the question;
// unitBoost multiplies the weight of a number counting what the question
// asks about ("12 countries" for "how many countries").
const (
	proximityScale = 40.0
	unitBoost      = 4.0
	// minOwnName is how many times the sentences must write a name with
	// "'s", and never without, for the "'s" to be part of the name.
	minOwnName = 2
	typeBoost  = 3.0
	typeNear   = 0.5
	homeWeight = 0.3
)

// stopType are words after "which" or "what" that name no kind of thing.
var stopType = wordSet(`of the these following us u.s. type kind sort new recently this week`)

// questionOffsets returns where in sentence the question's content words
// (not stop words) stand.
func questionOffsets(sentence string, qwords map[string]bool) []int {
	var out []int
	lower := strings.ToLower(sentence)
	for w := range qwords {
		if analysis.IsStopWord(w) || utf8.RuneCountInString(w) < 3 {
			continue
		}
		for from := 0; ; {
			k := strings.Index(lower[from:], w)
			if k < 0 {
				break
			}
			out = append(out, from+k)
			from += k + len(w)
		}
	}
	return out
}

// nearness is how close a span at byte at is to the nearest question word.
func nearness(at, length int, offs []int) float64 {
	if at < 0 || len(offs) == 0 {
		return 1
	}
	d := math.MaxInt
	for _, o := range offs {
		switch {
		case o < at:
			d = min(d, at-o)
		case o >= at+length:
			d = min(d, o-(at+length))
		default:
			d = 0
		}
	}
	return 1 / (1 + float64(d)/proximityScale)
}

// bestSpan returns the span of the sentences most likely to answer, with
// its probability (a share of all the sentences' weight) and the next
// one's; false when no sentence holds a span.
func bestSpan(question string, k analysis.AnswerKind, sents []picked, quoted map[[2]int64]bool) (spanVote, bool) {
	votes, total := spanVotes(question, k, sents, quoted)
	if total == 0 {
		return spanVote{}, false
	}
	var best, next *spanVote
	for _, v := range votes {
		switch {
		case best == nil || v.prob > best.prob || v.prob == best.prob && v.text < best.text:
			best, next = v, best
		case next == nil || v.prob > next.prob:
			next = v
		}
	}
	if best == nil {
		return spanVote{}, false
	}
	out := *best
	out.prob /= total
	if next != nil {
		out.runnerUp = next.prob / total
	}
	return out, true
}

// thingNouns are the type words (typeWords) that name a kind of thing.
func thingNouns(allowed map[string]bool) map[string]bool {
	out := map[string]bool{}
	for w := range allowed {
		if !analysis.IsStopWord(w) && !stopType[w] {
			out[w] = true
		}
	}
	return out
}

// spanVotes shares each sentence's weight (the softmax of its score) among
// the spans it holds, by their nearness to the question's words, and
// returns the spans' votes and the sentences' total weight.
func spanVotes(question string, k analysis.AnswerKind, sents []picked, quoted map[[2]int64]bool) (map[string]*spanVote, float64) {
	qwords := analysis.QuestionWords(question)
	allowed := typeWords(question)
	person := k == analysis.KindName && asksPerson(question)
	top := math.Inf(-1)
	texts := make([]string, len(sents))
	for i, s := range sents {
		top = math.Max(top, s.score)
		texts[i] = s.text
	}
	seen := lowerWords(texts)
	typeNouns := thingNouns(allowed)
	// Spans near the kind asked for or the verb after it ("which company
	// said") weigh more.
	boostNouns := thingNouns(kindWords(question, true))
	// A question naming a kind of thing that is no person ("which
	// network") is not answered by a titled person ("President Donald
	// Trump").
	thing := k == analysis.KindName && !person && len(typeNouns) > 0
	all := make([][]answerSpan, len(sents))
	written, owning := map[string]int{}, map[string]int{}
	var people []string // the names the sentences give a title
	tally := k != analysis.KindNumber && reAsksWinner.MatchString(question)
	for i, s := range sents {
		if tally && reTally.MatchString(s.text) {
			// "the Chiefs have won four Super Bowls": a record, not the
			// event a "who won" asks about.
			continue
		}
		all[i] = spansOf(s.text, question, k, qwords, allowed, typeNouns, seen)
		if person {
			all[i] = personSpans(all[i])
		} else if thing {
			var named []string
			all[i], named = thingSpans(s.text, all[i])
			people = append(people, named...)
		}
	}
	for i := range all {
		if len(people) > 0 {
			all[i] = slices.DeleteFunc(all[i], func(sp answerSpan) bool {
				// "Trudeau" where a sentence says "Prime Minister Justin
				// Trudeau": a person, for a question asking for a party.
				return slices.ContainsFunc(people, func(p string) bool { return containsWords(p, sp.key) })
			})
		}
		for _, sp := range all[i] {
			written[sp.key]++
			if sp.possessive {
				owning[sp.key]++
			}
		}
	}
	subjects := didSubjects(question)
	votes := map[string]*spanVote{}
	total := 0.0
	for si, s := range sents {
		p := math.Exp(s.score - top)
		total += p
		spans := all[si]
		offs := questionOffsets(s.text, qwords)
		typeOffs := questionOffsets(s.text, boostNouns)
		near := make([]float64, len(spans))
		sum := 0.0
		for i, sp := range spans {
			near[i] = nearness(sp.at, len(sp.text), offs)
			if sp.unit {
				near[i] *= unitBoost
			}
			if k == analysis.KindCountry && homeCountry[sp.key] {
				near[i] *= homeWeight
			}
			if len(typeOffs) > 0 && nearness(sp.at, len(sp.text), typeOffs) >= typeNear {
				near[i] *= typeBoost
			}
			if sp.possessive && owning[sp.key] >= minOwnName && owning[sp.key] == written[sp.key] {
				// Never written without "'s": the "'s" is the name's
				// ("Ben & Jerry's", "McDonald's").
				spans[i].text += "'s"
				spans[i].key += "'s"
			} else if sp.possessive {
				near[i] *= 0.5
			}
			sum += near[i]
		}
		isQuoted := quoted[[2]int64{s.passage.Doc, int64(s.sentence)}]
		for i, sp := range spans {
			v := votes[sp.key]
			if v == nil {
				v = &spanVote{text: sp.text, byDoc: map[int64]float64{}}
				votes[sp.key] = v
			}
			share := p * near[i] / sum
			if len(subjects) > 0 && coSubject(s.text, sp, subjects) {
				// "Who did Witkoff meet?" asks for whom he met, not who
				// travels with him ("Rubio and Witkoff"): its sentence's
				// weight is not passed on to it, even when it is the
				// sentence's only span.
				share *= coSubjectWeight
			}
			v.prob += share
			v.byDoc[s.passage.Doc] += share
			v.quoted = v.quoted || isQuoted
		}
	}
	mergeContained(votes)
	return votes, total
}

// reDidObject matches a question for the object of its verb: "who did
// Witkoff meet?", "which leader did Trump call?"; the words after "did"
// name its subject.
var reDidObject = regexp.MustCompile(`(?i)^\W*(?:who|whom|what|which(?:\s+\pL+){1,2})\s+did\s+(.+)$`)

// coSubjectWeight multiplies the nearness of a span written alongside the
// subject of an object question ("Rubio and Witkoff" for "who did Witkoff
// meet?").
const coSubjectWeight = 0.2

// didSubjects returns the lower-case capitalised words a question asking
// for the object of its verb names as its subject ("witkoff" of "who did
// Witkoff meet last week?"); nil for other questions.
func didSubjects(question string) map[string]bool {
	m := reDidObject.FindStringSubmatch(question)
	if m == nil {
		return nil
	}
	var out map[string]bool
	for _, w := range strings.Fields(m[1]) {
		w = strings.Trim(w, ".,;:!?'’\"“”")
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) {
			break // the verb, or what follows the subject
		}
		if out == nil {
			out = map[string]bool{}
		}
		out[strings.ToLower(w)] = true
	}
	return out
}

// reJoined matches what joins two names: "and", "&", a comma.
var reJoined = regexp.MustCompile(`^\s*(?:,\s*)?(?:and|&)?\s*$`)

// coSubject reports whether span sp of sentence is joined to a name of
// subjects ("Marco Rubio and Steve Witkoff"): a word of subjects within
// three words after it or before it, with only "and", "&" or a comma (and
// at most two other capitalised words) between.
func coSubject(sentence string, sp answerSpan, subjects map[string]bool) bool {
	if sp.at < 0 || sp.at+len(sp.text) > len(sentence) {
		return false
	}
	near := func(words []string) bool {
		for i, w := range words {
			if i >= 4 {
				break
			}
			key := strings.ToLower(strings.Trim(w, ".,;:!?'’\"“”"))
			if subjects[key] {
				return reJoined.MatchString(strings.Join(capitalStripped(words[:i]), " "))
			}
		}
		return false
	}
	after := strings.Fields(sentence[sp.at+len(sp.text):])
	before := strings.Fields(sentence[:sp.at])
	slices.Reverse(before)
	return near(after) || near(before)
}

// capitalStripped returns words without its capitalised ones (the first
// names of a subject: "and Steve Witkoff" joins as "and").
func capitalStripped(words []string) []string {
	var out []string
	for _, w := range words {
		if r, _ := utf8.DecodeRuneInString(w); !unicode.IsUpper(r) {
			out = append(out, w)
		}
	}
	return out
}

// reAsksWinner asks who won; reTally is a sentence counting what someone
// has won ("has won 23 grand slam titles", "have won four").
var (
	reAsksWinner = regexp.MustCompile(`(?i)\b(?:won|win|wins)\b`)
	reTally      = regexp.MustCompile(`(?i)\b(?:have|has|had|'ve|’ve)\s+(?:now\s+|also\s+|already\s+)?won\s+(?:\pL+\s+)?(?:\d+|two|three|four|five|six|seven|eight|nine|ten|a record|several|many|multiple)\b`)
)

// mergeContained adds the votes of a span to the longest span whose words
// hold its words ("James" to "LeBron James"): the same thing, written in
// full once and shortened after.
func mergeContained(votes map[string]*spanVote) {
	// Shortest first (then in key order, so that the same votes always
	// merge the same way): a span merged into a longer one goes on with it.
	keys := slices.SortedStableFunc(maps.Keys(votes), func(a, b string) int {
		return cmp.Or(cmp.Compare(len(a), len(b)), strings.Compare(a, b))
	})
	for i, short := range keys {
		into := ""
		for _, long := range keys[i+1:] {
			// The longest holder; of two as long, the one with more votes
			// ("Southwest" into "Southwest Airlines" rather than "Stronger
			// Southwest").
			if len(long) > len(short) && containsWords(long, strings.TrimSuffix(short, "'s")) &&
				(into == "" || len(long) > len(into) || len(long) == len(into) && votes[long].prob > votes[into].prob) {
				into = long
			}
		}
		if into == "" {
			continue
		}
		v, w := votes[short], votes[into]
		w.prob += v.prob
		w.quoted = w.quoted || v.quoted
		for d, p := range v.byDoc {
			w.byDoc[d] += p
		}
		v.prob = 0
		v.byDoc = nil
	}
}

// containsWords reports whether the words of short stand in long as a run
// of whole words.
func containsWords(long, short string) bool {
	return strings.Contains(" "+long+" ", " "+short+" ")
}

// thingSpans drops the spans of sentence that name a person by a title
// ("President Donald Trump", "eBay founder Pierre Omidyar", "Paula
// Kerger, president of PBS", "Laurent Freixe, 63,"), keeping the words
// before a title ("Tesla" of "Tesla CEO Elon Musk") and dropping one
// after ("Nestlé CEO"), and returns the names so titled ("elon musk").
func thingSpans(sentence string, spans []answerSpan) (out []answerSpan, people []string) {
	for _, s := range spans {
		words, text := strings.Fields(s.key), strings.Fields(s.text)
		if len(words) != len(text) {
			out = append(out, s)
			continue
		}
		at := -1
		for i, w := range words {
			w = strings.TrimSuffix(w, ".")
			if i == 0 && (titleWords[w] && !weakTitles[w] || strings.HasSuffix(w, "-elect")) ||
				i == 0 && weakTitles[w] && len(words) > 1 && (titleWords[words[1]] || personTitles[words[1]]) ||
				i > 0 && i < len(words)-1 && personTitles[w] && !nameJoiners[words[i+1]] && !orgHeads[words[len(words)-1]] {
				at = i
				break
			}
		}
		if at < 0 {
			if personContext(sentence, s) {
				people = append(people, s.key)
				continue
			}
			n := len(words)
			for n > 1 && personTitles[strings.TrimSuffix(words[n-1], ".")] {
				n-- // "Nestlé CEO": the company
			}
			if n < len(words) {
				s.key, s.text, s.possessive = strings.Join(words[:n], " "), strings.Join(text[:n], " "), false
			}
			out = append(out, s)
			continue
		}
		name := at + 1
		for i := name; i < len(words); i++ {
			// After the last title: "Prime Minister Justin Trudeau",
			// "Former Twitter CEO Jack Dorsey".
			if w := strings.TrimSuffix(words[i], "."); titleWords[w] || personTitles[w] || nameJoiners[w] {
				name = i + 1
			}
		}
		if name < len(words) {
			people = append(people, strings.Join(words[name:], " "))
		}
		from := 0
		for from < at && titleWords[strings.TrimSuffix(words[from], ".")] {
			from++ // "Former Acme CEO Bo Tran": Acme
		}
		if from < at && !titleWords[words[at-1]] {
			s.key, s.text = strings.Join(words[from:at], " "), strings.Join(text[from:at], " ")
			s.possessive = false
			out = append(out, s)
		}
	}
	return out, people
}

// lowerTitles, written in lower case before a name ("eBay founder Pierre
// Omidyar") or after it ("Paula Kerger, president and CEO of PBS"), mark
// a person.
var lowerTitles = wordSet(`founder co-founder cofounder chairman chairwoman president ceo executive director spokesman
	spokeswoman spokesperson minister secretary senator governor mayor capitalist billionaire actor actress singer
	commissioner anchor coach`)

// apposLead may stand between a name's comma and the title after it
// ("Jane Doe, the former chief executive").
var apposLead = wordSet(`the a an former then now longtime chief`)

// personContext reports whether sentence marks span s as a person: a
// lower-case title right before it, or after its comma a title or an age.
func personContext(sentence string, s answerSpan) bool {
	if s.at < 0 || s.at > len(sentence) {
		return false
	}
	before := strings.Fields(sentence[:s.at])
	if len(before) > 0 && lowerTitles[before[len(before)-1]] {
		return true
	}
	words := strings.Fields(s.text)
	last := words[len(words)-1]
	e := strings.Index(sentence[s.at:], last)
	if e < 0 {
		return false
	}
	after := sentence[s.at+e+len(last):]
	after = strings.TrimPrefix(strings.TrimPrefix(after, "'s"), "’s")
	rest, ok := strings.CutPrefix(after, ", ")
	if !ok {
		return false
	}
	f := strings.Fields(rest)
	for i, w := range f[:min(len(f), 3)] {
		switch {
		case i == 0 && len(w) <= 4 && strings.HasSuffix(w, ",") && strings.Trim(w, "0123456789,") == "" && len(w) > 1:
			return true // "Laurent Freixe, 63,"
		case lowerTitles[strings.TrimRight(w, ",")]:
			return true
		case !apposLead[w]:
			return false
		}
	}
	return false
}

// weakTitles start a title ("State Sen.", "Vice President", "Former
// President") only before another title: "State Farm" and "General
// Motors" are things.
var weakTitles = wordSet(`state general special chief vice former prime`)

// personTitles inside a name mark a person ("New York City Mayor Eric
// Adams", "FCC Chairwoman Jessica Rosenworcel"); titleWords that also
// stand inside the names of things ("State Farm", "General Motors") are
// not among them.
var personTitles = wordSet(`president minister secretary senator sen governor gov mayor chancellor ceo chairman chairwoman
	chair commissioner director spokesman spokeswoman spokesperson founder co-founder cofounder ambassador speaker sheriff
	judge justice envoy coach rep representative attorney`)

// personSpans keeps the spans that can be a person's name: not places,
// not starting or ending like an organisation's ("Department of Health",
// "Augusta National Golf Club").
func personSpans(spans []answerSpan) []answerSpan {
	var out []answerSpan
	for _, s := range spans {
		words := strings.Fields(s.key)
		if analysis.IsPlaceName(s.key) || orgHeads[words[len(words)-1]] || len(words) > 1 && orgHeads[words[0]] {
			continue
		}
		out = append(out, s)
	}
	return out
}

// commonThings after "which" or "what" ask for a kind of thing news
// writes in lower case ("which illness" → "prostate cancer", "what type of
// outbreak" → "listeria"): their questions also take noun spans
// (nounSpans).
var commonThings = wordSet(`disease diseases illness infection infections virus viruses bacteria bacterium parasite
	outbreak condition cancer food foods item items dish beverage drink snack fruit vegetable ingredient animal animals
	creature creatures species mammal bird birds fish insect reptile breed phenomenon weather storm sport tactic play
	coin drug substance chemical habit activity topic product metal crop plant tree`)

// reAsksKindOf asks for a kind of thing ("what type of nest"), which
// news writes in lower case whatever the thing.
var reAsksKindOf = regexp.MustCompile(`(?i)\b(?:what|which)\s+(?:type|kind|sort)s?\s+of\b`)

// asksCommonThing reports whether the question's type nouns ask for a
// thing named in lower case.
func asksCommonThing(typeNouns map[string]bool) bool {
	for w := range typeNouns {
		if commonThings[w] {
			return true
		}
	}
	return false
}

// notNouns are lower-case words that stand next to a question's words
// without naming a thing.
var notNouns = wordSet(`said says say told new more most other such many much some year years week weeks day days
	people percent per last first next several recent recently also just still even very well like one two three`)

// adjectiveEnds end adjectives, which no noun span ends with.
var adjectiveEnds = []string{"ed", "ous", "ive", "ful", "less", "able", "ible", "ory", "ical", "ial"}

var reWordToken = regexp.MustCompile(`\pL[\pL'’-]*`)

// nounSpans returns the runs of one or two lower-case words of sentence
// that name a thing of the kind the question names (typeNouns): standing
// right before the type noun ("a listeria outbreak", "the tush push play")
// or before an apposition holding it ("hantavirus, a rare but potentially
// deadly virus"), and not words of the question.
func nounSpans(sentence string, qwords, typeNouns map[string]bool) []answerSpan {
	toks := reWordToken.FindAllStringIndex(sentence, -1)
	word := func(i int) string { return strings.ToLower(sentence[toks[i][0]:toks[i][1]]) }
	gap := func(i int) string { return strings.TrimSpace(sentence[toks[i][1]:toks[i+1][0]]) } // between i and i+1
	typed := func(w string) bool { return typeNouns[w] || typeNouns[strings.TrimSuffix(w, "s")] || typeNouns[w+"s"] }
	noun := func(i int) bool {
		t := sentence[toks[i][0]:toks[i][1]]
		r, _ := utf8.DecodeRuneInString(t)
		w := strings.ToLower(t)
		return unicode.IsLower(r) && utf8.RuneCountInString(w) >= 3 && !analysis.IsStopWord(w) && !notNouns[w] &&
			!strings.HasSuffix(w, "ly") && !typed(w) && !inQuestion(w, qwords)
	}
	// adjective ends ("respiratory", "preserved", "contagious") name no
	// thing: no span ends with one.
	adjective := func(w string) bool {
		for _, end := range adjectiveEnds {
			if strings.HasSuffix(w, end) {
				return true
			}
		}
		return strings.HasPrefix(w, "non-")
	}
	var out []answerSpan
	done := -1 // the last word of the last span added
	add := func(last int) {
		if adjective(word(last)) || last == done {
			return
		}
		done = last
		from := last
		if from > 0 && gap(from-1) == "" && noun(from-1) {
			from--
		}
		text := sentence[toks[from][0]:toks[last][1]]
		out = append(out, answerSpan{key: strings.ToLower(text), text: text, at: toks[from][0]})
	}
	for i := 1; i < len(toks); i++ {
		if !typed(word(i)) {
			continue
		}
		if gap(i-1) == "" && noun(i-1) {
			add(i - 1) // "listeria outbreak"
			continue
		}
		// "hantavirus, a rare but potentially deadly virus"
		for j := i - 1; j >= max(0, i-7); j-- {
			if g := gap(j); g == "," || g == "—" || g == "–" {
				if a := word(j + 1); (a == "a" || a == "an" || a == "the") && noun(j) {
					add(j)
				}
				break
			} else if g != "" {
				break
			}
		}
	}
	return out
}
