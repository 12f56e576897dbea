package bot

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/analysis"
	"github.com/newsbot/newsbot/knowledge/parse"
)

// Relevance thresholds, as shares of the question's term weight (IDF).
const (
	// minCoverage is the share of the question's weight a passage (with its
	// title) must contain for the bot to answer from it at all.
	minCoverage = 0.4
	// quoteCoverage is the share a passage needs for its sentences to be
	// quoted once the question is answered.
	quoteCoverage = 0.25
	// A sentence naming a likely answer (knowledge.Result.Votes) with a
	// vote share of at least answerVoteShare, or the kind of answer asked
	// for, may follow a chosen sentence of its paragraph
	// (withNextSentences).
	answerVoteShare = 0.1
	// followUpTypeWeight multiplies the type weight for follow-ups without a
	// subject of their own.
	followUpTypeWeight = 4
	// followUpCoverage replaces minCoverage for them.
	followUpCoverage = 0.3
	// maxSentences is how many sentences a template answer quotes at most.
	maxSentences = 3
	// maxAnswerRunes bounds the quoted text; a single longer sentence is
	// quoted cut to maxQuoteRunes.
	maxAnswerRunes = 500
	// clipRoom is the least room left in maxAnswerRunes for which a
	// further sentence too long for it is quoted cut to it
	// (sentenceScoring.ClipRoom).
	clipRoom = 120
	// maxHeadlineRunes bounds a headline shown in an answer.
	maxHeadlineRunes = 120
	// redundancy is sentenceScoring.Redundancy.
	redundancy = 0.5
)

// sentenceWeights weigh what makes a sentence worth quoting
// (sentenceFeatures.score): a linear model of the log-odds that the
// sentence holds the answer, fitted on the RealTime QA dev split by
// softmax regression over the sentences of each question's top passages
// (three-fold cross-validated; docs/quality.md).
type sentenceWeights struct {
	// Rank adds to sentences of the passages ranked second to fifth.
	Rank [4]float64
	// Prior weighs the passage's score as a share of the best's.
	Prior float64
	// Coverage, TitleCoverage and PassageCoverage weigh the shares of the
	// question's weight the sentence, its headline and its whole passage
	// hold.
	Coverage, TitleCoverage, PassageCoverage float64
	// Type rewards holding the kind of answer asked for, Vote the vote
	// share of a name held.
	Type, Vote float64
	// Lead rewards a passage's first sentence, Index (per ten sentences)
	// the later ones, Length the log of the sentence's length.
	Lead, Index, Length float64
}

var sentenceScoring = struct {
	sentenceWeights
	// Passages is how many of the top passages are read.
	Passages int
	// MinCoverage is the share of the question's weight a passage (with
	// its title) must hold to be quoted.
	MinCoverage float64
	// Budget bounds the quoted text, in runes.
	Budget int
	// Margin is how far below the best sentence's score (in log-odds) a
	// further one may be.
	Margin float64
	// ClipRoom is the least room, in runes, left in Budget for which a
	// further sentence too long for it is quoted cut to it; 0 never.
	ClipRoom int
	// Redundancy is how far (in log-odds) a further sentence is pushed
	// down when all its words are those of a chosen one, in proportion
	// to the words they share (selectSentences).
	Redundancy float64
}{
	sentenceWeights: sentenceWeights{
		Rank: [4]float64{-0.004, -0.355, -0.162, -0.445}, Prior: 0.677,
		Coverage: 0.914, TitleCoverage: -0.191, PassageCoverage: -0.545,
		Type: 1.352, Vote: 1.188, Lead: 0.386, Index: -0.343, Length: 0.467,
	},
	Passages: 5, MinCoverage: quoteCoverage, Budget: maxAnswerRunes, Margin: 1.25, ClipRoom: clipRoom,
	Redundancy: redundancy,
}

