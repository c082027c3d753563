package points_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/bottest"
	"github.com/cohortbot/cohort/bot/points"
)

func TestAward_ModeratorsOnlyWithValidAmountAndReason(t *testing.T) {
	e := newEnv(t, points.Config{MaxAward: 1000})
	e.tb.Say(bottest.Group, bottest.Bob, "hi I am Bob and new here")
	if out := bottest.Joined(e.tb.Say(bottest.Group, bottest.Alice, "/award @bob 50 nice")); !strings.Contains(out, "Only a moderator") {
		t.Fatalf("non-moderator award: %q", out)
	}
	for _, c := range []struct{ cmd, want string }{
		{"/award @bob abc great talk", "abc is not a valid amount"},
		{"/award @bob 0 great talk", "0 is not a valid amount"},
		{"/award @bob -5 great talk", "-5 is not a valid amount"},
		{"/award @bob 1.5 great talk", "1.5 is not a valid amount"},
		{"/award @bob 1001 great talk", "from 1 to 1000"},
		{"/award @bob 50", "Please give a reason"},
		{"/award @nobody 50 great talk", "I don't know @nobody"},
		{"/deduct @bob 30 spam", "Bob has only 20 points"},
	} {
		if out := bottest.Joined(e.tb.Say(bottest.Group, bottest.Mod, c.cmd)); !strings.Contains(out, c.want) {
			t.Errorf("%s: %q, want %q", c.cmd, out, c.want)
		}
	}
	if got := e.balance(bottest.Bob); got != 20 {
		t.Fatalf("refused commands changed the balance: %d", got)
	}
	sent := e.tb.Say(bottest.Group, bottest.Mod, `/award @bob 50 "great AMA question"`)
	mustContain(t, bottest.Joined(sent), "Awarded 50 points to Bob", "great AMA question", "Balance: 70")
	var modNote string
	for _, s := range sent {
		if s.Ref.Chat == bottest.ModChat {
			modNote = s.Text()
		}
	}
	mustContain(t, modNote, "Mia Mod awarded 50 points to Bob", "great AMA question")
	// As a reply to Bob's message.
	out := bottest.Joined(e.tb.Handle(&bot.Event{Kind: bot.EventCommand, Chat: bottest.Group, From: bottest.Mod,
		Command: &bot.Invocation{Name: "deduct", Args: []string{"30", "off", "topic"}}, ReplyToFrom: &bottest.Bob, ReplyTo: &bot.MessageRef{ID: "9"}}))
	mustContain(t, out, "Deducted 30 points from Bob", "off topic", "Balance: 40")
	entries, err := e.st.Entries(t.Context(), "acme", e.member(bottest.Bob).ID, 5)
	if err != nil || len(entries) != 3 || entries[0].Delta != -30 || entries[0].Actor != bottest.Mod.Key() || entries[1].Reason != "great AMA question" {
		t.Fatalf("ledger %+v %v", entries, err)
	}
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Group, bottest.Mod, "/points @bob")), "40 points", "Status: new", "-30", "off topic")
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Group, bottest.Alice, "/points @bob")), "Only moderators")
}

func TestTop_WindowsTiesAndOwnRank(t *testing.T) {
	e := newEnv(t, points.Config{})
	var accts []bot.Account
	for i := range 12 {
		a := bot.Account{Platform: bot.Telegram, ID: fmt.Sprint(3000 + i), Name: fmt.Sprintf("User%02d", i), Username: fmt.Sprintf("user%02d", i)}
		accts = append(accts, a)
		e.tb.Say(bottest.Group, a, "hello I am here now")
	}
	// Everybody has 20; give user00..user09 more, user03 and user04 tie.
	for i := range 10 {
		extra := (i + 1) * 10
		if i == 4 {
			extra = 40
		}
		e.tb.Say(bottest.Group, bottest.Mod, fmt.Sprintf("/award @user%02d %d helpful", i, extra))
	}
	out := bottest.Texts(e.tb.Say(bottest.Group, accts[11], "/top"))[0]
	lines := strings.Split(out, "\n")
	want := []string{"Top members of all time", "1. User09 — 120", "2. User08 — 110", "3. User07 — 100", "4. User06 — 90",
		"5. User05 — 80", "6. User03 — 60", "6. User04 — 60", "8. User02 — 50", "9. User01 — 40", "10. User00 — 30", "You: #11 — 20"}
	if strings.Join(lines, "|") != strings.Join(want, "|") {
		t.Fatalf("/top:\n%s\nwant:\n%s", out, strings.Join(want, "\n"))
	}
	// A week later only this week's points count on the weekly board.
	e.tb.Clock.Advance(7 * 24 * time.Hour)
	e.tb.Say(bottest.Group, accts[10], "a new week begins")
	week := bottest.Joined(e.tb.Say(bottest.Group, accts[10], "/leaderboard week"))
	if !strings.Contains(week, "1. User10 — 20") || strings.Contains(week, "User09") {
		t.Fatalf("/top week: %q", week)
	}
	month := bottest.Joined(e.tb.Say(bottest.Group, accts[10], "/top month"))
	mustContain(t, month, "1. User09 — 120", "User10 — 40")
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Group, accts[0], "/top week")), "You are not on this board yet")
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Group, accts[0], "/top year")), "Usage: /top")
}

