package store

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot/points"
	bolt "go.etcd.io/bbolt"
)

func TestPointsCodec_RoundTrip(t *testing.T) {
	at := time.Date(2026, 1, 5, 10, 0, 0, 123, time.UTC)
	full := points.State{
		Balance: 120, Score: -5, Week: points.Window{Period: "2026-W02", Points: 40}, Month: points.Window{Period: "2026-01", Points: 60},
		LastEarn: at, Day: 20458, DayPoints: 40, Hashes: []uint64{1, 1 << 63}, Messages: 7, ActiveDays: 3, LastDay: 20458, Streak: 2,
		FirstSeen: at.Add(-time.Hour), LastActive: at, Tier: "Active", ManualTier: "Opinion Leader", Badges: []string{"auto:first_message", "Gold Backer"},
		ReachedVIP: true, ReferredBy: "12", ReferralPaid: true, Invited: 4, Referrals: 2, Recent: []uint64{1, 99, 1 << 40},
	}
	for name, st := range map[string]points.State{"zero": {}, "full": full} {
		var got points.State
		if err := decodeState(encodeState(&st), &got); err != nil || !reflect.DeepEqual(got, st) {
			t.Fatalf("%s: got %+v %v, want %+v", name, got, err, st)
		}
	}
	e := points.Entry{Seq: 9, Member: "3", Time: at, Delta: -20, Score: -20, Reason: "spam", Actor: "telegram:1", Rule: "deduct", Ref: "r"}
	if got, err := decodeEntry(encodeEntry(&e), 9); err != nil || !reflect.DeepEqual(got, e) {
		t.Fatalf("entry: got %+v %v", got, err)
	}
}

func TestPointsCodec_ReadsJSON(t *testing.T) {
	v, _ := json.Marshal(points.State{Balance: 5, Score: 5, Badges: []string{"x"}})
	var st points.State
	if err := decodeState(v, &st); err != nil || st.Balance != 5 || len(st.Badges) != 1 {
		t.Fatalf("json state: %+v %v", st, err)
	}
	if err := decodeState([]byte{stateV1, 0x80}, &st); err == nil {
		t.Fatal("a truncated record decoded")
	}
}

// TestPoints_RebuildsBoardsOfAnOlderFile opens states written as JSON
// before the boards had their present layout: the first points write
// builds the boards.
func TestPoints_RebuildsBoardsOfAnOlderFile(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.db.Update(func(tx *bolt.Tx) error {
		bk, err := tx.CreateBucket(bucketPtsState)
		if err != nil {
			return err
		}
		for id, pts := range map[string]int64{"1": 50, "2": 70, "3": 60} {
			v, _ := json.Marshal(points.State{Balance: pts, Score: pts, Week: points.Window{Period: "2026-W02", Points: pts / 10}})
			if err := bk.Put(ckey("acme", id), v); err != nil {
				return err
			}
		}
		_, err = tx.CreateBucket([]byte("pts_rank"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(t.Context(), "acme", "4", func(st *points.State, _ func(rule, ref string) bool) error {
		st.Balance, st.Score = 10, 10
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	top, _ := s.Top(t.Context(), "acme", points.ScopeAll, 10)
	week, _ := s.Top(t.Context(), "acme", "w2026-W02", 10)
	rank, _ := s.Rank(t.Context(), "acme", points.ScopeAll, 50)
	if fmt.Sprint(top) != "[{2 70 } {3 60 } {1 50 } {4 10 }]" || fmt.Sprint(week) != "[{2 7 } {3 6 } {1 5 }]" || rank != 3 {
		t.Fatalf("rebuilt boards: all %v, week %v, rank of 50 = %d", top, week, rank)
	}
	_ = s.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket([]byte("pts_rank")) != nil {
			t.Error("the old rank bucket is still there")
		}
		return nil
	})
}
