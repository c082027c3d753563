package discord_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohort/adapters/discord"
	"github.com/cohortbot/cohort/adapters/discord/discordtest"
	"github.com/cohortbot/cohort/bot"
	"github.com/rs/zerolog"
)

const (
	messagesPath = "/api/v9/channels/*/messages"
	guildCmds    = "/api/v9/applications/" + discordtest.AppID + "/guilds/" + discordtest.GuildID + "/commands"
)

var general = bot.ChatRef{Platform: bot.Discord, Space: discordtest.GuildID, Chat: discordtest.ChannelID}

// probe is a test module: it records every event the core sees and offers
// a few commands.
type probe struct {
	events chan bot.Event
	slow   func(ctx context.Context, req *bot.Request) error
}

func newProbe() *probe { return &probe{events: make(chan bot.Event, 64)} }

func (p *probe) Name() string { return "probe" }

func (p *probe) Observe(ctx context.Context, req *bot.Request) error {
	p.events <- *req.Event
	return nil
}

func (p *probe) Commands() []bot.Command {
	return []bot.Command{
		{Name: "echo", Args: []bot.Arg{{Name: "text", Kind: bot.ArgText, Required: true}}, Run: func(ctx context.Context, req *bot.Request) error {
			_, err := req.Reply(ctx, bot.Outgoing{Text: "*You said:* " + bot.Escape(req.RawArgs)})
			return err
		}},
		{Name: "award", Role: bot.RoleModerator, Args: []bot.Arg{{Name: "member", Kind: bot.ArgUser, Required: true}, {Name: "points", Kind: bot.ArgInt, Required: true}, {Name: "reason", Kind: bot.ArgText}},
			Run: func(ctx context.Context, req *bot.Request) error {
				_, err := req.Reply(ctx, bot.Outgoing{Text: "awarded " + bot.Escape(strings.Join(req.Args, "|"))})
				return err
			}},
		{Name: "slow", Run: func(ctx context.Context, req *bot.Request) error { return p.slow(ctx, req) }},
	}
}

// next returns the next event of the given kind the core saw.
func (p *probe) next(t *testing.T, kind bot.EventKind) bot.Event {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev := <-p.events:
			if ev.Kind == kind {
				return ev
			}
		case <-timeout:
			t.Fatalf("no %s event reached the core", kind)
		}
	}
}

type harness struct {
	srv   *discordtest.Server
	a     *discord.Adapter
	probe *probe
}

// start runs a bot with the Discord adapter and the probe module against a
// fresh fake, and waits until the gateway is ready.
func start(t *testing.T, mutate func(*discord.Config)) *harness {
	t.Helper()
	t.Parallel()
	srv := discordtest.NewServer(t)
	cfg := discord.Config{Token: discordtest.Token, APIURL: srv.URL, Guilds: []string{discordtest.GuildID}}
	if mutate != nil {
		mutate(&cfg)
	}
	log := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.InfoLevel)
	a, err := discord.New(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	p := newProbe()
	b, err := bot.New(bot.Options{Adapters: []bot.Adapter{a}, Modules: []bot.Module{p}, Log: log,
		CommandRate: bot.Rate{Burst: 100, Per: time.Second}})
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
	srv.WaitReady(t, 1)
	return &harness{srv: srv, a: a, probe: p}
}

