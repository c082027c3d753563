package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"image"
	_ "image/png"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/cohortbot/cohort/adapters/discord/discordtest"
	"github.com/cohortbot/cohort/adapters/telegram/telegramtest"
)

func TestEndToEnd_Sentinel_RiskAlerts(t *testing.T) {
	w := startWorldWith(t, worldOptions{})

	w.say(tgAlice, "I'm not worried about a scam at all")
	w.say(tgBob, "is this a rug pull?")
	alert := w.waitTelegram(t, tgMods, "Risk alert")
	if !strings.Contains(alert.Text, "is this a rug pull?") || !strings.Contains(alert.Text, "Bob") {
		t.Fatalf("alert = %q", alert.Text)
	}
	w.dc.DispatchMessage(discordtest.ChannelID, discordtest.MemberID, "这个项目是不是要跑路了")
	w.tgMessage(t, tgMods, func(m telegramtest.Message) bool { return strings.Contains(m.Text, "跑路") })

	if n := w.tgCount(tgMods, "not worried about a scam"); n != 0 {
		t.Fatalf("a negated scam mention raised %d alerts", n)
	}
}

func TestEndToEnd_Stats_Telegram(t *testing.T) {
	w := startWorldWith(t, worldOptions{})
	w.tg.AddUpdate(telegramtest.Joined(tgGroup, tgNewbie, ""))
	w.say(tgAlice, "Good morning everyone, how is the solar farm going?")
	w.say(tgBob, "Hello all, I am new here and curious")

	t.Run("members cannot see stats", func(t *testing.T) {
		w.say(tgAlice, "/stats")
		w.waitTelegram(t, tgGroup, "Only a moderator can use /stats")
	})

	w.say(tgMod, "/stats 7d")
	photo := w.tgCall(t, "sendPhoto", nil)
	if photo.Int("chat_id") != tgGroup {
		t.Fatalf("chart sent to %d", photo.Int("chat_id"))
	}
	f, ok := photo.Files["photo"]
	if !ok {
		t.Fatalf("sendPhoto without an uploaded photo: %v", photo.Params)
	}
	if _, format, err := image.Decode(bytes.NewReader(f.Data)); err != nil || format != "png" {
		t.Fatalf("chart does not decode as PNG: %v (%s)", err, format)
	}
	stats := w.tgMessage(t, tgGroup, func(m telegramtest.Message) bool { return m.Kind == "photo" || strings.Contains(m.Text, "DAU") })
	all := ""
	for _, m := range w.tg.Messages(tgGroup) {
		all += m.Text + "\n"
	}
	for _, want := range []string{"DAU", "2"} {
		if !strings.Contains(all, want) {
			t.Fatalf("/stats shows no %q: %q (%+v)", want, all, stats)
		}
	}

	w.tg.Start(tgMod.ID)
	w.say(tgMod, "/stats export")
	eventually(t, "daily.csv and members.csv", func() bool {
		n := 0
		for _, c := range w.tg.Calls("sendDocument") {
			if f, ok := c.Files["document"]; ok && c.Int("chat_id") == tgMod.ID && strings.HasSuffix(f.Name, ".csv") {
				if _, err := csv.NewReader(bytes.NewReader(f.Data)).ReadAll(); err != nil {
					t.Fatalf("%s is not CSV: %v", f.Name, err)
				}
				n++
			}
		}
		return n >= 2
	})
	w.waitTelegram(t, tgGroup, "I sent you the export in a private message")
}

func TestEndToEnd_Stats_Discord(t *testing.T) {
	w := startWorldWith(t, worldOptions{})
	w.dc.DispatchMessage(discordtest.ChannelID, discordtest.MemberID, "hello from the discord side of things")

	in := w.slash(discordtest.ModeratorID, "stats", discordtest.StringOption("period", "7d"))
	w.answered(t, in, "DAU")
	var png []byte
	eventually(t, "a PNG attachment", func() bool {
		for _, r := range w.dc.Requests("", "") {
			if !strings.Contains(r.Path, in.Token) {
				continue
			}
			for _, f := range r.Files {
				if strings.HasSuffix(f.Name, ".png") {
					png = f.Data
					return true
				}
			}
		}
		return false
	})
	if _, format, err := image.Decode(bytes.NewReader(png)); err != nil || format != "png" {
		t.Fatalf("chart does not decode as PNG: %v (%s)", err, format)
	}

	in = w.slash(discordtest.MemberID, "stats")
	w.answered(t, in, "Only a moderator can use /stats")
}

