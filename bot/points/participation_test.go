package points_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/bottest"
	"github.com/cohortbot/cohort/bot/points"
	"github.com/cohortbot/cohort/store/storetest"
)

func TestMessages_BurstEarnsOncePerCooldown(t *testing.T) {
	e := newEnv(t, points.Config{})
	for i := range 30 {
		e.tb.Say(bottest.Group, bottest.Alice, fmt.Sprintf("message number %d about %c solar panels", i, 'a'+i))
		e.tb.Clock.Advance(time.Second)
	}
	if got := e.balance(bottest.Alice); got != 20 {
		t.Fatalf("after a burst of 30 messages in 30 s: %d points, want 20", got)
	}
	e.tb.Clock.Advance(31 * time.Second)
	e.tb.Say(bottest.Group, bottest.Alice, "one more thought after the cooldown")
	if got := e.balance(bottest.Alice); got != 40 {
		t.Fatalf("after the cooldown: %d points, want 40", got)
	}
	if st := e.state(bottest.Alice); st.Messages != 31 || !st.HasBadge(points.BadgeFirstMessage) {
		t.Fatalf("messages %d badges %v", st.Messages, st.Badges)
	}
}

func TestMessages_NothingForSkippedMessages(t *testing.T) {
	e := newEnv(t, points.Config{})
	elsewhere := bot.ChatRef{Platform: bot.Telegram, Space: "-100555", Chat: "-100555"}
	cases := []struct {
		name string
		send func()
	}{
		{"short", func() { e.tb.Say(bottest.Group, bottest.Alice, "ok!!") }},
		{"command", func() { e.tb.Say(bottest.Group, bottest.Alice, "/help please tell me") }},
		{"private", func() { e.tb.SayPrivate(bottest.Alice, "a private message to the bot") }},
		{"edited", func() {
			e.tb.Handle(&bot.Event{Kind: bot.EventMessage, Chat: bottest.Group, From: bottest.Alice, Text: "an edited message here", Edited: true})
		}},
		{"outside a community", func() { e.tb.Say(elsewhere, bottest.Alice, "hello from another group") }},
		{"bot", func() {
			e.tb.Handle(&bot.Event{Kind: bot.EventMessage, Chat: bottest.Group, From: bot.Account{Platform: bot.Telegram, ID: "77", Name: "Helper", IsBot: true}, Text: "automated message text"})
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.send()
			e.tb.Clock.Advance(2 * time.Minute)
			if got := e.balance(bottest.Alice); got != 0 {
				t.Fatalf("%s earned: balance %d", c.name, got)
			}
		})
	}
}

func TestMessages_DuplicatesEarnNothing(t *testing.T) {
	e := newEnv(t, points.Config{})
	e.tb.Say(bottest.Group, bottest.Alice, "Great progress on the solar farm")
	for _, near := range []string{"great progress on the solar farm!!", "GREAT progresss on the solar farm 2", "great   progress on the  solar farm"} {
		e.tb.Clock.Advance(2 * time.Minute)
		e.tb.Say(bottest.Group, bottest.Alice, near)
	}
	if got := e.balance(bottest.Alice); got != 20 {
		t.Fatalf("near-duplicates earned: balance %d, want 20", got)
	}
	e.tb.Clock.Advance(2 * time.Minute)
	e.tb.Say(bottest.Group, bottest.Alice, "When does the next report come out?")
	if got := e.balance(bottest.Alice); got != 40 {
		t.Fatalf("a new message did not earn: balance %d", got)
	}
}

