package jsonout

import (
	"bytes"
	"testing"
)

func TestWrite(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, map[string]string{"q": "<a & b>"}); err != nil || b.String() != "{\"q\":\"<a & b>\"}\n" {
		t.Errorf("Write = %q, %v", b.String(), err)
	}
	b.Reset()
	if err := WriteIndented(&b, []int{1}); err != nil || b.String() != "[\n  1\n]\n" {
		t.Errorf("WriteIndented = %q, %v", b.String(), err)
	}
}
