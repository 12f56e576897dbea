package repl

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// Every field of the JSON that `ask`, `search` and `latest` print is
// documented in docs/json.md, as `name` or "name".
func TestJSONFieldsAreDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "json.md"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(ty reflect.Type) {
		for ty.Kind() == reflect.Pointer || ty.Kind() == reflect.Slice {
			ty = ty.Elem()
		}
		if ty.Kind() != reflect.Struct || seen[ty] {
			return
		}
		seen[ty] = true
		for i := range ty.NumField() {
			f := ty.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				walk(f.Type) // embedded
				continue
			}
			if !strings.Contains(string(doc), "`"+name+"`") && !strings.Contains(string(doc), `"`+name+`"`) {
				t.Errorf("docs/json.md does not document %s.%s (%q)", ty.Name(), f.Name, name)
			}
			walk(f.Type)
		}
	}
	for _, v := range []any{AnswerJSON{}, BatchAnswerJSON{}, BatchResultJSON{}, SearchJSON{}, HeadlineJSON{}} {
		walk(reflect.TypeOf(v))
	}
	if len(seen) < 8 {
		t.Errorf("walked %d types; the JSON types were not found", len(seen))
	}
}