func TestCommandsRegisteredAfterReady(t *testing.T) {
	h := start(t, nil)
	req := h.srv.WaitRequest(t, http.MethodPut, guildCmds, nil)
	if req.Status != http.StatusOK {
		t.Fatalf("bulk overwrite answered %d", req.Status)
	}
	var cmds []map[string]any
	if err := req.Decode(&cmds); err != nil {
		t.Fatal(err)
	}
	byName := map[string]map[string]any{}
	for _, c := range cmds {
		byName[c["name"].(string)] = c
	}
	help := byName["help"]
	if help == nil {
		t.Fatalf("help not registered: %v", cmds)
	}
	locs, _ := help["description_localizations"].(map[string]any)
	if locs["en-US"] == nil || locs["zh-CN"] == nil || locs["zh-CN"] == locs["en-US"] {
		t.Errorf("help description_localizations = %v, want distinct en-US and zh-CN", locs)
	}
	if names, _ := help["name_localizations"].(map[string]any); names["zh-CN"] == nil {
		t.Errorf("help name_localizations = %v", names)
	}
	if p, ok := help["default_member_permissions"]; ok && p != nil {
		t.Errorf("member command /help has default_member_permissions %v", p)
	}
	award := byName["award"]
	if award["default_member_permissions"] != "32" {
		t.Errorf("moderator command /award default_member_permissions = %v, want \"32\" (Manage Server)", award["default_member_permissions"])
	}
	var types []float64
	for _, o := range award["options"].([]any) {
		types = append(types, o.(map[string]any)["type"].(float64))
	}
	if len(types) != 3 || types[0] != 6 || types[1] != 4 || types[2] != 3 {
		t.Errorf("award option types = %v, want user, integer, string", types)
	}
	id := h.srv.Identifies()[0]
	want := discordtest.IntentGuilds | discordtest.IntentGuildMessages | discordtest.IntentMessageContent |
		discordtest.IntentGuildMembers | discordtest.IntentGuildMessageReactions | discordtest.IntentGuildMessagePolls
	if id.Intents&want != want {
		t.Errorf("identify intents = %b, want at least %b", id.Intents, want)
	}
}

func TestGlobalRegistrationWithoutGuilds(t *testing.T) {
	h := start(t, func(c *discord.Config) { c.Guilds = nil })
	h.srv.WaitRequest(t, http.MethodPut, "/api/v9/applications/"+discordtest.AppID+"/commands", func(r discordtest.Request) bool { return r.Status == 200 })
}

func TestSlashHelpGetsInteractionResponse(t *testing.T) {
	h := start(t, nil)
	in := h.srv.DispatchSlash(discordtest.Slash{ChannelID: discordtest.ChannelID, UserID: discordtest.MemberID, Name: "help"})
	resp := h.srv.WaitCallback(t, in)
	if resp["type"] != 4.0 {
		t.Fatalf("response type = %v, want 4", resp["type"])
	}
	data := resp["data"].(map[string]any)
	if !strings.Contains(data["content"].(string), "/points") && !strings.Contains(data["content"].(string), "/echo") {
		t.Errorf("help text = %q", data["content"])
	}
	if strings.Contains(data["content"].(string), "/award") {
		t.Errorf("a member sees moderator commands in /help: %q", data["content"])
	}
	if data["flags"] != 64.0 {
		t.Errorf("help flags = %v, want ephemeral (64)", data["flags"])
	}
	ev := h.probe.next(t, bot.EventCommand)
	if ev.Command.Name != "help" || ev.From.ID != discordtest.MemberID || ev.Chat != general || ev.From.Lang != "en-US" {
		t.Errorf("event = %+v", ev)
	}
}

func TestSlashOptionsInDeclaredOrder(t *testing.T) {
	h := start(t, nil)
	in := h.srv.DispatchSlash(discordtest.Slash{ChannelID: discordtest.ChannelID, UserID: discordtest.OwnerID, Name: "award", Options: []discordtest.Option{
		discordtest.StringOption("reason", "great talk today"),
		discordtest.IntOption("points", 10),
		discordtest.UserOption("member", discordtest.MemberID),
	}})
	ev := h.probe.next(t, bot.EventCommand)
	want := "<@" + discordtest.MemberID + "> 10 great talk today"
	if ev.Command.RawArgs != want || len(ev.Command.Args) != 5 {
		t.Errorf("invocation = %+v, want raw %q", ev.Command, want)
	}
	if len(ev.Mentions) != 1 || ev.Mentions[0].ID != discordtest.MemberID || ev.Mentions[0].Username != "mike" {
		t.Errorf("mentions = %+v", ev.Mentions)
	}
	data := h.srv.WaitCallback(t, in)["data"].(map[string]any)
	if c := data["content"].(string); !strings.HasPrefix(c, "awarded <@\u200b"+discordtest.MemberID) || !strings.Contains(c, `\|10\|great`) {
		t.Errorf("reply = %q", data["content"])
	}
}

