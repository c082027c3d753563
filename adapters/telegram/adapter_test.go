package telegram

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohort/adapters/telegram/telegramtest"
	"github.com/cohortbot/cohort/bot"
)

// fastLimits keep the limits' shape but make tests short.
var fastLimits = Limits{PerSecond: 1000, PerChat: 5 * time.Millisecond, PerChatBurst: 3, GroupPerMinute: 1000000}

// recorder is a module that sees every event.
type recorder struct {
	mu     sync.Mutex
	events []bot.Event
}

func (*recorder) Name() string { return "recorder" }

func (r *recorder) Observe(_ context.Context, req *bot.Request) error {
	r.mu.Lock()
	r.events = append(r.events, *req.Event)
	r.mu.Unlock()
	return nil
}

func (r *recorder) all() []bot.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bot.Event(nil), r.events...)
}

// dmModule offers /dmme, which sends the caller a private message.
type dmModule struct{}

func (dmModule) Name() string { return "dm" }

func (dmModule) Commands() []bot.Command {
	return []bot.Command{{Name: "dmme", Run: func(ctx context.Context, req *bot.Request) error {
		_, err := req.Bot.SendDirect(ctx, req.Event.From, bot.Outgoing{Text: "psst"})
		return err
	}}}
}

type harness struct {
	srv *telegramtest.Server
	a   *Adapter
	b   *bot.Bot
	rec *recorder
}

// start wires the adapter the way cmd/cohort does (telegram.New →
// bot.Options.Adapters → Bot.Run) against a fake Bot API server.
func start(t *testing.T, edit func(*Config), modules ...bot.Module) *harness {
	t.Helper()
	srv := telegramtest.NewServer(t)
	cfg := Config{Token: srv.Token, APIURL: srv.URL, Limits: fastLimits, PollTimeout: 5 * time.Second}
	if edit != nil {
		edit(&cfg)
	}
	log := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.InfoLevel)
	a, err := New(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	b, err := bot.New(bot.Options{Adapters: []bot.Adapter{a}, Modules: append(modules, rec), Log: log, Locale: "en"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("bot.Run: %v", err)
		}
	})
	eventually(t, "bot started", func() bool { return a.Username() != "" })
	return &harness{srv: srv, a: a, b: b, rec: rec}
}

// eventually waits for cond; the deadline only bounds a failing test.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

const group = int64(-1001000000001)

var alice = telegramtest.User{ID: 1001, FirstName: "Alice", LastName: "Liddell", Username: "alice", LanguageCode: "en"}

func TestHelpAddressedToThisBot(t *testing.T) {
	h := start(t, nil)
	u := telegramtest.GroupText(group, alice, "/help@"+telegramtest.BotUsername)
	h.srv.AddUpdate(u)
	eventually(t, "help reply", func() bool { return len(h.srv.Messages(group)) == 1 })
	m := h.srv.Messages(group)[0]
	if !strings.Contains(m.Text, "/start") || !strings.Contains(m.Text, "/help") {
		t.Errorf("help text = %q, want the command list", m.Text)
	}
	if m.ReplyTo != telegramtest.MessageID(u) {
		t.Errorf("reply_to = %d, want %d", m.ReplyTo, telegramtest.MessageID(u))
	}
	if len(m.Entities) == 0 || m.Entities[0].Type != "bold" {
		t.Errorf("entities = %+v, want a bold header", m.Entities)
	}

	// A command for another bot gets nothing. Events of one chat are handled
	// in order, so once the reply to the next command is there, the first
	// one has been dealt with.
	h.srv.AddUpdate(telegramtest.GroupText(group, alice, "/help@OtherBot"))
	h.srv.AddUpdate(telegramtest.GroupText(group, alice, "/start@"+strings.ToUpper(telegramtest.BotUsername)))
	eventually(t, "start reply", func() bool { return len(h.srv.Messages(group)) >= 2 })
	msgs := h.srv.Messages(group)
	if len(msgs) != 2 || !strings.HasPrefix(msgs[1].Text, "Hi Alice Liddell!") {
		t.Fatalf("messages after /help@OtherBot and /start: %+v", msgs)
	}
	for _, ev := range h.rec.all() {
		if strings.Contains(ev.Text, "OtherBot") {
			t.Errorf("a command for another bot became an event: %+v", ev)
		}
	}
}

