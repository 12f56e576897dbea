package discord

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkSplitLongParagraph splits one paragraph without a sentence end
// (the feed text that once became 201 messages) of growing sizes: the time
// per byte must stay flat, the splitter is linear. Both the splitter alone
// and with the three-message cap are measured.
func BenchmarkSplitLongParagraph(b *testing.B) {
	for _, size := range []int{20_000, 200_000, 2_000_000, 20_000_000} {
		text := longParagraph(size)
		b.Run(fmt.Sprintf("all/%dKB", size/1000), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				splitText(text, maxContent, 0)
			}
		})
		b.Run(fmt.Sprintf("answer/%dKB", size/1000), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				splitText(cleanText(text), maxContent, maxMessages)
			}
		})
	}
}

// longParagraph is size bytes of words, links and citation markers with no
// sentence end and no line break.
func longParagraph(size int) string {
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		switch i % 50 {
		case 7:
			b.WriteString("[a linked phrase](https://example.com/a) ")
		case 23:
			b.WriteString("[1] [2] ")
		default:
			b.WriteString("word ")
		}
	}
	return b.String()[:size]
}