func TestMemberMessageSeenByCore(t *testing.T) {
	h := start(t, nil)
	id := h.srv.DispatchMessage(discordtest.ChannelID, discordtest.MemberID, "hello everyone, glad to be here")
	ev := h.probe.next(t, bot.EventMessage)
	if ev.MessageID != id || ev.Chat != general || ev.From.ID != discordtest.MemberID || ev.Text != "hello everyone, glad to be here" || ev.Private {
		t.Errorf("event = %+v", ev)
	}
	h.srv.DispatchMessage(discordtest.ThreadID, discordtest.MemberID, "in a thread")
	ev = h.probe.next(t, bot.EventMessage)
	if ev.Chat.Thread != discordtest.ThreadID || ev.Chat.Chat != discordtest.ChannelID {
		t.Errorf("thread message chat = %+v", ev.Chat)
	}
	h.srv.DispatchMessage(discordtest.ChannelID, discordtest.BotID, "the bot's own message")
	h.srv.DispatchMessage(discordtest.ChannelID, discordtest.AdminID, "after the bot")
	if ev := h.probe.next(t, bot.EventMessage); ev.From.ID != discordtest.AdminID {
		t.Errorf("bot message reached the core: %+v", ev)
	}
}

func TestPrefixHelp(t *testing.T) {
	h := start(t, nil)
	id := h.srv.DispatchMessage(discordtest.ChannelID, discordtest.MemberID, "!help")
	req := h.srv.WaitRequest(t, http.MethodPost, messagesPath, nil)
	body := req.JSON()
	if ref, _ := body["message_reference"].(map[string]any); ref["message_id"] != id || ref["fail_if_not_exists"] != false {
		t.Errorf("message_reference = %v", body["message_reference"])
	}
	if !strings.Contains(body["content"].(string), "/echo") {
		t.Errorf("help reply = %q", body["content"])
	}
	if ev := h.probe.next(t, bot.EventCommand); ev.Command.Name != "help" {
		t.Errorf("event = %+v", ev)
	}
}

func TestButtonPressAcknowledged(t *testing.T) {
	h := start(t, nil)
	in := h.srv.DispatchButton(discordtest.Click{ChannelID: discordtest.ChannelID, UserID: discordtest.MemberID, MessageID: "555", CustomID: "vote:yes"})
	if resp := h.srv.WaitCallback(t, in); resp["type"] != 6.0 {
		t.Errorf("button answered with %v, want a deferred update (6)", resp)
	}
	ev := h.probe.next(t, bot.EventButton)
	if ev.Data != "vote:yes" || ev.MessageID != "555" {
		t.Errorf("event = %+v", ev)
	}
}

func TestModalSubmitBecomesCommand(t *testing.T) {
	h := start(t, nil)
	in := h.srv.DispatchModal(discordtest.ModalSubmit{ChannelID: discordtest.ChannelID, UserID: discordtest.MemberID, CustomID: "/echo",
		Fields: []discordtest.ModalField{{CustomID: "text", Value: "more docs please"}}})
	data := h.srv.WaitCallback(t, in)["data"].(map[string]any)
	if !strings.Contains(data["content"].(string), "more docs please") {
		t.Errorf("reply = %q", data["content"])
	}
}

func TestReconnectResumesAndEventsKeepFlowing(t *testing.T) {
	h := start(t, nil)
	h.srv.Reconnect()
	missed := h.srv.DispatchMessage(discordtest.ChannelID, discordtest.MemberID, "sent while reconnecting")
	h.srv.WaitResume(t, 1)
	if ev := h.probe.next(t, bot.EventMessage); ev.MessageID != missed {
		t.Errorf("first event after resume = %+v, want the missed message", ev)
	}
	after := h.srv.DispatchMessage(discordtest.ChannelID, discordtest.MemberID, "after the resume")
	if ev := h.probe.next(t, bot.EventMessage); ev.MessageID != after {
		t.Errorf("event = %+v", ev)
	}
	if n := len(h.srv.Identifies()); n != 1 {
		t.Errorf("client identified %d times, want 1 (it should resume)", n)
	}
}

