package moderation_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/bottest"
	"github.com/cohortbot/cohort/bot/moderation"
	"github.com/cohortbot/cohort/store"
	"github.com/cohortbot/cohort/store/storetest"
)

// linkedDir is the store's member directory with Alice's Telegram and
// Discord accounts linked into one member.
type linkedDir struct{ *store.Store }

func (d linkedDir) link(m bot.Member) bot.Member {
	for _, a := range m.Accounts {
		if a.Key() == bottest.Alice.Key() {
			m.Accounts = append(m.Accounts, bottest.AliceDiscord)
			return m
		}
	}
	return m
}

func (d linkedDir) Resolve(ctx context.Context, c string, acct bot.Account, at time.Time) (bot.Member, error) {
	if acct.Key() == bottest.AliceDiscord.Key() {
		acct = bottest.Alice
	}
	m, err := d.Store.Resolve(ctx, c, acct, at)
	return d.link(m), err
}

func (d linkedDir) Member(ctx context.Context, c string, id bot.MemberID) (bot.Member, bool, error) {
	m, ok, err := d.Store.Member(ctx, c, id)
	return d.link(m), ok, err
}

func (d linkedDir) FindMember(ctx context.Context, c, q string) (bot.Member, bool, error) {
	m, ok, err := d.Store.FindMember(ctx, c, q)
	return d.link(m), ok, err
}

func testConfig() moderation.Config {
	cfg := moderation.Defaults()
	cfg.Flood = moderation.FloodConfig{Messages: 5, Window: 5 * time.Second}
	cfg.Ladder = []moderation.Step{{Warns: 3, Within: 7 * 24 * time.Hour, Action: "mute", Duration: 24 * time.Hour}}
	cfg.Links.Allow = []string{"acme.example"}
	cfg.Rules = map[string]string{"en": "1. Be kind. 2. No ads.", "zh-CN": "1. 友善交流。2. 禁止广告。"}
	return cfg
}

type env struct {
	tb *bottest.TestBot
	st *store.Store
}

