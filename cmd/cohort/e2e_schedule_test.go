package main

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/cohortbot/cohort/adapters/discord/discordtest"
	"github.com/cohortbot/cohort/adapters/telegram/telegramtest"
)

func TestEndToEnd_Announce_BothPlatforms(t *testing.T) {
	w := startWorldWith(t, worldOptions{})

	w.say(tgMod, "/announce --pin Roadshow in Shanghai next Tuesday")
	w.waitTelegram(t, tgGroup, "Posted in 2 chats")
	post := w.waitTelegram(t, tgGroup, "Roadshow in Shanghai")
	w.dcSaid(t, discordtest.ChannelID, "Roadshow in Shanghai")
	eventually(t, "the Telegram announcement pinned", func() bool {
		m, _ := w.tg.Message(tgGroup, post.ID)
		return m.Pinned
	})
	w.dc.WaitRequest(t, http.MethodPut, "/api/v9/channels/"+discordtest.ChannelID+"/pins/*", nil)

	in := w.slash(discordtest.ModeratorID, "announce", discordtest.StringOption("text", "AMA with the founders on Friday"))
	w.answered(t, in, "Posted in 2 chats")
	w.waitTelegram(t, tgGroup, "AMA with the founders on Friday")
	w.dcSaid(t, discordtest.ChannelID, "AMA with the founders on Friday")

	t.Run("members cannot announce", func(t *testing.T) {
		w.say(tgAlice, "/announce buy my token")
		w.waitTelegram(t, tgGroup, "Only a moderator can use /announce")
		in := w.slash(discordtest.MemberID, "announce", discordtest.StringOption("text", "buy my token"))
		w.answered(t, in, "Only a moderator can use /announce")
		if w.tgCount(tgGroup, "buy my token") != 0 || w.dcCount(discordtest.ChannelID, "buy my token") != 0 {
			t.Fatal("a member's announcement was posted")
		}
	})
}

var pollIDRE = regexp.MustCompile(`#(\d+)`)

func TestEndToEnd_Poll_VotesFromBothPlatforms(t *testing.T) {
	w := startWorldWith(t, worldOptions{})

	w.say(tgMod, `/poll "Where should the next roadshow go?" "Shanghai" "Singapore" "Dubai"`)
	tgPoll := w.tgMessage(t, tgGroup, func(m telegramtest.Message) bool { return m.Kind == "poll" })
	send := w.tgCall(t, "sendPoll", nil)
	if send.Params["is_anonymous"] != "false" {
		t.Fatalf("sendPoll is_anonymous=%q: votes could not be counted", send.Params["is_anonymous"])
	}
	var dcPoll map[string]any
	eventually(t, "a Discord poll", func() bool {
		for _, m := range w.dc.ChannelMessages(discordtest.ChannelID) {
			if m["poll"] != nil {
				dcPoll = m
				return true
			}
		}
		return false
	})

	w.tg.AddUpdate(telegramtest.PollAnswer(tgPoll.PollID, tgAlice, 1))
	w.tg.AddUpdate(telegramtest.PollAnswer(tgPoll.PollID, tgBob, 0))
	w.dc.DispatchPollVote(discordtest.ChannelID, dcPoll["id"].(string), discordtest.MemberID, 2, true)

	var results string
	eventually(t, "3 voters in /poll results", func() bool {
		in := w.slash(discordtest.ModeratorID, "poll", discordtest.StringOption("args", "results"))
		results = w.answered(t, in, "Poll #")
		return strings.Contains(results, "3 voters")
	})
	if !strings.Contains(results, "Singapore") || !strings.Contains(results, "Shanghai") {
		t.Fatalf("results = %q", results)
	}
	id := pollIDRE.FindStringSubmatch(results)[1]

	w.say(tgMod, "/poll close "+id)
	w.waitTelegram(t, tgGroup, "Final results, poll #"+id)
	eventually(t, "the Telegram poll stopped", func() bool {
		_, _, closed, _ := w.tg.PollOf(tgPoll.PollID)
		return closed
	})
	w.dc.WaitRequest(t, http.MethodPost, "/api/v9/channels/"+discordtest.ChannelID+"/polls/*/expire", nil)
	w.dcSaid(t, discordtest.ChannelID, "Final results, poll #"+id)

	t.Run("a poll needs two options", func(t *testing.T) {
		w.say(tgMod, `/poll "Lonely question?" "only one"`)
		w.waitTelegram(t, tgGroup, "A poll needs a question and 2 to 10 options")
	})
}