func TestRateLimitIsWaitedOut(t *testing.T) {
	h := start(t, nil)
	h.srv.FailNext(http.MethodPost, messagesPath, discordtest.RateLimited(0.05))
	ref, err := h.a.Send(context.Background(), general, bot.Outgoing{Text: "progress report"})
	if err != nil {
		t.Fatal(err)
	}
	reqs := h.srv.Requests(http.MethodPost, messagesPath)
	if len(reqs) != 2 || reqs[0].Status != 429 || reqs[1].Status != 200 {
		t.Fatalf("requests = %v", reqs)
	}
	if m := h.srv.Message(ref.ID); m == nil || m["content"] != "progress report" {
		t.Errorf("message after 429 = %v", m)
	}
}

func TestMemberTextIsEscapedWithNoMentions(t *testing.T) {
	h := start(t, nil)
	h.srv.DispatchMessage(discordtest.ChannelID, discordtest.MemberID, "!echo @everyone **free** `coins` _now_ > <@"+discordtest.OwnerID+">")
	body := h.srv.WaitRequest(t, http.MethodPost, messagesPath, nil).JSON()
	content := body["content"].(string)
	for _, want := range []string{"**You said:**", "@\u200beveryone", `\*\*free\*\*`, "\\`coins\\`", `\_now\_`, `\>`, "<@\u200b" + discordtest.OwnerID} {
		if !strings.Contains(content, want) {
			t.Errorf("content %q lacks %q", content, want)
		}
	}
	am, ok := body["allowed_mentions"].(map[string]any)
	if parse, isList := am["parse"].([]any); !ok || !isList || len(parse) != 0 || am["users"] != nil {
		t.Errorf("allowed_mentions = %v, want parse: [] and no users", body["allowed_mentions"])
	}
}

func TestSlowCommandIsDeferredWithFollowup(t *testing.T) {
	var srv *discordtest.Server
	h := start(t, func(c *discord.Config) { c.DeferAfter = 20 * time.Millisecond })
	srv = h.srv
	h.probe.slow = func(ctx context.Context, req *bot.Request) error {
		// Work until the adapter has deferred, as a slow export would.
		srv.WaitRequest(t, http.MethodPost, "/api/v9/interactions/*/*/callback", func(r discordtest.Request) bool { return r.JSON()["type"] == 5.0 })
		_, err := req.Reply(ctx, bot.Outgoing{Text: "export ready"})
		return err
	}
	in := srv.DispatchSlash(discordtest.Slash{ChannelID: discordtest.ChannelID, UserID: discordtest.MemberID, Name: "slow"})
	if resp := srv.WaitCallback(t, in); resp["type"] != 5.0 {
		t.Fatalf("initial response = %v, want deferred (5)", resp)
	}
	if f := srv.WaitFollowup(t, in); f["content"] != "export ready" {
		t.Errorf("follow-up = %v", f)
	}
}

func TestDirectMessage(t *testing.T) {
	h := start(t, nil)
	if _, err := h.a.SendDirect(context.Background(), discordtest.AdminID, bot.Outgoing{Text: "your ticket was answered"}); err != nil {
		t.Fatal(err)
	}
	h.srv.BlockDMs(discordtest.MemberID)
	_, err := h.a.SendDirect(context.Background(), discordtest.MemberID, bot.Outgoing{Text: "hi"})
	if !errors.Is(err, bot.ErrCannotDM) {
		t.Errorf("err = %v, want bot.ErrCannotDM", err)
	}
}

