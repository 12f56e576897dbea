package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/knowledge/analysis"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/sqlite"
)

type fitQuestion struct {
	ID, Question, Answer, Date string
}

var fitSpaces = regexp.MustCompile(`\s+`)

func fitNorm(s string) string {
	s = strings.NewReplacer("\u2018", "'", "\u2019", "'", "\u201c", `"`, "\u201d", `"`).Replace(strings.ToLower(s))
	return strings.TrimSpace(fitSpaces.ReplaceAllString(s, " "))
}
func fitHolds(t, a string) bool {
	t = fitNorm(t)
	for _, x := range strings.Split(a, " | ") {
		if x = fitNorm(x); x != "" && strings.Contains(t, x) {
			return true
		}
	}
	return false
}

// fitRun opens what the dump tools below read and write: a bot over the
// store NEWSBOT_FIT_DB with ranking (nil: the default), the questions of
// NEWSBOT_FIT_QUESTIONS (the dev split by default), and an encoder to
// NEWSBOT_FIT_OUT, closed at the end of the test. It skips the test unless
// both NEWSBOT_FIT_DB and NEWSBOT_FIT_OUT are set.
func fitRun(t *testing.T, ranking *index.Ranking) (*Bot, []fitQuestion, *json.Encoder) {
	t.Helper()
	db, out := os.Getenv("NEWSBOT_FIT_DB"), os.Getenv("NEWSBOT_FIT_OUT")
	if db == "" || out == "" {
		t.Skip()
	}
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	qpath := os.Getenv("NEWSBOT_FIT_QUESTIONS")
	if qpath == "" {
		qpath = "../../shared/data/realtimeqa/questions-dev.jsonl"
	}
	data, err := os.ReadFile(qpath)
	if err != nil {
		t.Fatal(err)
	}
	var qs []fitQuestion
	for _, line := range bytes.Split(data, []byte("\n")) {
		var q fitQuestion
		if json.Unmarshal(line, &q) == nil {
			qs = append(qs, q)
		}
	}
	w, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return &Bot{Retriever: index.NewIndex(st, ranking), Library: st, Location: time.UTC}, qs, json.NewEncoder(w)
}

// TestDumpSentenceFeatures is a tool, not a test: with NEWSBOT_FIT_DB (a
// store holding the RealTime QA corpus) and NEWSBOT_FIT_OUT set, it writes
// the features of every candidate sentence of each dev question's top
// passages, labelled with whether it holds the answer, for
// scripts/fit-sentences.py to fit sentenceWeights from.
func TestDumpSentenceFeatures(t *testing.T) {
	ctx := context.Background()
	b, qs, enc := fitRun(t, nil)
	saved := sentenceScoring
	defer func() { sentenceScoring = saved }()
	sentenceScoring.Passages = 10
	sentenceScoring.MinCoverage = 0
	for _, q := range qs {
		d, _ := time.ParseInLocation("2006-01-02", q.Date, time.UTC)
		r, err := b.retrieve(ctx, Question{Text: q.Question, AsOf: d.Add(12 * time.Hour)}, 10)
		if err != nil {
			t.Fatal(err)
		}
		cands, next := candidateSentences(q.Question, r.res, selectOptions{})
		for _, c := range append(cands, next...) {
			enc.Encode(map[string]any{"q": q.ID, "f": c.features, "n": len([]rune(c.text)), "t": c.text, "title": c.passage.Title, "y": fitHolds(c.text, q.Answer), "found": len(r.sel) > 0, "doc": c.passage.Doc, "kind": analysis.QuestionKind(q.Question)})
		}
		if len(cands)+len(next) == 0 {
			enc.Encode(map[string]any{"q": q.ID, "none": true})
		}
	}
}
