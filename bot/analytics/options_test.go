package analytics_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/analytics"
	"github.com/cohortbot/cohort/bot/bottest"
)

// TestOptions_TiersAndExports: the tier distribution another feature
// provides shows in /stats, and its export files come with /stats export.
func TestOptions_TiersAndExports(t *testing.T) {
	opts := analytics.Options{
		Tiers: func(_ context.Context, community string) ([]bot.TierCount, error) {
			return []bot.TierCount{{Tier: "Member", Members: 7}, {Tier: "VIP", Members: 2}}, nil
		},
		Exports: []func(context.Context, string) (bot.File, error){
			func(_ context.Context, community string) (bot.File, error) {
				return bot.File{Name: "ledger.csv", MIME: "text/csv", Data: []byte("entry\n" + community + "\n")}, nil
			},
		},
	}
	w := newWorld(t, nil, analytics.Defaults(), opts, time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	if got := bottest.Joined(w.tb.Say(bottest.Group, bottest.Mod, "/stats")); !strings.Contains(got, "Tiers by points: Member 7 · VIP 2") {
		t.Fatalf("/stats = %q", got)
	}
	var names []string
	for _, s := range w.tb.Say(bottest.Group, bottest.Mod, "/stats export") {
		for _, f := range s.Msg.Files {
			names = append(names, f.Name)
		}
	}
	if strings.Join(names, ",") != "daily.csv,members.csv,ledger.csv" {
		t.Fatalf("exported %v", names)
	}
}
