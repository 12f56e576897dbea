package index

import (
	"math/rand"
	"strings"
	"testing"
)

// syntheticLists are first-stage lists in which the passage holding the
// answer is never ranked first, but is the one with a candidate answer
// (featNames); featFresh is noise.
func syntheticLists(n int, seed int64) []RerankList {
	rng := rand.New(rand.NewSource(seed))
	lists := make([]RerankList, n)
	for i := range lists {
		l := RerankList{feats: make([]features, 10), Relevant: make([]bool, 10)}
		answer := 1 + rng.Intn(9)
		for j := range l.feats {
			l.feats[j].score = 1 - 0.05*float64(j)
			l.feats[j].f[featFresh] = rng.Float64()
		}
		l.feats[answer].f[featNames] = 1
		l.Relevant[answer] = true
		lists[i] = l
	}
	return lists
}

func TestFitRerankLearnsTheFeatureThatMarksAnswers(t *testing.T) {
	lists := syntheticLists(60, 1)
	none := DefaultRanking.withFeatureWeights([nFeatures]float64{})
	if got := RerankRecall(lists, none, 1); got != 0 {
		t.Fatalf("recall@1 without re-ranking = %v, want 0 (the answer is never first)", got)
	}
	fitted := FitRerank(lists, none)
	if fitted.NamesWeight <= 1 {
		t.Errorf("NamesWeight = %v, want well above the first-stage spread (0.45)", fitted.NamesWeight)
	}
	if fitted.NamesWeight < 5*max(fitted.FreshWeight, -fitted.FreshWeight) {
		t.Errorf("the noise feature got weight %v against %v", fitted.FreshWeight, fitted.NamesWeight)
	}
	if got := RerankRecall(lists, fitted, 1); got != 1 {
		t.Errorf("recall@1 with fitted weights = %v, want 1", got)
	}
	if again := FitRerank(lists, none); again != fitted {
		t.Errorf("fitting is not deterministic: %+v then %+v", fitted, again)
	}
	// Fields outside the re-ranking weights are kept.
	if fitted.K1 != DefaultRanking.K1 || fitted.RerankDepth != DefaultRanking.RerankDepth {
		t.Errorf("fitting changed the first stage: %+v", fitted)
	}
	given, cv := CrossValidateRerank(lists, none, 1, 2)
	if given != 0 || cv != 1 {
		t.Errorf("cross-validated recall@1 = %v given, %v fitted; want 0 and 1", given, cv)
	}
	// Lists without an answer neither move the fit nor break it.
	empty := append(syntheticLists(5, 2), RerankList{}, RerankList{feats: make([]features, 3), Relevant: make([]bool, 3)})
	if got := FitRerank(empty[len(empty)-2:], none); got != none {
		t.Errorf("fit to lists without answers = %+v, want the ranking unchanged", got)
	}
}

func TestReadRanking(t *testing.T) {
	r, err := ReadRanking(strings.NewReader(`{"TypeWeight": 2, "RerankDepth": 30}`))
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultRanking
	want.TypeWeight, want.RerankDepth = 2, 30
	if r != want {
		t.Errorf("ReadRanking = %+v, want the defaults with two fields changed", r)
	}
	if _, err := ReadRanking(strings.NewReader(`{"TypeWieght": 2}`)); err == nil || !strings.Contains(err.Error(), "TypeWieght") {
		t.Errorf("a misspelt field: err = %v, want it named", err)
	}
	if _, err := ReadRanking(strings.NewReader(`{"TypeWeight": `)); err == nil {
		t.Error("truncated JSON read without error")
	}
}