func TestPrivateStart(t *testing.T) {
	h := start(t, nil)
	h.srv.AddUpdate(telegramtest.PrivateText(alice, "/start"))
	eventually(t, "start reply", func() bool { return len(h.srv.Messages(alice.ID)) == 1 })
	m := h.srv.Messages(alice.ID)[0]
	if !strings.HasPrefix(m.Text, "Hi Alice Liddell!") {
		t.Errorf("text = %q", m.Text)
	}
	if m.ReplyTo != 0 {
		t.Errorf("private answers should not quote: reply_to = %d", m.ReplyTo)
	}
	eventually(t, "event", func() bool { return len(h.rec.all()) == 1 })
	evs := h.rec.all()
	if len(evs) != 1 || !evs[0].Private || evs[0].Kind != bot.EventCommand || evs[0].From.Username != "alice" || evs[0].From.Lang != "en" {
		t.Errorf("events = %+v", evs)
	}
}

func TestRetryAfterIsWaitedOut(t *testing.T) {
	h := start(t, nil)
	h.srv.FailNext("sendMessage", 429, 2, 1)
	ref, err := h.a.Send(context.Background(), chatRef(group, 0), bot.Outgoing{Text: "hello"})
	if err != nil {
		t.Fatal(err)
	}
	msgs := h.srv.Messages(group)
	if len(msgs) != 1 || msgs[0].Text != "hello" || ref.ID != "1" {
		t.Fatalf("messages = %+v, ref = %+v", msgs, ref)
	}
	calls := h.srv.Calls("sendMessage")
	if len(calls) != 2 {
		t.Fatalf("sendMessage calls = %d, want 2 (429, then the retry)", len(calls))
	}
	if gap := calls[1].Time.Sub(calls[0].Time); gap < 2*time.Second {
		t.Errorf("retried after %v, before retry_after=2s", gap)
	}
}

func TestManyRepliesKeepOrderAndLimits(t *testing.T) {
	const n = 100
	h := start(t, nil)
	var ids []int
	for i := 0; i < n; i++ {
		u := telegramtest.User{ID: int64(2000 + i), FirstName: "User" + string(rune('A'+i%26)) + strings.Repeat("x", i/26)}
		up := telegramtest.GroupText(group, u, "/start")
		h.srv.AddUpdate(up)
		ids = append(ids, telegramtest.MessageID(up))
	}
	eventually(t, "100 replies", func() bool { return len(h.srv.Messages(group)) == n })
	msgs := h.srv.Messages(group)
	for i, m := range msgs {
		if m.ReplyTo != ids[i] {
			t.Fatalf("reply %d answers message %d, want %d (order lost)", i, m.ReplyTo, ids[i])
		}
	}
	// Never more than PerChatBurst messages in any PerChatBurst×PerChat window.
	b := fastLimits.PerChatBurst
	for i := 0; i+b < len(msgs); i++ {
		if gap := msgs[i+b].Time.Sub(msgs[i].Time); gap < time.Duration(b)*fastLimits.PerChat {
			t.Fatalf("messages %d and %d arrived %v apart, faster than the per-chat limit", i, i+b, gap)
		}
	}
}