// picked is a sentence chosen for a template answer.
type picked struct {
	text    string
	passage knowledge.Passage
	score   float64
	terms   map[string]bool
	// sentence is the sentence's index in the passage; answerish is set
	// when it holds the kind of answer asked for or a name the results
	// vote for (knowledge.Result.Votes).
	sentence  int
	answerish bool
	// also names the other outlets of a digest line's story.
	also     []string
	features sentenceFeatures
}

// weights maps each query term to its IDF.
func weights(terms []knowledge.TermStat) (map[string]float64, float64) {
	w := make(map[string]float64, len(terms))
	total := 0.0
	for _, t := range terms {
		if _, ok := w[t.Term]; !ok {
			w[t.Term] = t.IDF
			total += t.IDF
		}
	}
	return w, total
}

// coverage returns the share of the question's weight found in terms.
func coverage(w map[string]float64, total float64, terms map[string]bool) float64 {
	if total == 0 {
		return 0
	}
	// Sum in a fixed order: float addition is not associative, and map
	// order would make near-ties between sentences fall either way.
	keys := make([]string, 0, len(terms))
	for t := range terms {
		keys = append(keys, t)
	}
	sort.Strings(keys)
	sum := 0.0
	for _, t := range keys {
		sum += w[t]
	}
	return sum / total
}

func termSet(texts ...string) map[string]bool {
	m := map[string]bool{}
	for _, s := range texts {
		for _, t := range analysis.Terms(s, nil) {
			m[t] = true
		}
	}
	return m
}

// relevant reports whether passage p (with its title) covers enough of the
// weight of the query terms.
func relevant(p knowledge.Passage, terms []knowledge.TermStat) bool {
	w, total := weights(terms)
	got := map[string]bool{}
	for t := range termSet(p.Title, p.Text) {
		if _, ok := w[t]; ok {
			got[t] = true
		}
	}
	return coverage(w, total, got) >= minCoverage
}

