package points_test

import (
	"context"
	"sync"
	"testing"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/bottest"
	"github.com/cohortbot/cohort/bot/points"
	"github.com/cohortbot/cohort/store/storetest"
)

func TestTop_EscapesNamesAndSpeaksChinese(t *testing.T) {
	e := newEnv(t, points.Config{})
	star := bot.Account{Platform: bot.Telegram, ID: "4001", Name: "Star*Boy_", Username: "starboy"}
	e.tb.Say(bottest.Group, star, "hello everybody out there")
	e.tb.Say(bottest.Group, bottest.Li, "大家好，我是李雷，很高兴认识大家")
	e.tb.Say(bottest.Group, bottest.Mod, "/award @starboy 50 welcome")
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Group, bottest.Alice, "/top")), "1. Star*Boy_ — 70", "2. 李雷 — 20")
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Group, bottest.Li, "/top")), "总排行榜", "1. Star*Boy_ — 70", "2. 李雷 — 20")
}

// vipTally records the member counters the points module reports.
type vipTally struct {
	mu  sync.Mutex
	vip []bot.MemberID
}

func (*vipTally) Count(context.Context, string, bot.ChatRef, string, int) {}

func (v *vipTally) CountMember(_ context.Context, _ string, member bot.MemberID, counter string, _ int) {
	if counter == bot.CountVIP {
		v.mu.Lock()
		v.vip = append(v.vip, member)
		v.mu.Unlock()
	}
}

func TestTiers_FirstVIPIsCountedOnce(t *testing.T) {
	st := storetest.Open(t)
	cfg := points.Config{Tiers: []points.Tier{{Name: "Member"}, {Name: "VIP", MinPoints: 100}, {Name: "Core", MinPoints: 500}}}
	m, err := points.New(map[string]points.Config{"acme": cfg}, points.Config{}, st)
	if err != nil {
		t.Fatal(err)
	}
	tally := &vipTally{}
	tb := bottest.New(t, bottest.Options{Modules: []bot.Module{m}, Members: st, Rewards: m, Tally: tally})
	tb.Say(bottest.Group, bottest.Bob, "hello there everyone")
	tb.Say(bottest.Group, bottest.Mod, "/award @bob 50 helpful")
	if len(tally.vip) != 0 {
		t.Fatalf("counted VIP below the VIP tier: %v", tally.vip)
	}
	tb.Say(bottest.Group, bottest.Mod, "/award @bob 50 helpful again")  // 120: VIP
	tb.Say(bottest.Group, bottest.Mod, "/award @bob 500 core material") // Core, above VIP
	tb.Say(bottest.Group, bottest.Mod, "/deduct @bob 600 oops")         // back to Member
	tb.Say(bottest.Group, bottest.Mod, "/award @bob 600 fixed")         // VIP again: not counted
	bob, _, _ := st.FindMember(context.Background(), "acme", bottest.Bob.Key())
	if len(tally.vip) != 1 || tally.vip[0] != bob.ID {
		t.Fatalf("VIP counted %v, want once for %s", tally.vip, bob.ID)
	}
}
