package bot

import (
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsbot/newsbot/knowledge"
)

// FuzzShortSpans: any question and passage sentences (a stranger's and a
// feed's text, valid UTF-8 as CleanQuestion and ingest make them) give spans that are valid UTF-8, non-empty, at most
// maxShortWords words, placed inside their sentence, and a best span whose
// share is a probability no smaller than the next one's.
func FuzzShortSpans(f *testing.F) {
	f.Add("Who became the first player to score 50,000 points?", "Lakers star LeBron James became the first player to score 50,000 points on Sunday.", "James thanked Anthony Davis.")
	f.Add("How many countries does the ban cover?", "On Feb. 14 at 7:02 a.m. it covered 12 countries and seven more.", "$5,000 million")
	f.Add("When was it adopted?", "On July 4, 1776, the Declaration was adopted.", "WASHINGTON – Officials in Memphis said.")
	f.Add("Which film topped the box office?", "“A Minecraft Movie” beat \"Sinners\" and “", "\"Out of many, one\" is the motto of “The Handmaid’s Tale”.")
	f.Add("In which South Korean city did police raid?", "Kim Hong-ji/Reuters Though the Panthers won in Seoul, fans left.", "’s ' — – /")
	f.Add("Which type of outbreak was linked to pasta?", "A multi-state listeria outbreak was linked to pasta.", "Hantavirus, a rare but deadly virus, a , the outbreak")
	f.Add("Who did Witkoff meet last week?", "Secretary of State Marco Rubio and Steve Witkoff will travel.", "Witkoff met last week with Russian President Vladimir Putin.")
	f.Add("Which leader did Ⱥ Witkoff call?", "Witkoff, Rubio & Ⱥ", "and Witkoff")
	f.Fuzz(func(t *testing.T, question, s1, s2 string) {
		if !utf8.ValidString(question) || !utf8.ValidString(s1) || !utf8.ValidString(s2) {
			return // CleanQuestion and ingest hand the bot valid UTF-8 only
		}
		kind := shortKind(question)
		sents := []picked{{text: s1, score: 1, passage: knowledge.Passage{Doc: 1}}, {text: s2, score: 0, passage: knowledge.Passage{Doc: 2}}}
		qwords, allowed := map[string]bool{}, typeWords(question)
		for _, s := range sents {
			for _, sp := range spansOf(s.text, question, kind, qwords, allowed, thingNouns(allowed), nil) {
				if sp.text == "" || !utf8.ValidString(sp.text) || len(strings.Fields(sp.text)) > maxShortWords {
					t.Fatalf("bad span %+v of %q", sp, s.text)
				}
				if sp.at < -1 || sp.at > len(s.text) {
					t.Fatalf("span %+v placed outside %q", sp, s.text)
				}
			}
		}
		best, ok := bestSpan(question, kind, sents, map[[2]int64]bool{{1, 0}: true})
		if !ok {
			return
		}
		if math.IsNaN(best.prob) || best.prob < 0 || best.prob > 1+1e-9 || best.runnerUp > best.prob+1e-9 {
			t.Fatalf("best span %+v: share out of range", best)
		}
		if !utf8.ValidString(best.text) {
			t.Fatalf("best span %q is not valid UTF-8", best.text)
		}
	})
}
