package bottest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/rs/zerolog"
)

// Chats and accounts for tests.
var (
	// Group is a Telegram group.
	Group = bot.ChatRef{Platform: bot.Telegram, Space: "-100100", Chat: "-100100"}
	// Channel is a Discord channel.
	Channel = bot.ChatRef{Platform: bot.Discord, Space: "111", Chat: "222"}
	// ModChat is a Telegram group for moderators.
	ModChat = bot.ChatRef{Platform: bot.Telegram, Space: "-100900", Chat: "-100900"}

	// Alice is a Telegram member.
	Alice = bot.Account{Platform: bot.Telegram, ID: "1001", Name: "Alice", Username: "alice", Lang: "en"}
	// Bob is a Telegram member.
	Bob = bot.Account{Platform: bot.Telegram, ID: "1002", Name: "Bob", Username: "bob", Lang: "en"}
	// Li is a Telegram member whose client is in Chinese.
	Li = bot.Account{Platform: bot.Telegram, ID: "1003", Name: "李雷", Username: "lilei", Lang: "zh-hans"}
	// Mod is a Telegram moderator of the test community.
	Mod = bot.Account{Platform: bot.Telegram, ID: "1900", Name: "Mia Mod", Username: "mia", Lang: "en"}
	// AliceDiscord is Alice's Discord account.
	AliceDiscord = bot.Account{Platform: bot.Discord, ID: "5001", Name: "alice_d", Username: "alice_d", Lang: "en-US"}
	// Dan is a Discord member.
	Dan = bot.Account{Platform: bot.Discord, ID: "5002", Name: "Dan", Username: "dan", Lang: "en-US"}
)

// Community is the test community: Group and Channel as "general", ModChat
// for moderators, Mod as a configured moderator.
func Community() *bot.Community {
	return &bot.Community{
		ID: "acme", Name: "ACME", Locale: "en", Location: time.UTC,
		Moderators: []string{Mod.Key()},
		ModChat:    ModChat,
		Chats: []bot.CommunityChat{
			{Ref: Group, Segment: "general"},
			{Ref: Channel, Segment: "general"},
		},
	}
}

// Options configure a TestBot.
type Options struct {
	Modules     []bot.Module
	Communities []*bot.Community // default: Community()
	Members     bot.MemberDirectory
	Start       time.Time // clock start; default 2026-01-05 10:00 UTC (a Monday)
	Rate        bot.Rate
	Rewards     bot.Rewards
	Tally       bot.Tally
	// ManualRunners keeps the modules' background work from starting, for
	// tests that call a module's Tick themselves at chosen fake times.
	ManualRunners bool
}

// TestBot is a running bot with fake Telegram and Discord adapters.
type TestBot struct {
	t        testing.TB
	Bot      *bot.Bot
	Clock    *Clock
	Telegram *Adapter
	Discord  *Adapter

	mu     sync.Mutex
	nextID int
}

// New builds the bot and runs it (runners included) until the test ends.
func New(t testing.TB, opts Options) *TestBot {
	t.Helper()
	start := opts.Start
	if start.IsZero() {
		start = time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	}
	communities := opts.Communities
	if communities == nil {
		communities = []*bot.Community{Community()}
	}
	if opts.Rate.Burst == 0 {
		opts.Rate = bot.Rate{Burst: 1000, Per: time.Second}
	}
	tb := &TestBot{t: t, Clock: NewClock(start), Telegram: NewAdapter(bot.Telegram), Discord: NewAdapter(bot.Discord)}
	modules := opts.Modules
	if opts.ManualRunners {
		modules = make([]bot.Module, len(opts.Modules))
		for i, m := range opts.Modules {
			modules[i] = withoutRunner{m}
		}
	}
	b, err := bot.New(bot.Options{
		Adapters:    []bot.Adapter{tb.Telegram, tb.Discord},
		Modules:     modules,
		Communities: bot.NewCommunities(communities, "en", time.UTC),
		Members:     opts.Members,
		Locale:      "en",
		Log:         zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.InfoLevel),
		Now:         tb.Clock.Now,
		CommandRate: opts.Rate,
		Rewards:     opts.Rewards,
		Tally:       opts.Tally,
	})
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	tb.Bot = b
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = b.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	<-tb.Telegram.running
	<-tb.Discord.running
	return tb
}

func (tb *TestBot) adapter(platform string) *Adapter {
	if platform == bot.Discord {
		return tb.Discord
	}
	return tb.Telegram
}

// Handle passes an event through the whole bot and returns what the bot
// sent while handling it, Telegram's messages first.
func (tb *TestBot) Handle(ev *bot.Event) []Sent {
	tb.t.Helper()
	if ev.Time.IsZero() {
		ev.Time = tb.Clock.Now()
	}
	if ev.MessageID == "" {
		tb.mu.Lock()
		tb.nextID++
		ev.MessageID = fmt.Sprintf("m%d", tb.nextID)
		tb.mu.Unlock()
	}
	ntg, ndc := len(tb.Telegram.Sent()), len(tb.Discord.Sent())
	tb.Bot.Handler()(context.Background(), ev)
	return append(tb.Telegram.Sent()[ntg:], tb.Discord.Sent()[ndc:]...)
}

// Say sends text from an account in a chat: a command when it starts with
// "/", a message otherwise. Private chats are the account's DM.
func (tb *TestBot) Say(chat bot.ChatRef, from bot.Account, text string) []Sent {
	tb.t.Helper()
	ev := &bot.Event{Kind: bot.EventMessage, Chat: chat, From: from, Text: text}
	if inv, ok := bot.ParseCommand(text, "/", ""); ok {
		ev.Kind = bot.EventCommand
		ev.Command = &inv
	}
	return tb.Handle(ev)
}

// SayPrivate sends text in the account's private chat with the bot.
func (tb *TestBot) SayPrivate(from bot.Account, text string) []Sent {
	chat := bot.ChatRef{Platform: from.Platform, Space: from.ID, Chat: from.ID}
	ev := &bot.Event{Kind: bot.EventMessage, Chat: chat, From: from, Text: text, Private: true}
	if inv, ok := bot.ParseCommand(text, "/", ""); ok {
		ev.Kind = bot.EventCommand
		ev.Command = &inv
	}
	return tb.Handle(ev)
}

// Press presses a button with the given data in a chat.
func (tb *TestBot) Press(chat bot.ChatRef, from bot.Account, data string) []Sent {
	return tb.Handle(&bot.Event{Kind: bot.EventButton, Chat: chat, From: from, Data: data})
}

// Join reports an account joining a chat (through an invite, if given).
func (tb *TestBot) Join(chat bot.ChatRef, who bot.Account, invite string) []Sent {
	return tb.Handle(&bot.Event{Kind: bot.EventMemberJoined, Chat: chat, From: who, Invite: invite})
}

// Leave reports an account leaving a chat.
func (tb *TestBot) Leave(chat bot.ChatRef, who bot.Account) []Sent {
	return tb.Handle(&bot.Event{Kind: bot.EventMemberLeft, Chat: chat, From: who})
}

// Texts returns the plain text of messages.
func Texts(sent []Sent) []string {
	out := make([]string, len(sent))
	for i, s := range sent {
		out[i] = s.Text()
	}
	return out
}

// Joined returns the plain texts of messages joined by newlines, for Contains checks.
func Joined(sent []Sent) string { return strings.Join(Texts(sent), "\n") }

// Clock is a fake clock that moves only when told.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}
