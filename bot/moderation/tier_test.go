package moderation_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/bottest"
	"github.com/cohortbot/cohort/bot/moderation"
	"github.com/cohortbot/cohort/bot/points"
	"github.com/cohortbot/cohort/store/storetest"
)

// TestLinks_BelowTierDeleted runs moderation with the real points module:
// a member below links.min_tier loses a link; one who reached it keeps it.
func TestLinks_BelowTierDeleted(t *testing.T) {
	cfg := moderation.Defaults()
	cfg.Links = moderation.LinkConfig{MinTier: "Active"}
	st := storetest.Open(t)
	mod, err := moderation.New(st, map[string]moderation.Config{"acme": cfg}, moderation.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	pts, err := points.New(map[string]points.Config{"acme": {Tiers: []points.Tier{{Name: "Member"}, {Name: "Active", MinPoints: 100}}}}, points.Config{}, st)
	if err != nil {
		t.Fatal(err)
	}
	mod.SetTierCheck(pts.Reached)
	tb := bottest.New(t, bottest.Options{Modules: []bot.Module{mod, pts}, Members: st, Rewards: pts})
	tb.Say(bottest.Group, bottest.Bob, "hello, Bob here")
	tb.Say(bottest.Group, bottest.Mod, "/award @bob 200 helpful answers")

	sent := tb.Say(bottest.Group, bottest.Alice, "buy now at https://claim-airdrop.example")
	if got := bottest.Joined(sent); !strings.Contains(got, "links are allowed from the Active tier up") {
		t.Fatalf("member below the tier: %q", got)
	}
	if sent := tb.Say(bottest.Group, bottest.Bob, "our docs: https://docs.acme.example"); len(sent) != 0 {
		t.Fatalf("member at the tier was stopped: %v", bottest.Texts(sent))
	}
	if n := len(actions(tb.Telegram, "delete")); n != 1 {
		t.Fatalf("%d deletions, want 1", n)
	}
	if _, err := pts.Reached(context.Background(), "acme", "1", "Gold"); err == nil {
		t.Fatal("an unknown tier was accepted")
	}
}
