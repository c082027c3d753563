package sentinel_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/bottest"
	"github.com/cohortbot/cohort/bot/sentinel"
	"github.com/cohortbot/cohort/store"
	"github.com/cohortbot/cohort/store/storetest"
)

func newBot(t *testing.T, cfg sentinel.Config) (*bottest.TestBot, *sentinel.Module, *store.Store) {
	t.Helper()
	st := storetest.Open(t)
	m, err := sentinel.New(st, map[string]sentinel.Config{"acme": cfg}, sentinel.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	c := bottest.Community()
	c.Chats[0].Ref = bot.ChatRef{Platform: bot.Telegram, Space: "-100100", Chat: "-100100"}
	return bottest.New(t, bottest.Options{Modules: []bot.Module{m}, Members: st, Communities: []*bot.Community{c}}), m, st
}

func modChat(sent []bottest.Sent) []string {
	var out []string
	for _, s := range sent {
		if s.Ref.Chat == bottest.ModChat {
			out = append(out, s.Text())
		}
	}
	return out
}

func TestRiskAlerts_OneEachThenCooldown(t *testing.T) {
	tb, _, st := newBot(t, sentinel.Defaults())
	zh := modChat(tb.Say(bottest.Group, bottest.Li, "这个项目是不是要跑路了"))
	if len(zh) != 1 || !strings.Contains(zh[0], "跑路") || !strings.Contains(zh[0], "李雷 (telegram:1003)") || !strings.Contains(zh[0], "“这个项目是不是要跑路了”") {
		t.Fatalf("Chinese alert: %v", zh)
	}
	en := tb.Say(bottest.Channel, bottest.Dan, "is this a rug pull?")
	alerts := modChat(en)
	if len(alerts) != 1 || !strings.Contains(alerts[0], "rug pull") || !strings.Contains(alerts[0], "Dan (discord:5002)") {
		t.Fatalf("English alert: %v", alerts)
	}
	if !strings.Contains(en[0].Msg.Text, "(https://discord.com/channels/111/222/") {
		t.Fatalf("no link to the Discord message: %s", en[0].Msg.Text)
	}
	// The same phrases again stay quiet during the cooldown.
	if got := modChat(tb.Say(bottest.Group, bottest.Bob, "seriously, is this a rug pull")); len(got) != 0 {
		t.Fatalf("alert during cooldown: %v", got)
	}
	if got := modChat(tb.Say(bottest.Group, bottest.Alice, "I'm not worried about a scam at all")); len(got) != 0 {
		t.Fatalf("negated risk alerted: %v", got)
	}
	if got := modChat(tb.Say(bottest.Group, bottest.Alice, "how do I get a refund for the conference ticket?")); len(got) != 0 {
		t.Fatalf("harmless refund alerted: %v", got)
	}
	tb.Clock.Advance(31 * time.Minute)
	after := modChat(tb.Say(bottest.Group, bottest.Bob, "this smells like a rug pull, *devs* gone"))
	if len(after) != 1 || !strings.Contains(after[0], "1 more mention during the cooldown") || !strings.Contains(after[0], "https://t.me/c/100/") {
		t.Fatalf("alert after cooldown: %v", after)
	}
	if strings.Contains(tb.Telegram.Sent()[len(tb.Telegram.Sent())-1].Msg.Text, "*devs*") {
		t.Fatal("user text was not escaped in the alert")
	}
	flags, err := st.FlaggedSince(context.Background(), "acme", time.Time{})
	if err != nil || len(flags) != 4 {
		t.Fatalf("flagged: %d %v", len(flags), err)
	}
	// Moderators' own messages are not flagged.
	tb.Clock.Advance(time.Hour)
	if got := modChat(tb.Say(bottest.Group, bottest.Mod, "this is not a ponzi, it is a scam warning: ponzi schemes promise returns")); len(got) != 0 {
		t.Fatalf("moderator flagged: %v", got)
	}
}

func TestNegativeSpike_AgainstBaseline(t *testing.T) {
	cfg := sentinel.Defaults()
	cfg.SpikeMinNegative = 5
	tb, m, st := newBot(t, cfg)
	ctx := context.Background()
	start := tb.Clock.Now().Truncate(time.Hour)
	// Seven quiet days: 100 messages an hour, 5% negative.
	for h := 1; h <= 7*24; h++ {
		if err := st.AddHour(ctx, "acme", sentinel.Hour{Start: start.Add(-time.Duration(h) * time.Hour), Total: 100, Negative: 5}); err != nil {
			t.Fatal(err)
		}
	}
	var alerts []string
	for i := 0; i < 10; i++ {
		alerts = append(alerts, modChat(tb.Say(bottest.Group, bottest.Alice, fmt.Sprintf("the roadmap looks fine %d", i)))...)
	}
	for i := 0; i < 4; i++ {
		alerts = append(alerts, modChat(tb.Say(bottest.Group, bottest.Bob, "so disappointed, terrible update"))...)
	}
	if len(alerts) != 0 {
		t.Fatalf("alert below the minimum count: %v", alerts)
	}
	alerts = modChat(tb.Say(bottest.Group, bottest.Bob, "awful, I hate this"))
	if len(alerts) != 1 || !strings.Contains(alerts[0], "5 negative messages of 15 this hour (33.3%), 7-day baseline 5.0%") {
		t.Fatalf("spike alert: %v", alerts)
	}
	if got := modChat(tb.Say(bottest.Group, bottest.Bob, "worst week ever, terrible")); len(got) != 0 {
		t.Fatalf("spike alert during cooldown: %v", got)
	}
	if err := m.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	hours, _ := st.Hours(ctx, "acme", start, start.Add(time.Hour))
	if len(hours) != 1 || hours[0].Total != 16 || hours[0].Negative != 6 {
		t.Fatalf("stored hour: %+v", hours)
	}
}

func TestSentimentCommand(t *testing.T) {
	tb, _, _ := newBot(t, sentinel.Defaults())
	tb.Say(bottest.Group, bottest.Alice, "great update, thanks team")
	tb.Say(bottest.Group, bottest.Bob, "terrible delay again")
	if got := bottest.Joined(tb.Say(bottest.Group, bottest.Bob, "/sentiment")); !strings.Contains(got, "Only a moderator") {
		t.Fatalf("member: %q", got)
	}
	got := bottest.Joined(tb.Say(bottest.Group, bottest.Mod, "/sentiment"))
	for _, want := range []string{"Sentiment in ACME", "Last 24 h: 2 messages, 1 negative (50.0%)", "01-05", "Risk flags in 7 days: 0 messages"} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
	zh := bottest.Joined(tb.Handle(&bot.Event{Kind: bot.EventCommand, Chat: bottest.Group, From: bot.Account{Platform: bot.Telegram, ID: "1900", Name: "Mia Mod", Lang: "zh-CN"},
		Command: &bot.Invocation{Name: "sentiment"}}))
	if !strings.Contains(zh, "社区情绪") {
		t.Errorf("Chinese report:\n%s", zh)
	}
}

func TestCommunityLexiconExtends(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "risk.txt")
	if err := os.WriteFile(path, []byte("# our own\nhoneypot\t2\n貔貅\t2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := sentinel.Defaults()
	cfg.Lexicon = map[string][]string{"risk": {path}}
	tb, _, _ := newBot(t, cfg)
	if got := modChat(tb.Say(bottest.Group, bottest.Alice, "the token is a honeypot, you can't sell")); len(got) != 1 {
		t.Fatalf("community phrase: %v", got)
	}
	if got := modChat(tb.Say(bottest.Group, bottest.Li, "这是貔貅盘")); len(got) != 1 {
		t.Fatalf("community Chinese phrase: %v", got)
	}
	bad := sentinel.Defaults()
	bad.Lexicon = map[string][]string{"rumour": {path}}
	if _, err := sentinel.New(storetest.Open(t), map[string]sentinel.Config{"acme": bad}, sentinel.Defaults()); err == nil || !strings.Contains(err.Error(), "communities[acme].sentinel.lexicon.rumour") {
		t.Fatalf("unknown kind: %v", err)
	}
	bad.Lexicon = map[string][]string{"risk": {filepath.Join(dir, "missing.txt")}}
	if _, err := sentinel.New(storetest.Open(t), map[string]sentinel.Config{"acme": bad}, sentinel.Defaults()); err == nil || !strings.Contains(err.Error(), "sentinel.lexicon") {
		t.Fatalf("missing file: %v", err)
	}
}

func TestCatalog(t *testing.T) {
	m, err := sentinel.New(storetest.Open(t), nil, sentinel.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	if err := bot.CheckCatalog(m.Locales()); err != nil {
		t.Fatal(err)
	}
}
