package store_test

import (
	"context"
	"testing"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/analytics"
	"github.com/cohortbot/cohort/store/storetest"
)

func TestAnalytics_Record_Indexes(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	const d = analytics.Day(20000)
	act := func(m string, day analytics.Day, kind analytics.ActivityKind, chat string) analytics.Activity {
		return analytics.Activity{Community: "acme", Member: bot.MemberID(m), Day: day, Chat: chat, Kind: kind}
	}
	batches := []analytics.Batch{
		{Activity: []analytics.Activity{act("1", d+2, analytics.Joined, ""), act("1", d+2, analytics.Wrote, "telegram:-1")}},
		// The same activity again (a second flush of the same day) and an
		// earlier join arriving late: counted once, cohort moved.
		{Activity: []analytics.Activity{act("1", d+2, analytics.Wrote, "telegram:-1"), act("1", d, analytics.Joined, "")}},
		{Activity: []analytics.Activity{act("1", d+3, analytics.Acted, "telegram:-2"), act("1", d+3, analytics.ReachedVIP, ""), act("1", d+4, analytics.ReachedVIP, "")},
			Counts: []analytics.Increment{{Community: "acme", Day: d + 3, Name: bot.CountPollVotes, N: 2}, {Community: "other", Day: d + 3, Name: bot.CountPollVotes, N: 5}}},
	}
	for _, b := range batches {
		if err := s.Record(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	c, err := s.Counters(ctx, "acme", d, d+5)
	if err != nil {
		t.Fatal(err)
	}
	want := map[analytics.CounterKey]int64{
		{Day: d, Name: analytics.CountNew}:                             1,
		{Day: d + 2, Name: analytics.CountNew}:                         0,
		{Day: d + 2, Name: analytics.CountActive}:                      1,
		{Day: d + 2, Chat: "telegram:-1", Name: analytics.CountActive}: 1,
		{Day: d + 3, Name: analytics.CountActive}:                      1,
		{Day: d + 3, Chat: "telegram:-2", Name: analytics.CountActive}: 1,
		{Day: d + 3, Name: bot.CountVIP}:                               1,
		{Day: d + 3, Name: bot.CountPollVotes}:                         2,
	}
	for k, v := range want {
		if c[k] != v {
			t.Errorf("counter %+v = %d, want %d", k, c[k], v)
		}
	}
	if len(c) != len(want) {
		t.Errorf("counters = %v, want %d entries", c, len(want))
	}
	j, err := s.Joiners(ctx, "acme", d, d+5)
	if err != nil || len(j) != 1 {
		t.Fatalf("joiners = %+v, %v", j, err)
	}
	if want := (analytics.MemberFacts{Member: "1", Joined: d, FirstMessage: d + 2, LastActive: d + 3, LastSeen: d + 3, VIP: d + 3}); j[0] != want {
		t.Errorf("facts = %+v, want %+v", j[0], want)
	}
	seen, _ := s.LastSeen(ctx, "acme")
	if len(seen) != 1 || seen[d+3] != 1 {
		t.Errorf("last seen = %v, want one member on day d+3", seen)
	}
	if n, _ := s.ActiveMembers(ctx, "acme", d, d+5); n != 1 {
		t.Errorf("active members = %d, want 1", n)
	}
	if n, _ := s.ActiveMembers(ctx, "other", d, d+5); n != 0 {
		t.Errorf("other community's active members = %d, want 0", n)
	}
}

func TestAnalytics_EmptyStore(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	if c, err := s.Counters(ctx, "acme", 0, 100); err != nil || len(c) != 0 {
		t.Errorf("counters = %v, %v", c, err)
	}
	if at, err := s.LastReport(ctx, "acme"); err != nil || !at.IsZero() {
		t.Errorf("last report = %v, %v", at, err)
	}
	if err := s.EachMember(ctx, "acme", func(analytics.MemberFacts) error { t.Error("a member in an empty store"); return nil }); err != nil {
		t.Error(err)
	}
}
