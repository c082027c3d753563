package schedule_test

import (
	"context"
	"testing"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/bottest"
)

func TestEvent_CapWaitlistRemindersAndCheckin(t *testing.T) {
	r := newRig(t, rigOptions{start: at(0, 9, 0)})
	ctx := context.Background()
	created := r.Say(bottest.Group, bottest.Mod, `/event create "Roadshow Shanghai" 2026-01-07 20:00 --duration 2h --cap 2`)
	mustContain(t, bottest.Joined(created), "Event #1 created. Check-in code:")
	post := in(created, bottest.Channel)
	if len(post) != 1 || len(post[0].Msg.Buttons) != 1 || post[0].Msg.Buttons[0][0].Data != "rsvp:1" {
		t.Fatalf("event post %+v", post)
	}
	mustContain(t, post[0].Text(), "2026-01-07 20:00 Asia/Shanghai · 2h · 2 places")
	e, _, _ := r.st.Event(ctx, "acme", "1")

	mustContain(t, bottest.Joined(r.Press(bottest.Group, bottest.Alice, "rsvp:1")), "You're going to Roadshow Shanghai")
	mustContain(t, bottest.Joined(r.Say(bottest.Group, bottest.Bob, "/rsvp 1")), "You're going")
	mustContain(t, bottest.Joined(r.Press(bottest.Channel, bottest.Dan, "rsvp:1")), "full; you're number 1 on the waitlist")
	mustContain(t, bottest.Joined(r.Say(bottest.Group, bottest.Bob, "/rsvp 1")), "already going")
	mustContain(t, bottest.Joined(r.Say(bottest.Group, bottest.Alice, "/events")), "#1 Roadshow Shanghai — 2026-01-07 20:00 Asia/Shanghai · 2/2 going · you're going")
	if e, _, _ = r.st.Event(ctx, "acme", "1"); len(e.Going) != 2 || len(e.Waitlist) != 1 {
		t.Fatalf("going %v waitlist %v", e.Going, e.Waitlist)
	}

	r.Telegram.BlockDM(bottest.Bob.ID)
	if sent := r.advanceTo(t, at(1, 19, 59)); len(sent) != 0 {
		t.Fatalf("early reminder: %v", bottest.Texts(sent))
	}
	sent := r.advanceTo(t, at(1, 20, 0))
	if dm := dms(sent, bottest.Alice.ID); len(dm) != 1 || dm[0].Text() != "⏰ Roadshow Shanghai starts in 24h (2026-01-07 20:00 Asia/Shanghai)." {
		t.Fatalf("Alice's reminder: %v", bottest.Texts(sent))
	}
	if m := in(sent, bottest.Group); len(m) != 1 || m[0].Text() != "@bob ⏰ Roadshow Shanghai starts in 24h (2026-01-07 20:00 Asia/Shanghai)." || m[0].Msg.Mention[0].ID != bottest.Bob.ID {
		t.Fatalf("Bob's mention: %v", bottest.Texts(sent))
	}
	if len(sent) != 2 {
		t.Fatalf("reminders to the waitlist or elsewhere: %v", bottest.Texts(sent))
	}
	if again := r.advanceTo(t, at(1, 20, 30)); len(again) != 0 {
		t.Fatalf("reminder sent twice: %v", bottest.Texts(again))
	}

	// Alice cancels; Dan moves up and is told.
	cancel := r.Say(bottest.Group, bottest.Alice, "/rsvp cancel 1")
	mustContain(t, bottest.Joined(cancel), "no longer signed up")
	if dm := dms(cancel, bottest.Dan.ID); len(dm) != 1 {
		t.Fatalf("Dan not told of his place: %v", bottest.Texts(cancel))
	} else {
		mustContain(t, dm[0].Text(), "a place freed up and you're now going to Roadshow Shanghai")
	}

	sent = r.advanceTo(t, at(2, 19, 45))
	if len(dms(sent, bottest.Dan.ID)) != 1 || len(in(sent, bottest.Group)) != 1 || len(dms(sent, bottest.Alice.ID)) != 0 {
		t.Fatalf("15-minute reminders: %v", bottest.Texts(sent))
	}
	mustContain(t, dms(sent, bottest.Dan.ID)[0].Text(), "starts in 15m")

	sent = r.advanceTo(t, at(2, 20, 0))
	if mods := in(sent, bottest.ModChat); len(mods) != 1 {
		t.Fatalf("start notice: %v", bottest.Texts(sent))
	} else {
		mustContain(t, mods[0].Text(), "Check-in code: "+e.Code)
	}
	mustContain(t, bottest.Joined(r.Say(bottest.Group, bottest.Alice, "/rsvp 1")), "Sign-up for Roadshow Shanghai is closed.")
	mustContain(t, bottest.Joined(r.Say(bottest.Channel, bottest.Dan, "/checkin WRONG1")), "does not match")
	mustContain(t, bottest.Joined(r.Say(bottest.Channel, bottest.Dan, "/checkin "+e.Code)), "Checked in at Roadshow Shanghai! +5 points.")
	mustContain(t, bottest.Joined(r.Say(bottest.Channel, bottest.Dan, "/checkin "+e.Code)), "already checked in")
	if paid := r.rewards.times(bot.RuleCheckin, "event:1"); len(paid) != 1 {
		t.Fatalf("check-in rewards %v", paid)
	}

	r.advanceTo(t, at(2, 22, 0))
	mustContain(t, bottest.Joined(r.Say(bottest.Group, bottest.Alice, "/events")), "No upcoming events.")
	mustContain(t, bottest.Joined(r.Say(bottest.Channel, bottest.Dan, "/checkin "+e.Code)), "does not match")
}

func TestEvent_Refusals(t *testing.T) {
	r := newRig(t, rigOptions{start: at(0, 9, 0)})
	cases := []struct {
		from bot.Account
		cmd  string
		want string
	}{
		{bottest.Alice, `/event create "AMA" tomorrow 9:00`, "Only a moderator can use /event."},
		{bottest.Mod, `/event create "AMA" someday`, `I can't read the time "someday"`},
		{bottest.Mod, `/event create "AMA" in 2h --cap zero`, `"zero" is not a valid number of places.`},
		{bottest.Mod, `/event create "AMA" in 2h --duration forever`, `"forever" is not a duration`},
		{bottest.Mod, "/event code 3", "There is no event #3."},
		{bottest.Alice, "/rsvp 3", "There is no event #3."},
		{bottest.Alice, "/rsvp cancel x", "There is no event #x."},
		{bottest.Alice, "/checkin", "Usage: /checkin CODE"},
	}
	for _, c := range cases {
		t.Run(c.cmd, func(t *testing.T) {
			mustContain(t, bottest.Joined(r.Say(bottest.Group, c.from, c.cmd)), c.want)
		})
	}
	if got := r.Press(bottest.Group, bottest.Alice, "rsvp:1:forged"); len(got) != 0 {
		t.Fatalf("forged button answered: %v", bottest.Texts(got))
	}
}
