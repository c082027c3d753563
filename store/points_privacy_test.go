package store_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/points"
	"github.com/cohortbot/cohort/store/storetest"
)

func TestPointsPrivacy_ForgetErasesReasonsKeepsTotals(t *testing.T) {
	s := storetest.Open(t)
	ctx := t.Context()
	at := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	zoltan, err := s.Resolve(ctx, "acme", bot.Account{Platform: bot.Telegram, ID: "4242", Name: "Zoltan Quixby", Username: "zquixby"}, at)
	if err != nil {
		t.Fatal(err)
	}
	bob, err := s.Resolve(ctx, "acme", bot.Account{Platform: bot.Telegram, ID: "4243", Name: "Bob"}, at)
	if err != nil {
		t.Fatal(err)
	}
	const words = "thanks Zoltan Quixby for translating the whitepaper"
	const bobWords = "great AMA notes"
	award := func(reason string) func(st *points.State, _ func(rule, ref string) bool) error {
		return func(st *points.State, _ func(rule, ref string) bool) error {
			st.Balance, st.Score = st.Balance+150, st.Score+150
			st.Pending = append(st.Pending, points.Entry{Time: at, Delta: 150, Score: 150, Reason: reason, Actor: "telegram:1", Rule: points.ReasonAward})
			return nil
		}
	}
	message := func(st *points.State, _ func(rule, ref string) bool) error {
		st.Balance, st.Score = st.Balance+20, st.Score+20
		st.Pending = append(st.Pending, points.Entry{Time: at, Delta: 20, Score: 20, Reason: points.ReasonMessage})
		return nil
	}
	for _, step := range []struct {
		who bot.MemberID
		fn  func(st *points.State, _ func(rule, ref string) bool) error
	}{{zoltan.ID, message}, {zoltan.ID, award(words)}, {bob.ID, message}, {bob.ID, award(bobWords)}} {
		if _, err := s.Apply(ctx, "acme", step.who, step.fn); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SaveInvite(ctx, "acme", zoltan.ID, "telegram:-100", "https://t.me/+zq", "zqcode"); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveLinkCode(ctx, "acme", "ZQ1234", zoltan.ID, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	export, err := s.ExportMember(ctx, "acme", zoltan.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ex, ok := export["points"]; !ok || !bytes.Contains([]byte(toJSON(t, ex)), []byte(words)) || !bytes.Contains([]byte(toJSON(t, ex)), []byte("t.me/+zq")) {
		t.Fatalf("export lacks the ledger or invites: %v", export)
	}
	total := func() int64 {
		var n int64
		for _, id := range []bot.MemberID{zoltan.ID, bob.ID} {
			st, err := s.State(ctx, "acme", id)
			if err != nil {
				t.Fatal(err)
			}
			n += st.Score
		}
		return n
	}
	before := total()

	if err := s.ForgetMember(ctx, "acme", zoltan.ID); err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{"Zoltan Quixby", "zquixby", "t.me/+zq", "zqcode", "ZQ1234"} {
		if bytes.Contains(file, []byte(gone)) {
			t.Errorf("%q is still in the database file", gone)
		}
	}
	if after := total(); after != before || before != 340 {
		t.Fatalf("community points %d after forgetting, %d before (want 340)", after, before)
	}
	entries, err := s.Entries(ctx, "acme", zoltan.ID, 5)
	if err != nil || len(entries) != 2 || entries[0].Reason != points.ReasonAward || entries[0].Delta != 150 || entries[0].Actor != "" || entries[1].Reason != points.ReasonMessage {
		t.Fatalf("anonymized ledger: %+v %v", entries, err)
	}
	if bobs, _ := s.Entries(ctx, "acme", bob.ID, 5); len(bobs) != 2 || bobs[0].Reason != bobWords {
		t.Fatalf("another member's ledger changed: %+v", bobs)
	}
	if _, ok, _ := s.InviteOwner(ctx, "acme", "zqcode"); ok {
		t.Fatal("the invite code still attributes joins")
	}
	if _, err := s.Link(ctx, "acme", "ZQ1234", bot.Account{Platform: bot.Discord, ID: "9"}, func(_, _ *points.State) {}, at); !errors.Is(err, points.ErrBadCode) {
		t.Fatalf("a forgotten member's link code still works: %v", err)
	}
}

func toJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
