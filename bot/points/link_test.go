package points_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/bottest"
	"github.com/cohortbot/cohort/bot/points"
)

var codeRE = regexp.MustCompile("link code: ([A-Z0-9]{8})")

func linkCode(t *testing.T, e *env, chat bot.ChatRef, acct bot.Account) string {
	t.Helper()
	sent := e.tb.Say(chat, acct, "/link")
	for _, s := range sent {
		if m := codeRE.FindStringSubmatch(s.Text()); m != nil {
			if s.Direct != acct.ID {
				t.Fatalf("the code was not sent privately: %+v", s)
			}
			return m[1]
		}
	}
	t.Fatalf("no code in %q", bottest.Joined(sent))
	return ""
}

func TestLink_MergesBalancesAndSharesTheCooldown(t *testing.T) {
	e := newEnv(t, points.Config{})
	e.tb.Say(bottest.Group, bottest.Alice, "hello from telegram side")
	e.tb.Say(bottest.Channel, bottest.AliceDiscord, "hello from discord side")
	e.tb.Say(bottest.Group, bottest.Mod, "/award @alice 5 welcome")
	code := linkCode(t, e, bottest.Group, bottest.Alice)
	out := bottest.Joined(e.tb.Say(bottest.Channel, bottest.AliceDiscord, "/link "+code))
	mustContain(t, out, "Linked!", "telegram Alice", "discord alice_d", "Balance: 45")
	tg, dc := e.member(bottest.Alice), e.member(bottest.AliceDiscord)
	if tg.ID != dc.ID || len(tg.Accounts) != 2 {
		t.Fatalf("accounts not joined: %v / %v", tg, dc)
	}
	if got := e.balance(bottest.AliceDiscord); got != 45 {
		t.Fatalf("merged balance %d, want 45", got)
	}
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Channel, bottest.AliceDiscord, "/link "+code)), "unknown, used or expired")
	// One cooldown across both platforms.
	e.tb.Clock.Advance(2 * time.Minute)
	e.tb.Say(bottest.Channel, bottest.AliceDiscord, "a fresh message on discord")
	e.tb.Clock.Advance(10 * time.Second)
	e.tb.Say(bottest.Group, bottest.Alice, "and a fresh one on telegram")
	if got := e.balance(bottest.Alice); got != 65 {
		t.Fatalf("linked member earned twice within a cooldown: %d, want 65", got)
	}
	e.tb.Clock.Advance(time.Minute)
	e.tb.Say(bottest.Group, bottest.Alice, "after the shared cooldown")
	if got := e.balance(bottest.Alice); got != 85 {
		t.Fatalf("after the cooldown: %d, want 85", got)
	}
	top := bottest.Joined(e.tb.Say(bottest.Group, bottest.Alice, "/top"))
	mustContain(t, top, "1. Alice — 85")
	// Moderators can unlink; the points stay with the member.
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Group, bottest.Alice, "/unlink discord:5001")), "Only a moderator")
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Group, bottest.Mod, "/unlink discord:5001")), "discord:5001 was unlinked from Alice")
	if e.balance(bottest.Alice) != 85 || e.balance(bottest.AliceDiscord) != 0 {
		t.Fatalf("after unlink: %d and %d", e.balance(bottest.Alice), e.balance(bottest.AliceDiscord))
	}
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Group, bottest.Mod, "/unlink telegram:1001")), "only account")
}

func TestLink_CodesExpireAndGuessesAreLimited(t *testing.T) {
	e := newEnv(t, points.Config{})
	e.tb.Say(bottest.Group, bottest.Alice, "hello there everyone")
	code := linkCode(t, e, bottest.Group, bottest.Alice)
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Group, bottest.Bob, "/link "+code)), "same platform")
	e.tb.Clock.Advance(11 * time.Minute)
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Channel, bottest.Dan, "/link "+code)), "expired")
	code = linkCode(t, e, bottest.Group, bottest.Alice)
	for range 4 {
		mustContain(t, bottest.Joined(e.tb.Say(bottest.Channel, bottest.Dan, "/link WRONG123")), "unknown")
	}
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Channel, bottest.Dan, "/link "+code)), "Too many wrong codes")
	e.tb.Clock.Advance(time.Hour)
	code = linkCode(t, e, bottest.Group, bottest.Alice)
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Channel, bottest.Dan, "/link "+code)), "Linked!")
	e.tb.Telegram.BlockDM(bottest.Bob.ID)
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Group, bottest.Bob, "/link")), "can't send you a private message")
}

func TestReferral_PaysOnlyAfterActivityAndNeverForSelfOrRejoin(t *testing.T) {
	e := newEnv(t, points.Config{Referral: points.ReferralConfig{ActiveDays: 2, Messages: 3}})
	e.tb.Say(bottest.Group, bottest.Bob, "Bob was here before")
	out := bottest.Joined(e.tb.Say(bottest.Group, bottest.Alice, "/invite"))
	m := regexp.MustCompile(`https://invite\.example/\S+`).FindString(out)
	if m == "" {
		t.Fatalf("/invite: %q", out)
	}
	if again := bottest.Joined(e.tb.Say(bottest.Group, bottest.Alice, "/invite")); !regexp.MustCompile(regexp.QuoteMeta(m)).MatchString(again) {
		t.Fatalf("a second /invite made a new link: %q", again)
	}
	carol := bot.Account{Platform: bot.Telegram, ID: "1500", Name: "Carol", Username: "carol"}
	e.tb.Join(bottest.Group, bottest.Alice, m) // self
	e.tb.Join(bottest.Group, bottest.Bob, m)   // rejoin
	e.tb.Join(bottest.Group, carol, m)
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Group, bottest.Alice, "/invite")), "joined through it: 1", "counted: 0")
	for i, text := range []string{"hi I am Carol, new", "what is the roadmap?"} {
		e.tb.Say(bottest.Group, carol, text)
		e.tb.Clock.Advance(time.Duration(i+1) * time.Minute)
	}
	aliceBefore := e.balance(bottest.Alice)
	e.tb.Clock.Advance(24 * time.Hour)
	e.tb.Say(bottest.Group, carol, "back on day two")
	if got := e.balance(bottest.Alice) - aliceBefore; got != 100 {
		t.Fatalf("referrer earned %d after the new member qualified, want 100", got)
	}
	e.tb.Clock.Advance(2 * time.Minute)
	e.tb.Say(bottest.Group, carol, "more messages later on")
	if got := e.balance(bottest.Alice) - aliceBefore; got != 100 {
		t.Fatalf("referral paid twice: %d", got)
	}
	mustContain(t, bottest.Joined(e.tb.Say(bottest.Group, bottest.Alice, "/invite")), "joined through it: 1", "counted: 1")
	if st := e.state(bottest.Bob); st.ReferredBy != "" {
		t.Fatal("a rejoin was attributed")
	}
}