func TestWebhook(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	h := start(t, func(c *Config) {
		c.Mode = "webhook"
		c.Webhook = WebhookConfig{Listen: addr, PublicURL: "https://bot.example.org/telegram", Secret: "s3cret"}
	})
	eventually(t, "setWebhook", func() bool { return h.srv.Webhook() != nil })
	wh := h.srv.Webhook()
	if wh["url"] != "https://bot.example.org/telegram" || wh["secret_token"] != "s3cret" || !strings.Contains(wh["allowed_updates"], "chat_member") {
		t.Fatalf("webhook = %v", wh)
	}
	post := func(secret string, u telegramtest.Update) int {
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/", strings.NewReader(string(u.JSON())))
		req.Header.Set("Content-Type", "application/json")
		if secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return -1
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	h.srv.Start(alice.ID)
	bad := telegramtest.PrivateText(alice, "/start")
	bad["update_id"] = int64(1)
	bad["message"].(map[string]any)["chat"] = map[string]any{"id": alice.ID, "type": "private"}
	eventually(t, "webhook server", func() bool { return post("wrong", bad) == http.StatusUnauthorized })
	if code := post("", bad); code != http.StatusUnauthorized {
		t.Errorf("no secret: status %d, want 401", code)
	}
	good := telegramtest.PrivateText(alice, "/help")
	good["update_id"] = int64(2)
	good["message"].(map[string]any)["chat"] = map[string]any{"id": alice.ID, "type": "private"}
	good["message"].(map[string]any)["message_id"] = 7
	if code := post("s3cret", good); code != http.StatusOK {
		t.Fatalf("right secret: status %d", code)
	}
	eventually(t, "reply", func() bool { return len(h.srv.Messages(alice.ID)) == 1 })
	if txt := h.srv.Messages(alice.ID)[0].Text; !strings.Contains(txt, "/help") {
		t.Errorf("reply = %q, want the help", txt)
	}
	eventually(t, "event", func() bool { return len(h.rec.all()) == 1 })
	if evs := h.rec.all(); len(evs) != 1 || evs[0].Command.Name != "help" {
		t.Errorf("events = %+v, want only the /help", evs)
	}
	if len(h.srv.Calls("getUpdates")) != 0 {
		t.Error("webhook mode must not poll")
	}
}

func TestPollingRemovesWebhook(t *testing.T) {
	h := start(t, nil)
	eventually(t, "polling", func() bool { return len(h.srv.Calls("getUpdates")) > 0 })
	calls := h.srv.Calls("")
	del, poll := -1, -1
	for i, c := range calls {
		if c.Method == "deleteWebhook" && del < 0 {
			del = i
		}
		if c.Method == "getUpdates" && poll < 0 {
			poll = i
		}
	}
	if del < 0 || del > poll {
		t.Errorf("deleteWebhook must come before getUpdates: %d, %d", del, poll)
	}
	var allowed []string
	if err := h.srv.Calls("getUpdates")[0].JSON("allowed_updates", &allowed); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"message", "edited_message", "callback_query", "poll_answer", "chat_member", "my_chat_member"} {
		if !strings.Contains(strings.Join(allowed, ","), want) {
			t.Errorf("allowed_updates %v lacks %s", allowed, want)
		}
	}
}

func TestUserTextIsEscaped(t *testing.T) {
	h := start(t, nil)
	nasty := telegramtest.User{ID: 1002, FirstName: `<b>Bob & </code>`, LastName: "*x* _y_ `z` [l](https://e.x)"}
	h.srv.AddUpdate(telegramtest.GroupText(group, nasty, "/start"))
	eventually(t, "reply", func() bool { return len(h.srv.Messages(group)) == 1 })
	m := h.srv.Messages(group)[0]
	want := "Hi <b>Bob & </code> *x* _y_ `z` [l](https://e.x)! "
	if !strings.HasPrefix(m.Text, want) {
		t.Errorf("text = %q, want it to start with %q", m.Text, want)
	}
	if len(m.Entities) != 0 {
		t.Errorf("entities = %+v, want none: user text must not format", m.Entities)
	}
	raw := h.srv.Calls("sendMessage")[0].Params["text"]
	if !strings.Contains(raw, "&lt;b&gt;Bob &amp; &lt;/code&gt;") || h.srv.Calls("sendMessage")[0].Params["parse_mode"] != "HTML" {
		t.Errorf("raw text = %q", raw)
	}
}

