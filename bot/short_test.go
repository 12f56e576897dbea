package bot

import (
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/analysis"
)

func spanTexts(ss []answerSpan) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.text)
	}
	return out
}

func TestNameSpans(t *testing.T) {
	for _, c := range []struct {
		question, sentence string
		want               []string
	}{
		{"Which Russian leader did Witkoff meet?", "Witkoff met last week with President Vladimir Putin in Moscow.",
			[]string{"President Vladimir Putin", "Moscow"}},
		// Words of the question before the name are its context.
		{"Who is the White House chief of staff?", "White House Chief of Staff Susie Wiles has been diagnosed with breast cancer.",
			[]string{"Susie Wiles"}},
		// A name of the question's topic is no answer.
		{"Which company did Elon Musk's DOGE visit?", "Elon Musk said DOGE visited Boeing.", []string{"Boeing"}},
		// Sentence starts, datelines, photo credits and agencies are no names.
		{"Which site did Israeli troops occupy?", "However, troops took Beaufort Castle, Reuters reported.", []string{"Beaufort Castle"}},
		{"Which city?", "WASHINGTON – Officials in Memphis said.", []string{"Memphis"}},
		{"Which team won?", "Kim Hong-ji/Reuters Though the Panthers won, fans left.", []string{"Panthers"}},
		// The kind asked for may stand in the answer; abbreviations do not end it.
		{"Which US university announced the ban?", "The University of Pennsylvania said on Tuesday it would comply.",
			[]string{"University of Pennsylvania"}},
		{"Which holiday coincided with it?", "It fell on Martin Luther King Jr. Day this year.", []string{"Martin Luther King Jr. Day"}},
		// Months end no name; "and" joins two.
		{"Who played with Beyoncé?", "Beyoncé played Paris June 19 with Jay-Z and Blue Ivy.", []string{"Paris", "Jay-Z", "Blue Ivy"}},
		// A name of the question's words only is no answer, although they
		// name the kind asked for.
		{"Which Sesame Street character's account was hacked?", "Sesame Street said Elmo was hacked.", []string{"Elmo"}},
		{"A remake of which Disney animation opened?", "Disney Animation remade Lilo & Stitch.", []string{"Lilo & Stitch"}},
		// A word repeated starts a new name: no span is a run of the same
		// word or stem.
		{"Which venue hosted the final?", "The Paris Olympics Olympic Village and Maria Lopez Maria Lopez's team.",
			[]string{"Paris Olympics", "Olympic Village", "Maria Lopez", "Maria Lopez"}},
		// A possessive ends the name; a common noun's stands inside one.
		{"Which newspaper settled?", "Harry sued Rupert Murdoch's UK newspaper group before the Women's World Cup.",
			[]string{"Harry", "Rupert Murdoch", "Women's World Cup"}},
		// A capitalised "The" inside a run starts another name (a live
		// blog's byline before it); a stock's code is no name.
		{"Which festival is on?", "Kate Franco The Coachella Valley Music and Arts Festival opened; Meta Platforms META.O sued.",
			[]string{"Kate Franco", "The Coachella Valley Music", "Arts Festival", "Meta Platforms"}},
		// A hyphenated description before a name is not the name.
		{"Which brand lost its founder?", "London-based Unilever and Oscar-winner Jane Doe spoke; Rolls-Royce did not.",
			[]string{"Unilever", "Jane Doe", "Rolls-Royce"}},
		// After a photo credit the credit's end and the caption's subject
		// run together: no span unless one word is left.
		{"Which government fell?", "Simon Dawson/No10 Downing Street Johnson speaks. Ann Lee/AP Johnson waves.", []string{"Johnson"}},
	} {
		got := spanTexts(nameSpans(c.sentence, analysis.QuestionWords(c.question), typeWords(c.question), nil))
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q in %q: spans %q, want %q", c.question, c.sentence, got, c.want)
		}
	}
}