func TestRoleOf(t *testing.T) {
	h := start(t, nil)
	for _, tc := range []struct {
		user string
		want bot.Role
	}{
		{discordtest.OwnerID, bot.RoleOwner},
		{discordtest.AdminID, bot.RoleModerator},
		{discordtest.ModeratorID, bot.RoleModerator},
		{discordtest.MemberID, bot.RoleMember},
	} {
		got, err := h.a.RoleOf(context.Background(), general, tc.user)
		if err != nil || got != tc.want {
			t.Errorf("RoleOf(%s) = %v, %v; want %v", tc.user, got, err, tc.want)
		}
	}
}

func TestMemberEventsVotesAndReactions(t *testing.T) {
	h := start(t, nil)
	newcomer := h.srv.AddUser("nina")
	h.srv.DispatchMemberJoin(discordtest.GuildID, newcomer)
	if ev := h.probe.next(t, bot.EventMemberJoined); ev.From.ID != newcomer || ev.Chat != general {
		t.Errorf("join = %+v", ev)
	}
	h.srv.DispatchMemberLeave(discordtest.GuildID, newcomer)
	if ev := h.probe.next(t, bot.EventMemberLeft); ev.From.ID != newcomer {
		t.Errorf("leave = %+v", ev)
	}
	h.srv.DispatchPollVote(discordtest.ChannelID, "777", discordtest.MemberID, 2, true)
	ev := h.probe.next(t, bot.EventPollVote)
	if ev.Poll == nil || !ev.Poll.Added || !ev.Poll.Partial || len(ev.Poll.Options) != 1 || ev.Poll.Options[0] != 1 || ev.Poll.Message.ID != "777" || ev.From.Username != "mike" {
		t.Errorf("vote = %+v %+v", ev, ev.Poll)
	}
	h.srv.DispatchPollVote(discordtest.ChannelID, "777", discordtest.MemberID, 2, false)
	if ev := h.probe.next(t, bot.EventPollVote); ev.Poll.Added {
		t.Errorf("vote removal = %+v", ev.Poll)
	}
	h.srv.DispatchReaction(discordtest.ChannelID, "777", discordtest.MemberID, "🔥")
	if ev := h.probe.next(t, bot.EventReaction); ev.Emoji != "🔥" || ev.MessageID != "777" {
		t.Errorf("reaction = %+v", ev)
	}
}

func TestInviteJoinsNameTheirInvite(t *testing.T) {
	h := start(t, nil)
	h.srv.WaitRequest(t, http.MethodGet, "/api/v9/guilds/*/invites", nil)
	link, err := h.a.CreateInvite(context.Background(), general, "alice")
	if err != nil {
		t.Fatal(err)
	}
	code := strings.TrimPrefix(link, "https://discord.gg/")
	// A join through no tracked invite: the adapter knows the counts afterwards.
	first := h.srv.AddUser("ida")
	h.srv.DispatchMemberJoin(discordtest.GuildID, first)
	if ev := h.probe.next(t, bot.EventMemberJoined); ev.Invite != "" {
		t.Errorf("join without invite named %q", ev.Invite)
	}
	newcomer := h.srv.AddUser("otto")
	h.srv.UseInvite(code)
	h.srv.DispatchMemberJoin(discordtest.GuildID, newcomer)
	if ev := h.probe.next(t, bot.EventMemberJoined); ev.Invite != code {
		t.Errorf("join invite = %q, want %q", ev.Invite, code)
	}
}

