package analysis

import (
	"reflect"
	"testing"
)

func TestTerms(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Who is travelling to Paris?", []string{"travel", "pari"}},
		{"Trump’s envoy met Vladimir Putin", []string{"trump", "envoy", "met", "vladimir", "putin"}},
		{"a 30-day halt on strikes", []string{"30", "day", "halt", "strike"}},
		{"The U.S. and the US and us", []string{"us", "us"}},
		{"$1,000 or 3.5 percent", []string{"1000", "3.5", "percent"}},
		{"Zelenskyy in Kraków and São Paulo", []string{"zelenskyy", "krakow", "sao", "paulo"}},
		{"NATO allies", []string{"nato", "alli"}},
		{"", nil},
	}
	for _, tt := range tests {
		got := Terms(tt.in, nil)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Terms(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func BenchmarkTerms(b *testing.B) {
	text := "Secretary of State Marco Rubio and Steve Witkoff, President Donald Trump’s special envoy, will travel to Paris this week for talks with European allies on U.S. efforts to negotiate a peace deal between Russia and Ukraine."
	b.SetBytes(int64(len(text)))
	var dst []string
	for b.Loop() {
		dst = Terms(text, dst[:0])
	}
}