func TestNounSpans(t *testing.T) {
	for _, c := range []struct {
		question, sentence string
		want               []string
	}{
		// The words right before the type noun, two at most.
		{"Which type of outbreak was linked to recalled pasta?", "A multi-state listeria outbreak linked to pasta sickened two.",
			[]string{"multi-state listeria"}},
		{"NFL owners decided not to ban which controversial play?", "The owners voted not to ban the tush push play.",
			[]string{"tush push"}},
		// An apposition naming the kind.
		{"Which virus was linked to the cruise ship deaths?", "Officials suspect an outbreak of hantavirus, a rare but potentially deadly virus, after three died.",
			[]string{"hantavirus"}},
		{"Which natural phenomenon lit up the sky?", "The northern lights, a natural phenomenon, can be seen tonight.",
			[]string{"northern lights"}},
		// Adjectives, capitalised words and the question's words are no
		// thing: "respiratory infection", "Texas outbreak", "pasta outbreak".
		{"What type of infection did the pope have?", "He had a respiratory infection, a Texas outbreak and a pasta outbreak.", nil},
	} {
		got := spanTexts(nounSpans(c.sentence, analysis.QuestionWords(c.question), thingNouns(typeWords(c.question))))
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q in %q: spans %q, want %q", c.question, c.sentence, got, c.want)
		}
	}
	// "What type of" asks for a kind of thing, named in lower case
	// whatever the thing.
	q := "What type of nest was found at the site?"
	if got := spanTexts(spansOf("Workers in Iran found a wasp nest at the site.", q, shortKind(q), analysis.QuestionWords(q),
		typeWords(q), thingNouns(typeWords(q)), nil)); !slices.Contains(got, "wasp") {
		t.Errorf("type of nest: spans %q, want wasp among them", got)
	}
	// Questions naming no thing of the kind take no noun spans.
	if asksCommonThing(thingNouns(typeWords("Which company bought it?"))) {
		t.Error("which company asks for a common thing")
	}
}

func TestNumberAndDateSpans(t *testing.T) {
	q := "How many countries does the ban cover?"
	s := "On Feb. 14 at 7:02 a.m. it covered 12 countries and limited visits from seven more, at a cost of $5,000 million."
	got := numberSpans(s, q, analysis.QuestionWords(q))
	want := []answerSpan{{key: "12 countries", text: "12 countries", at: strings.Index(s, "12"), unit: true},
		{key: "7", text: "7", at: strings.Index(s, "seven")}}
	if !reflect.DeepEqual(got, want) { // a sum of money counts no countries
		t.Errorf("numberSpans = %+v, want %+v", got, want)
	}
	for _, c := range []struct {
		question, sentence string
		want               []string
	}{
		// "How long" takes a number with its unit, which it reads.
		{"How long did the federal government shutdown last?", "It affected about 750,000 federal employees and lasted 43 days, or 6 weeks.",
			[]string{"43 days", "6 weeks"}},
		{"How long is the ban?", "A five-year ban for 12 people.", []string{"5-year"}},
		// A count takes the noun counted, not another word of the question
		// ("federal"), nor a sum of money, a number joined to another
		// noun, a name's number, a ratio or "one" with no unit.
		{"How many federal workers were furloughed?", "About 750,000 federal workers, 1-cent coins and $5 million.", []string{"750,000 federal workers"}},
		{"How many of the one-cent coins are in circulation?", "There are 114 billion coins of the 1-cent coin.", []string{"114 billion coins"}},
		{"How many teams play?", "It was a highly anticipated one: COVID-19 hit one in seven of 48 teams.", []string{"48 teams"}},
		{"What is the number of federal workers?", "About 750,000 federal workers.", []string{"750,000"}},
	} {
		if got := spanTexts(numberSpans(c.sentence, c.question, analysis.QuestionWords(c.question))); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q in %q: numberSpans %q, want %q", c.question, c.sentence, got, c.want)
		}
	}
	if got := spanTexts(dateSpans("On July 4, 1776, the Declaration was adopted; it was read on Monday.", "When was it adopted?")); !reflect.DeepEqual(got, []string{"July 4, 1776", "Monday"}) {
		t.Errorf("dateSpans = %q", got)
	}
	if got := spanTexts(dateSpans("Born after 2008, not in 2030.", "People born after which year? In 2030?")); !reflect.DeepEqual(got, []string{"2008"}) {
		t.Errorf("year spans = %q", got)
	}
}

