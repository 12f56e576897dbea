package analysis

import (
	"regexp"
	"strings"
)

// pastOf maps English irregular verbs to their simple past: the form the
// news writes where a question asks with "did" ("Who did Witkoff meet?" is
// answered by "Witkoff met …"). The stemmer joins regular forms ("play",
// "played") but not these.
var pastOf = func() map[string]string {
	m := map[string]string{}
	for _, pair := range strings.Fields(`
arise:arose awake:awoke bear:bore become:became begin:began bend:bent bite:bit
bleed:bled blow:blew break:broke breed:bred bring:brought build:built buy:bought
catch:caught choose:chose cling:clung come:came creep:crept deal:dealt dig:dug
draw:drew drink:drank drive:drove eat:ate fall:fell feed:fed feel:felt
fight:fought find:found flee:fled fling:flung fly:flew forbid:forbade
forget:forgot forgive:forgave freeze:froze get:got give:gave go:went grow:grew
hang:hung hear:heard hide:hid hold:held keep:kept kneel:knelt know:knew
lay:laid lead:led leave:left lend:lent light:lit lose:lost make:made mean:meant
meet:met overcome:overcame overtake:overtook pay:paid ride:rode ring:rang
rise:rose run:ran say:said see:saw seek:sought sell:sold send:sent shake:shook
shine:shone shoot:shot shrink:shrank sing:sang sink:sank sit:sat sleep:slept
slide:slid speak:spoke speed:sped spend:spent spin:spun stand:stood steal:stole
stick:stuck sting:stung strike:struck swear:swore sweep:swept swim:swam
swing:swung take:took teach:taught tear:tore tell:told think:thought
throw:threw undergo:underwent understand:understood undertake:undertook
wake:woke wear:wore weep:wept win:won withdraw:withdrew write:wrote`) {
		base, past, _ := strings.Cut(pair, ":")
		m[base] = past
	}
	return m
}()

// reDid matches "did" asking a question, not "did not"/"didn't" (a
// negation the news writes as it is).
var reDid = regexp.MustCompile(`(?i)\bdid\s+`)

// maxDidGap is how many words after "did" its verb may come ("did the
// Velvet Sundown, an AI band, go viral" still finds "go").
const maxDidGap = 8

// PastTense rewrites an English question asked with "did" and an
// irregular verb into the past form the news uses: "Who did Witkoff meet
// last week?" becomes "Who did Witkoff met last week?", so that its terms
// match "Witkoff met last week with …". "did" itself is a stop word; the
// verb is the first lower-case word of pastOf within maxDidGap words after
// it. Other questions are returned as they are.
func PastTense(question string) string {
	loc := reDid.FindStringIndex(question)
	if loc == nil {
		return question
	}
	rest := question[loc[1]:]
	if strings.HasPrefix(strings.ToLower(rest), "not ") {
		return question
	}
	words := 0
	for i := 0; i < len(rest) && words < maxDidGap; {
		for i < len(rest) && !isWordByte(rest[i]) {
			if rest[i] == '?' || rest[i] == '.' || rest[i] == '!' {
				return question
			}
			i++
		}
		j := i
		for j < len(rest) && isWordByte(rest[j]) {
			j++
		}
		if j == i {
			break
		}
		if past, ok := pastOf[rest[i:j]]; ok {
			at := loc[1] + i
			return question[:at] + past + question[loc[1]+j:]
		}
		words++
		i = j
	}
	return question
}

// isWordByte reports whether b is an ASCII letter or an apostrophe or
// hyphen inside a word.
func isWordByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || b == '\'' || b == '-'
}
