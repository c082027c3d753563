package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohort/adapters/discord/discordtest"
	"github.com/cohortbot/cohort/adapters/telegram/telegramtest"
)

// More of the fake world: members, a moderator configured by account, and
// a chat administrator who is not.
var (
	tgBob    = telegramtest.User{ID: 1002, FirstName: "Bob", Username: "bob", LanguageCode: "en"}
	tgNewbie = telegramtest.User{ID: 1004, FirstName: "Nina", Username: "nina", LanguageCode: "en"}
	tgMod    = telegramtest.User{ID: 1900, FirstName: "Mod", Username: "mod", LanguageCode: "en"}
	tgAdmin  = telegramtest.User{ID: 1950, FirstName: "Ada", Username: "ada", LanguageCode: "en"}
	tgBot    = telegramtest.User{ID: telegramtest.BotID, FirstName: "Cohort Test", Username: telegramtest.BotUsername, IsBot: true}
)

// worldOptions shape the configuration of startWorldWith.
type worldOptions struct {
	// modChat is the community's mod_chat; empty means the Telegram
	// moderators' group. "discord" means the Discord #mods channel.
	modChat string
	// community is appended to the community's YAML (4-space indent).
	community string
	// top is appended at the top level of the YAML.
	top string
	// noBotAdmin leaves the bot without admin rights in the Telegram chats.
	noBotAdmin bool
}

// fullWorld is a world with a Discord moderators' channel as well.
type fullWorld struct {
	*world
	dcMods string
}

// startWorldWith is startWorld with a configurable mod_chat and top-level
// sections. The bot is an administrator of the Telegram group and the
// moderators' group unless told otherwise.
func startWorldWith(t *testing.T, o worldOptions) *fullWorld {
	t.Helper()
	w := &fullWorld{world: &world{tg: telegramtest.NewServer(t), dc: discordtest.NewServer(t), dataDir: t.TempDir()}}
	w.dcMods = w.dc.AddChannel("mods")
	if !o.noBotAdmin {
		w.tg.MakeAdmin(tgGroup, tgBot, "administrator")
		w.tg.MakeAdmin(tgMods, tgBot, "administrator")
	}
	modChat := o.modChat
	if modChat == "discord" {
		modChat = fmt.Sprintf("discord:%s/%s", discordtest.GuildID, w.dcMods)
	}
	cfg := w.config(worldConfig{
		limits: "per_chat: 1ms, per_chat_burst: 1000, group_per_minute: 60000, per_second: 10000",
		top:    o.top, modChat: modChat, community: o.community,
	})
	w.launch(t, cfg, func(logs string) { w.dump(t, logs) })
	return w
}

// dump logs what the bot did, to explain a failure.
func (w *fullWorld) dump(t *testing.T, logs string) {
	t.Logf("cohort log:\n%s", logs)
	for _, c := range w.tg.Calls("") {
		if c.Method != "getUpdates" && c.Method != "setMyCommands" {
			t.Logf("telegram %s %v", c.Method, c.Params)
		}
	}
	for _, r := range w.dc.Requests("", "") {
		t.Logf("discord %s %s %d %s", r.Method, r.Path, r.Status, r.Body)
	}
}

// eventually polls cond until it holds; the bot runs in other goroutines
// against real servers, so there is no clock to advance.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	eventuallyf(t, func() string { return what }, cond)
}

