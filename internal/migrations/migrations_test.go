package migrations

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadOrdersByVersion(t *testing.T) {
	fsys := fstest.MapFS{
		"m/0010_ten.sql":   {Data: []byte("ten")},
		"m/0002_two.sql":   {Data: []byte("two")},
		"m/0001_one.sql":   {Data: []byte("one")},
		"m/README.md":      {Data: []byte("not a migration")},
		"other/0003_x.sql": {Data: []byte("elsewhere")},
	}
	ms, err := Load(fsys, "m")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		got = append(got, m.Name+"="+m.SQL)
	}
	if want := "0001_one.sql=one 0002_two.sql=two 0010_ten.sql=ten"; strings.Join(got, " ") != want {
		t.Errorf("Load = %v, want %s", got, want)
	}
	if ms[2].Version != 10 {
		t.Errorf("version of 0010_ten.sql = %d, want 10", ms[2].Version)
	}
}

func TestLoadRefusesBadNames(t *testing.T) {
	for _, files := range [][]string{
		{"m/feeds.sql"},
		{"m/0000_zero.sql"},
		{"m/-1_neg.sql"},
		{"m/+2_plus.sql"},
		{"m/2feeds.sql"},
		{"m/0002_a.sql", "m/2_b.sql"},
	} {
		fsys := fstest.MapFS{}
		for _, f := range files {
			fsys[f] = &fstest.MapFile{Data: []byte("x")}
		}
		if ms, err := Load(fsys, "m"); err == nil {
			t.Errorf("Load(%v) = %v, want an error", files, ms)
		}
	}
}
