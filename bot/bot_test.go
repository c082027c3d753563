package bot_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/bottest"
)

// testModule offers a member command, a moderator command, a panicking
// command and one that fails.
type testModule struct{ seen []bot.EventKind }

func (m *testModule) Name() string { return "test" }

func (m *testModule) Commands() []bot.Command {
	return []bot.Command{
		{Name: "echo", Help: "cmd.help", Run: func(ctx context.Context, req *bot.Request) error {
			_, err := req.Reply(ctx, bot.Outgoing{Text: bot.Escape(strings.Join(req.Args, "|"))})
			return err
		}},
		{Name: "secret", Help: "cmd.start", Role: bot.RoleModerator, Run: func(ctx context.Context, req *bot.Request) error {
			_, err := req.Reply(ctx, bot.Outgoing{Text: "classified"})
			return err
		}},
		{Name: "boom", Help: "cmd.help", Run: func(context.Context, *bot.Request) error { panic("kaboom") }},
		{Name: "fail", Help: "cmd.help", Run: func(context.Context, *bot.Request) error { return errors.New("disk on fire") }},
		{Name: "bad", Help: "cmd.help", Run: func(context.Context, *bot.Request) error {
			return bot.Errorf("error.bad_number", bot.Args{"value": "<b>x</b>"})
		}},
	}
}

func (m *testModule) Observe(_ context.Context, req *bot.Request) error {
	m.seen = append(m.seen, req.Event.Kind)
	return nil
}

func TestHelp_ListsWhatTheCallerMayRun(t *testing.T) {
	tb := bottest.New(t, bottest.Options{Modules: []bot.Module{&testModule{}}})
	member := bottest.Joined(tb.Say(bottest.Group, bottest.Alice, "/help"))
	if !strings.Contains(member, "/echo") || !strings.Contains(member, "/start") || strings.Contains(member, "/secret") {
		t.Fatalf("member help:\n%s", member)
	}
	mod := bottest.Joined(tb.Say(bottest.Group, bottest.Mod, "/help"))
	if !strings.Contains(mod, "/secret") || !strings.Contains(mod, "Moderator commands") {
		t.Fatalf("moderator help:\n%s", mod)
	}
	tb.Telegram.SetUserRole(bottest.Bob.ID, bot.RoleModerator)
	if admin := bottest.Joined(tb.Say(bottest.Group, bottest.Bob, "/help")); !strings.Contains(admin, "/secret") {
		t.Fatalf("chat admin does not see moderator commands:\n%s", admin)
	}
}

func TestHelp_InChinese(t *testing.T) {
	tb := bottest.New(t, bottest.Options{})
	got := bottest.Joined(tb.Say(bottest.Group, bottest.Li, "/help"))
	if !strings.Contains(got, "查看你可以使用的命令") {
		t.Fatalf("zh help:\n%s", got)
	}
}

func TestMux_BadInput(t *testing.T) {
	m := &testModule{}
	tb := bottest.New(t, bottest.Options{Modules: []bot.Module{m}})
	tests := []struct{ text, want string }{
		{"/nosuch", "Unknown command /nosuch"},
		{`/echo "open`, "quote is not closed"},
		{"/echo " + strings.Repeat("x", 10000), "too long"},
		{"/secret", "Only a moderator can use /secret"},
		{"/boom", "something went wrong"},
		{"/fail", "something went wrong"},
		{"/bad", "<b>x</b> is not a valid number"},
		{`/echo a "b c" d`, "a|b c|d"},
	}
	for _, tt := range tests {
		got := bottest.Joined(tb.Say(bottest.Group, bottest.Alice, tt.text))
		if !strings.Contains(got, tt.want) {
			t.Errorf("%.30q: got %q, want %q", tt.text, got, tt.want)
		}
		if strings.Contains(got, "disk on fire") || strings.Contains(got, "kaboom") {
			t.Errorf("%.30q leaked an internal error: %q", tt.text, got)
		}
	}
	if got := tb.Say(bottest.Group, bottest.Alice, ""); len(got) != 0 {
		t.Errorf("empty message answered: %v", bottest.Texts(got))
	}
}

func TestMux_RateLimit(t *testing.T) {
	tb := bottest.New(t, bottest.Options{Rate: bot.Rate{Burst: 3, Per: 10 * time.Second}})
	var answered int
	for range 6 {
		answered += len(tb.Say(bottest.Group, bottest.Alice, "/start"))
	}
	if answered != 4 { // three answers and one slow-down warning
		t.Fatalf("answered %d times, want 4", answered)
	}
	tb.Clock.Advance(11 * time.Second)
	if got := tb.Say(bottest.Group, bottest.Alice, "/start"); len(got) != 1 {
		t.Fatalf("after the window: %v", bottest.Texts(got))
	}
	if got := tb.Say(bottest.Group, bottest.Bob, "/start"); len(got) != 1 {
		t.Fatalf("another member limited too: %v", bottest.Texts(got))
	}
}

func TestObservers_SeeEvents_BotsIgnored(t *testing.T) {
	m := &testModule{}
	tb := bottest.New(t, bottest.Options{Modules: []bot.Module{m}})
	tb.Say(bottest.Group, bottest.Alice, "hello")
	robot := bottest.Bob
	robot.IsBot = true
	tb.Say(bottest.Group, robot, "I am a bot")
	tb.Join(bottest.Channel, bottest.Dan, "")
	if len(m.seen) != 2 || m.seen[0] != bot.EventMessage || m.seen[1] != bot.EventMemberJoined {
		t.Fatalf("observer saw %v", m.seen)
	}
}

func TestCommunities_Resolution(t *testing.T) {
	cs := bot.NewCommunities([]*bot.Community{bottest.Community()}, "en", time.UTC)
	if c := cs.For(bottest.Channel, false); c.ID != "acme" {
		t.Errorf("configured discord channel -> %s", c.ID)
	}
	other := bot.ChatRef{Platform: bot.Discord, Space: "111", Chat: "999"}
	if c := cs.For(other, false); c.ID != "discord:111" || !c.Implicit {
		t.Errorf("unconfigured channel -> %s", c.ID)
	}
	if c := cs.For(bottest.ModChat, false); c.ID != "acme" {
		t.Errorf("mod chat -> %s", c.ID)
	}
	if c := cs.For(bot.ChatRef{Platform: bot.Telegram, Space: "7", Chat: "7"}, true); c.ID != "acme" {
		t.Errorf("private chat -> %s", c.ID)
	}
}

func TestMux_RateLimit_ModeratorsExempt(t *testing.T) {
	tb := bottest.New(t, bottest.Options{Rate: bot.Rate{Burst: 2, Per: 10 * time.Second}})
	for i := range 5 {
		if got := tb.Say(bottest.Group, bottest.Mod, "/start"); len(got) != 1 || strings.Contains(bottest.Texts(got)[0], "too fast") {
			t.Fatalf("moderator's command %d: %v", i+1, bottest.Texts(got))
		}
	}
}
