package store_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"sync"
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

// week adds n to the all-time score and to a week's window.
func week(period string, n int64) func(st *points.State, _ func(rule, ref string) bool) error {
	return func(st *points.State, _ func(rule, ref string) bool) error {
		if st.Week.Period != period {
			st.Week = points.Window{Period: period}
		}
		st.Balance, st.Score, st.Week.Points = st.Balance+max(n, 0), st.Score+n, st.Week.Points+n
		return nil
	}
}

func TestPoints_WindowBoardMatchesASort(t *testing.T) {
	s := storetest.Open(t)
	ctx := t.Context()
	r := rand.New(rand.NewPCG(3, 4))
	pts := map[bot.MemberID]int64{}
	for i := range 2000 {
		id := bot.MemberID(fmt.Sprint(r.IntN(400) + 1))
		n := int64(20 * (r.IntN(3) + 1))
		if i%50 == 49 && pts[id] > 0 {
			n = -min(pts[id], 60) // a moderator's deduction
		}
		if _, err := s.Apply(ctx, "acme", id, week("2026-W02", n)); err != nil {
			t.Fatal(err)
		}
		pts[id] += n
	}
	var want []points.Ranked
	for id, v := range pts {
		if v != 0 {
			want = append(want, points.Ranked{Member: id, Points: v})
		}
	}
	sort.Slice(want, func(i, j int) bool {
		a, b := want[i], want[j]
		if a.Points != b.Points {
			return a.Points > b.Points
		}
		if len(a.Member) != len(b.Member) {
			return len(a.Member) < len(b.Member)
		}
		return a.Member < b.Member
	})
	top, err := s.Top(ctx, "acme", "w2026-W02", 10)
	if err != nil || fmt.Sprint(top) != fmt.Sprint(want[:10]) {
		t.Fatalf("week top\n got %v %v\nwant %v", top, err, want[:10])
	}
	for id, v := range pts {
		if v <= 0 {
			continue
		}
		n := 1
		for _, w := range pts {
			if w > v {
				n++
			}
		}
		if got, err := s.Rank(ctx, "acme", "w2026-W02", v); err != nil || got != n {
			t.Fatalf("week rank of %s (%d) = %d %v, want %d", id, v, got, err, n)
		}
	}
	if other, _ := s.Top(ctx, "acme", "w2026-W03", 10); len(other) != 0 {
		t.Fatalf("next week's board is not empty: %v", other)
	}
}

// TestPoints_BoardHeadAfterCuts fills a board past twice its kept head,
// so it is cut, then moves members up and down (deductions) and checks the
// first ten and the ranks against a sort of every score.
func TestPoints_BoardHeadAfterCuts(t *testing.T) {
	s := storetest.Open(t)
	ctx := t.Context()
	const members = 2600
	scores := make([]int64, members+1)
	r := rand.New(rand.NewPCG(5, 6))
	apply := func(steps []int64) {
		var wg sync.WaitGroup
		ch := make(chan int)
		for range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range ch {
					if _, err := s.Apply(ctx, "acme", bot.MemberID(fmt.Sprint(i)), add(steps[i])); err != nil {
						t.Error(err)
					}
				}
			}()
		}
		for i := 1; i <= members; i++ {
			if steps[i] != 0 {
				ch <- i
			}
		}
		close(ch)
		wg.Wait()
	}
	for round := range 3 {
		steps := make([]int64, members+1)
		for i := 1; i <= members; i++ {
			switch {
			case round == 0:
				steps[i] = r.Int64N(3000) + 1
			case r.IntN(10) == 0 && scores[i] > 1:
				steps[i] = -r.Int64N(scores[i]) // a deduction
			case r.IntN(3) == 0:
				steps[i] = r.Int64N(200) + 1
			}
			scores[i] += steps[i]
		}
		apply(steps)
	}
	ids := make([]int, 0, members)
	for i := 1; i <= members; i++ {
		ids = append(ids, i)
	}
	sort.Slice(ids, func(a, b int) bool {
		if scores[ids[a]] != scores[ids[b]] {
			return scores[ids[a]] > scores[ids[b]]
		}
		return ids[a] < ids[b]
	})
	top, err := s.Top(ctx, "acme", points.ScopeAll, 10)
	if err != nil || len(top) != 10 {
		t.Fatalf("top: %v %v", top, err)
	}
	for i, got := range top {
		if want := ids[i]; got.Member != bot.MemberID(fmt.Sprint(want)) || got.Points != scores[want] {
			t.Fatalf("top[%d] = %v, want %d with %d", i, got, want, scores[want])
		}
	}
	for _, i := range ids {
		want := 1
		for _, w := range scores[1:] {
			if w > scores[i] {
				want++
			}
		}
		if got, _ := s.Rank(ctx, "acme", points.ScopeAll, scores[i]); got != want {
			t.Fatalf("rank of %d (%d) = %d, want %d", i, scores[i], got, want)
		}
	}
}

// TestPoints_WindowHeadCutWithTies fills a week board with thousands of
// members on the same points (so its head is cut inside a tie), then
// moves every other member up.
func TestPoints_WindowHeadCutWithTies(t *testing.T) {
	s := storetest.Open(t)
	ctx := t.Context()
	const members = 2600
	for round := range 2 {
		var wg sync.WaitGroup
		ch := make(chan int)
		for range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range ch {
					if _, err := s.Apply(ctx, "acme", bot.MemberID(fmt.Sprint(i)), week("2026-W02", 20)); err != nil {
						t.Error(err)
					}
				}
			}()
		}
		for i := 1; i <= members; i++ {
			if round == 0 || i%2 == 1 {
				ch <- i
			}
		}
		close(ch)
		wg.Wait()
	}
	for _, scope := range []string{points.ScopeAll, "w2026-W02"} {
		top, err := s.Top(ctx, "acme", scope, 10)
		if err != nil || len(top) != 10 {
			t.Fatalf("%s top: %v %v", scope, top, err)
		}
		for i, r := range top {
			if r.Member != bot.MemberID(fmt.Sprint(2*i+1)) || r.Points != 40 {
				t.Fatalf("%s top[%d] = %v, want member %d with 40", scope, i, r, 2*i+1)
			}
		}
		if n, _ := s.Rank(ctx, "acme", scope, 20); n != members/2+1 {
			t.Fatalf("%s rank of 20 = %d, want %d", scope, n, members/2+1)
		}
	}
}
