package feedback_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/bottest"
	"github.com/cohortbot/cohort/bot/feedback"
	"github.com/cohortbot/cohort/store"
	"github.com/cohortbot/cohort/store/storetest"
)

var (
	// discordMods is a Discord moderator channel in the community's guild.
	discordMods = bot.ChatRef{Platform: bot.Discord, Space: "111", Chat: "999"}
	// Dora moderates from Discord.
	dora = bot.Account{Platform: bot.Discord, ID: "5900", Name: "Dora", Username: "dora", Lang: "en"}
)

// rewards records the points the feedback desk asks for.
type rewards struct {
	mu    sync.Mutex
	calls []string
}

func (r *rewards) Reward(_ context.Context, community string, member bot.MemberID, rule, ref string) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, community+"/"+string(member)+"/"+rule+"/"+ref)
	return 50, nil
}

// tally records counters.
type tally struct {
	mu     sync.Mutex
	counts map[string]int
}

func (t *tally) Count(_ context.Context, _ string, _ bot.ChatRef, counter string, n int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.counts[counter] += n
}

func (t *tally) get(counter string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.counts[counter]
}

type env struct {
	tb      *bottest.TestBot
	st      *store.Store
	mod     *feedback.Module
	rewards *rewards
	tally   *tally
}

// newEnv runs a bot whose moderator chat is a Discord channel.
func newEnv(t *testing.T, cfg feedback.Config) *env {
	t.Helper()
	st := storetest.Open(t)
	m, err := feedback.New(st, map[string]feedback.Config{"acme": cfg}, feedback.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	c := bottest.Community()
	c.ModChat = discordMods
	c.Moderators = append(c.Moderators, dora.Key())
	e := &env{st: st, mod: m, rewards: &rewards{}, tally: &tally{counts: map[string]int{}}}
	e.tb = bottest.New(t, bottest.Options{Modules: []bot.Module{m}, Members: st, Communities: []*bot.Community{c}, Rewards: e.rewards, Tally: e.tally})
	return e
}

// sentTo returns the messages in sent that went to chat.
func sentTo(sent []bottest.Sent, chat bot.ChatRef) []bottest.Sent {
	var out []bottest.Sent
	for _, s := range sent {
		if s.Direct == "" && s.Ref.Chat == chat {
			out = append(out, s)
		}
	}
	return out
}

// directTo returns the direct messages in sent to a user id.
func directTo(sent []bottest.Sent, userID string) []bottest.Sent {
	var out []bottest.Sent
	for _, s := range sent {
		if s.Direct == userID {
			out = append(out, s)
		}
	}
	return out
}

func buttonData(s bottest.Sent) []string {
	var out []string
	for _, row := range s.Msg.Buttons {
		for _, b := range row {
			out = append(out, b.Data)
		}
	}
	return out
}

func ticket(t *testing.T, st *store.Store, id uint64) feedback.Ticket {
	t.Helper()
	tk, ok, err := st.Ticket(context.Background(), "acme", id)
	if err != nil || !ok {
		t.Fatalf("ticket %d: %v %v", id, ok, err)
	}
	return tk
}

func TestAnonymousTicket_TelegramToDiscordAndBack(t *testing.T) {
	e := newEnv(t, feedback.Defaults())
	tb := e.tb
	sent := tb.Say(bottest.Group, bottest.Alice, "/feedback complaint --anon the fees went up without notice")

	relayed := sentTo(sent, discordMods)
	if len(relayed) != 1 {
		t.Fatalf("want one relay in the Discord mod channel, got %v", bottest.Texts(sent))
	}
	relay := relayed[0]
	for _, leak := range []string{"Alice", "alice", "telegram:1001"} {
		if strings.Contains(relay.Text(), leak) {
			t.Fatalf("anonymous relay shows %q:\n%s", leak, relay.Text())
		}
	}
	if !strings.Contains(relay.Text(), "Ticket #1") || !strings.Contains(relay.Text(), "anonymous member") || !strings.Contains(relay.Text(), "the fees went up") {
		t.Fatalf("relay:\n%s", relay.Text())
	}
	if got := buttonData(relay); strings.Join(got, " ") != "fbm:claim:1 fbm:resolve:1" {
		t.Fatalf("relay buttons %v", got)
	}
	if dm := directTo(sent, bottest.Alice.ID); len(dm) != 1 || !strings.Contains(dm[0].Text(), "Anonymous ticket #1") {
		t.Fatalf("Alice's confirmation: %v", bottest.Texts(sent))
	}
	if acts := tb.Telegram.Actions(); len(acts) != 1 || acts[0].Kind != "delete" {
		t.Fatalf("the anonymous command should be removed from the group: %v", acts)
	}
	if e.tally.get(bot.CountTicketsOpened) != 1 {
		t.Fatalf("tickets_opened = %d", e.tally.get(bot.CountTicketsOpened))
	}

	// A Discord moderator answers by replying to the relayed message.
	sent = tb.Handle(&bot.Event{Kind: bot.EventMessage, Chat: discordMods, From: dora, Text: "We announced it in #news; sorry it was hard to find.",
		ReplyTo: &bot.MessageRef{Chat: discordMods, ID: relay.Ref.ID}})
	answer := directTo(sent, bottest.Alice.ID)
	if len(answer) != 1 || !strings.Contains(answer[0].Text(), "Answer to your ticket #1") || !strings.Contains(answer[0].Text(), "announced it in #news") {
		t.Fatalf("Alice did not get the answer: %v", bottest.Texts(sent))
	}
	if strings.Contains(answer[0].Text(), "Dora") {
		t.Fatalf("answer exposes the moderator: %s", answer[0].Text())
	}
	if mods := sentTo(sent, discordMods); len(mods) != 1 || !strings.Contains(mods[0].Text(), "by private message") {
		t.Fatalf("moderator not told about delivery: %v", bottest.Texts(sent))
	}
	if tk := ticket(t, e.st, 1); tk.State != feedback.StateClaimed || tk.ClaimedBy != "Dora" || tk.Replies != 1 {
		t.Fatalf("after the answer: %+v", tk)
	}

	// Resolve, then Alice rates and comments.
	sent = tb.Press(discordMods, dora, "fbm:resolve:1")
	prompt := directTo(sent, bottest.Alice.ID)
	if len(prompt) != 1 || strings.Join(buttonData(prompt[0]), " ") != "fbr:1:1 fbr:1:2 fbr:1:3 fbr:1:4 fbr:1:5" {
		t.Fatalf("rating prompt: %v", bottest.Texts(sent))
	}
	if e.tally.get(bot.CountTicketsResolved) != 1 {
		t.Fatal("tickets_resolved not counted")
	}
	alicePM := bot.ChatRef{Platform: bot.Telegram, Space: bottest.Alice.ID, Chat: bottest.Alice.ID}
	sent = tb.Handle(&bot.Event{Kind: bot.EventButton, Chat: alicePM, Private: true, From: bottest.Alice, Data: "fbr:1:4"})
	if !strings.Contains(bottest.Joined(sent), "4/5") {
		t.Fatalf("rating reply: %v", bottest.Texts(sent))
	}
	if mods := sentTo(sent, discordMods); len(mods) != 1 || !strings.Contains(mods[0].Text(), "★★★★☆") {
		t.Fatalf("moderators not told the rating: %v", bottest.Texts(sent))
	}
	sent = tb.SayPrivate(bottest.Alice, "Quick and clear, thanks")
	if !strings.Contains(bottest.Joined(sent), "comment was added to ticket #1") {
		t.Fatalf("comment reply: %v", bottest.Texts(sent))
	}
	tk := ticket(t, e.st, 1)
	if tk.State != feedback.StateResolved || tk.Rating != 4 || tk.Comment != "Quick and clear, thanks" {
		t.Fatalf("stored ticket: %+v", tk)
	}
	// Listings keep the member anonymous too.
	list := bottest.Joined(tb.Say(discordMods, dora, "/tickets all"))
	detail := bottest.Joined(tb.Say(discordMods, dora, "/tickets 1"))
	for _, leak := range []string{"Alice", "telegram:1001"} {
		if strings.Contains(list, leak) || strings.Contains(detail, leak) {
			t.Fatalf("listing shows %q:\n%s\n%s", leak, list, detail)
		}
	}
}

func TestReply_FallsBackToOriginalChatWhenDMBlocked(t *testing.T) {
	e := newEnv(t, feedback.Defaults())
	tb := e.tb
	tb.Say(bottest.Group, bottest.Bob, "/feedback question how do I stake my tokens?")
	tb.Telegram.BlockDM(bottest.Bob.ID)
	sent := tb.Say(discordMods, dora, "/reply 1 Use the Stake tab in the app.")
	group := sentTo(sent, bottest.Group)
	if len(group) != 1 || !strings.Contains(group[0].Text(), "Bob, Answer to your ticket #1") || group[0].Msg.Mention[0].ID != bottest.Bob.ID {
		t.Fatalf("answer in the group: %v", bottest.Texts(sent))
	}
	if !strings.Contains(bottest.Joined(sentTo(sent, discordMods)), "posted in the chat the ticket came from") {
		t.Fatalf("moderator told: %v", bottest.Texts(sent))
	}
	tb.Discord.FailSends(nil)
	if got := bottest.Joined(tb.Say(discordMods, dora, "/reply 99 hello")); !strings.Contains(got, "no ticket #99") {
		t.Fatalf("unknown ticket: %q", got)
	}
	if got := bottest.Joined(tb.Say(discordMods, dora, "/reply 1")); !strings.Contains(got, "Usage: /reply") {
		t.Fatalf("missing text: %q", got)
	}
}

func TestModeratorActions_RefusedForMembers_ForgedDataIgnored(t *testing.T) {
	e := newEnv(t, feedback.Defaults())
	tb := e.tb
	tb.Say(bottest.Group, bottest.Alice, "/feedback bug the app crashes on login")
	for _, cmd := range []string{"/tickets", "/reply 1 hi", "/tickets resolve 1"} {
		if got := bottest.Joined(tb.Say(bottest.Group, bottest.Bob, cmd)); !strings.Contains(got, "Only a moderator") {
			t.Errorf("%s by a member: %q", cmd, got)
		}
	}
	if got := bottest.Joined(tb.Press(discordMods, bottest.Dan, "fbm:resolve:1")); !strings.Contains(got, "not for you") {
		t.Errorf("member pressing resolve: %q", got)
	}
	// A member replying to the relay does not answer the ticket.
	relay := sentTo(tb.Discord.Sent(), discordMods)[0]
	if got := tb.Handle(&bot.Event{Kind: bot.EventMessage, Chat: discordMods, From: bottest.Dan, Text: "fake answer", ReplyTo: &relay.Ref}); len(got) != 0 {
		t.Errorf("member reply relayed: %v", bottest.Texts(got))
	}
	for _, data := range []string{"fbm:claim:999", "fbm:claim:abc", "fbm:nuke:1", "fbm:claim", "fbc:1:hack", "fbc:1:bug", "fbr:1:9", "fbr:x:1"} {
		tb.Press(discordMods, dora, data)
		tb.Press(bottest.Group, bottest.Bob, data)
	}
	if tk := ticket(t, e.st, 1); tk.State != feedback.StateOpen || tk.Rating != 0 || tk.Category != feedback.CatBug {
		t.Fatalf("forged data changed the ticket: %+v", tk)
	}
	tb.Say(discordMods, dora, "/tickets resolve 1")
	if got := bottest.Joined(tb.Press(bottest.Group, bottest.Bob, "fbr:1:5")); !strings.Contains(got, "not yours") {
		t.Errorf("Bob rating Alice's ticket: %q", got)
	}
	if tk := ticket(t, e.st, 1); tk.Rating != 0 {
		t.Fatalf("someone else's rating stored: %+v", tk)
	}
}

func TestPrivateMessage_DraftThenCategory_InChinese(t *testing.T) {
	e := newEnv(t, feedback.Defaults())
	tb := e.tb
	sent := tb.SayPrivate(bottest.Li, "钱包连接不上")
	if len(sent) != 1 || !strings.Contains(sent[0].Text(), "哪一类反馈") {
		t.Fatalf("draft reply: %v", bottest.Texts(sent))
	}
	if len(sentTo(tb.Discord.Sent(), discordMods)) != 0 {
		t.Fatal("a draft reached moderators before the member confirmed")
	}
	data := buttonData(sent[0])
	if len(data) != len(feedback.Categories) || data[3] != "fbc:1:bug" {
		t.Fatalf("category buttons: %v", data)
	}
	liPM := bot.ChatRef{Platform: bot.Telegram, Space: bottest.Li.ID, Chat: bottest.Li.ID}
	if got := bottest.Joined(tb.Press(liPM, bottest.Bob, "fbc:1:bug")); strings.Contains(got, "工单") || strings.Contains(got, "Ticket") {
		t.Fatalf("someone else confirmed Li's draft: %q", got)
	}
	sent = tb.Handle(&bot.Event{Kind: bot.EventButton, Chat: liPM, Private: true, From: bottest.Li, Data: "fbc:1:bug"})
	if !strings.Contains(bottest.Joined(sent), "工单 #1") {
		t.Fatalf("confirmation: %v", bottest.Texts(sent))
	}
	relay := sentTo(sent, discordMods)
	if len(relay) != 1 || !strings.Contains(relay[0].Text(), "钱包连接不上") || !strings.Contains(relay[0].Text(), "private message") || !strings.Contains(relay[0].Text(), "Bug") {
		t.Fatalf("relay: %v", bottest.Texts(sent))
	}
	if got := bottest.Joined(tb.Handle(&bot.Event{Kind: bot.EventButton, Chat: liPM, Private: true, From: bottest.Li, Data: "fbc:1:question"})); !strings.Contains(got, "已经发送") {
		t.Fatalf("second press: %q", got)
	}
}

func TestFeedback_CapUsageAndLength(t *testing.T) {
	cfg := feedback.Defaults()
	cfg.MaxOpen = 2
	e := newEnv(t, cfg)
	tb := e.tb
	tb.Say(bottest.Group, bottest.Alice, "/feedback question one")
	tb.Say(bottest.Group, bottest.Alice, "/feedback question two")
	if got := bottest.Joined(tb.Say(bottest.Group, bottest.Alice, "/feedback question three")); !strings.Contains(got, "already have 2 open tickets") {
		t.Fatalf("cap: %q", got)
	}
	if got := bottest.Joined(tb.Say(bottest.Group, bottest.Bob, "/feedback")); !strings.Contains(got, "Usage: /feedback") {
		t.Fatalf("empty: %q", got)
	}
	if got := bottest.Joined(tb.Say(bottest.Group, bottest.Bob, "/feedback bug "+strings.Repeat("x", 2001))); !strings.Contains(got, "at most 2000") {
		t.Fatalf("too long: %q", got)
	}
	// Resolving frees a slot.
	tb.Say(discordMods, dora, "/tickets resolve 1")
	if got := bottest.Joined(tb.Say(bottest.Group, bottest.Alice, "/feedback question three")); !strings.Contains(got, "Ticket #3") {
		t.Fatalf("after resolve: %q", got)
	}
}

func TestUnclaimedTickets_Reannounced(t *testing.T) {
	e := newEnv(t, feedback.Defaults())
	tb := e.tb
	ctx := context.Background()
	tb.Say(bottest.Group, bottest.Alice, "/feedback question when is the AMA?")
	tb.Say(bottest.Group, bottest.Bob, "/feedback question where is the roadmap?")
	tb.Say(discordMods, dora, "/tickets claim 2")
	before := len(tb.Discord.Sent())
	tb.Clock.Advance(time.Hour)
	if err := e.mod.Tick(ctx, tb.Bot); err != nil || len(tb.Discord.Sent()) != before {
		t.Fatalf("reminded too early: %v", err)
	}
	tb.Clock.Advance(time.Hour + time.Minute)
	if err := e.mod.Tick(ctx, tb.Bot); err != nil {
		t.Fatal(err)
	}
	got := tb.Discord.Sent()[before:]
	if len(got) != 1 || !strings.Contains(got[0].Text(), "Ticket #1 has waited 2 hours") {
		t.Fatalf("reminders: %v", bottest.Texts(got))
	}
	if err := e.mod.Tick(ctx, tb.Bot); err != nil || len(tb.Discord.Sent()) != before+1 {
		t.Fatal("reminded twice in a row")
	}
	// A reply to the reminder answers the ticket too.
	sent := tb.Handle(&bot.Event{Kind: bot.EventMessage, Chat: discordMods, From: dora, Text: "Friday 15:00 UTC", ReplyTo: &got[0].Ref})
	if len(directTo(sent, bottest.Alice.ID)) != 1 {
		t.Fatalf("reply to reminder: %v", bottest.Texts(sent))
	}
}

func TestAcceptSuggestion_RewardsOnce(t *testing.T) {
	e := newEnv(t, feedback.Defaults())
	tb := e.tb
	sent := tb.Say(bottest.Group, bottest.Alice, "/feedback suggestion add a dark mode")
	if got := buttonData(sentTo(sent, discordMods)[0]); len(got) != 3 || got[2] != "fbm:accept:1" {
		t.Fatalf("suggestion buttons: %v", got)
	}
	sent = tb.Press(discordMods, dora, "fbm:accept:1")
	if !strings.Contains(bottest.Joined(sent), "earned 50 points") || len(directTo(sent, bottest.Alice.ID)) != 1 {
		t.Fatalf("accept: %v", bottest.Texts(sent))
	}
	if got := bottest.Joined(tb.Say(discordMods, dora, "/tickets accept 1")); !strings.Contains(got, "already accepted") {
		t.Fatalf("second accept: %q", got)
	}
	if len(e.rewards.calls) != 1 || !strings.HasSuffix(e.rewards.calls[0], "/feedback_accepted/ticket:1") {
		t.Fatalf("rewards: %v", e.rewards.calls)
	}
	tb.Say(bottest.Group, bottest.Bob, "/feedback bug crash")
	if got := bottest.Joined(tb.Press(discordMods, dora, "fbm:accept:2")); !strings.Contains(got, "not a suggestion") {
		t.Fatalf("accepting a bug: %q", got)
	}
}

func TestTickets_ListsAndClaims(t *testing.T) {
	e := newEnv(t, feedback.Defaults())
	tb := e.tb
	tb.Say(bottest.Group, bottest.Alice, "/feedback question first")
	tb.Say(bottest.Channel, bottest.Dan, "/feedback bug second")
	if got := bottest.Joined(tb.Say(discordMods, dora, "/tickets")); !strings.Contains(got, "2 tickets") || !strings.Contains(got, "#2 · Bug · open · Dan") {
		t.Fatalf("open list: %q", got)
	}
	if got := bottest.Joined(tb.Press(discordMods, dora, "fbm:claim:2")); !strings.Contains(got, "claimed by Dora") {
		t.Fatalf("claim: %q", got)
	}
	if got := bottest.Joined(tb.Say(bottest.Group, bottest.Mod, "/tickets claim 2")); !strings.Contains(got, "already claimed by Dora") {
		t.Fatalf("double claim: %q", got)
	}
	if got := bottest.Joined(tb.Say(discordMods, dora, "/tickets mine")); !strings.Contains(got, "#2") || strings.Contains(got, "#1") {
		t.Fatalf("mine: %q", got)
	}
	if got := bottest.Joined(tb.Say(discordMods, dora, "/tickets nonsense")); !strings.Contains(got, "Usage: /tickets") {
		t.Fatalf("bad arg: %q", got)
	}
}

func TestParseFeedbackCategories(t *testing.T) {
	e := newEnv(t, feedback.Defaults())
	tests := []struct {
		line, cat string
		anon      bool
		text      string
	}{
		{"/feedback --anon bug it breaks", feedback.CatBug, true, "it breaks"},
		{"/feedback 建议 增加中文文档", feedback.CatSuggestion, false, "增加中文文档"},
		{"/feedback 匿名 投诉 客服太慢", feedback.CatComplaint, true, "客服太慢"},
		{"/feedback appeal I was muted by mistake", feedback.CatAppeal, false, "I was muted by mistake"},
		{`/feedback question "quoted" stays`, feedback.CatQuestion, false, `"quoted" stays`},
	}
	for i, tt := range tests {
		who := bot.Account{Platform: bot.Telegram, ID: "70" + string(rune('0'+i)), Name: "M"}
		e.tb.Say(bottest.Group, who, tt.line)
		tk := ticket(t, e.st, uint64(i+1))
		if tk.Category != tt.cat || tk.Anonymous != tt.anon || tk.Text != tt.text {
			t.Errorf("%s: got %q %v %q", tt.line, tk.Category, tk.Anonymous, tk.Text)
		}
	}
}

func TestConfigAndCatalog(t *testing.T) {
	m, err := feedback.New(storetest.Open(t), nil, feedback.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	if err := bot.CheckCatalog(m.Locales()); err != nil {
		t.Fatal(err)
	}
	bad := feedback.Defaults()
	bad.MaxOpen = 0
	if _, err := feedback.New(storetest.Open(t), map[string]feedback.Config{"acme": bad}, feedback.Defaults()); err == nil || !strings.Contains(err.Error(), "communities[acme].feedback.max_open") {
		t.Fatalf("bad config: %v", err)
	}
	bad = feedback.Defaults()
	bad.ReannounceAfter = time.Second
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "feedback.reannounce_after") {
		t.Fatalf("bad reannounce: %v", err)
	}
}

// TestFeedback_RedeliveredMessageOpensOneTicket: a platform that delivers
// the same /feedback message twice gets one ticket and one relay.
func TestFeedback_RedeliveredMessageOpensOneTicket(t *testing.T) {
	e := newEnv(t, feedback.Defaults())
	var relays int
	for range 2 {
		inv, _ := bot.ParseCommand("/feedback bug the export button does nothing", "/", "")
		sent := e.tb.Handle(&bot.Event{Kind: bot.EventCommand, Chat: bottest.Group, From: bottest.Alice, MessageID: "501", Command: &inv})
		relays += len(sentTo(sent, discordMods))
	}
	if relays != 1 {
		t.Fatalf("relayed %d times, want once", relays)
	}
	if _, ok, _ := e.st.Ticket(context.Background(), "acme", 2); ok {
		t.Fatal("a second ticket was opened")
	}
	if e.tally.counts[bot.CountTicketsOpened] != 1 {
		t.Fatalf("tickets opened counted %d times", e.tally.counts[bot.CountTicketsOpened])
	}
}
