package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohort/adapters/discord/discordtest"
	"github.com/cohortbot/cohort/adapters/telegram/telegramtest"
)

var tgEve = telegramtest.User{ID: 1005, FirstName: "Eve", Username: "eve", LanguageCode: "en"}

func TestEndToEnd_Moderation_Telegram(t *testing.T) {
	w := startWorldWith(t, worldOptions{})
	w.tg.MakeAdmin(tgGroup, tgAdmin, "administrator")
	for _, u := range []telegramtest.User{tgAlice, tgBob, tgEve} {
		w.say(u, "Hi all, happy to be part of this community")
	}

	w.say(tgMod, "/warn @alice please keep it civil")
	w.waitTelegram(t, tgGroup, "Alice was warned")
	w.waitTelegram(t, tgMods, "Warn #1 · Alice (telegram:1001)")

	start := time.Now()
	w.say(tgMod, "/mute @bob 2h rude replies")
	w.waitTelegram(t, tgGroup, "Bob is muted for")
	mute := w.tgCall(t, "restrictChatMember", func(c telegramtest.Call) bool { return c.Int("user_id") == tgBob.ID })
	if until := time.Unix(mute.Int("until_date"), 0); until.Before(start.Add(2*time.Hour-time.Minute)) || until.After(start.Add(2*time.Hour+time.Minute)) {
		t.Fatalf("restrictChatMember until_date = %v, want about 2h from %v", until, start)
	}
	if st, _ := w.tg.MemberStatus(tgGroup, tgBob.ID); st != "restricted" {
		t.Fatalf("Bob's status = %s", st)
	}

	w.say(tgMod, "/ban @eve scam links")
	w.waitTelegram(t, tgGroup, "Eve is banned")
	if st, _ := w.tg.MemberStatus(tgGroup, tgEve.ID); st != "kicked" {
		t.Fatalf("Eve's status = %s", st)
	}

	t.Run("members cannot ban", func(t *testing.T) {
		w.say(tgAlice, "/ban @bob I don't like him")
		w.waitTelegram(t, tgGroup, "Only a moderator can use /ban")
	})
	t.Run("moderators are protected", func(t *testing.T) {
		w.say(tgAdmin, "Hello, admin here")
		w.say(tgMod, "/mute @ada 1h test")
		w.waitTelegram(t, tgGroup, "moderators cannot be punished")
	})
}

func TestEndToEnd_Moderation_TelegramAutomatic(t *testing.T) {
	w := startWorldWith(t, worldOptions{})

	t.Run("a link from a new member is deleted with a warning", func(t *testing.T) {
		w.tg.AddUpdate(telegramtest.Joined(tgGroup, tgNewbie, ""))
		id := w.say(tgNewbie, "Free airdrop at https://claim-acme.example.com hurry")
		eventually(t, "the link deleted", func() bool {
			m, _ := w.tg.Message(tgGroup, id)
			return m.Deleted
		})
		w.waitTelegram(t, tgGroup, "Nina, your message was removed: links are allowed after 3 days")
	})

	t.Run("a flood mutes per the ladder", func(t *testing.T) {
		for i := range 10 {
			w.say(tgLi, fmt.Sprintf("刷屏消息第%d条", i))
		}
		w.tgCall(t, "restrictChatMember", func(c telegramtest.Call) bool { return c.Int("user_id") == tgLi.ID })
		if st, until := w.tg.MemberStatus(tgGroup, tgLi.ID); st != "restricted" || until == 0 {
			t.Fatalf("Li's status = %s until %d", st, until)
		}
	})
}

func TestEndToEnd_Moderation_Discord(t *testing.T) {
	w := startWorldWith(t, worldOptions{})
	w.dc.DispatchMessage(discordtest.ChannelID, discordtest.MemberID, "Hi all, happy to be part of this community")

	in := w.slash(discordtest.ModeratorID, "warn", discordtest.UserOption("member", discordtest.MemberID), discordtest.StringOption("reason", "keep it civil"))
	w.answered(t, in, "Mike was warned")

	start := time.Now()
	in = w.slash(discordtest.ModeratorID, "mute", discordtest.UserOption("member", discordtest.MemberID),
		discordtest.StringOption("duration", "2h"), discordtest.StringOption("reason", "rude replies"))
	w.answered(t, in, "Mike is muted for")
	patch := w.dc.WaitRequest(t, http.MethodPatch, "/api/v9/guilds/"+discordtest.GuildID+"/members/"+discordtest.MemberID, nil)
	ts, _ := patch.JSON()["communication_disabled_until"].(string)
	until, err := time.Parse(time.RFC3339, ts)
	if err != nil || until.Before(start.Add(2*time.Hour-time.Minute)) || until.After(start.Add(2*time.Hour+time.Minute)) {
		t.Fatalf("timeout until %q, want about 2h from %v", ts, start)
	}

	t.Run("members cannot ban", func(t *testing.T) {
		in := w.slash(discordtest.MemberID, "ban", discordtest.UserOption("member", discordtest.OwnerID), discordtest.StringOption("reason", "x"))
		w.answered(t, in, "Only a moderator can use /ban")
	})

	in = w.slash(discordtest.ModeratorID, "ban", discordtest.UserOption("member", discordtest.MemberID), discordtest.StringOption("reason", "scam links"))
	w.answered(t, in, "Mike is banned")
	eventually(t, "Mike banned", func() bool { return w.dc.Banned(discordtest.GuildID, discordtest.MemberID) })
}

func TestEndToEnd_Moderation_DiscordAutomatic(t *testing.T) {
	w := startWorldWith(t, worldOptions{})

	t.Run("a link from a new member is deleted with a warning", func(t *testing.T) {
		newbie := w.dc.AddUser("nina")
		w.dc.DispatchMemberJoin(discordtest.GuildID, newbie)
		id := w.dc.DispatchMessage(discordtest.ChannelID, newbie, "Free airdrop at https://claim-acme.example.com hurry")
		w.dc.WaitRequest(t, http.MethodDelete, "/api/v9/channels/"+discordtest.ChannelID+"/messages/"+id, nil)
		w.dcSaid(t, discordtest.ChannelID, "your message was removed: links are allowed after 3 days")
	})

	t.Run("a flood mutes per the ladder", func(t *testing.T) {
		for i := range 10 {
			w.dc.DispatchMessage(discordtest.ChannelID, discordtest.MemberID, fmt.Sprintf("spam message number %d", i))
		}
		w.dc.WaitRequest(t, http.MethodPatch, "/api/v9/guilds/"+discordtest.GuildID+"/members/"+discordtest.MemberID, func(r discordtest.Request) bool {
			ts, _ := r.JSON()["communication_disabled_until"].(string)
			return ts != ""
		})
		if n := len(w.dc.Requests(http.MethodDelete, "/api/v9/channels/"+discordtest.ChannelID+"/messages/*")); n == 0 {
			t.Fatal("no flood message was deleted")
		}
		if !strings.Contains(fmt.Sprint(w.dc.Member(discordtest.GuildID, discordtest.MemberID)["communication_disabled_until"]), "T") {
			t.Fatal("Mike is not timed out")
		}
	})
}