func TestMarkupRendersAsEntities(t *testing.T) {
	h := start(t, nil)
	text := "*bold* _it_ `a<b` [link](https://e.x/?a=1&b=2) " + bot.Escape("*not bold* <i>")
	if _, err := h.a.Send(context.Background(), chatRef(group, 0), bot.Outgoing{Title: "News & notes", Text: text}); err != nil {
		t.Fatal(err)
	}
	m := h.srv.Messages(group)[0]
	if m.Text != "News & notes\nbold it a<b link *not bold* <i>" {
		t.Errorf("text = %q", m.Text)
	}
	want := []telegramtest.Entity{
		{Type: "bold", Offset: 0, Length: 12},
		{Type: "bold", Offset: 13, Length: 4},
		{Type: "italic", Offset: 18, Length: 2},
		{Type: "code", Offset: 21, Length: 3},
		{Type: "text_link", Offset: 25, Length: 4, URL: "https://e.x/?a=1&b=2"},
	}
	if len(m.Entities) != len(want) {
		t.Fatalf("entities = %+v", m.Entities)
	}
	for i := range want {
		if m.Entities[i] != want[i] {
			t.Errorf("entity %d = %+v, want %+v", i, m.Entities[i], want[i])
		}
	}
}

func TestDirectMessageRefused(t *testing.T) {
	h := start(t, nil, dmModule{})
	_, err := h.a.SendDirect(context.Background(), "4242", bot.Outgoing{Text: "hi"})
	if !errors.Is(err, bot.ErrCannotDM) {
		t.Fatalf("err = %v, want ErrCannotDM", err)
	}
	// A member who never started the bot asks for a DM in the group and
	// gets the translated hint there.
	h.srv.AddUpdate(telegramtest.GroupText(group, alice, "/dmme"))
	eventually(t, "hint", func() bool { return len(h.srv.Messages(group)) == 1 })
	if txt := h.srv.Messages(group)[0].Text; !strings.Contains(txt, "press Start") {
		t.Errorf("hint = %q", txt)
	}
	// A member who blocked the bot: Telegram answers 403.
	h.srv.Start(alice.ID)
	h.srv.FailNext("sendMessage", 403, 0, 1)
	if _, err := h.a.SendDirect(context.Background(), "1001", bot.Outgoing{Text: "hi"}); !errors.Is(err, bot.ErrCannotDM) {
		t.Fatalf("blocked: err = %v, want ErrCannotDM", err)
	}
	if _, err := h.a.SendDirect(context.Background(), "1001", bot.Outgoing{Text: "hi"}); err != nil {
		t.Fatalf("started: %v", err)
	}
}

func TestJoinsAndLeaves(t *testing.T) {
	h := start(t, nil)
	bob := telegramtest.User{ID: 1003, FirstName: "Bob"}
	carol := telegramtest.User{ID: 1004, FirstName: "Carol"}
	h.srv.AddUpdate(telegramtest.Joined(group, bob, "https://t.me/+abc"))
	h.srv.AddUpdate(telegramtest.NewChatMembers(group, bob)) // the same join, as a service message
	h.srv.AddUpdate(telegramtest.NewChatMembers(group, carol))
	h.srv.AddUpdate(telegramtest.LeftChatMember(group, carol))
	h.srv.AddUpdate(telegramtest.Left(group, bob))
	eventually(t, "events", func() bool { return len(h.rec.all()) >= 4 })
	evs := h.rec.all()
	type got struct {
		kind   bot.EventKind
		id     string
		invite string
	}
	want := []got{{bot.EventMemberJoined, "1003", "https://t.me/+abc"}, {bot.EventMemberJoined, "1004", ""}, {bot.EventMemberLeft, "1004", ""}, {bot.EventMemberLeft, "1003", ""}}
	if len(evs) != len(want) {
		t.Fatalf("events = %+v", evs)
	}
	for i, w := range want {
		if g := (got{evs[i].Kind, evs[i].From.ID, evs[i].Invite}); g != w {
			t.Errorf("event %d = %+v, want %+v", i, g, w)
		}
		if evs[i].Chat != chatRef(group, 0) {
			t.Errorf("event %d chat = %v", i, evs[i].Chat)
		}
	}
}

