// Package migrations reads a store's schema migrations from SQL files, as
// knowledge/sqlite and knowledge/postgres embed them: one file per schema
// version, named NNNN_what.sql (0002_feeds.sql is version 2), applied in
// ascending order of version.
package migrations

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Migration is one schema version.
type Migration struct {
	Version int    // from the file name's leading digits, at least 1
	Name    string // the file name
	SQL     string // the file's content, run as it is
}

// Load returns the migrations of the *.sql files in dir of fsys, by
// ascending version. A file whose name does not start with a version
// followed by "_", or two files of the same version, is an error naming
// the file.
func Load(fsys fs.FS, dir string) ([]Migration, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.sql"))
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	var out []Migration
	seen := map[int]string{}
	for _, name := range names {
		base := path.Base(name)
		digits, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(digits)
		if !ok || err != nil || v < 1 || strings.TrimLeft(digits, "0123456789") != "" {
			return nil, fmt.Errorf("load migrations: %s: want a name like 0002_feeds.sql", name)
		}
		if other, dup := seen[v]; dup {
			return nil, fmt.Errorf("load migrations: %s and %s are both version %d", other, base, v)
		}
		seen[v] = base
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("load migrations: %w", err)
		}
		out = append(out, Migration{Version: v, Name: base, SQL: string(data)})
	}
	slices.SortFunc(out, func(a, b Migration) int { return a.Version - b.Version })
	return out, nil
}