func TestShortKind(t *testing.T) {
	for q, want := range map[string]analysis.AnswerKind{
		"In which South Korean city did police raid the residence?": analysis.KindCity,
		"Which European country elected a pilot?":                   analysis.KindCountry,
		"Which virus has been linked to the outbreak?":              analysis.KindName,
		"What's new?":                                                        analysis.KindAny,
		"What do you think about the talks?":                                 analysis.KindAny,
		"Why did the talks fail?":                                            analysis.KindAny,
		"How many moons does Saturn have?":                                   analysis.KindNumber,
		"What will Rubio discuss in Paris?":                                  analysis.KindAny,
		"What is the filing deadline for most US taxpayers?":                 analysis.KindDate,
		"Trump promised checks in which of the following amounts?":           analysis.KindNumber,
		"What is the name of the storm system slowly churning in the ocean?": analysis.KindName,
		"Many cities announced bans on doing what in public?":                analysis.KindAny,
	} {
		if got := shortKind(q); got != want {
			t.Errorf("shortKind(%q) = %v, want %v", q, got, want)
		}
	}
}

func TestAsksPerson(t *testing.T) {
	for q, want := range map[string]bool{
		"Who won the primary?":                               true,
		"Which music superstar played the concert?":          true,
		"She closed the tour with which special guest?":      true,
		"Which network is taking the show off the air?":      false,
		"Which company is led by a former actor?":            false, // the kind ends at its verb
		"Which country slapped tariffs on American imports?": false,
	} {
		if got := asksPerson(q); got != want {
			t.Errorf("asksPerson(%q) = %v, want %v", q, got, want)
		}
	}
}

func TestTypeWords(t *testing.T) {
	for q, want := range map[string][]string{
		"Which US university announced the ban?":                      {"us", "university"},
		"Which natural phenomenon lit up the sky?":                    {"natural", "phenomenon"},
		"Which retired general won?":                                  {"retired", "general"},
		"Which dog breed won?":                                        {"dog", "breed"},
		"What is the name of the storm system churning?":              {"is", "the", "name", "storm", "system"},
		"Which type of dog breed won?":                                {"type", "of", "dog", "breed"},
		"Who knows the name of the game?":                             nil, // no "which" or "what": no kind asked for
		"What was the name of the giant schnauzer that won the show?": {"was", "the", "name", "giant", "schnauzer"},
	} {
		got := slices.Sorted(maps.Keys(typeWords(q)))
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("typeWords(%q) = %q, want %q", q, got, want)
		}
	}
}

// The sentences' weight decides among the spans, a surname counts for the
// full name, and the next span's share is kept for the margin.
func TestBestSpan(t *testing.T) {
	p := func(doc int64, score float64, text string) picked {
		return picked{text: text, score: score, passage: knowledge.Passage{Doc: doc}}
	}
	q := "Who became the first player to score 50,000 points?"
	sents := []picked{
		p(1, 2, "Lakers star LeBron James became the first player to score 50,000 points on Sunday."),
		p(2, 1, "James thanked Anthony Davis after the game."),
		p(3, 0, "Stephen Curry scored 40 points."),
	}
	best, ok := bestSpan(q, shortKind(q), sents, map[[2]int64]bool{{1, 0}: true})
	if !ok || best.text != "LeBron James" || !best.quoted || best.prob < 0.5 || best.runnerUp >= best.prob {
		t.Errorf("bestSpan = %+v, %v; want LeBron James, quoted, most probable", best, ok)
	}
	if len(best.byDoc) != 2 { // "James" of the second paragraph counts for LeBron James
		t.Errorf("LeBron James held by %d paragraphs, want 2", len(best.byDoc))
	}
	if _, ok := bestSpan(q, shortKind(q), []picked{p(1, 0, "nothing capitalised here.")}, nil); ok {
		t.Error("a span found where there is none")
	}
}