func TestCallbackQueryAnswered(t *testing.T) {
	h := start(t, nil)
	ref, err := h.a.Send(context.Background(), chatRef(group, 0), bot.Outgoing{Text: "vote", Buttons: [][]bot.Button{{{Text: "Yes", Data: "poll:1:yes"}, {Text: "Site", URL: "https://e.x"}}}})
	if err != nil {
		t.Fatal(err)
	}
	u := telegramtest.CallbackQuery(group, 1, alice, "poll:1:yes")
	h.srv.AddUpdate(u)
	eventually(t, "answer", func() bool { return h.srv.Answered(telegramtest.QueryID(u)) })
	eventually(t, "event", func() bool { return len(h.rec.all()) == 1 })
	ev := h.rec.all()[0]
	if ev.Kind != bot.EventButton || ev.Data != "poll:1:yes" || ev.MessageID != ref.ID || ev.Chat != chatRef(group, 0) || ev.Responder == nil {
		t.Errorf("event = %+v", ev)
	}
	if _, err := ev.Responder.Respond(context.Background(), bot.Outgoing{Text: "counted"}); err != nil {
		t.Fatal(err)
	}
	if msgs := h.srv.Messages(group); len(msgs) != 2 || msgs[1].Text != "counted" {
		t.Errorf("messages = %+v", msgs)
	}
	if _, err := h.a.Send(context.Background(), chatRef(group, 0), bot.Outgoing{Text: "x", Buttons: [][]bot.Button{{{Text: "long", Data: strings.Repeat("d", 65)}}}}); err == nil {
		t.Error("65-byte callback data was accepted")
	}
}

func TestPollVotes(t *testing.T) {
	h := start(t, nil)
	ref, err := h.a.Send(context.Background(), chatRef(group, 0), bot.Outgoing{Poll: &bot.Poll{Question: "Next AMA?", Options: []string{"Mon", "Tue", "Wed"}, Multi: true}})
	if err != nil {
		t.Fatal(err)
	}
	call := h.srv.Calls("sendPoll")[0]
	if call.Params["is_anonymous"] != "false" || call.Params["allows_multiple_answers"] != "true" {
		t.Errorf("sendPoll params = %v", call.Params)
	}
	pollID := h.srv.Messages(group)[0].PollID
	h.srv.AddUpdate(telegramtest.PollAnswer(pollID, alice, 0, 2))
	h.srv.AddUpdate(telegramtest.PollAnswer(pollID, alice))
	eventually(t, "votes", func() bool { return len(h.rec.all()) == 2 })
	evs := h.rec.all()
	v := evs[0].Poll
	if evs[0].Kind != bot.EventPollVote || v.PollID != pollID || v.Message != ref || len(v.Options) != 2 || v.Options[1] != 2 {
		t.Errorf("vote = %+v %+v", evs[0], v)
	}
	if len(evs[1].Poll.Options) != 0 {
		t.Errorf("withdrawn vote = %+v", evs[1].Poll)
	}
	if err := h.a.ClosePoll(context.Background(), ref); err != nil {
		t.Fatal(err)
	}
	if _, _, closed, _ := h.srv.PollOf(pollID); !closed {
		t.Error("poll not closed")
	}
}

