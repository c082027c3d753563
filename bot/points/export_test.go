package points_test

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/bottest"
	"github.com/cohortbot/cohort/bot/points"
)

func TestExportLedger_EveryEntryOldestFirst(t *testing.T) {
	e := newEnv(t, points.Config{})
	e.tb.Say(bottest.Group, bottest.Alice, "hello everyone, glad to be here")
	e.tb.Say(bottest.Group, bottest.Bob, "good morning from Bob")
	e.tb.Say(bottest.Group, bottest.Mod, `/award @bob 50 "=HYPERLINK(evil)"`)
	f, err := e.m.ExportLedger(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(string(f.Data))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "ledger.csv" || len(rows) != 4 || rows[0][0] != "entry" {
		t.Fatalf("ledger.csv = %q", rows)
	}
	if rows[1][3] != "20" || rows[1][5] != "message" {
		t.Errorf("first entry %q, want Alice's message", rows[1])
	}
	if rows[3][3] != "50" || rows[3][5] != "'=HYPERLINK(evil)" || rows[3][6] != bottest.Mod.Key() {
		t.Errorf("last entry %q, want the award with its reason defused", rows[3])
	}
}

func TestTierCounts_ByPoints(t *testing.T) {
	e := newEnv(t, points.Config{Tiers: []points.Tier{{Name: "Member"}, {Name: "Active", MinPoints: 100}, {Name: "VIP", MinPoints: 1000}}})
	for _, who := range []bot.Account{bottest.Alice, bottest.Bob, bottest.Li} {
		e.tb.Say(bottest.Group, who, "hello from "+who.Name) // 20 points each
	}
	for _, award := range []string{"@alice 150", "@bob 1500"} {
		e.tb.Say(bottest.Group, bottest.Mod, "/award "+award+" thanks")
	}
	got, err := e.m.TierCounts(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	want := []bot.TierCount{{Tier: "Member", Members: 1}, {Tier: "Active", Members: 1}, {Tier: "VIP", Members: 1}}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}
