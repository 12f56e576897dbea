package bot_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/testkit"
	"github.com/newsbot/newsbot/knowledge/ingest"
)

// scenarioTurn is one question of a scenario conversation and the texts
// its answer must hold.
type scenarioTurn struct {
	question string
	want     []string
}

// readScenarios reads testdata/scenarios/conversations.txt: blocks of
// "Q: …" lines, each followed by its "want: …" lines, separated by blank
// lines; "#" starts a comment.
func readScenarios(t *testing.T, path string) [][]scenarioTurn {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var convs [][]scenarioTurn
	var cur []scenarioTurn
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "#"):
		case line == "":
			if len(cur) > 0 {
				convs, cur = append(convs, cur), nil
			}
		case strings.HasPrefix(line, "Q: "):
			cur = append(cur, scenarioTurn{question: strings.TrimPrefix(line, "Q: ")})
		case strings.HasPrefix(line, "want: ") && len(cur) > 0:
			cur[len(cur)-1].want = append(cur[len(cur)-1].want, strings.TrimPrefix(line, "want: "))
		default:
			t.Fatalf("%s: unreadable line %q", path, line)
		}
	}
	if len(cur) > 0 {
		convs = append(convs, cur)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return convs
}

// Follow-ups in template mode keep their subject: two- and three-turn
// conversations over invented articles (and the sample's example), each
// answer checked for the text it must hold and all of them kept in a
// golden file.
func TestScenarioConversations(t *testing.T) {
	ctx := context.Background()
	s := testkit.SampleStore(t)
	// Stored as of a fixed day, before the sample (stored now): headlines
	// of one date are listed newest stored first, which must not depend
	// on whether the two ingests fall within one tick of the clock.
	in := &ingest.Ingester{Store: s, Now: testkit.SampleDay}
	sum, err := in.Ingest(ctx, []string{"testdata/scenarios/articles.jsonl"})
	if err != nil || sum.Added != 8 {
		t.Fatalf("ingest the scenario articles: %+v, %v", sum, err)
	}
	b := testkit.Bot(s, nil)
	convs := readScenarios(t, "testdata/scenarios/conversations.txt")
	if len(convs) < 10 {
		t.Fatalf("%d conversations, want at least ten", len(convs))
	}
	golden(t, "scenarios.golden", askScenarios(t, b, convs))
}

// Follow-ups in other languages keep their subject like English ones
// ("Warum?", "Quel jour ?"), and with no question before them ask for a
// subject in their own language (issue 12): conversations over the
// invented articles in nine languages, kept in a golden file.
func TestScenarioConversationsLangs(t *testing.T) {
	b := langsBot(t)
	convs := readScenarios(t, "testdata/scenarios/conversations-langs.txt")
	golden(t, "scenarios-langs.golden", askScenarios(t, b, convs))
}

// askScenarios asks each conversation of convs in template mode, checks
// each answer for the texts it must hold, and returns them all for a
// golden file.
func askScenarios(t *testing.T, b *bot.Bot, convs [][]scenarioTurn) string {
	t.Helper()
	ctx := context.Background()
	var out strings.Builder
	for i, conv := range convs {
		var history []string
		fmt.Fprintf(&out, "## conversation %d\n", i+1)
		for _, turn := range conv {
			a, err := b.Ask(ctx, bot.Question{Text: turn.question, History: history})
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&out, "Q: %s\nA: %s\n\n", turn.question, a.Text)
			for _, w := range turn.want {
				if !strings.Contains(a.Text, w) {
					t.Errorf("conversation %d, %q after %q: answer %q does not hold %q", i+1, turn.question, history, a.Text, w)
				}
			}
			history = append(history, turn.question)
		}
	}
	return out.String()
}
