package schedule_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/bottest"
	"github.com/cohortbot/cohort/store"
)

// nativePoll returns the poll message the bot posted in a chat.
func nativePoll(t *testing.T, sent []bottest.Sent, chat bot.ChatRef) bot.MessageRef {
	t.Helper()
	for _, s := range in(sent, chat) {
		if s.Msg.Poll != nil {
			return s.Ref
		}
	}
	t.Fatalf("no poll in %s: %v", chat, bottest.Texts(sent))
	return bot.MessageRef{}
}

func vote(r *rig, from bot.Account, v bot.PollVote) []bottest.Sent {
	return r.Handle(&bot.Event{Kind: bot.EventPollVote, Chat: v.Message.Chat, From: from, Poll: &v})
}

func TestPoll_OneTallyAcrossPlatformsAndLinkedAccounts(t *testing.T) {
	r := newRig(t, rigOptions{start: at(0, 9, 0), members: func(st *store.Store) bot.MemberDirectory {
		return linked{Store: st, alias: map[string]bot.Account{bottest.AliceDiscord.Key(): bottest.Alice}}
	}})
	sent := r.Say(bottest.Group, bottest.Mod, `/poll --closes 2h --to general "Next AMA day?" Monday Tuesday "Wed night"`)
	tg, dc := nativePoll(t, sent, bottest.Group), nativePoll(t, sent, bottest.Channel)
	if p := in(sent, bottest.Channel)[0].Msg.Poll; p.Question != "Next AMA day?" || len(p.Options) != 3 || p.Options[2] != "Wed night" || p.Duration != 2 {
		t.Fatalf("native poll %+v", p)
	}
	if len(in(sent, investors)) != 0 {
		t.Fatal("poll went outside its segment")
	}

	vote(r, bottest.Alice, bot.PollVote{PollID: "tg-77", Message: tg, Options: []int{0}})
	vote(r, bottest.Dan, bot.PollVote{Message: dc, Options: []int{1}, Added: true, Partial: true})
	// Alice changes her mind on Discord: still one vote, now Tuesday.
	vote(r, bottest.AliceDiscord, bot.PollVote{Message: dc, Options: []int{1}, Added: true, Partial: true})
	// After an adapter restart Telegram votes carry only the poll id.
	vote(r, bottest.Bob, bot.PollVote{PollID: "tg-77", Options: []int{2}})
	// A vote on a poll the bot does not know changes nothing.
	vote(r, bottest.Li, bot.PollVote{PollID: "other", Options: []int{0}})

	res := bottest.Joined(r.Say(bottest.Group, bottest.Mod, "/poll results"))
	mustContain(t, res, "Poll #1: Next AMA day? — 3 voters so far")
	mustContain(t, res, "Monday\n░░░░░░░░░░ 0% (0)")
	mustContain(t, res, "Tuesday\n███████░░░ 67% (2)")
	mustContain(t, res, "Wed night\n███░░░░░░░ 33% (1)")

	paid := r.rewards.times(bot.RulePollVote, "poll:1")
	if len(paid) != 3 {
		t.Fatalf("rewards %v, want one per member", paid)
	}

	// Dan withdraws, then the poll closes on time.
	vote(r, bottest.Dan, bot.PollVote{Message: dc, Options: []int{1}, Added: false, Partial: true})
	if sent := r.advanceTo(t, at(0, 10, 59)); len(sent) != 0 {
		t.Fatalf("closed early: %v", bottest.Texts(sent))
	}
	sent = r.advanceTo(t, at(0, 11, 0))
	for _, chat := range []bot.ChatRef{bottest.Group, bottest.Channel} {
		got := in(sent, chat)
		if len(got) != 1 {
			t.Fatalf("%s results: %v", chat, bottest.Texts(sent))
		}
		mustContain(t, got[0].Text(), "Final results, poll #1: Next AMA day? — 2 voters")
		mustContain(t, got[0].Text(), "Tuesday\n█████░░░░░ 50% (1)")
	}
	for _, a := range []*bottest.Adapter{r.Telegram, r.Discord} {
		if acts := a.Actions(); len(acts) != 1 || acts[0].Kind != "close_poll" {
			t.Fatalf("%v", acts)
		}
	}
	// Late votes do not change the final tally; closing twice posts nothing.
	vote(r, bottest.Dan, bot.PollVote{Message: dc, Options: []int{0}, Added: true, Partial: true})
	if sent := r.advanceTo(t, at(0, 12, 0)); len(sent) != 0 {
		t.Fatalf("results posted twice: %v", bottest.Texts(sent))
	}
	mustContain(t, bottest.Joined(r.Say(bottest.Group, bottest.Mod, "/poll results 1")), "2 voters")
	mustContain(t, bottest.Joined(r.Say(bottest.Group, bottest.Mod, "/poll close 1")), "already closed")
}

func TestPoll_ScheduledAndExported(t *testing.T) {
	r := newRig(t, rigOptions{start: at(0, 9, 0)})
	got := bottest.Joined(r.Say(bottest.Group, bottest.Mod, `/poll --multi --at 18:00 "Which perks?" "=cmd()" Merch Access`))
	mustContain(t, got, "Poll #1 will be posted 2026-01-05 18:00 Asia/Shanghai to every chat")
	sent := r.advanceTo(t, at(0, 18, 0))
	tg := nativePoll(t, sent, bottest.Group)
	if !in(sent, bottest.Group)[0].Msg.Poll.Multi {
		t.Fatal("not a multiple-choice poll")
	}
	vote(r, bottest.Alice, bot.PollVote{PollID: "p1", Message: tg, Options: []int{1, 2}})

	exp := r.Say(bottest.Group, bottest.Mod, "/poll export 1")
	dm := dms(exp, bottest.Mod.ID)
	if len(dm) != 1 || len(dm[0].Msg.Files) != 1 {
		t.Fatalf("export: %v", bottest.Texts(exp))
	}
	csv := string(dm[0].Msg.Files[0].Data)
	for _, want := range []string{"option,votes\n'=cmd(),0\nMerch,1\nAccess,1\n", "Alice,Merch; Access"} {
		mustContain(t, csv, want)
	}
	if len(in(exp, bottest.Group)) != 1 || !strings.Contains(in(exp, bottest.Group)[0].Text(), "private message") {
		t.Fatalf("the group saw the export: %v", bottest.Texts(exp))
	}
	closes, _, _ := r.st.Poll(context.Background(), "acme", "1")
	if !closes.Closes.Equal(at(1, 18, 0)) {
		t.Fatalf("closes %v, want 24h after posting", closes.Closes)
	}
}

func TestPoll_Refusals(t *testing.T) {
	r := newRig(t, rigOptions{})
	cases := []struct {
		from bot.Account
		cmd  string
		want string
	}{
		{bottest.Alice, `/poll "Q?" A B`, "Only a moderator can use /poll."},
		{bottest.Mod, `/poll "Q?" A`, "a question and 2 to 10 options"},
		{bottest.Mod, `/poll "Q?" A a`, `Option "a" is empty, a duplicate`},
		{bottest.Mod, `/poll --closes soon "Q?" A B`, `"soon" is not a poll duration`},
		{bottest.Mod, `/poll --at yesterday "Q?" A B`, `I can't read the time "yesterday"`},
		{bottest.Mod, "/poll results", "There are no polls yet."},
		{bottest.Mod, "/poll export 7", "There is no poll #7."},
	}
	for _, c := range cases {
		t.Run(c.cmd, func(t *testing.T) {
			mustContain(t, bottest.Joined(r.Say(bottest.Group, c.from, c.cmd)), c.want)
		})
	}
}