var rsvpDataRE = regexp.MustCompile(`rsvp:[^"]+`)

func TestEndToEnd_Event_RSVPButtons(t *testing.T) {
	w := startWorldWith(t, worldOptions{})

	w.say(tgMod, `/event create "AMA with the founders" "in 3h" --cap 2`)
	w.waitTelegram(t, tgGroup, "Check-in code")
	post := w.tgMessage(t, tgGroup, func(m telegramtest.Message) bool {
		return strings.Contains(m.Text, "AMA with the founders") && len(m.Markup) > 0
	})
	data := rsvpDataRE.FindString(string(post.Markup))
	if data == "" {
		t.Fatalf("event post has no RSVP button: %s", post.Markup)
	}
	var dcPost map[string]any
	eventually(t, "the event in Discord", func() bool {
		for _, m := range w.dc.ChannelMessages(discordtest.ChannelID) {
			if strings.Contains(texts(mustJSON(m)), "AMA with the founders") && strings.Contains(string(mustJSON(m["components"])), data) {
				dcPost = m
				return true
			}
		}
		return false
	})

	u := telegramtest.CallbackQuery(tgGroup, post.ID, tgAlice, data)
	w.tg.AddUpdate(u)
	eventually(t, "the callback query answered", func() bool { return w.tg.Answered(telegramtest.QueryID(u)) })
	w.waitTelegram(t, tgGroup, "You're going to AMA with the founders")
	in := w.dc.DispatchButton(discordtest.Click{ChannelID: discordtest.ChannelID, UserID: discordtest.MemberID, MessageID: dcPost["id"].(string), CustomID: data})
	w.dc.WaitCallback(t, in)
	w.answered(t, in, "You're going to AMA with the founders")

	w.say(tgBob, "/events")
	list := w.waitTelegram(t, tgGroup, "AMA with the founders —")
	if !strings.Contains(list.Text, "2/2 going") {
		t.Fatalf("/events = %q, want 2/2 going", list.Text)
	}

	t.Run("full event waitlists", func(t *testing.T) {
		u := telegramtest.CallbackQuery(tgGroup, post.ID, tgBob, data)
		w.tg.AddUpdate(u)
		eventually(t, "the callback query answered", func() bool { return w.tg.Answered(telegramtest.QueryID(u)) })
		w.tgMessage(t, tgGroup, func(m telegramtest.Message) bool { return strings.Contains(m.Text, "waitlist") })
	})
}

func TestEndToEnd_Poll_LinkedMemberCountsOnce(t *testing.T) {
	w := startWorldWith(t, worldOptions{})
	w.tg.Start(tgAlice.ID)
	w.sayPrivate(tgAlice, "/link")
	dm := w.waitTelegram(t, tgAlice.ID, "link code")
	code := linkCodeRE.FindStringSubmatch(dm.Text)
	if code == nil {
		t.Fatalf("no code in %q", dm.Text)
	}
	w.dc.DispatchMessage(discordtest.ChannelID, discordtest.MemberID, "!link "+code[1])
	w.dcSaid(t, discordtest.ChannelID, "Linked!")

	w.say(tgMod, `/poll "Which report format?" "Video" "PDF"`)
	tgPoll := w.tgMessage(t, tgGroup, func(m telegramtest.Message) bool { return m.Kind == "poll" })
	var dcPoll map[string]any
	eventually(t, "a Discord poll", func() bool {
		for _, m := range w.dc.ChannelMessages(discordtest.ChannelID) {
			if m["poll"] != nil {
				dcPoll = m
				return true
			}
		}
		return false
	})
	results := func() string {
		in := w.slash(discordtest.ModeratorID, "poll", discordtest.StringOption("args", "results"))
		return w.answered(t, in, "Poll #")
	}
	w.tg.AddUpdate(telegramtest.PollAnswer(tgPoll.PollID, tgAlice, 0))
	eventually(t, "Alice's vote counted", func() bool { return strings.Contains(results(), "1 voter so far") })
	// Events of one Discord channel are handled in order: the results
	// below come after Mike's vote.
	w.dc.DispatchPollVote(discordtest.ChannelID, dcPoll["id"].(string), discordtest.MemberID, 1, true)
	if got := results(); !strings.Contains(got, "1 voter so far") {
		t.Fatalf("results = %q: the linked member must count once", got)
	}
	w.tg.AddUpdate(telegramtest.PollAnswer(tgPoll.PollID, tgBob, 1))
	eventually(t, "Bob's vote counted", func() bool { return strings.Contains(results(), "2 voters so far") })
}