// The same votes always merge the same way, whatever the map's order: a
// surname goes to the holder with more votes of two as long, and a chain
// of holders ends in the longest.
func TestMergeContainedIsDeterministic(t *testing.T) {
	for range 50 {
		votes := map[string]*spanVote{
			"southwest": {text: "Southwest", prob: 0.5}, "stronger southwest": {text: "Stronger Southwest", prob: 0.1},
			"southwest airlines": {text: "Southwest Airlines", prob: 0.3},
			"james":              {text: "James", prob: 0.2}, "lebron james": {text: "LeBron James", prob: 0.3}, "lebron james jr": {text: "LeBron James Jr", prob: 0.1},
		}
		mergeContained(votes)
		got := map[string]float64{}
		for k, v := range votes {
			if v.prob > 0 {
				got[k] = math.Round(v.prob*100) / 100
			}
		}
		want := map[string]float64{"stronger southwest": 0.1, "southwest airlines": 0.8, "lebron james jr": 0.6}
		if !maps.Equal(got, want) {
			t.Fatalf("merged votes %v, want %v", got, want)
		}
	}
}

// A lone capitalised word at a sentence's start is a name only if the
// sentences capitalise it elsewhere; a count with its unit reads as
// written; "one-cent" is no count.
func TestSpanShapes(t *testing.T) {
	seen := lowerWords([]string{"Stargazers saw it. Officials at Starbucks said so.", "Starbucks opened."})
	if got := spanTexts(nameSpans("Stargazers cheered as Starbucks opened.", nil, nil, seen)); !reflect.DeepEqual(got, []string{"Starbucks"}) {
		t.Errorf("sentence-start word: spans %q", got)
	}
	if got := spanTexts(nameSpans("Starbucks opened.", nil, nil, seen)); !reflect.DeepEqual(got, []string{"Starbucks"}) {
		t.Errorf("name at the start: spans %q", got)
	}
	// Persons are not organisations, whatever their first or last word.
	if got := spanTexts(personSpans(nameSpans("The Department of Health and Augusta National Golf Club hosted Scottie Scheffler.",
		nil, nil, nil))); !reflect.DeepEqual(got, []string{"Scottie Scheffler"}) {
		t.Errorf("personSpans = %q", got)
	}
	// "U.S." keeps its last dot; "Chapter 11" is no name.
	if got := spanTexts(placeSpans("He was flown to the U.S. on Saturday.", "Where was he taken?", analysis.KindPlace, nil)); !reflect.DeepEqual(got, []string{"U.S."}) {
		t.Errorf("placeSpans = %q", got)
	}
	// A dateline's capitals read as the place is written.
	if got := spanTexts(placeSpans("EL PASO, Texas — The airspace closed.", "Which Texas city?", analysis.KindCity, nil)); !reflect.DeepEqual(got, []string{"El Paso"}) {
		t.Errorf("placeSpans = %q", got)
	}
	if got := spanTexts(nameSpans("It filed for Chapter 11 bankruptcy.", nil, nil, nil)); got != nil {
		t.Errorf("Chapter: spans %q", got)
	}
	q := "For how many years is she barred?"
	if got := spanTexts(numberSpans("She was given a five-year ban and one-cent fines, one of many.", q, analysis.QuestionWords(q))); !reflect.DeepEqual(got, []string{"5-year"}) {
		t.Errorf("numberSpans = %q, want 5-year", got)
	}
}