// eventuallyf is eventually with a description built at the time out, so
// it can show what was seen.
func eventuallyf(t *testing.T, what func() string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// say posts text in the Telegram group as from and returns the message id.
func (w *world) say(from telegramtest.User, text string) int {
	u := telegramtest.GroupText(tgGroup, from, text)
	w.tg.AddUpdate(u)
	return telegramtest.MessageID(u)
}

// sayPrivate sends text to the bot in private as from.
func (w *world) sayPrivate(from telegramtest.User, text string) {
	w.tg.AddUpdate(telegramtest.PrivateText(from, text))
}

// tgCall waits for a Bot API call of method for which pred holds.
func (w *world) tgCall(t *testing.T, method string, pred func(telegramtest.Call) bool) telegramtest.Call {
	t.Helper()
	var found telegramtest.Call
	eventually(t, "telegram "+method, func() bool {
		for _, c := range w.tg.Calls(method) {
			if pred == nil || pred(c) {
				found = c
				return true
			}
		}
		return false
	})
	return found
}

// tgMessage waits for a bot message in chat for which pred holds.
func (w *world) tgMessage(t *testing.T, chat int64, pred func(telegramtest.Message) bool) telegramtest.Message {
	t.Helper()
	var found telegramtest.Message
	var seen []string
	eventuallyf(t, func() string { return fmt.Sprintf("a message in telegram chat %d (got %q)", chat, seen) }, func() bool {
		seen = seen[:0]
		for _, m := range w.tg.Messages(chat) {
			seen = append(seen, m.Text)
			if pred(m) {
				found = m
				return true
			}
		}
		return false
	})
	return found
}

// tgCount is how many bot messages in chat contain want.
func (w *world) tgCount(chat int64, want string) int {
	n := 0
	for _, m := range w.tg.Messages(chat) {
		if strings.Contains(m.Text, want) {
			n++
		}
	}
	return n
}

// mdEscape matches Discord markdown escapes such as \- and \#.
var mdEscape = regexp.MustCompile(`\\([^\w\s])`)

// texts collects every string in a JSON body (content, embeds, buttons),
// so assertions do not depend on where the adapter put the text.
func texts(body []byte) string {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return string(body)
	}
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			b.WriteString(x)
			b.WriteByte('\n')
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return mdEscape.ReplaceAllString(strings.ReplaceAll(b.String(), "**", ""), "$1")
}

// dcSaid waits for a bot message in a Discord channel containing want.
func (w *world) dcSaid(t *testing.T, channel, want string) discordtest.Request {
	t.Helper()
	return w.dc.WaitRequest(t, http.MethodPost, "/api/v9/channels/"+channel+"/messages", func(r discordtest.Request) bool {
		return r.Status < 300 && strings.Contains(texts(r.Body), want)
	})
}

// dcCount is how many bot messages in a Discord channel contain want.
func (w *world) dcCount(channel, want string) int {
	n := 0
	for _, r := range w.dc.Requests(http.MethodPost, "/api/v9/channels/"+channel+"/messages") {
		if r.Status < 300 && strings.Contains(texts(r.Body), want) {
			n++
		}
	}
	return n
}

// dcDM waits for a direct message (a message to a channel outside the
// guild) containing want.
func (w *fullWorld) dcDM(t *testing.T, want string) discordtest.Request {
	t.Helper()
	return w.dc.WaitRequest(t, http.MethodPost, "/api/v9/channels/*/messages", func(r discordtest.Request) bool {
		ch := strings.Split(r.Path, "/")[4]
		guild := ch == discordtest.ChannelID || ch == discordtest.ThreadID || ch == w.dcMods
		return r.Status < 300 && !guild && strings.Contains(texts(r.Body), want)
	})
}

// slash runs a slash command in #general as user.
func (w *world) slash(user, name string, opts ...discordtest.Option) discordtest.Interaction {
	return w.dc.DispatchSlash(discordtest.Slash{Name: name, ChannelID: discordtest.ChannelID, UserID: user, Options: opts})
}

// answered waits until the interaction's answer (its response or a
// follow-up) contains want, and returns that answer's text.
func (w *world) answered(t *testing.T, in discordtest.Interaction, want string) string {
	t.Helper()
	var got string
	var all []string
	eventuallyf(t, func() string {
		return fmt.Sprintf("an answer to interaction %s containing %q (got %q)", in.ID, want, all)
	}, func() bool {
		all = all[:0]
		for _, pattern := range []string{"/api/v9/interactions/" + in.ID + "/" + in.Token + "/callback", "/api/v9/webhooks/*/" + in.Token,
			"/api/v9/webhooks/*/" + in.Token + "/messages/*"} {
			for _, r := range w.dc.Requests("", pattern) {
				if r.Status >= 300 || r.Method == http.MethodGet {
					continue
				}
				s := texts(r.Body)
				all = append(all, s)
				if strings.Contains(s, want) {
					got = s
					return true
				}
			}
		}
		return false
	})
	return got
}

// mustJSON encodes v (a fake's record) as JSON.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
