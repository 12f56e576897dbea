package analysis

import (
	"reflect"
	"testing"
)

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"One. Two! Three?", []string{"One.", "Two!", "Three?"}},
		{"Sen. Jane Doe met U.S. officials. They talked.", []string{"Sen. Jane Doe met U.S. officials.", "They talked."}},
		{"John F. Kennedy spoke. It was 3.5 percent.", []string{"John F. Kennedy spoke.", "It was 3.5 percent."}},
		{"“We will go,” she said. “Now.” He left.", []string{"“We will go,” she said.", "“Now.”", "He left."}},
		{"It rose to 4.2 million. prices fell", []string{"It rose to 4.2 million. prices fell"}},
		{"No terminal punctuation", []string{"No terminal punctuation"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := Sentences(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Sentences(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