var forgetDataRE = regexp.MustCompile(`forget:yes:[^"]+`)

func TestEndToEnd_Privacy_Telegram(t *testing.T) {
	w := startWorldWith(t, worldOptions{})
	w.say(tgAlice, "Good morning everyone, how is the solar farm going?")

	t.Run("mydata needs a private chat first", func(t *testing.T) {
		w.say(tgBob, "/mydata")
		w.waitTelegram(t, tgGroup, "Open a private chat with me")
	})

	w.tg.Start(tgAlice.ID)
	w.say(tgAlice, "/mydata")
	w.waitTelegram(t, tgGroup, "I sent you your data in a private message")
	doc := w.tgCall(t, "sendDocument", func(c telegramtest.Call) bool { return c.Int("chat_id") == tgAlice.ID })
	var data map[string]any
	if err := json.Unmarshal(doc.Files["document"].Data, &data); err != nil {
		t.Fatalf("mydata is not JSON: %v", err)
	}
	if !strings.Contains(string(doc.Files["document"].Data), "alice") {
		t.Fatalf("mydata lacks the member's account: %s", doc.Files["document"].Data)
	}

	w.sayPrivate(tgAlice, "/forgetme")
	confirm := w.tgMessage(t, tgAlice.ID, func(m telegramtest.Message) bool { return strings.Contains(m.Text, "Are you sure?") })
	yes := forgetDataRE.FindString(string(confirm.Markup))
	if yes == "" {
		t.Fatalf("no confirm button: %s", confirm.Markup)
	}
	t.Run("someone else's confirm button is refused", func(t *testing.T) {
		u := telegramtest.CallbackQuery(tgGroup, confirm.ID, tgBob, yes)
		w.tg.AddUpdate(u)
		eventually(t, "Bob's press answered", func() bool { return w.tg.Answered(telegramtest.QueryID(u)) })
	})
	u := telegramtest.CallbackQuery(tgAlice.ID, confirm.ID, tgAlice, yes)
	w.tg.AddUpdate(u)
	eventually(t, "the press answered", func() bool { return w.tg.Answered(telegramtest.QueryID(u)) })
	w.waitTelegram(t, tgAlice.ID, "your personal data is deleted")
	w.say(tgMod, "/points @alice")
	w.waitTelegram(t, tgGroup, "I don't know @alice")
}

func TestEndToEnd_Privacy_Discord(t *testing.T) {
	w := startWorldWith(t, worldOptions{})
	w.dc.DispatchMessage(discordtest.ChannelID, discordtest.MemberID, "hello from the discord side of things")

	in := w.slash(discordtest.MemberID, "mydata")
	w.answered(t, in, "I sent you your data in a private message")
	dm := w.dc.WaitRequest(t, http.MethodPost, "/api/v9/channels/*/messages", func(r discordtest.Request) bool {
		return len(r.Files) > 0 && strings.HasSuffix(r.Files[0].Name, ".json")
	})
	if !json.Valid(dm.Files[0].Data) {
		t.Fatalf("mydata is not JSON: %s", dm.Files[0].Data)
	}

	in = w.slash(discordtest.MemberID, "forgetme")
	w.answered(t, in, "Are you sure?")
	cb := w.dc.WaitCallback(t, in)
	yes := forgetDataRE.FindString(string(mustJSON(cb)))
	if yes == "" {
		t.Fatalf("no confirm button in %v", cb)
	}
	click := w.dc.DispatchButton(discordtest.Click{ChannelID: discordtest.ChannelID, UserID: discordtest.MemberID, MessageID: "1", CustomID: yes})
	w.answered(t, click, "your personal data is deleted")
}