// selectSentences picks the sentences of the top passages that best answer
// the question: those carrying most of the question's weight, preferring
// better-ranked passages and sentences with the kind of answer asked for. It
// returns nil when no passage is relevant enough to answer from.
//
// A follow-up that names no subject of its own ("on which day?") searches
// with the question before it, whose words the sentences then share: there
// the kind of answer asked for decides (followUpTypeWeight).
//
// When the best sentence was published in the window the question names
// (within; zero for none), so must the others be: an answer "from articles
// of last week" quotes nothing older.
//
// Sentences in seen (an earlier answer's, for "who else?") are not quoted
// again, and the names they hold do not count as answers.
func selectSentences(question string, res *knowledge.Result, opt selectOptions) []picked {
	within := opt.within
	cands, next := candidateSentences(question, res, opt)
	if len(cands) == 0 || !answerable(cands, res) {
		return nil
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	out := []picked{cands[0]}
	runes := len([]rune(cands[0].text))
	inWindow := !within.IsZero() && allWithin(out, within)
	words := make([]map[string]bool, len(cands))
	for i, c := range cands {
		words[i] = termSet(c.text)
	}
	chosen := words[:1:1]
	rest := make([]int, 0, len(cands)-1)
	// Further sentences must be within Margin of the best.
	for i := 1; i < len(cands) && cands[i].score >= cands[0].score-sentenceScoring.Margin; i++ {
		rest = append(rest, i)
	}
	for len(rest) > 0 && len(out) < maxSentences {
		// The next is the best scored once pushed down by how much it
		// says what a chosen sentence says: three sentences restating
		// the question leave no room for the one that answers it.
		at := furthest(cands, words, rest, chosen)
		i := rest[at]
		rest = slices.Delete(rest, at, at+1)
		c := cands[i]
		if inWindow && !allWithin([]picked{c}, within) {
			continue
		}
		// A further sentence must not repeat one already chosen (wire
		// copies) and must fit: one too long for what is left is quoted
		// cut to it when that is at least ClipRoom runes, since news
		// sentences put what they are about first.
		if nearDuplicate(c, out) {
			continue
		}
		if n := len([]rune(c.text)); runes+n > sentenceScoring.Budget {
			room := sentenceScoring.Budget - runes
			if sentenceScoring.ClipRoom <= 0 || room < sentenceScoring.ClipRoom {
				continue
			}
			c.text = clip(c.text, room)
		}
		out = append(out, c)
		chosen = append(chosen, words[i])
		runes += len([]rune(c.text))
	}
	// A sentence without a word of the question is quoted only after the
	// one before it, when it looks like it holds the answer.
	out = withNextSentences(out, append(next, cands...), runes)
	readingOrder(out)
	for i := range out {
		out[i].text = clip(out[i].text, maxQuoteRunes)
	}
	return out
}

// furthest returns which of the candidates rest (indices into cands, in
// order of score) to consider next after the sentences chosen (their
// words): the first with the best score less Redundancy times its
// greatest word overlap with one of them (shared words over all words of
// the two, as nearDuplicate).
func furthest(cands []picked, words []map[string]bool, rest []int, chosen []map[string]bool) int {
	best, bestScore := 0, math.Inf(-1)
	for at, i := range rest {
		overlap := 0.0
		for _, o := range chosen {
			overlap = max(overlap, jaccard(words[i], o))
		}
		if s := cands[i].score - sentenceScoring.Redundancy*overlap; s > bestScore {
			best, bestScore = at, s
		}
	}
	return best
}

// jaccard is the share of the words of a and b that both hold.
func jaccard(a, b map[string]bool) float64 {
	inter := 0
	for t := range a {
		if b[t] {
			inter++
		}
	}
	if union := len(a) + len(b) - inter; union > 0 {
		return float64(inter) / float64(union)
	}
	return 0
}

// answerable reports whether some passage the candidates come from holds
// enough of the question's weight (minCoverage, followUpCoverage) for the
// bot to answer at all, or (for a question with words of its own) its
// article does, with its other top passages: a story spreads the
// question's words over its paragraphs. Once it does, less relevant
// passages may be quoted too (quoteCoverage).
func answerable(cands []picked, res *knowledge.Result) bool {
	for _, c := range cands {
		need := minCoverage
		if c.features.FollowUp {
			need = followUpCoverage
		}
		if c.features.PassageCoverage >= need {
			return true
		}
	}
	if cands[0].features.FollowUp {
		return false // its weights are the earlier question's (subjectTerms)
	}
	w, total := weights(res.Terms)
	arts := articleTerms(res.Passages[:min(len(res.Passages), sentenceScoring.Passages)], w)
	for _, c := range cands {
		if coverage(w, total, arts[c.passage.ArticleID]) >= minCoverage {
			return true
		}
	}
	return false
}

// articleTerms maps each article of ps to the terms of w its passages
// among ps hold, with its headline.
func articleTerms(ps []knowledge.Passage, w map[string]float64) map[string]map[string]bool {
	arts := map[string]map[string]bool{}
	for _, p := range ps {
		set := arts[p.ArticleID]
		if set == nil {
			set = map[string]bool{}
			arts[p.ArticleID] = set
		}
		for t := range restrict(termSet(p.Title, p.Text), w) {
			set[t] = true
		}
	}
	return arts
}

// asksDistance matches "how close …?", "how near …?": a number.
var asksDistance = regexp.MustCompile(`(?i)\bhow (?:close|near|distant)\b`)

// questionKind is knowledge.QuestionKind, with distances asked as "how
// close" counted as numbers.
func questionKind(question string) analysis.AnswerKind {
	k := analysis.QuestionKind(question)
	if k == analysis.KindAny && asksDistance.MatchString(question) {
		return analysis.KindNumber
	}
	return k
}

// selectOptions say how selectSentences chooses beyond the question.
type selectOptions struct {
	// within is the window the question names; zero for none.
	within Window
	// seen are an earlier answer's sentences, not to be repeated.
	seen *seenSentences
	// leans is set for a follow-up searched with the question before it.
	leans bool
}

// asksWhy matches a question for a reason, and reasonCue a sentence that
// gives one: the kind of answer "why?" asks for.
var (
	asksWhy   = regexp.MustCompile(`(?i)^\W*(?:and |but |so )?(?:why|how come)\b|\bwhat (?:caused|causes|led to|prompted|sparked|triggered)\b|\b(?:the )?reasons?\b|^\P{L}*(?:(?:und|et|y|e|и|а) )?(?:warum|wieso|weshalb|pourquoi|por ?qu[eéê]|perch[eé]|почему|зачем|为什么|なぜ|どうして)(?:\P{L}|$)`)
	reasonCue = regexp.MustCompile(`(?i)\b(?:because|due to|caused by|sparked by|triggered by|blamed|as a result|in order to|so that|to avoid|would|could not|cannot|can't|afford)\b`)
)

// seenSentences are the sentences of an earlier answer and the candidate
// answers they name; nil is none.
type seenSentences struct {
	sentences map[[2]int64]bool // passage Doc, sentence index
	names     map[string]bool
}

func newSeenSentences(question string, sel []picked) *seenSentences {
	kind, words := analysis.QuestionKind(question), analysis.QuestionWords(question)
	s := &seenSentences{sentences: map[[2]int64]bool{}, names: map[string]bool{}}
	for _, p := range sel {
		s.sentences[[2]int64{p.passage.Doc, int64(p.sentence)}] = true
		for n := range analysis.CandidateAnswers(p.text, kind, question, words) {
			s.names[n] = true
		}
	}
	return s
}

func (s *seenSentences) has(p knowledge.Passage, sentence int) bool {
	return s != nil && s.sentences[[2]int64{p.Doc, int64(sentence)}]
}

func (s *seenSentences) named(n string) bool { return s != nil && s.names[n] }

// newName reports whether sentence names a candidate answer not seen.
func (s *seenSentences) newName(sentence string, kind analysis.AnswerKind, question string, words map[string]bool) bool {
	if s == nil || len(s.names) == 0 {
		return true
	}
	for n := range analysis.CandidateAnswers(sentence, kind, question, words) {
		if !s.named(n) {
			return true
		}
	}
	return false
}

// sentenceFeatures are what selectSentences weighs in a sentence.
type sentenceFeatures struct {
	// Rank is the passage's place in the results (0 is the best); Prior
	// its score as a share of the best's.
	Rank  int
	Prior float64
	// Coverage is the share of the question's weight the sentence holds,
	// TitleCoverage what its headline adds.
	Coverage, TitleCoverage float64
	// Type is set when it holds the kind of answer asked for; Vote is the
	// best vote share (knowledge.Result.Votes) of a name it holds that its
	// headline does not.
	Type bool
	Vote float64
	// Index is the sentence's place in its passage.
	Index int
	// FollowUp is set for a follow-up without a subject of its own.
	FollowUp bool
	// PassageCoverage is the share of the question's weight the whole
	// passage holds, with its title.
	PassageCoverage float64
	// Runes is the sentence's length.
	Runes int
}

func (f sentenceFeatures) score() float64 {
	w := sentenceScoring.sentenceWeights
	s := w.Prior*f.Prior + w.Coverage*f.Coverage + w.TitleCoverage*f.TitleCoverage +
		w.PassageCoverage*f.PassageCoverage + w.Vote*f.Vote + w.Index*float64(min(f.Index, 10))/10 +
		w.Length*math.Log1p(float64(f.Runes))/6
	if f.Rank >= 1 && f.Rank <= len(w.Rank) {
		s += w.Rank[f.Rank-1]
	}
	if f.Type {
		t := w.Type
		if f.FollowUp {
			t *= followUpTypeWeight
		}
		s += t
	}
	if f.Index == 0 {
		s += w.Lead
	}
	return s
}

// candidateSentences scores the sentences of the passages relevant enough
// to answer from: cands hold a word of the question, next (no word of it)
// may only follow a chosen sentence.
// sameLanguage is the question's language when Detect is sure of it and
// some of the top passages are in it: then passages in other languages
// are not quoted (a French question about a jazz festival is answered
// from the French article, not from the Italian and Portuguese ones that
// share "festival" and "jazz" with it). "" otherwise: any language is
// quoted, as when only other languages' articles answer.
func sameLanguage(question string, top []knowledge.Passage) string {
	return sureLanguage(question, func(lang string) bool {
		return slices.ContainsFunc(top, func(p knowledge.Passage) bool { return p.Lang == lang })
	})
}

// sureLanguage is the question's language when Detect is sure of it and
// has says there is something in it to answer from; "" otherwise.
func sureLanguage(question string, has func(lang string) bool) string {
	if lang, sure := analysis.Detect(question); sure && has(lang) {
		return lang
	}
	return ""
}

func candidateSentences(question string, res *knowledge.Result, opt selectOptions) (cands, next []picked) {
	seen := opt.seen
	if res == nil || len(res.Passages) == 0 {
		return nil, nil
	}
	followUp := len(ownTerms(question)) == 0
	terms, need := res.Terms, sentenceScoring.MinCoverage
	if followUp {
		// The subject is the earlier question's: coverage is of its words,
		// a little more loosely, and the kind asked for decides.
		terms, need = subjectTerms(res.Terms), followUpCoverage
	}
	w, total := weights(terms)
	if total == 0 {
		return nil, nil
	}
	kind, words := questionKind(question), analysis.QuestionWords(question)
	why := kind == analysis.KindAny && asksWhy.MatchString(question)
	top := res.Passages[0].Score
	lang := sameLanguage(question, res.Passages[:min(len(res.Passages), sentenceScoring.Passages)])
	for i, p := range res.Passages {
		if i >= sentenceScoring.Passages {
			break
		}
		if lang != "" && p.Lang != "" && p.Lang != lang {
			continue
		}
		title := termSet(p.Title)
		passTerms := termSet(p.Text)
		for t := range title {
			passTerms[t] = true
		}
		pc := coverage(w, total, restrict(passTerms, w))
		if pc < need {
			continue
		}
		f := sentenceFeatures{Rank: i, FollowUp: followUp, PassageCoverage: pc}
		if top > 0 {
			f.Prior = p.Score / top
		}
		titleNames := analysis.CandidateAnswers(p.Title, kind, question, words)
		// The dateline goes before the text is split: "FORESTHILL,
		// Calif. (AP) — …" would otherwise leave "(AP) — …" a sentence.
		for j, s := range analysis.Sentences(parse.StripDateline(p.Text)) {
			if seen.has(p, j) {
				continue
			}
			st := restrict(termSet(s), w)
			f.Index, f.Runes = j, utf8.RuneCountInString(s)
			// Title words count a little: the sentence is read with its headline.
			f.Coverage = coverage(w, total, st)
			f.TitleCoverage = coverage(w, total, mergeSets(st, restrict(title, w))) - f.Coverage
			// A name the results vote for is likely the answer, unless it is
			// the passage's own topic (in its title). Places are left to
			// the type: the places a story names are mostly its setting,
			// repeated throughout, so votes for them measure the topic.
			f.Vote = 0
			if !kind.IsPlace() && !followUp { // a follow-up's votes are for the earlier question's kind
				for n := range analysis.CandidateAnswers(s, kind, question, words) {
					if !titleNames[n] && !seen.named(n) {
						f.Vote = max(f.Vote, res.Votes[n])
					}
				}
			}
			f.Type = kind != analysis.KindAny && analysis.HasKind(s, kind, question, words) && seen.newName(s, kind, question, words) ||
				why && reasonCue.MatchString(s)
			pk := picked{text: s, passage: p, score: f.score(), terms: st, features: f,
				sentence: j, answerish: f.Type || f.Vote >= answerVoteShare}
			if len(st) == 0 && !(opt.leans && f.Type) {
				// No word of the question: only as the sentence after a
				// chosen one — unless a follow-up asks for its kind ("how
				// much did she win?" is answered by "a prize of 120,000
				// dollars" in a passage about the subject).
				next = append(next, pk)
				continue
			}
			cands = append(cands, pk)
		}
	}
	return cands, next
}

// readingOrder sorts sentences in reading order within each passage, the
// passages in the order they first appear (best first).
func readingOrder(out []picked) {
	rank := map[int64]int{}
	for _, p := range out {
		if _, ok := rank[p.passage.Doc]; !ok {
			rank[p.passage.Doc] = len(rank)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if ri, rj := rank[out[i].passage.Doc], rank[out[j].passage.Doc]; ri != rj {
			return ri < rj
		}
		return out[i].sentence < out[j].sentence
	})
}

// subjectTerms returns the terms that are not followUpWords, or all of
// them when none is.
func subjectTerms(ts []knowledge.TermStat) []knowledge.TermStat {
	var out []knowledge.TermStat
	for _, t := range ts {
		if !followUpWords[t.Term] {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return ts
	}
	return out
}

func restrict(set map[string]bool, w map[string]float64) map[string]bool {
	out := map[string]bool{}
	for t := range set {
		if _, ok := w[t]; ok {
			out[t] = true
		}
	}
	return out
}

func mergeSets(a, b map[string]bool) map[string]bool {
	out := make(map[string]bool, len(a)+len(b))
	for t := range a {
		out[t] = true
	}
	for t := range b {
		out[t] = true
	}
	return out
}

// nearDuplicate reports whether c says the same as a sentence already in
// out (most of its words in common).
func nearDuplicate(c picked, out []picked) bool {
	ct := termSet(c.text)
	for _, o := range out {
		if jaccard(ct, termSet(o.text)) > 0.7 {
			return true
		}
	}
	return false
}

// templateSentence is what answer.tmpl gets for each quoted sentence.
type templateSentence struct {
	Text      string
	N         int
	Source    string
	Published time.Time
	// Date is Published in the answer's language, or for an undated
	// article the undated form ("date unknown, first seen 2 Dec 2026"),
	// as citations show it.
	Date string
	Lead bool
	// Headline is the article's headline, on the lead sentence of the
	// one article whose headline names what the question asks for and
	// the quotes do not (headlineFor), when there is no short answer;
	// "" otherwise.
	Headline string
	// Also names the other outlets carrying a digest line's story.
	Also []string
}

// renderTemplateAnswer numbers the passages of the chosen sentences in order
// of first use and renders answer.tmpl. Without a short answer, a
// headline that names what the question asks for may stand in for one
// (headlineFor).
func (b *Bot) renderTemplateAnswer(q Question, r *retrieval, short string) (string, []Citation, error) {
	sel := r.sel
	var cites []Citation
	byPassage := map[string]int{} // article id and paragraph
	var sents []templateSentence
	set := b.promptsFor(q)
	lastArticle := "\x00"
	for _, s := range sel {
		key := fmt.Sprintf("%s/%d", s.passage.ArticleID, s.passage.Paragraph)
		n, ok := byPassage[key]
		if !ok {
			n = len(cites) + 1
			byPassage[key] = n
			cites = append(cites, citationFor(n, s.passage, s.text))
		} else {
			c := &cites[n-1]
			c.Quote += " " + s.text
		}
		src := s.passage.Source
		// Each article's quotes are introduced by its outlet and date: two
		// articles of one outlet are two dates.
		date := citationDate(set, Citation{Published: s.passage.Published, FirstSeen: s.passage.FirstSeen}, b.location())
		sents = append(sents, templateSentence{Text: s.text, N: n, Source: src, Published: s.passage.Published, Date: date,
			Lead: s.passage.ArticleID != lastArticle, Also: s.also})
		lastArticle = s.passage.ArticleID
	}
	if !r.digest && short == "" {
		if i := headlineFor(q.Text, sel); i >= 0 {
			sents[i].Headline = clip(sel[i].passage.Title, maxHeadlineRunes)
		}
	}
	text, err := set.Render("answer.tmpl", answerData{Question: q.Text, Window: r.window.labelIn(set), Outside: r.outside, Digest: r.digest, Sentences: sents})
	if err != nil {
		return "", nil, err
	}
	return strings.TrimSpace(text), cites, nil
}

// headlineFor returns which of the chosen sentences (the first of its
// article) should show its article's headline: the first whose headline
// names something of the kind the question asks for that no quote names
// ("Lawyers: DOJ says Boeing won't be criminally liable …" over "… drop
// all criminal charges against the airliner"); -1 for none.
func headlineFor(question string, sel []picked) int {
	kind := questionKind(question)
	if kind == analysis.KindAny {
		return -1
	}
	words := analysis.QuestionWords(question)
	var quoted strings.Builder
	for _, s := range sel {
		quoted.WriteString(strings.ToLower(s.text))
		quoted.WriteByte(' ')
	}
	seen := map[string]bool{}
	for i, s := range sel {
		if seen[s.passage.ArticleID] {
			continue
		}
		seen[s.passage.ArticleID] = true
		if !analysis.HasKind(s.passage.Title, kind, question, words) {
			continue
		}
		for n := range analysis.CandidateAnswers(s.passage.Title, kind, question, words) {
			if !strings.Contains(quoted.String(), n) {
				return i
			}
		}
	}
	return -1
}

func citationFor(n int, p knowledge.Passage, quote string) Citation {
	c := Citation{
		N: n, ArticleID: p.ArticleID, Title: clip(p.Title, maxTitleRunes), Source: p.Source, Byline: p.Byline, URL: knowledge.DisplayURL(p.URL),
		Published: p.Published, Updated: p.Updated, FirstSeen: p.FirstSeen, Lang: p.Lang, Paragraph: p.Paragraph, Quote: quote, Text: p.Text,
	}
	for _, o := range p.AlsoIn {
		c.AlsoIn = append(c.AlsoIn, Copy{ArticleID: o.ArticleID, Title: o.Title, Source: o.Source, URL: knowledge.DisplayURL(o.URL), Published: o.Published, Paragraph: o.Paragraph})
	}
	return c
}

// sortHeadlines orders headlines newest first; undated ones last.
func sortHeadlines(hs []Headline) {
	sort.SliceStable(hs, func(i, j int) bool {
		a, b := hs[i].Published, hs[j].Published
		if a.IsZero() != b.IsZero() {
			return b.IsZero()
		}
		return a.After(b)
	})
}

// withNextSentences adds to out, while there is room, the sentence after
// each chosen one in its paragraph when it looks like it holds the answer:
// news sentences often name the thing asked about in one sentence and the
// answer in the next.
func withNextSentences(out, cands []picked, runes int) []picked {
	chosen := map[[2]int64]bool{}
	for _, c := range out {
		chosen[[2]int64{c.passage.Doc, int64(c.sentence)}] = true
	}
	for _, c := range append([]picked(nil), out...) {
		for _, n := range cands {
			if len(out) == maxSentences {
				return out
			}
			key := [2]int64{n.passage.Doc, int64(n.sentence)}
			if n.passage.Doc != c.passage.Doc || n.sentence != c.sentence+1 || chosen[key] || !n.answerish {
				continue
			}
			if runes+len([]rune(n.text)) > sentenceScoring.Budget || nearDuplicate(n, out) {
				continue
			}
			out = append(out, n)
			chosen[key] = true
			runes += len([]rune(n.text))
		}
	}
	return out
}
