package main

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/cohortbot/cohort/adapters/discord/discordtest"
	"github.com/cohortbot/cohort/adapters/telegram/telegramtest"
)

// pointsConfig earns on every message (a cooldown shorter than the test)
// and opens a small shop.
const pointsConfig = `    points:
      cooldown: 1ms
      streak_bonus: 0
      shop:
        - {id: tshirt, name: ACME T-shirt, cost: 15, stock: 3}
        - {id: lambo, name: A Lambo, cost: 1000000}
`

var balanceRE = regexp.MustCompile(`: (\d+) points?`)

// balanceOf reads the balance out of a /points answer.
func balanceOf(t *testing.T, text string) int {
	t.Helper()
	m := balanceRE.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no balance in %q", text)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func TestEndToEnd_Points_Telegram(t *testing.T) {
	w := startWorldWith(t, worldOptions{community: pointsConfig})
	w.tg.MakeAdmin(tgGroup, tgAdmin, "administrator")

	w.say(tgAlice, "Good morning everyone, how is the solar farm going?")
	w.say(tgBob, "Hello all, I am new here and curious")
	w.say(tgAlice, "/points")
	got := w.waitTelegram(t, tgGroup, "Alice: ")
	if balanceOf(t, got.Text) != 20 {
		t.Fatalf("/points after one message: %q, want 20 points", got.Text)
	}

	w.say(tgAlice, "/top")
	top := w.waitTelegram(t, tgGroup, "Top members")
	if !strings.Contains(top.Text, "Alice") || !strings.Contains(top.Text, "Bob") {
		t.Fatalf("/top = %q", top.Text)
	}

	t.Run("award by configured moderator", func(t *testing.T) {
		w.say(tgMod, `/award @alice 50 great answer`)
		w.waitTelegram(t, tgGroup, "Awarded 50 points to Alice")
	})
	t.Run("award by chat administrator", func(t *testing.T) {
		w.say(tgAdmin, `/award @bob 7 helpful link`)
		w.waitTelegram(t, tgGroup, "Awarded 7 points to Bob")
	})
	t.Run("award by a member is refused", func(t *testing.T) {
		w.say(tgBob, `/award @bob 1000 myself`)
		w.tgMessage(t, tgGroup, func(m telegramtest.Message) bool {
			return strings.Contains(m.Text, "moderator") && !strings.Contains(m.Text, "Awarded")
		})
		if w.tgCount(tgGroup, "Awarded 1000") != 0 {
			t.Fatal("a member awarded points")
		}
	})

	t.Run("shop and redeem", func(t *testing.T) {
		w.say(tgAlice, "/shop")
		shop := w.waitTelegram(t, tgGroup, "Rewards shop")
		if !strings.Contains(shop.Text, "ACME T-shirt") || strings.Contains(shop.Text, "Lambo") {
			t.Fatalf("/shop = %q", shop.Text)
		}
		w.say(tgAlice, "/redeem tshirt")
		w.waitTelegram(t, tgGroup, "You redeemed ACME T-shirt")
		req := w.tgMessage(t, tgMods, func(m telegramtest.Message) bool { return strings.Contains(m.Text, "Reward request") })
		if !strings.Contains(req.Text, "Alice") || !strings.Contains(req.Text, "ACME T-shirt") || len(req.Markup) == 0 {
			t.Fatalf("fulfilment request = %+v", req)
		}
		w.say(tgAlice, "/redeem lambo")
		w.waitTelegram(t, tgGroup, "A Lambo costs 1000000 points")
	})

	t.Run("invite", func(t *testing.T) {
		w.say(tgBob, "/invite")
		w.waitTelegram(t, tgGroup, "https://t.me/+fakeInvite")
		c := w.tgCall(t, "createChatInviteLink", nil)
		if c.Params["name"] == "" || c.Int("chat_id") != tgGroup {
			t.Fatalf("createChatInviteLink %v: want a named link for the group", c.Params)
		}
	})
}

func TestEndToEnd_Points_Discord(t *testing.T) {
	w := startWorldWith(t, worldOptions{community: pointsConfig})

	w.dc.DispatchMessage(discordtest.ChannelID, discordtest.MemberID, "hello from the discord side of things")
	w.dc.DispatchMessage(discordtest.ChannelID, discordtest.MemberID, "!points")
	got := w.dcSaid(t, discordtest.ChannelID, "Mike: ")
	if n := balanceOf(t, texts(got.Body)); n != 20 {
		t.Fatalf("!points = %q, want 20 points", texts(got.Body))
	}
	in := w.slash(discordtest.MemberID, "points")
	w.answered(t, in, "Mike: 20 points")

	zoe := w.dc.AddUser("zoe")
	w.dc.DispatchMemberJoin(discordtest.GuildID, zoe)
	in = w.slash(zoe, "top")
	w.answered(t, in, "Mike")

	t.Run("award by Manage Server role", func(t *testing.T) {
		in := w.slash(discordtest.ModeratorID, "award", discordtest.UserOption("member", discordtest.MemberID),
			discordtest.IntOption("amount", 30), discordtest.StringOption("reason", "great AMA question"))
		w.answered(t, in, "Awarded 30 points to Mike")
	})
	t.Run("award by a member is refused", func(t *testing.T) {
		in := w.slash(zoe, "award", discordtest.UserOption("member", discordtest.MemberID),
			discordtest.IntOption("amount", 30), discordtest.StringOption("reason", "me"))
		w.answered(t, in, "moderator")
	})
	t.Run("shop and redeem", func(t *testing.T) {
		in := w.slash(discordtest.MemberID, "shop")
		w.answered(t, in, "ACME T-shirt")
		in = w.slash(discordtest.MemberID, "redeem", discordtest.StringOption("item", "tshirt"))
		w.answered(t, in, "You redeemed")
		w.waitTelegram(t, tgMods, "Reward request")
		in = w.slash(discordtest.MemberID, "redeem", discordtest.StringOption("item", "nosuch"))
		w.answered(t, in, "There is no reward")
	})
	t.Run("invite", func(t *testing.T) {
		in := w.slash(zoe, "invite")
		w.dc.WaitRequest(t, "POST", "/api/v9/channels/"+discordtest.ChannelID+"/invites", nil)
		codes := w.dc.Invites()
		if len(codes) != 1 {
			t.Fatalf("invites = %v", codes)
		}
		w.answered(t, in, codes[0])
	})
}

