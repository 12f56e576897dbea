package analysis

import (
	"reflect"
	"testing"
)

func TestQuestionKind(t *testing.T) {
	tests := map[string]AnswerKind{
		"When will the ban take effect?":                     KindDate,
		"On what date did the talks begin?":                  KindDate,
		"How many people were injured?":                      KindNumber,
		"What percentage of the vote did the party receive?": KindPercent,
		"Which country declared a state of emergency?":       KindCountry,
		"Which European country hosted the summit?":          KindCountry,
		"Which US state passed the law?":                     KindState,
		"In which city did the water main break?":            KindCity,
		"Who won the election?":                              KindName,
		"Which company announced layoffs?":                   KindName,
		"Describe the mood in the stadium":                   KindAny,
		"Where were the talks held?":                         KindPlace,
		"and where were negotiations held?":                  KindPlace,
		"And when?":                                          KindDate,
	}
	for q, want := range tests {
		if got := QuestionKind(q); got != want {
			t.Errorf("QuestionKind(%q) = %v, want %v", q, got, want)
		}
	}
}

func TestGazetteer(t *testing.T) {
	text := "Leaders met in New York and Paris; the United Kingdom, the U.S. and new york's mayor (lower case) were there. Georgia sent no one."
	if got, want := cityNames.find(text), []string{"new york", "paris"}; !reflect.DeepEqual(got, want) {
		t.Errorf("cities = %q, want %q", got, want)
	}
	if got, want := countryNames.find(text), []string{"united kingdom", "u.s", "georgia"}; !reflect.DeepEqual(got, want) {
		t.Errorf("countries = %q, want %q", got, want)
	}
	if !HasKind(text, KindCountry, "Which country sent no one?", nil) {
		t.Error("HasKind(country) = false")
	}
	if HasKind("The talks were in Paris.", KindCountry, "Which country?", nil) {
		t.Error("a city counted as a country")
	}
	if HasKind("France and Spain agreed.", KindCountry, "Did France and Spain agree, and which country?", nil) {
		t.Error("countries named in the question counted as answers")
	}
	if HasKind("It happened in 2024.", KindNumber, "How many?", nil) || !HasKind("It cost 1,200 dollars.", KindNumber, "How much?", nil) {
		t.Error("a year counted as a count, or a count was missed")
	}
}