func TestEditedAndBotMessages(t *testing.T) {
	h := start(t, nil)
	u := telegramtest.GroupText(group, alice, "hello")
	h.srv.AddUpdate(u)
	h.srv.AddUpdate(telegramtest.Text(group, alice, "/start", telegramtest.TextOptions{Edited: true, ID: telegramtest.MessageID(u)}))
	h.srv.AddUpdate(telegramtest.GroupText(group, telegramtest.User{ID: 999, FirstName: "Spam", IsBot: true}, "buy now"))
	h.srv.AddUpdate(telegramtest.Text(group, alice, "in a topic", telegramtest.TextOptions{Thread: 77}))
	eventually(t, "events", func() bool { return len(h.rec.all()) >= 3 })
	evs := h.rec.all()
	if len(evs) != 3 {
		t.Fatalf("events = %+v", evs)
	}
	if evs[0].Edited || evs[0].Kind != bot.EventMessage || evs[0].Text != "hello" {
		t.Errorf("first = %+v", evs[0])
	}
	if !evs[1].Edited || evs[1].Kind != bot.EventMessage || evs[1].MessageID != evs[0].MessageID {
		t.Errorf("edit = %+v: an edit is a flagged message, never a command", evs[1])
	}
	if evs[2].Chat.Thread != "77" || evs[2].Chat.Space != "-1001000000001" {
		t.Errorf("topic message chat = %+v", evs[2].Chat)
	}
	if len(h.srv.Messages(group)) != 0 {
		t.Error("an edited /start was answered")
	}
}

func TestCommandMenu(t *testing.T) {
	h := start(t, nil)
	eventually(t, "menu", func() bool { return len(h.srv.Calls("setMyCommands")) == 6 })
	for _, scope := range []string{"all_group_chats", "all_private_chats", "all_chat_administrators"} {
		for _, lang := range []string{"", "zh"} {
			cmds := h.srv.Commands(scope, lang)
			if len(cmds) == 0 || cmds[0]["command"] == "" {
				t.Errorf("%s/%s: %v", scope, lang, cmds)
			}
		}
	}
	en, zh := h.srv.Commands("all_group_chats", ""), h.srv.Commands("all_group_chats", "zh")
	if en[0]["description"] == zh[0]["description"] {
		t.Errorf("zh menu is not translated: %v", zh)
	}
}

func TestModerationCalls(t *testing.T) {
	h := start(t, nil)
	ctx := context.Background()
	g := chatRef(group, 0)
	h.srv.MakeAdmin(group, telegramtest.User{ID: telegramtest.BotID}, "administrator")
	h.srv.MakeAdmin(group, telegramtest.User{ID: 1}, "creator")
	h.srv.MakeAdmin(group, alice, "administrator")
	for user, want := range map[string]bot.Role{"1": bot.RoleOwner, "1001": bot.RoleModerator, "2": bot.RoleMember} {
		if r, err := h.a.RoleOf(ctx, g, user); err != nil || r != want {
			t.Errorf("RoleOf(%s) = %v, %v; want %v", user, r, err, want)
		}
	}
	if n := len(h.srv.Calls("getChatAdministrators")); n != 1 {
		t.Errorf("getChatAdministrators called %d times, want 1 (cached)", n)
	}
	until := time.Now().Add(time.Hour).Truncate(time.Second)
	if err := h.a.Mute(ctx, g, "2", until); err != nil {
		t.Fatal(err)
	}
	if st, u := h.srv.MemberStatus(group, 2); st != "restricted" || u != until.Unix() {
		t.Errorf("after mute: %s until %d", st, u)
	}
	if err := h.a.Unmute(ctx, g, "2"); err != nil {
		t.Fatal(err)
	}
	if err := h.a.Ban(ctx, g, "3", "spam"); err != nil {
		t.Fatal(err)
	}
	if st, _ := h.srv.MemberStatus(group, 3); st != "kicked" {
		t.Errorf("after ban: %s", st)
	}
	if err := h.a.Unban(ctx, g, "3"); err != nil {
		t.Fatal(err)
	}
	link, err := h.a.CreateInvite(ctx, g, "ref:alice")
	if err != nil || !strings.HasPrefix(link, "https://t.me/+") {
		t.Errorf("invite = %q, %v", link, err)
	}
	ref, err := h.a.Send(ctx, g, bot.Outgoing{Text: "pinned news", Pin: true})
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := h.srv.Message(group, 1); !m.Pinned {
		t.Error("not pinned")
	}
	if err := h.a.Edit(ctx, ref, bot.Outgoing{Text: "*edited*"}); err != nil {
		t.Fatal(err)
	}
	if m, _ := h.srv.Message(group, 1); m.Text != "edited" {
		t.Errorf("edited text = %q", m.Text)
	}
	if err := h.a.Delete(ctx, ref); err != nil {
		t.Fatal(err)
	}
	if len(h.srv.Messages(group)) != 0 {
		t.Error("not deleted")
	}
}

