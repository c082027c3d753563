package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/cohortbot/cohort/adapters/discord/discordtest"
	"github.com/cohortbot/cohort/adapters/telegram/telegramtest"
)

// slashIn runs a slash command in a given channel.
func (w *world) slashIn(channel, user, name string, opts ...discordtest.Option) discordtest.Interaction {
	return w.dc.DispatchSlash(discordtest.Slash{Name: name, ChannelID: channel, UserID: user, Options: opts})
}

var rateDataRE = regexp.MustCompile(`fbr:[^"]+:5`)

func TestEndToEnd_Feedback_TelegramMemberToDiscordModerators(t *testing.T) {
	w := startWorldWith(t, worldOptions{modChat: "discord"})
	w.tg.Start(tgAlice.ID)

	id := w.say(tgAlice, "/feedback suggestion --anon Please publish the audit report before the next round")
	w.waitTelegram(t, tgAlice.ID, "Anonymous ticket #1")
	eventually(t, "the anonymous command removed from the group", func() bool {
		m, _ := w.tg.Message(tgGroup, id)
		return m.Deleted
	})
	relay := w.dcSaid(t, w.dcMods, "Ticket #1")
	text := texts(relay.Body)
	if !strings.Contains(text, "publish the audit report") || !strings.Contains(text, "an anonymous member") {
		t.Fatalf("relayed ticket = %q", text)
	}
	for _, leak := range []string{"Alice", "alice", "telegram:1001 ", "(1001)"} {
		if strings.Contains(text, leak) {
			t.Fatalf("anonymous ticket shows %q to moderators: %q", leak, text)
		}
	}

	t.Run("members cannot reply to tickets", func(t *testing.T) {
		in := w.slash(discordtest.MemberID, "reply", discordtest.StringOption("id", "1"), discordtest.StringOption("text", "hi"))
		w.answered(t, in, "Only a moderator can use /reply")
	})
	t.Run("unknown ticket", func(t *testing.T) {
		in := w.slashIn(w.dcMods, discordtest.ModeratorID, "reply", discordtest.StringOption("id", "99"), discordtest.StringOption("text", "hi"))
		w.answered(t, in, "There is no ticket #99")
	})

	in := w.slashIn(w.dcMods, discordtest.ModeratorID, "reply", discordtest.StringOption("id", "1"),
		discordtest.StringOption("text", "We will publish it on Monday"))
	w.answered(t, in, "sent to the member by private message")
	answer := w.waitTelegram(t, tgAlice.ID, "Answer to your ticket #1")
	if !strings.Contains(answer.Text, "We will publish it on Monday") {
		t.Fatalf("answer = %q", answer.Text)
	}

	var relayMsg map[string]any
	eventually(t, "the relayed ticket in #mods", func() bool {
		for _, m := range w.dc.ChannelMessages(w.dcMods) {
			if strings.Contains(texts(mustJSON(m)), "Ticket #1") {
				relayMsg = m
				return true
			}
		}
		return false
	})
	click := w.dc.DispatchButton(discordtest.Click{ChannelID: w.dcMods, UserID: discordtest.ModeratorID, MessageID: relayMsg["id"].(string), CustomID: "fbm:resolve:1"})
	w.dc.WaitCallback(t, click)

	prompt := w.tgMessage(t, tgAlice.ID, func(m telegramtest.Message) bool { return strings.Contains(m.Text, "How happy are you") })
	data := rateDataRE.FindString(string(prompt.Markup))
	if data == "" {
		t.Fatalf("rating prompt has no 5-star button: %s", prompt.Markup)
	}
	u := telegramtest.CallbackQuery(tgAlice.ID, prompt.ID, tgAlice, data)
	w.tg.AddUpdate(u)
	eventually(t, "the rating press answered", func() bool { return w.tg.Answered(telegramtest.QueryID(u)) })
	w.waitTelegram(t, tgAlice.ID, "Thanks for rating ticket #1 with 5/5")
	w.dcSaid(t, w.dcMods, "Ticket #1 rated ★★★★★")

	in = w.slashIn(w.dcMods, discordtest.ModeratorID, "tickets", discordtest.StringOption("what", "1"))
	detail := w.answered(t, in, "Ticket #1")
	if !strings.Contains(detail, "resolved") || !strings.Contains(detail, "★★★★★") {
		t.Fatalf("/tickets 1 = %q: want resolved with its rating", detail)
	}
}

func TestEndToEnd_Feedback_DiscordMemberToTelegramModerators(t *testing.T) {
	w := startWorldWith(t, worldOptions{})

	in := w.slash(discordtest.MemberID, "feedback", discordtest.StringOption("category", "question"),
		discordtest.StringOption("text", "When is the next progress report?"))
	w.answered(t, in, "Ticket #1")
	relay := w.tgMessage(t, tgMods, func(m telegramtest.Message) bool { return strings.Contains(m.Text, "Ticket #1") })
	if !strings.Contains(relay.Text, "Mike") || !strings.Contains(relay.Text, "next progress report") {
		t.Fatalf("relayed ticket = %q", relay.Text)
	}

	// The moderator answers by replying to the relayed message.
	w.tg.AddUpdate(telegramtest.Text(tgMods, tgMod, "It comes out on the first Monday of the month", telegramtest.TextOptions{ReplyTo: relay.ID}))
	dm := w.dcDM(t, "Answer to your ticket #1")
	if !strings.Contains(texts(dm.Body), "first Monday of the month") {
		t.Fatalf("answer DM = %q", texts(dm.Body))
	}
	w.waitTelegram(t, tgMods, "sent to the member by private message")

	t.Run("empty feedback is refused", func(t *testing.T) {
		w.say(tgBob, "/feedback")
		w.waitTelegram(t, tgGroup, "Usage: /feedback")
	})
}
