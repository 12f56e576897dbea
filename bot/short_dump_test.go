package bot

import (
	"context"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/newsbot/newsbot/knowledge/index"
)

// TestDumpShortSpans is a tool, not a test: with NEWSBOT_FIT_DB (a store
// holding the RealTime QA corpus) and NEWSBOT_FIT_OUT set, it writes, for
// each question, the kind asked for, the short answer given and the most
// weighted spans with their shares, labelled with whether they hold the
// answer, to study the short answers' misses (docs/quality.md).
func TestDumpShortSpans(t *testing.T) {
	ctx := context.Background()
	b, qs, enc := fitRun(t, &index.DefaultRanking)
	type span struct {
		Text   string    `json:"t"`
		Prob   float64   `json:"p"`
		Quoted bool      `json:"q"`
		Right  bool      `json:"y"`
		Docs   []float64 `json:"d"`
	}
	for _, q := range qs {
		d, _ := time.ParseInLocation("2006-01-02", q.Date, time.UTC)
		r, err := b.retrieve(ctx, Question{Text: q.Question, AsOf: d.Add(12 * time.Hour)}, b.passages())
		if err != nil {
			t.Fatal(err)
		}
		rec := map[string]any{"id": q.ID, "question": q.Question, "answer": q.Answer, "kind": int(shortKind(q.Question)),
			"common": asksCommonThing(thingNouns(typeWords(q.Question)))}
		if len(r.sel) == 0 || r.digest {
			enc.Encode(rec)
			continue
		}
		short := shortAnswer(q.Question, r.res, r.sel)
		rec["short"], rec["right"] = short, short != "" && fitHolds(short, q.Answer)
		cands, next := candidateSentences(q.Question, r.res, selectOptions{})
		sents := append(cands, next...)
		inSent, inSel := false, false
		for _, s := range sents {
			inSent = inSent || fitHolds(s.text, q.Answer)
		}
		for _, s := range r.sel {
			inSel = inSel || fitHolds(s.text, q.Answer)
		}
		rec["in_sentences"], rec["in_quoted"] = inSent, inSel
		if os.Getenv("NEWSBOT_FIT_SENTENCES") != "" {
			var texts []string
			for _, s := range sents {
				texts = append(texts, s.text)
			}
			rec["sentences"] = texts
		}
		quoted := map[[2]int64]bool{}
		for _, s := range r.sel {
			quoted[[2]int64{s.passage.Doc, int64(s.sentence)}] = true
		}
		votes, total := spanVotes(q.Question, shortKind(q.Question), sents, quoted)
		var spans []span
		for _, v := range votes {
			if v.prob > 0 && total > 0 {
				var docs []float64
				for _, p := range v.byDoc {
					docs = append(docs, p/total)
				}
				sort.Sort(sort.Reverse(sort.Float64Slice(docs)))
				spans = append(spans, span{v.text, v.prob / total, v.quoted, fitHolds(v.text, q.Answer), docs})
			}
		}
		sort.Slice(spans, func(i, j int) bool { return spans[i].Prob > spans[j].Prob })
		rec["spans"] = spans[:min(len(spans), 20)]
		enc.Encode(rec)
	}
}