// A name the sentences always write with "'s" keeps it; quoted titles
// answer "which show"; a country the question names otherwise is no
// answer; a titled person answers no "which party".
func TestSpanVotes(t *testing.T) {
	p := func(doc int64, score float64, text string) picked {
		return picked{text: text, score: score, passage: knowledge.Passage{Doc: doc}}
	}
	best := func(q string, sents ...picked) string {
		b, _ := bestSpan(q, shortKind(q), sents, nil)
		return b.text
	}
	if got := best("Which ice cream brand lost its co-founder?", p(1, 1, "Ben & Jerry's co-founder Jerry Greenfield quit."),
		p(2, 0, "The owner of Ben & Jerry's, Unilever, said so.")); got != "Ben & Jerry's" {
		t.Errorf("possessive name: %q", got)
	}
	if got := best("Which hit show did The Testaments follow?", p(1, 1, "It follows “The Handmaid's Tale” on Hulu.")); got != "The Handmaid's Tale" {
		t.Errorf("quoted title: %q", got)
	}
	if got := best("Which country put tariffs on American imports?", p(1, 1, "Canada put tariffs on U.S. imports.")); got != "Canada" {
		t.Errorf("country named otherwise: %q", got)
	}
	if got := best("Which party won the election?", p(1, 1, "Prime Minister Mark Carney led the Liberal Party to victory.")); got != "Liberal Party" {
		t.Errorf("titled person for a party: %q", got)
	}
	// A title inside a name marks a person too, and the name titled once
	// is a person where it stands alone.
	if got := best("Which wireless carrier was fined?", p(1, 0, "FCC Chairwoman Jessica Rosenworcel spoke about it."),
		p(2, 1, "Rosenworcel said Verizon was fined.")); got != "Verizon" {
		t.Errorf("titled person for a carrier: %q", got)
	}
	// Lower-case titles before or after a name, and an age, mark a person
	// too; a title after a company's name is not the company's.
	for sent, want := range map[string][]string{
		"eBay founder Pierre Omidyar and venture capitalist Vinod Khosla backed Nestlé CEO talks.": {"Nestlé"},
		"Paula Kerger, president and CEO of PBS, thanked Netflix, the streaming service.":          {"Netflix"},
		"Laurent Freixe, 63, left Nestlé, whose chief executive he was.":                           {"Nestlé"},
	} {
		spans, _ := thingSpans(sent, spansOf(sent, "Which company bid?", analysis.KindName, nil, nil, nil, nil))
		if got := spanTexts(spans); !reflect.DeepEqual(got, want) {
			t.Errorf("thingSpans(%q) = %q, want %q", sent, got, want)
		}
	}
	// A tally of what someone has won is no answer to who won.
	if got := best("Who won the Super Bowl?", p(1, 1, "The Kansas City Chiefs have won four Super Bowls since 1970."),
		p(2, 0, "The Philadelphia Eagles won the Super Bowl on Sunday.")); got != "Philadelphia Eagles" {
		t.Errorf("a tally for who won: %q", got)
	}
	const sent = "FCC Chairwoman Jessica Rosenworcel met Former Acme CEO Bo Tran and State Farm."
	spans, people := thingSpans(sent, spansOf(sent, "Which wireless carrier was fined?", analysis.KindName, nil, nil, nil, nil))
	if got := spanTexts(spans); !reflect.DeepEqual(got, []string{"FCC", "Acme", "State Farm"}) || !reflect.DeepEqual(people, []string{"jessica rosenworcel", "bo tran"}) {
		t.Errorf("thingSpans = %q, people %q", got, people)
	}
	if got := best("Which party won the election?", p(1, 2, "Carney led the party to victory, it said."),
		p(2, 0, "Prime Minister Mark Carney and the Liberal Party won.")); got != "Liberal Party" {
		t.Errorf("a titled person's surname for a party: %q", got)
	}
}

func TestDidSubjectsAndCoSubjects(t *testing.T) {
	for q, want := range map[string]string{
		"Who did Witkoff meet last week?":       "witkoff",
		"Which leader did Donald Trump call?":   "donald trump",
		"Whom did the Chiefs beat?":             "",
		"Who met Witkoff?":                      "",
		"What did Moscow and Kyiv agree to?":    "moscow",
		"Which Russian leader did Witkoff see?": "witkoff",
	} {
		var got []string
		for w := range didSubjects(q) {
			got = append(got, w)
		}
		slices.Sort(got)
		if g := strings.Join(got, " "); g != want {
			t.Errorf("didSubjects(%q) = %q, want %q", q, g, want)
		}
	}
	subjects := map[string]bool{"witkoff": true}
	for _, tt := range []struct {
		sentence, span string
		want           bool
	}{
		{"Secretary of State Marco Rubio and Steve Witkoff will travel to Paris.", "Marco Rubio", true},
		{"Rubio and Witkoff have helped lead U.S. efforts.", "Rubio", true},
		{"Witkoff, Rubio and Vance flew in.", "Rubio", true},
		{"Witkoff met with Rubio.", "Rubio", false},
		{"Witkoff met last week with Russian President Vladimir Putin.", "Vladimir Putin", false},
		{"Rubio said on Monday that Witkoff would go.", "Rubio", false},
	} {
		sp := answerSpan{text: tt.span, at: strings.Index(tt.sentence, tt.span)}
		if got := coSubject(tt.sentence, sp, subjects); got != tt.want {
			t.Errorf("coSubject(%q, %q) = %v, want %v", tt.sentence, tt.span, got, tt.want)
		}
	}
}