func shopConfig() points.Config {
	return points.Config{Shop: []points.Item{
		{ID: "tshirt", Name: "ACME T-shirt", Cost: 100, Stock: 1},
		{ID: "call", Name: "Call with the founders", Cost: 50, MinTier: "VIP"},
	}}
}

func TestRedeem_RaceForLastItemGivesItToOne(t *testing.T) {
	e := newEnv(t, shopConfig())
	for _, who := range []string{"@alice", "@bob"} {
		e.tb.Say(bottest.Group, who2acct(who), "joining the community today")
		e.tb.Say(bottest.Group, bottest.Mod, "/award "+who+" 80 welcome")
	}
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Group, bottest.Alice, "/shop")), "ACME T-shirt — 100 points", "(1 left)", "1 more reward")
	before := len(e.tb.Telegram.Sent())
	var wg sync.WaitGroup
	for _, a := range []bot.Account{bottest.Alice, bottest.Bob} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.tb.Say(bottest.Group, a, "/redeem tshirt")
		}()
	}
	wg.Wait()
	won, lost := 0, 0
	for _, s := range e.tb.Telegram.Sent()[before:] {
		switch {
		case strings.Contains(s.Text(), "You redeemed"):
			won++
		case strings.Contains(s.Text(), "sold out"):
			lost++
		}
	}
	if won != 1 || lost != 1 {
		t.Fatalf("%d members got the last T-shirt, %d were told it is sold out", won, lost)
	}
	if a, b := e.balance(bottest.Alice), e.balance(bottest.Bob); a+b != 100 || a < 0 || b < 0 {
		t.Fatalf("balances %d and %d, want 0 and 100", a, b)
	}
	// The request reached the moderators with buttons; a refund restores the
	// balance and the stock, and cannot happen twice.
	var req bottest.Sent
	for _, s := range e.tb.Telegram.Sent() {
		if s.Ref.Chat == bottest.ModChat && len(s.Msg.Buttons) > 0 {
			req = s
		}
	}
	mustContain(t, req.Text(), "redeemed ACME T-shirt for 100 points")
	refund := req.Msg.Buttons[0][1].Data
	mustContain(t, bottest.Joined(e.tb.Press(bottest.ModChat, bottest.Alice, refund)), "That button is not for you")
	mustContain(t, bottest.Joined(e.tb.Press(bottest.ModChat, bottest.Mod, refund)), "refunded by Mia Mod")
	if a, b := e.balance(bottest.Alice), e.balance(bottest.Bob); a != 100 || b != 100 {
		t.Fatalf("after refund: %d and %d", a, b)
	}
	mustContain(t, bottest.Joined(e.tb.Press(bottest.ModChat, bottest.Mod, req.Msg.Buttons[0][0].Data)), "already refunded")
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Group, bottest.Bob, "/redeem call")), "needs the VIP tier")
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Group, bottest.Bob, "/redeem nothing")), "There is no reward")
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Group, bottest.Bob, "/redeem tshirt")), "You redeemed")
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Group, bottest.Alice, "/redeem tshirt")), "sold out")
}

func who2acct(name string) bot.Account {
	if name == "@bob" {
		return bottest.Bob
	}
	return bottest.Alice
}

func TestTierAndBadge_Manual(t *testing.T) {
	e := newEnv(t, shopConfig())
	e.tb.Say(bottest.Group, bottest.Bob, "hello from Bob today")
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Group, bottest.Mod, "/tier @bob Astronaut")), "not a manual tier", "Opinion Leader")
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Group, bottest.Mod, "/tier @bob opinion leader")), "Bob now has the tier Opinion Leader")
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Group, bottest.Mod, "/badge grant @bob Gold Backer")), "Bob received the badge “Gold Backer”")
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Group, bottest.Bob, "/points")), "Tier: Opinion Leader", "Gold Backer", "First message")
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Group, bottest.Mod, "/badge revoke @bob gold backer")), "removed the badge")
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Group, bottest.Mod, "/badge revoke @bob gold backer")), "has no badge")
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Group, bottest.Bob, "/badge grant @bob Self")), "Only a moderator")
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Group, bottest.Bob, "/redeem call")), "costs 50 points and you have 20")
}
