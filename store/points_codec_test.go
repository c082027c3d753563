package store

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot/points"
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
