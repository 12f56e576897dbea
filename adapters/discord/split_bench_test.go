package discord

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/bot"
)

// BenchmarkSplitLongParagraph splits one paragraph without a sentence end
// (the feed text that once became 201 messages) of growing sizes: the time
// per byte must stay flat, the splitter and the sanitiser are linear. The
// whole rendering of an answer (bounded to three messages) costs the same
// whatever the size.
func BenchmarkSplitLongParagraph(b *testing.B) {
	for _, size := range []int{20_000, 200_000, 2_000_000, 20_000_000} {
		text := longParagraph(size)
		b.Run(fmt.Sprintf("split/%dKB", size/1000), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			start, ok := cpuTime()
			for b.Loop() {
				splitText(text, maxContent, 0)
			}
			reportCPU(b, start, ok)
		})
		b.Run(fmt.Sprintf("clean/%dKB", size/1000), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			start, ok := cpuTime()
			for b.Loop() {
				cleanText(text)
			}
			reportCPU(b, start, ok)
		})
		b.Run(fmt.Sprintf("answer/%dKB", size/1000), func(b *testing.B) {
			a := &bot.Answer{Text: text}
			start, ok := cpuTime()
			for b.Loop() {
				renderAnswer(a)
			}
			reportCPU(b, start, ok)
		})
	}
}

// reportCPU reports the process's CPU time per operation since start
// (cpu-ns/op), steadier than ns/op when other work shares the machine.
func reportCPU(b *testing.B, start time.Duration, ok bool) {
	if end, ok2 := cpuTime(); ok && ok2 && b.N > 0 {
		b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
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
