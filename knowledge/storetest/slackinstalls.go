package storetest

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/newsbot/newsbot/knowledge"
)

// SlackInstallStore is the Slack installs table of an engine: sealed
// bytes by team ID (adapters/slack's InstallTable is the same methods).
type SlackInstallStore interface {
	SaveSlackInstall(ctx context.Context, team string, sealed []byte) error
	SlackInstall(ctx context.Context, team string) ([]byte, bool, error)
	DeleteSlackInstall(ctx context.Context, team string) error
}

// RunSlackInstalls runs the suite of the Slack installs table against
// stores from open, which must implement SlackInstallStore, and against
// two instances from shared, which see each other's rows.
func RunSlackInstalls(t *testing.T, open Opener, shared SharedOpener) {
	is := func(t *testing.T, s knowledge.Store) SlackInstallStore {
		v, ok := s.(SlackInstallStore)
		if !ok {
			t.Fatalf("%T does not implement storetest.SlackInstallStore", s)
		}
		return v
	}
	t.Run("SaveGetReplaceDelete", func(t *testing.T) { testSlackInstalls(t, is(t, open(t))) })
	t.Run("Concurrent", func(t *testing.T) { testSlackInstallsConcurrent(t, is(t, open(t))) })
	t.Run("SharedByInstances", func(t *testing.T) {
		a, b := shared(t)
		testSlackInstallsShared(t, is(t, a), is(t, b))
	})
}

func wantInstall(t *testing.T, s SlackInstallStore, team string, want []byte) {
	t.Helper()
	got, ok, err := s.SlackInstall(context.Background(), team)
	switch {
	case err != nil:
		t.Fatalf("SlackInstall(%q): %v", team, err)
	case want == nil && ok:
		t.Errorf("SlackInstall(%q) = %x, want none", team, got)
	case want != nil && (!ok || !bytes.Equal(got, want)):
		t.Errorf("SlackInstall(%q) = %x, %v; want %x", team, got, ok, want)
	}
}

func testSlackInstalls(t *testing.T, s SlackInstallStore) {
	ctx := context.Background()
	wantInstall(t, s, "T1", nil)
	// Sealed bytes are any bytes: zeros, invalid UTF-8, a large row.
	sealed := []byte{1, 0, 0xff, 0xfe, 'x', 0}
	big := bytes.Repeat([]byte{0x80, 0, 0x7f}, 20000)
	if err := s.SaveSlackInstall(ctx, "T1", sealed); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSlackInstall(ctx, "T2", big); err != nil {
		t.Fatal(err)
	}
	wantInstall(t, s, "T1", sealed)
	wantInstall(t, s, "T2", big)
	wantInstall(t, s, "t1", nil) // team IDs are compared as bytes
	// A reinstall replaces the row.
	if err := s.SaveSlackInstall(ctx, "T1", []byte("again")); err != nil {
		t.Fatal(err)
	}
	wantInstall(t, s, "T1", []byte("again"))
	if err := s.DeleteSlackInstall(ctx, "T1"); err != nil {
		t.Fatal(err)
	}
	wantInstall(t, s, "T1", nil)
	wantInstall(t, s, "T2", big)
	// Deleting what is not there is no error.
	if err := s.DeleteSlackInstall(ctx, "T1"); err != nil {
		t.Errorf("delete of a team without install: %v", err)
	}
	if err := s.DeleteSlackInstall(ctx, "T404"); err != nil {
		t.Errorf("delete of an unknown team: %v", err)
	}
	if err := s.SaveSlackInstall(ctx, "", sealed); err == nil {
		t.Error("SaveSlackInstall took an empty team id")
	}
}

// Installs and uninstalls of many workspaces at once (Slack calls the
// callback and the events endpoint concurrently) each land.
func testSlackInstallsConcurrent(t *testing.T, s SlackInstallStore) {
	ctx := context.Background()
	const teams = 16
	var wg sync.WaitGroup
	for i := range teams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			team := fmt.Sprintf("T%02d", i)
			for round := range 3 {
				if err := s.SaveSlackInstall(ctx, team, []byte(fmt.Sprint(team, round))); err != nil {
					t.Error(err)
					return
				}
				if _, _, err := s.SlackInstall(ctx, team); err != nil {
					t.Error(err)
					return
				}
			}
			if i%2 == 1 {
				if err := s.DeleteSlackInstall(ctx, team); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	for i := range teams {
		team := fmt.Sprintf("T%02d", i)
		if i%2 == 1 {
			wantInstall(t, s, team, nil)
		} else {
			wantInstall(t, s, team, []byte(team+"2"))
		}
	}
}

// What one instance installs or uninstalls, the other reads.
func testSlackInstallsShared(t *testing.T, a, b SlackInstallStore) {
	ctx := context.Background()
	if err := a.SaveSlackInstall(ctx, "T1", []byte("sealed")); err != nil {
		t.Fatal(err)
	}
	wantInstall(t, b, "T1", []byte("sealed"))
	if err := b.DeleteSlackInstall(ctx, "T1"); err != nil {
		t.Fatal(err)
	}
	wantInstall(t, a, "T1", nil)
}