func TestGroupMigration(t *testing.T) {
	h := start(t, nil)
	old, sup := int64(-4001), int64(-1004001)
	h.srv.Migrate(old, sup)
	ref, err := h.a.Send(context.Background(), chatRef(old, 0), bot.Outgoing{Text: "one"})
	if err != nil {
		t.Fatal(err)
	}
	if ref.Chat != chatRef(old, 0) {
		t.Errorf("ref chat = %v, want the chat the caller knows", ref.Chat)
	}
	if _, err := h.a.Send(context.Background(), chatRef(old, 0), bot.Outgoing{Text: "two"}); err != nil {
		t.Fatal(err)
	}
	if msgs := h.srv.Messages(sup); len(msgs) != 2 {
		t.Errorf("supergroup messages = %+v", msgs)
	}
	if n := len(h.srv.Calls("sendMessage")); n != 3 {
		t.Errorf("sendMessage calls = %d, want 3 (one refused, then the new id)", n)
	}
	// Events from the supergroup keep the id the community knows.
	h.srv.AddUpdate(telegramtest.GroupText(sup, alice, "hi"))
	eventually(t, "event", func() bool { return len(h.rec.all()) == 1 })
	if c := h.rec.all()[0].Chat; c != chatRef(old, 0) {
		t.Errorf("event chat = %v", c)
	}
}

func TestLongTextAndFiles(t *testing.T) {
	h := start(t, nil)
	line := strings.Repeat("a", 99) + "\n"
	long := strings.Repeat(line, 60) // 6000 characters
	if _, err := h.a.Send(context.Background(), chatRef(group, 0), bot.Outgoing{Text: long}); err != nil {
		t.Fatal(err)
	}
	msgs := h.srv.Messages(group)
	if len(msgs) != 2 {
		t.Fatalf("got %d messages, want 2", len(msgs))
	}
	if got := msgs[0].Text + "\n" + msgs[1].Text; got != strings.TrimSuffix(long, "\n") {
		t.Errorf("split text lost characters: %d+%d vs %d", len(msgs[0].Text), len(msgs[1].Text), len(long))
	}
	_, err := h.a.Send(context.Background(), chatRef(group, 0), bot.Outgoing{Text: "*chart*", Files: []bot.File{
		{Name: "chart.png", MIME: "image/png", Data: []byte("png")},
		{Name: "export.csv", MIME: "text/csv", Data: []byte("a,b")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	msgs = h.srv.Messages(group)
	if len(msgs) != 4 || msgs[2].Kind != "photo" || msgs[2].Text != "chart" || msgs[3].Kind != "document" || string(msgs[3].File.Data) != "a,b" {
		t.Errorf("files = %+v", msgs[2:])
	}
}

func TestTokenNeverInErrors(t *testing.T) {
	srv := telegramtest.NewServer(t)
	url := srv.URL
	srv.Close()
	a, err := New(Config{Token: srv.Token, APIURL: url, Limits: fastLimits}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	a.out.maxAttempts = 1
	a.retryBase = time.Millisecond
	_, err = a.Send(context.Background(), chatRef(group, 0), bot.Outgoing{Text: "x"})
	if err == nil || strings.Contains(err.Error(), srv.Token) {
		t.Errorf("err = %v", err)
	}
	err = a.Run(context.Background(), func(context.Context, *bot.Event) {})
	if err == nil || strings.Contains(err.Error(), srv.Token) {
		t.Errorf("Run err = %v", err)
	}
}
