package storetest

import (
	"testing"

	"github.com/cohortbot/cohort/store"
)

// Open opens a store in a fresh temporary directory and closes it when the
// test ends.
func Open(t testing.TB) *store.Store {
	t.Helper()
	return OpenDir(t, t.TempDir())
}

// OpenDir opens the store in dir (to reopen after Close) and closes it when
// the test ends, unless the test closed it first.
func OpenDir(t testing.TB, dir string) *store.Store {
	t.Helper()
	s, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}