func TestOutgoingAndModeration(t *testing.T) {
	h := start(t, nil)
	ctx := context.Background()
	ref, err := h.a.Send(ctx, general, bot.Outgoing{
		Title:   "Q3 progress",
		Text:    "Shipped *v2*. [Read more](https://example.com/q3)",
		Buttons: [][]bot.Button{{{Text: "RSVP", Data: "rsvp:42"}, {Text: "Docs", URL: "https://example.com"}}},
		Files:   []bot.File{{Name: "chart.png", MIME: "image/png", Data: []byte("PNG")}},
		Pin:     true,
	})
	if err != nil {
		t.Fatal(err)
	}
	req := h.srv.Requests(http.MethodPost, messagesPath)[0]
	body := req.JSON()
	embed := body["embeds"].([]any)[0].(map[string]any)
	if embed["title"] != "Q3 progress" || embed["description"] != "Shipped **v2**. [Read more](https://example.com/q3)" {
		t.Errorf("embed = %v", embed)
	}
	row := body["components"].([]any)[0].(map[string]any)["components"].([]any)
	if row[0].(map[string]any)["custom_id"] != "rsvp:42" || row[1].(map[string]any)["style"] != 5.0 {
		t.Errorf("buttons = %v", row)
	}
	if len(req.Files) != 1 || req.Files[0].Name != "chart.png" || string(req.Files[0].Data) != "PNG" {
		t.Errorf("files = %+v", req.Files)
	}
	if m := h.srv.Message(ref.ID); m["pinned"] != true {
		t.Errorf("announcement not pinned: %v", m)
	}

	long := strings.Repeat("word ", 900)
	if _, err := h.a.Send(ctx, general, bot.Outgoing{Text: long}); err != nil {
		t.Fatalf("long message: %v", err)
	}
	if n := len(h.srv.Requests(http.MethodPost, messagesPath)); n != 4 {
		t.Errorf("4500 characters went out in %d messages, want 1 + 3", n-1)
	}

	pollRef, err := h.a.Send(ctx, general, bot.Outgoing{Poll: &bot.Poll{Question: "Next AMA topic?", Options: []string{"Roadmap", "Tokenomics"}}})
	if err != nil {
		t.Fatal(err)
	}
	poll := h.srv.Message(pollRef.ID)["poll"].(map[string]any)
	if len(poll["answers"].([]any)) != 2 {
		t.Errorf("poll = %v", poll)
	}
	if err := h.a.ClosePoll(ctx, pollRef); err != nil {
		t.Fatal(err)
	}
	if err := h.a.Edit(ctx, ref, bot.Outgoing{Text: "edited"}); err != nil {
		t.Fatal(err)
	}
	if h.srv.Message(ref.ID)["content"] != "edited" {
		t.Errorf("edit not applied")
	}
	if err := h.a.Delete(ctx, ref); err != nil || h.srv.Message(ref.ID) != nil {
		t.Errorf("delete: %v", err)
	}
	if err := h.a.Mute(ctx, general, discordtest.MemberID, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if h.srv.Member(discordtest.GuildID, discordtest.MemberID)["communication_disabled_until"] == nil {
		t.Errorf("member not timed out")
	}
	if err := h.a.Unmute(ctx, general, discordtest.MemberID); err != nil {
		t.Fatal(err)
	}
	if err := h.a.SetRole(ctx, discordtest.GuildID, discordtest.MemberID, discordtest.TierRoleID, true); err != nil {
		t.Fatal(err)
	}
	if roles := h.srv.Member(discordtest.GuildID, discordtest.MemberID)["roles"].([]string); len(roles) != 1 || roles[0] != discordtest.TierRoleID {
		t.Errorf("roles = %v", roles)
	}
	if err := h.a.Ban(ctx, general, discordtest.MemberID, "scam links"); err != nil || !h.srv.Banned(discordtest.GuildID, discordtest.MemberID) {
		t.Errorf("ban: %v", err)
	}
	if err := h.a.Unban(ctx, general, discordtest.MemberID); err != nil {
		t.Errorf("unban: %v", err)
	}
	if _, err := h.a.Send(ctx, bot.ChatRef{Platform: bot.Discord, Space: discordtest.GuildID, Chat: "42"}, bot.Outgoing{Text: "x"}); err == nil || !strings.Contains(err.Error(), "10003") {
		t.Errorf("unknown channel error = %v", err)
	}
}

func TestBadTokenFailsRun(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	a, err := discord.New(discord.Config{Token: "wrong", APIURL: srv.URL}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Run(context.Background(), func(context.Context, *bot.Event) {}); err == nil {
		t.Fatal("Run with a bad token succeeded")
	}
}
