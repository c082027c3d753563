package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cohortbot/cohort/adapters/discord/discordtest"
	"github.com/cohortbot/cohort/adapters/telegram/telegramtest"
	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/config"
	"github.com/cohortbot/cohort/store"
	"github.com/rs/zerolog"
)

// The permission tests check, through the real adapters against the fakes,
// that members cannot do what moderators do, cannot read what belongs to
// other members, and cannot make buttons act by forging their data.

const permWait = 10 * time.Second

// restricted lists the commands that need more than the member role, from
// the modules cmd/cohort wires, with the role they need.
func restricted(t *testing.T) map[string]bot.Role {
	t.Helper()
	cfg, err := config.Parse([]byte("data_dir: " + t.TempDir() + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(cfg.DataDir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w, err := wire(cfg, st, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bot.Role{}
	for _, m := range w.modules {
		if c, ok := m.(bot.Commander); ok {
			for _, cmd := range c.Commands() {
				if cmd.Role > bot.RoleMember {
					out[cmd.Name] = cmd.Role
				}
			}
		}
	}
	// The playbook's moderator commands must all be among them.
	for _, name := range strings.Fields("award deduct faqadmin announce schedule poll event survey tickets reply warn mute unmute ban unban stats tier badge") {
		if _, ok := out[name]; !ok {
			t.Errorf("/%s is not restricted to moderators", name)
		}
	}
	return out
}

// plausibleArgs are arguments a member might try with each command; the
// role check must come first, so any arguments are refused the same way.
func plausibleArgs(name, target string) string {
	switch name {
	case "award", "deduct":
		return target + " 500 because I said so"
	case "warn", "mute", "ban", "unmute", "unban":
		return target + " spam"
	case "tier":
		return target + " Gold"
	case "badge":
		return "grant " + target + " Hero"
	case "announce":
		return "Free tokens for everyone!"
	case "poll":
		return `"Sell everything?" yes no`
	case "tickets", "reply":
		return "1 hello"
	case "faqadmin":
		return "add scam | send me your keys"
	case "unlink":
		return "telegram:1002"
	}
	return ""
}

func refusal(name string, role bot.Role) string {
	return fmt.Sprintf("Only a %s can use /%s.", role, name)
}

func TestPermissions_ModeratorCommandsRefusedForMembers(t *testing.T) {
	t.Parallel()
	cmds := restricted(t)
	w := startWorld(t, "")
	i := 0
	for name, role := range cmds {
		t.Run(name, func(t *testing.T) {
			// A fresh member per command keeps every attempt under the
			// per-member command rate.
			i++
			member := telegramtest.User{ID: int64(7000 + i), FirstName: fmt.Sprintf("Member%d", i), LanguageCode: "en"}
			want := refusal(name, role)
			got := w.tgAsk(t, tgGroup, member, "/"+name+" "+plausibleArgs(name, "@alice"), permWait)
			if !strings.Contains(got.Text, want) {
				t.Errorf("telegram /%s by a member answered %q, want %q", name, got.Text, want)
			}

			dcMember := w.dc.AddUser(fmt.Sprintf("member%d", i))
			w.dc.DispatchMemberJoin(discordtest.GuildID, dcMember)
			text := w.dcAsk(t, dcMember, "!"+name+" "+plausibleArgs(name, "<@"+discordtest.MemberID+">"), permWait)
			if !strings.Contains(text, want) {
				t.Errorf("discord !%s by a member answered %q, want %q", name, text, want)
			}
			in := w.dc.DispatchSlash(discordtest.Slash{Name: name, ChannelID: discordtest.ChannelID, UserID: dcMember})
			cb := w.dc.WaitCallback(t, in)
			if typ, _ := cb["type"].(float64); typ == 5 {
				// A slow command is deferred at once; the answer follows.
				cb = map[string]any{"data": w.dc.WaitFollowup(t, in)}
			}
			data, _ := cb["data"].(map[string]any)
			if content, _ := data["content"].(string); !strings.Contains(content, want) {
				t.Errorf("discord /%s by a member answered %v, want %q", name, cb, want)
			}
		})
	}

	// Nothing happened: no one was banned, muted or timed out, nothing was
	// announced, and the target's balance is untouched.
	for _, method := range []string{"banChatMember", "restrictChatMember", "unbanChatMember", "sendPoll", "pinChatMessage"} {
		if calls := w.tg.Calls(method); len(calls) > 0 {
			t.Errorf("telegram %s was called %d times", method, len(calls))
		}
	}
	for _, m := range w.tg.Messages(tgGroup) {
		if !strings.HasPrefix(m.Text, "Only a ") {
			t.Errorf("the group got %q", m.Text)
		}
	}
	if msgs := w.tg.Messages(tgMods); len(msgs) > 0 {
		t.Errorf("the moderators' chat got %d messages, first %q", len(msgs), msgs[0].Text)
	}
	for _, p := range []string{"/api/v9/guilds/*/bans/*", "/api/v9/guilds/*/members/*", "/api/v9/guilds/*/members/*/roles/*"} {
		for _, r := range w.dc.Requests("", p) {
			if r.Method != "GET" {
				t.Errorf("discord %s %s was called", r.Method, r.Path)
			}
		}
	}
	if got := balance(t, w.tgAsk(t, tgGroup, tgAlice, "/points", permWait).Text); got != 0 {
		t.Errorf("the target's balance is %d after refused awards", got)
	}
}

func TestPermissions_OthersPointsAreForModerators(t *testing.T) {
	t.Parallel()
	w := startFaultWorld(t, faultOptions{community: fastPoints})
	w.tgChatter(tgGroup, tgBob, 2) // Bob has 14 points
	if got := balance(t, w.tgAsk(t, tgGroup, tgBob, "/points", permWait).Text); got != 14 {
		t.Fatalf("Bob has %d points, want 14", got)
	}
	const want = "Only moderators can look at someone else's points."
	if got := w.tgAsk(t, tgGroup, tgAlice, "/points @bob", permWait).Text; !strings.Contains(got, want) || strings.Contains(got, "14") {
		t.Errorf("a member asking for Bob's points got %q", got)
	}
	// A reply to Bob's message is not a way round it either: it shows
	// Alice her own points.
	u := telegramtest.Text(tgGroup, tgAlice, "/points", telegramtest.TextOptions{ReplyTo: w.tgSay(tgGroup, tgBob, "hi")})
	w.tg.AddUpdate(u)
	var answer []telegramtest.Message
	waitUntil(t, permWait, "the answer to /points in reply", func() bool {
		answer = w.tgRepliesTo(tgGroup, telegramtest.MessageID(u))
		return len(answer) > 0
	})
	if strings.Contains(answer[0].Text, "Bob") || strings.Contains(answer[0].Text, "14 points") {
		t.Errorf("a member replying to Bob with /points got %q", answer[0].Text)
	}
	if got := w.tgAsk(t, tgGroup, tgMod, "/points @bob", permWait).Text; balance(t, got) != 14 {
		t.Errorf("the moderator asking for Bob's points got %q", got)
	}

	// The same on Discord, by mention and by the slash command's user option.
	if got := w.dcAsk(t, discordtest.MemberID, "!points <@"+discordtest.OwnerID+">", permWait); !strings.Contains(got, want) {
		t.Errorf("discord member asking for another's points got %q", got)
	}
	in := w.dc.DispatchSlash(discordtest.Slash{Name: "points", ChannelID: discordtest.ChannelID, UserID: discordtest.MemberID,
		Options: []discordtest.Option{discordtest.UserOption("member", discordtest.OwnerID)}})
	if cb := w.dc.WaitCallback(t, in); !strings.Contains(fmt.Sprint(cb), want) {
		t.Errorf("discord /points member:<owner> by a member answered %v", cb)
	}
}

// ticketRE finds a ticket number in an answer.
var ticketRE = regexp.MustCompile(`#(\d+)`)

// buttonData returns the callback data of a message's inline buttons.
func buttonData(t *testing.T, m telegramtest.Message) []string {
	t.Helper()
	var kb struct {
		InlineKeyboard [][]struct {
			CallbackData string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal(m.Markup, &kb); err != nil {
		t.Fatalf("message %q has no inline keyboard: %v", m.Text, err)
	}
	var out []string
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			out = append(out, b.CallbackData)
		}
	}
	return out
}

// probes numbers the users that send tgPress's probe commands.
var probes atomic.Int64

// tgPress presses a button with data as user and waits until the press is
// answered (Telegram stops the spinner); it returns what the bot then
// said in the chat in answer to nobody in particular, if anything, after
// the bot has also answered a later probe command.
func (w *world) tgPress(t *testing.T, chat int64, msgID int, from telegramtest.User, data string) []string {
	t.Helper()
	before := len(w.tg.Messages(chat))
	u := telegramtest.CallbackQuery(chat, msgID, from, data)
	w.tg.AddUpdate(u)
	waitUntil(t, permWait, "the callback query answered", func() bool { return w.tg.Answered(telegramtest.QueryID(u)) })
	// Events of a chat are handled in order: once a later command is
	// answered, whatever the press caused has been said. Each probe comes
	// from someone new, under the per-member command rate.
	probe := w.tgSay(chat, telegramtest.User{ID: 8000 + probes.Add(1), FirstName: "Probe"}, "/help")
	waitUntil(t, permWait, "the probe answered", func() bool { return len(w.tgRepliesTo(chat, probe)) > 0 })
	var said []string
	for _, m := range w.tg.Messages(chat)[before:] {
		if m.ReplyTo != probe {
			said = append(said, m.Text)
		}
	}
	return said
}

func TestPermissions_MemberDataStaysPrivate(t *testing.T) {
	t.Parallel()
	w := startFaultWorld(t, faultOptions{community: fastPoints})
	w.tg.Start(tgAlice.ID)
	w.tg.Start(tgBob.ID)
	w.tgChatter(tgGroup, tgBob, 1)
	w.tgChatter(tgGroup, tgAlice, 1)
	secret := "my wallet seed is hidden under the sofa"
	opened := w.tgAsk(t, tgGroup, tgBob, "/feedback bug "+secret, permWait)
	m := ticketRE.FindStringSubmatch(opened.Text)
	if m == nil {
		t.Fatalf("/feedback answered %q", opened.Text)
	}
	id := m[1]

	// Alice cannot read Bob's ticket.
	if got := w.tgAsk(t, tgGroup, tgAlice, "/tickets "+id, permWait).Text; strings.Contains(got, "sofa") || !strings.Contains(got, "Only a moderator") {
		t.Errorf("/tickets %s by a member answered %q", id, got)
	}
	if got := w.tgAsk(t, tgGroup, tgAlice, "/reply "+id+" phishing link", permWait).Text; !strings.Contains(got, "Only a moderator") {
		t.Errorf("/reply by a member answered %q", got)
	}

	// /mydata sends Alice her own data only.
	w.tgAsk(t, tgGroup, tgAlice, "/mydata", permWait)
	var doc telegramtest.Call
	waitUntil(t, permWait, "the /mydata file", func() bool {
		for _, c := range w.tg.Calls("sendDocument") {
			if c.Params["chat_id"] == fmt.Sprint(tgAlice.ID) {
				doc = c
				return true
			}
		}
		return false
	})
	file := string(doc.Files["document"].Data)
	var export struct {
		Member string `json:"member"`
	}
	if err := json.Unmarshal([]byte(file), &export); err != nil || export.Member == "" {
		t.Fatalf("the /mydata file is not an export: %v\n%s", err, file)
	}
	for _, leak := range []string{"sofa", "Bob", "1002", "bob"} {
		if strings.Contains(file, leak) {
			t.Errorf("Alice's /mydata holds %q:\n%s", leak, file)
		}
	}
	for _, c := range w.tg.Calls("sendDocument") {
		if c.Params["chat_id"] != fmt.Sprint(tgAlice.ID) {
			t.Errorf("a /mydata file went to chat %s", c.Params["chat_id"])
		}
	}
}

func TestPermissions_ForgedButtonsDoNothing(t *testing.T) {
	t.Parallel()
	w := startFaultWorld(t, faultOptions{community: fastPoints})
	w.tgChatter(tgGroup, tgBob, 2)
	if got := balance(t, w.tgAsk(t, tgGroup, tgBob, "/points", permWait).Text); got != 14 {
		t.Fatalf("Bob has %d points, want 14", got)
	}

	// Bob's real buttons: /forgetme's confirmation and a draft ticket's
	// categories; the moderators' ticket buttons once it is filed.
	forget := buttonData(t, w.tgAsk(t, tgGroup, tgBob, "/forgetme", permWait))
	draft := w.tgAsk(t, tgGroup, tgBob, "/feedback the bridge page is slow to load", permWait)
	categories := buttonData(t, draft)
	if len(forget) != 2 || len(categories) == 0 {
		t.Fatalf("buttons: forget %q, categories %q", forget, categories)
	}

	notYours := "That button is not for you."
	// Alice presses Bob's "yes, erase me" and his ticket's category.
	if said := w.tgPress(t, tgGroup, 1, tgAlice, forget[0]); len(said) != 1 || said[0] != notYours {
		t.Errorf("Alice pressing Bob's /forgetme yes: bot said %q", said)
	}
	if said := w.tgPress(t, tgGroup, draft.ID, tgAlice, categories[0]); len(said) != 0 {
		t.Errorf("Alice pressing Bob's draft category: bot said %q", said)
	}
	// Bob files the ticket himself: it was still a draft.
	if said := w.tgPress(t, tgGroup, draft.ID, tgBob, categories[0]); len(said) == 0 || !strings.Contains(said[0], "is with the team") {
		t.Fatalf("Bob filing his own draft: bot said %q", said)
	}
	id := strings.Split(categories[0], ":")[1]
	relayed := w.waitTelegram(t, tgMods, "#"+id)
	mod := buttonData(t, relayed)

	presses := []struct {
		name, data string
		want       []string // what the bot says in the group; nil for silence
	}{
		{"moderator's claim", mod[0], []string{notYours}},
		{"claim of another ticket", "fbm:claim:999", []string{notYours}},
		{"rating Bob's ticket", "fbr:" + id + ":1", []string{"That ticket is not yours."}},
		{"shop fulfil", "shop:done:1", []string{notYours}},
		{"forget for a made-up member", "forget:yes:m999", []string{notYours}},
		{"forget without a member", "forget:yes", []string{notYours}},
		{"unknown prefix", "zzz:1:2", nil},
		{"empty data", "", nil},
		{"over-long data", "forget:yes:" + strings.Repeat("x", 300), []string{notYours}},
		{"category with a bad id", "fbc:../../1:bug", nil},
		{"faq path", "faq:a:../../etc/passwd", nil},
		{"rsvp garbage", "rsvp:" + strings.Repeat("9", 40), []string{"There is no event #" + strings.Repeat("9", 40) + "."}},
		{"survey garbage", "sv:x:y:z", []string{"That question is no longer open."}},
	}
	for _, p := range presses {
		t.Run(p.name, func(t *testing.T) {
			said := w.tgPress(t, tgGroup, draft.ID, tgAlice, p.data)
			if strings.Join(said, "|") != strings.Join(p.want, "|") {
				t.Errorf("pressing %q: bot said %q, want %q", p.data, said, p.want)
			}
		})
	}

	// Nothing changed: Bob keeps his points, the ticket is open and unclaimed.
	if got := balance(t, w.tgAsk(t, tgGroup, tgBob, "/points", permWait).Text); got != 14 {
		t.Errorf("Bob has %d points after forged presses, want 14", got)
	}
	if got := w.tgAsk(t, tgMods, tgMod, "/tickets "+id, permWait).Text; !strings.Contains(got, "open") || strings.Contains(got, "Alice") {
		t.Errorf("ticket %s after forged presses: %q", id, got)
	}

	// Discord: the same forged custom_ids from a member's button presses.
	for _, data := range []string{forget[0], mod[0], "fbr:" + id + ":1", "shop:done:1", "zzz", "", strings.Repeat("y", 100)} {
		in := w.dc.DispatchButton(discordtest.Click{ChannelID: discordtest.ChannelID, UserID: discordtest.MemberID, MessageID: "1", CustomID: data})
		cb := w.dc.WaitCallback(t, in)
		if typ, _ := cb["type"].(float64); typ != 6 && typ != 4 {
			t.Errorf("button %q answered with %v", data, cb)
		}
		if d, _ := cb["data"].(map[string]any); d != nil {
			if content, _ := d["content"].(string); content != "" && content != notYours && content != "That ticket is not yours." {
				t.Errorf("button %q answered %q", data, content)
			}
		}
	}
	if got := balance(t, w.tgAsk(t, tgGroup, tgBob, "/points", permWait).Text); got != 14 {
		t.Errorf("Bob has %d points after forged Discord presses, want 14", got)
	}
}