func newEnv(t *testing.T, cfg moderation.Config) *env {
	t.Helper()
	st := storetest.Open(t)
	m, err := moderation.New(st, map[string]moderation.Config{"acme": cfg}, moderation.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	tb := bottest.New(t, bottest.Options{Modules: []bot.Module{m}, Members: linkedDir{st}})
	return &env{tb: tb, st: st}
}

func actions(a *bottest.Adapter, kind string) []bottest.Action {
	var out []bottest.Action
	for _, x := range a.Actions() {
		if x.Kind == kind {
			out = append(out, x)
		}
	}
	return out
}

func memberActions(t *testing.T, e *env, acct bot.Account) []moderation.Action {
	t.Helper()
	ctx := context.Background()
	m, err := e.st.Resolve(ctx, "acme", acct, e.tb.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	acts, err := e.st.MemberActions(ctx, "acme", m.ID, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return acts
}

func TestFlood_TenMessagesInFiveSeconds_MutesPerLadder(t *testing.T) {
	e := newEnv(t, testConfig())
	tb := e.tb
	start := tb.Clock.Now()
	var said []string
	for i := 1; i <= 10; i++ {
		said = append(said, bottest.Texts(tb.Say(bottest.Group, bottest.Bob, fmt.Sprintf("hello number %d", i)))...)
		tb.Clock.Advance(450 * time.Millisecond)
	}
	mutes := actions(tb.Telegram, "mute")
	if len(mutes) != 1 || mutes[0].UserID != bottest.Bob.ID || mutes[0].Chat != bottest.Group {
		t.Fatalf("mutes: %+v", mutes)
	}
	if want := start.Add(7*450*time.Millisecond + 24*time.Hour); !mutes[0].Until.Equal(want) {
		t.Fatalf("muted until %s, want %s", mutes[0].Until, want)
	}
	if got := len(actions(tb.Telegram, "delete")); got != 5 {
		t.Fatalf("deleted %d messages, want the 5 over the limit", got)
	}
	all := strings.Join(said, "\n")
	for _, want := range []string{"more than 5 messages in 5 seconds. Warning 1.", "Warning 3.", "Bob is muted for 1d"} {
		if !strings.Contains(all, want) {
			t.Errorf("chat lacks %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "Warning 4") {
		t.Errorf("warned again after the mute:\n%s", all)
	}
	var kinds []string
	for _, a := range memberActions(t, e, bottest.Bob) {
		kinds = append(kinds, a.Kind+"/"+a.Rule)
	}
	if strings.Join(kinds, " ") != "warn/flood warn/flood warn/flood mute/ladder" {
		t.Fatalf("stored actions: %v", kinds)
	}
	modlog := bottest.Joined(tb.Telegram.Sent())
	if !strings.Contains(modlog, "Mute #4 · Bob (telegram:1002) · by automatic") {
		t.Fatalf("moderation log:\n%s", modlog)
	}
}

func TestLinks_FromNewMembersDeletedWithWarning(t *testing.T) {
	e := newEnv(t, testConfig())
	tb := e.tb
	tb.Say(bottest.Group, bottest.Alice, "hi all") // Alice is first seen now
	sent := tb.Say(bottest.Channel, bottest.Dan, "free tokens at https://claim-airdrop.example/now")
	if dels := actions(tb.Discord, "delete"); len(dels) != 1 || dels[0].Chat != bottest.Channel {
		t.Fatalf("link not deleted: %+v", dels)
	}
	if got := bottest.Joined(sent); !strings.Contains(got, "Dan, your message was removed: links are allowed after 3 days in the community. Warning 1.") {
		t.Fatalf("warning: %q", got)
	}
	tb.Say(bottest.Channel, bottest.Dan, "join discord.gg/abcdef")
	tb.Say(bottest.Channel, bottest.Dan, "our site https://docs.acme.example/faq is allowed")
	if dels := actions(tb.Discord, "delete"); len(dels) != 2 {
		t.Fatalf("invite or allowed link handled wrongly: %+v", dels)
	}
	tb.Clock.Advance(4 * 24 * time.Hour)
	if sent := tb.Say(bottest.Group, bottest.Alice, "see t.me/acme_news for updates"); len(sent) != 0 || len(actions(tb.Telegram, "delete")) != 0 {
		t.Fatalf("an older member's link was removed: %v", bottest.Texts(sent))
	}
}

func TestBan_LinkedMemberOnBothPlatforms(t *testing.T) {
	cfg := testConfig()
	cfg.ApplyLinked = true
	e := newEnv(t, cfg)
	tb := e.tb
	tb.Say(bottest.Channel, bottest.AliceDiscord, "hello from discord")
	sent := tb.Say(bottest.Group, bottest.Mod, "/ban @alice selling fake tokens")
	if got := bottest.Joined(sent); !strings.Contains(got, "Alice is banned. selling fake tokens") {
		t.Fatalf("reply: %q", got)
	}
	tg, dc := actions(tb.Telegram, "ban"), actions(tb.Discord, "ban")
	if len(tg) != 1 || tg[0].UserID != bottest.Alice.ID || tg[0].Chat != bottest.Group {
		t.Fatalf("telegram bans: %+v", tg)
	}
	if len(dc) != 1 || dc[0].UserID != bottest.AliceDiscord.ID || dc[0].Chat.Space != bottest.Channel.Space || dc[0].Detail != "selling fake tokens" {
		t.Fatalf("discord bans: %+v", dc)
	}
	if !strings.Contains(bottest.Joined(sent), "Ban #1 · Alice (telegram:1001, discord:5001) · by telegram:1900") {
		t.Fatalf("moderation log: %v", bottest.Texts(sent))
	}
	tb.Say(bottest.Group, bottest.Mod, "/unban @alice")
	if len(actions(tb.Telegram, "unban")) != 1 || len(actions(tb.Discord, "unban")) != 1 {
		t.Fatal("unban did not reach both platforms")
	}
}

func TestBan_WithoutLinking_OnlyThePlatformUsed(t *testing.T) {
	e := newEnv(t, testConfig())
	tb := e.tb
	tb.Say(bottest.Group, bottest.Alice, "hi")
	tb.Say(bottest.Group, bottest.Mod, "/ban @alice spam")
	if len(actions(tb.Telegram, "ban")) != 1 || len(actions(tb.Discord, "ban")) != 0 {
		t.Fatalf("bans: tg %v dc %v", tb.Telegram.Actions(), tb.Discord.Actions())
	}
}

func TestModeratorCommands(t *testing.T) {
	e := newEnv(t, testConfig())
	tb := e.tb
	tb.Say(bottest.Group, bottest.Bob, "hi")
	tests := []struct {
		from       bot.Account
		line, want string
	}{
		{bottest.Alice, "/ban @bob", "Only a moderator can use /ban"},
		{bottest.Alice, "/mute @bob 1h", "Only a moderator can use /mute"},
		{bottest.Mod, "/mute @bob 2h too loud", "Bob is muted for 2h. too loud"},
		{bottest.Mod, "/unmute @bob", "Bob can write again"},
		{bottest.Mod, "/mute @bob", "Bob is muted for 1h"},
		{bottest.Mod, "/warn @nobody rude", "I don't know @nobody"},
		{bottest.Mod, "/warn", "Usage: /warn"},
		{bottest.Mod, "/ban @mia", "is a moderator"},
		{bottest.Mod, "/warn @bob be nice", "Bob was warned (1 warning recently). be nice"},
	}
	for _, tt := range tests {
		if got := bottest.Joined(tb.Say(bottest.Group, tt.from, tt.line)); !strings.Contains(got, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.line, got, tt.want)
		}
	}
	mutes := actions(tb.Telegram, "mute")
	if len(mutes) != 2 || !mutes[0].Until.Equal(tb.Clock.Now().Add(2*time.Hour)) {
		t.Fatalf("mutes: %+v", mutes)
	}
	// A warning as a reply to the member's message.
	got := tb.Handle(&bot.Event{Kind: bot.EventCommand, Chat: bottest.Group, From: bottest.Mod, ReplyToFrom: &bottest.Bob,
		Command: &bot.Invocation{Name: "warn", Args: []string{"spamming"}, RawArgs: "spamming"}})
	if !strings.Contains(bottest.Joined(got), "Bob was warned (2 warnings recently). spamming") {
		t.Fatalf("reply warn: %v", bottest.Texts(got))
	}
	// The third warning climbs the ladder.
	got = tb.Say(bottest.Group, bottest.Mod, "/warn @bob last time")
	if !strings.Contains(bottest.Joined(got), "Bob is muted for 1d") || len(actions(tb.Telegram, "mute")) != 3 {
		t.Fatalf("ladder after manual warns: %v", bottest.Texts(got))
	}
}

func TestAutomaticRules(t *testing.T) {
	e := newEnv(t, testConfig())
	tb := e.tb
	tb.Say(bottest.Group, bottest.Bob, "hi")
	tb.Clock.Advance(10 * 24 * time.Hour)
	tests := []struct {
		from    bot.Account
		text    string
		removed bool
		want    string
	}{
		{bottest.Bob, "you are a retard", true, "language that is not allowed"},
		{bottest.Bob, "the rollout was retarded by rain", false, ""},
		{bottest.Li, "你个傻逼", true, "使用了本群禁止的词语"},
		{bottest.Li, "项目进展不错", false, ""},
		{bottest.Bob, "@a1 @b2 @c3 @d4 @e5 @f6 look", true, "mentioning more than 5 people"},
		{bottest.Alice, "buy $ACME now", false, ""},
		{bottest.Alice, "buy $ACME now", false, ""},
		{bottest.Alice, "BUY  $acme now", true, "repeating the same message"},
		{bottest.Mod, "@a1 @b2 @c3 @d4 @e5 @f6 retard", false, ""},
	}
	for _, tt := range tests {
		before := len(actions(tb.Telegram, "delete"))
		tb.Clock.Advance(2 * time.Second)
		got := bottest.Joined(tb.Say(bottest.Group, tt.from, tt.text))
		removed := len(actions(tb.Telegram, "delete")) > before
		if removed != tt.removed || !strings.Contains(got, tt.want) {
			t.Errorf("%q: removed %v, said %q", tt.text, removed, got)
		}
	}
}

func TestWelcomeAndRules(t *testing.T) {
	e := newEnv(t, testConfig())
	tb := e.tb
	got := bottest.Joined(tb.Join(bottest.Group, bottest.Li, ""))
	for _, want := range []string{"欢迎加入 ACME，李雷", "禁止广告", "/points"} {
		if !strings.Contains(got, want) {
			t.Errorf("welcome lacks %q:\n%s", want, got)
		}
	}
	if got := bottest.Joined(tb.Say(bottest.Channel, bottest.Dan, "/rules")); !strings.Contains(got, "Rules of ACME") || !strings.Contains(got, "Be kind") {
		t.Errorf("/rules: %q", got)
	}
	cfg := testConfig()
	cfg.Welcome.Enabled = false
	cfg.Rules = nil
	e = newEnv(t, cfg)
	if got := e.tb.Join(bottest.Group, bottest.Li, ""); len(got) != 0 {
		t.Errorf("welcome while disabled: %v", bottest.Texts(got))
	}
	if got := bottest.Joined(e.tb.Say(bottest.Group, bottest.Alice, "/rules")); !strings.Contains(got, "not published rules") {
		t.Errorf("/rules without rules: %q", got)
	}
}

func TestConfigAndCatalog(t *testing.T) {
	m, err := moderation.New(storetest.Open(t), nil, moderation.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	if err := bot.CheckCatalog(m.Locales()); err != nil {
		t.Fatal(err)
	}
	bad := moderation.Defaults()
	bad.Ladder = []moderation.Step{{Warns: 2, Within: time.Hour, Action: "kick"}}
	if _, err := moderation.New(storetest.Open(t), map[string]moderation.Config{"acme": bad}, moderation.Defaults()); err == nil || !strings.Contains(err.Error(), "communities[acme].moderation.ladder[0].action") {
		t.Fatalf("bad ladder: %v", err)
	}
	bad = moderation.Defaults()
	bad.BannedWordFiles = []string{"/nonexistent/words.txt"}
	if _, err := moderation.New(storetest.Open(t), map[string]moderation.Config{"acme": bad}, moderation.Defaults()); err == nil || !strings.Contains(err.Error(), "banned_word_files") {
		t.Fatalf("missing word file: %v", err)
	}
}