func TestMessages_DailyCapAndStreak(t *testing.T) {
	e := newEnv(t, points.Config{DailyCap: 50, StreakBonus: 10})
	for i := range 4 {
		e.tb.Say(bottest.Group, bottest.Alice, fmt.Sprintf("capped message %c here", 'a'+i))
		e.tb.Clock.Advance(2 * time.Minute)
	}
	if got := e.balance(bottest.Alice); got != 50 {
		t.Fatalf("capped day: %d points, want 50", got)
	}
	e.tb.Clock.Advance(24 * time.Hour)
	e.tb.Say(bottest.Group, bottest.Alice, "back the next day with news")
	// 50 + 10 streak bonus + 20 for the message
	if st := e.state(bottest.Alice); st.Balance != 80 || st.Streak != 2 || st.ActiveDays != 2 {
		t.Fatalf("next day: balance %d streak %d days %d, want 80, 2, 2", st.Balance, st.Streak, st.ActiveDays)
	}
	e.tb.Clock.Advance(48 * time.Hour)
	e.tb.Say(bottest.Group, bottest.Alice, "returning after a break")
	if st := e.state(bottest.Alice); st.Streak != 1 || st.Balance != 100 {
		t.Fatalf("after a gap: streak %d balance %d, want 1 and 100", st.Streak, st.Balance)
	}
}

func TestRewards_PayOncePerRef(t *testing.T) {
	e := newEnv(t, points.Config{Rewards: map[string]int64{bot.RulePollVote: 7}})
	e.tb.Say(bottest.Group, bottest.Alice, "hello everyone here")
	id := e.member(bottest.Alice).ID
	ctx := t.Context()
	if n, err := e.m.Reward(ctx, "acme", id, bot.RulePollVote, "poll-1"); err != nil || n != 7 {
		t.Fatalf("first reward: %d %v", n, err)
	}
	if n, err := e.m.Reward(ctx, "acme", id, bot.RulePollVote, "poll-1"); err != nil || n != 0 {
		t.Fatalf("repeated reward: %d %v, want 0", n, err)
	}
	if n, _ := e.m.Reward(ctx, "acme", id, bot.RuleCheckin, "event-9"); n != 20 {
		t.Fatalf("check-in reward %d, want the default 20", n)
	}
	if got := e.balance(bottest.Alice); got != 20+7+20 {
		t.Fatalf("balance %d", got)
	}
	out := bottest.Joined(e.tb.Say(bottest.Group, bottest.Alice, "/points"))
	mustContain(t, out, "47 points", "event check-in", "poll vote", "First message")
}

func TestTiers_PromotionAnnouncedAndDiscordRoleSynced(t *testing.T) {
	e := newEnv(t, points.Config{Tiers: []points.Tier{
		{Name: "Member"},
		{Name: "Active", MinPoints: 40, DiscordRole: "role-active", Perks: "Early access to reports"},
	}})
	e.tb.Say(bottest.Channel, bottest.Dan, "first message on discord")
	e.tb.Clock.Advance(2 * time.Minute)
	sent := bottest.Joined(e.tb.Say(bottest.Channel, bottest.Dan, "second message on discord"))
	mustContain(t, sent, "Dan reached the Active tier", "Early access")
	var roles []string
	for _, a := range e.tb.Discord.Actions() {
		if a.Kind == "set_role" {
			roles = append(roles, a.UserID+"/"+a.Detail+"@"+a.Chat.Space)
		}
	}
	if len(roles) != 1 || roles[0] != "5002/role-active@111" {
		t.Fatalf("role actions %v", roles)
	}
	if out := bottest.Joined(e.tb.Say(bottest.Channel, bottest.Dan, "/points")); !strings.Contains(out, "Tier: Active") {
		t.Fatalf("/points: %q", out)
	}
}

// TestParticipation_NoCommunitiesConfigured: without configured
// communities every chat is a community of its own, and messages earn there.
func TestParticipation_NoCommunitiesConfigured(t *testing.T) {
	st := storetest.Open(t)
	m, err := points.New(nil, points.Config{}, st)
	if err != nil {
		t.Fatal(err)
	}
	tb := bottest.New(t, bottest.Options{Modules: []bot.Module{m}, Members: st, Communities: []*bot.Community{}})
	tb.Say(bottest.Group, bottest.Alice, "hello from a chat nobody configured")
	if got := bottest.Joined(tb.Say(bottest.Group, bottest.Alice, "/points")); !strings.Contains(got, "Alice: 20 points") {
		t.Fatalf("/points = %q", got)
	}
}
