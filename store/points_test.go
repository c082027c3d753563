package store_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/points"
	"github.com/cohortbot/cohort/store/storetest"
)

func add(n int64) func(st *points.State, _ func(rule, ref string) bool) error {
	return func(st *points.State, _ func(rule, ref string) bool) error {
		st.Balance += n
		st.Score += n
		st.Pending = append(st.Pending, points.Entry{Time: time.Unix(1, 0), Delta: n, Score: n, Reason: "test"})
		return nil
	}
}

func TestPoints_BalanceSurvivesReopen(t *testing.T) {
	dir := t.TempDir()
	s := storetest.OpenDir(t, dir)
	ctx := t.Context()
	if _, err := s.Apply(ctx, "acme", "7", add(42)); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = storetest.OpenDir(t, dir)
	st, err := s.State(ctx, "acme", "7")
	if err != nil || st.Balance != 42 {
		t.Fatalf("after reopen: balance %d %v, want 42", st.Balance, err)
	}
	entries, _ := s.Entries(ctx, "acme", "7", 5)
	top, _ := s.Top(ctx, "acme", points.ScopeAll, 10)
	if len(entries) != 1 || entries[0].Delta != 42 || len(top) != 1 || top[0].Points != 42 {
		t.Fatalf("ledger %v top %v", entries, top)
	}
}

func TestPoints_NegativeBalanceRefused(t *testing.T) {
	s := storetest.Open(t)
	ctx := t.Context()
	if _, err := s.Apply(ctx, "acme", "1", add(10)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, "acme", "1", add(-11)); !errors.Is(err, points.ErrNegative) {
		t.Fatalf("overdraft: %v", err)
	}
	if st, _ := s.State(ctx, "acme", "1"); st.Balance != 10 {
		t.Fatalf("balance %d after a refused change", st.Balance)
	}
}

func TestPoints_RankMatchesACount(t *testing.T) {
	s := storetest.Open(t)
	ctx := t.Context()
	r := rand.New(rand.NewPCG(1, 2))
	scores := map[bot.MemberID]int64{}
	for i := range 300 {
		id := bot.MemberID(fmt.Sprint(i))
		n := r.Int64N(5000) + 1
		if i%7 == 0 {
			n = 1024 // many ties on a band edge
		}
		if _, err := s.Apply(ctx, "acme", id, add(n)); err != nil {
			t.Fatal(err)
		}
		scores[id] = n
	}
	// Move some members down to exercise removal from the indexes.
	for i := 0; i < 300; i += 5 {
		id := bot.MemberID(fmt.Sprint(i))
		if _, err := s.Apply(ctx, "acme", id, add(-scores[id]/2)); err != nil {
			t.Fatal(err)
		}
		scores[id] -= scores[id] / 2
	}
	for id, v := range scores {
		want := 1
		for _, w := range scores {
			if w > v {
				want++
			}
		}
		if got, err := s.Rank(ctx, "acme", points.ScopeAll, v); err != nil || got != want {
			t.Fatalf("rank of %s (%d) = %d %v, want %d", id, v, got, err, want)
		}
	}
	top, err := s.Top(ctx, "acme", points.ScopeAll, 300)
	if err != nil || len(top) != 300 {
		t.Fatalf("top: %d %v", len(top), err)
	}
	if !sort.SliceIsSorted(top, func(i, j int) bool { return top[i].Points > top[j].Points }) {
		t.Fatal("top is not sorted by points")
	}
	for _, r := range top {
		if scores[r.Member] != r.Points {
			t.Fatalf("top has %s at %d, want %d", r.Member, r.Points, scores[r.Member])
		}
	}
}