var linkCodeRE = regexp.MustCompile("link code: `?([A-Z0-9]{8})")

func TestEndToEnd_Points_LinkAcrossPlatforms(t *testing.T) {
	w := startWorldWith(t, worldOptions{community: pointsConfig})
	w.say(tgAlice, "Good morning everyone, how is the solar farm going?")
	w.dc.DispatchMessage(discordtest.ChannelID, discordtest.MemberID, "hello from the discord side of things")
	w.dc.DispatchMessage(discordtest.ChannelID, discordtest.MemberID, "!points")
	w.dcSaid(t, discordtest.ChannelID, "Mike: 20 points")

	t.Run("a wrong code is refused", func(t *testing.T) {
		in := w.slash(discordtest.MemberID, "link", discordtest.StringOption("code", "WRONG234"))
		w.answered(t, in, "unknown, used or expired")
	})

	w.tg.Start(tgAlice.ID)
	w.say(tgAlice, "/link")
	w.waitTelegram(t, tgGroup, "I sent you a link code")
	dm := w.waitTelegram(t, tgAlice.ID, "link code")
	code := linkCodeRE.FindStringSubmatch(dm.Text)
	if code == nil {
		t.Fatalf("no code in %q", dm.Text)
	}
	w.dc.DispatchMessage(discordtest.ChannelID, discordtest.MemberID, "!link "+code[1])
	done := w.dcSaid(t, discordtest.ChannelID, "Linked!")
	if !strings.Contains(texts(done.Body), "Balance: 40") {
		t.Fatalf("link answer %q: want the merged balance 40", texts(done.Body))
	}
	w.say(tgAlice, "/points")
	w.waitTelegram(t, tgGroup, "Alice: 40 points")

	t.Run("a used code is refused", func(t *testing.T) {
		in := w.slash(discordtest.OwnerID, "link", discordtest.StringOption("code", code[1]))
		w.answered(t, in, "unknown, used or expired")
	})
}

func TestEndToEnd_Points_LinkFromDiscord(t *testing.T) {
	w := startWorldWith(t, worldOptions{community: pointsConfig})
	w.dc.DispatchMessage(discordtest.ChannelID, discordtest.MemberID, "hello from the discord side of things")
	w.say(tgAlice, "Good morning everyone, how is the solar farm going?")
	// Each chat is handled in order: once /points answers in the group,
	// Alice's message there has been counted.
	w.say(tgAlice, "/points")
	w.waitTelegram(t, tgGroup, "Alice: 20 points")

	// The code is shown to the caller alone (an ephemeral answer).
	in := w.slash(discordtest.MemberID, "link")
	answer := w.answered(t, in, "Your link code")
	if cb := w.dc.WaitCallback(t, in); cb["data"].(map[string]any)["flags"] != 64.0 {
		t.Fatalf("the link code was not ephemeral: %v", cb)
	}
	code := linkCodeRE.FindStringSubmatch(answer)
	if code == nil {
		t.Fatalf("no code in %q", answer)
	}
	w.sayPrivate(tgAlice, "/link "+code[1])
	w.waitTelegram(t, tgAlice.ID, "Linked!")
	in = w.slash(discordtest.MemberID, "points")
	w.answered(t, in, ": 40 points")

	t.Run("a member whose DMs are closed is told how to open them", func(t *testing.T) {
		w.dc.BlockDMs(discordtest.OwnerID)
		w.dc.DispatchMessage(discordtest.ChannelID, discordtest.OwnerID, "!link")
		w.dcSaid(t, discordtest.ChannelID, "allow direct messages")
	})
}

func TestEndToEnd_Points_InviteWithoutRights(t *testing.T) {
	w := startWorldWith(t, worldOptions{noBotAdmin: true})
	w.say(tgAlice, "/invite")
	w.waitTelegram(t, tgGroup, "The platform did not give me an invite link")

	w.dc.FailNext(http.MethodPost, "/api/v9/channels/*/invites", discordtest.Failure{Status: 403, Code: 50013, Message: "Missing Permissions"})
	in := w.slash(discordtest.MemberID, "invite")
	w.answered(t, in, "The platform did not give me an invite link")
}
