package ops_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/bottest"
	"github.com/cohortbot/cohort/ops"
	"github.com/cohortbot/cohort/store"
	"github.com/rs/zerolog"
)

// cmds is a module whose commands succeed, fail and need a moderator.
type cmds struct{}

func (cmds) Name() string { return "test" }
func (cmds) Commands() []bot.Command {
	return []bot.Command{
		{Name: "ping", Run: func(ctx context.Context, req *bot.Request) error {
			_, err := req.Reply(ctx, bot.Outgoing{Text: "pong"})
			return err
		}},
		{Name: "boom", Run: func(context.Context, *bot.Request) error { return errors.New("disk on fire") }},
		{Name: "bad", Run: func(context.Context, *bot.Request) error {
			return bot.Errorf("error.unknown_member", bot.Args{"name": "x"})
		}},
		{Name: "secret", Role: bot.RoleModerator, Run: func(context.Context, *bot.Request) error { return nil }},
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestServer_MetricsAfterTraffic(t *testing.T) {
	m := ops.NewMetrics()
	s, err := store.Open(t.TempDir(), store.Options{OnCommit: m.OnCommit})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tg, dc := bottest.NewAdapter(bot.Telegram), bottest.NewAdapter(bot.Discord)
	b, err := bot.New(bot.Options{
		Adapters: []bot.Adapter{tg, dc}, Modules: []bot.Module{cmds{}}, Members: s, Locale: "en",
		Log: zerolog.New(zerolog.NewTestWriter(t)), Middleware: []bot.Middleware{m.Middleware()}, OnCommand: m.OnCommand,
	})
	if err != nil {
		t.Fatal(err)
	}
	h := b.Handler()
	say := func(chat bot.ChatRef, from bot.Account, text string) {
		ev := &bot.Event{Kind: bot.EventMessage, Chat: chat, From: from, Text: text, Time: time.Now()}
		if inv, ok := bot.ParseCommand(text, "/", ""); ok {
			ev.Kind, ev.Command = bot.EventCommand, &inv
		}
		h(context.Background(), ev)
	}
	say(bottest.Group, bottest.Alice, "hello")
	say(bottest.Group, bottest.Alice, "/ping")
	say(bottest.Group, bottest.Bob, "/boom")
	say(bottest.Group, bottest.Bob, "/secret")
	say(bottest.Group, bottest.Bob, "/bad")
	say(bottest.Channel, bottest.Dan, "/nosuchcommand")
	h(context.Background(), &bot.Event{Kind: bot.EventMemberJoined, Chat: bottest.Channel, From: bottest.Dan})
	m.RateLimited(bot.Telegram)
	m.QueueDepth(bot.Telegram, 7)

	storeDown := errors.New("store is closed")
	var broken atomic.Bool
	checks := []ops.Check{
		{Name: "store", Run: func(ctx context.Context) error {
			if broken.Load() {
				return storeDown
			}
			return s.Ping(ctx)
		}},
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- ops.ServeListener(ctx, ln, ops.NewHandler(m, checks)) }()
	base := "http://" + ln.Addr().String()

	if code, body := get(t, base+"/healthz"); code != 200 || !strings.Contains(body, "ok") {
		t.Errorf("/healthz = %d %q", code, body)
	}
	if code, _ := get(t, base+"/readyz"); code != 200 {
		t.Errorf("/readyz = %d, want 200", code)
	}
	code, body := get(t, base+"/metrics")
	if code != 200 {
		t.Fatalf("/metrics = %d", code)
	}
	for _, want := range []string{
		`cohort_events_total{kind="message",platform="telegram"} 1`,
		`cohort_events_total{kind="command",platform="telegram"} 4`,
		`cohort_commands_total{command="bad",outcome="invalid"} 1`,
		`cohort_events_total{kind="member_joined",platform="discord"} 1`,
		`cohort_commands_total{command="ping",outcome="ok"} 1`,
		`cohort_commands_total{command="boom",outcome="error"} 1`,
		`cohort_commands_total{command="secret",outcome="refused"} 1`,
		`cohort_commands_total{command="unknown",outcome="refused"} 1`,
		`cohort_handler_seconds_count{kind="command"} 5`,
		`cohort_command_seconds_count{command="ping"} 1`,
		`cohort_outbound_queue_depth{platform="telegram"} 7`,
		`cohort_rate_limited_total{platform="telegram"} 1`,
		`cohort_store_commit_seconds_count`,
		`cohort_store_commit_ops_bucket`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(body, "cohort_store_commit_ops_count 0") {
		t.Error("no store commit was recorded")
	}

	broken.Store(true)
	if code, body := get(t, base+"/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "store: store is closed") {
		t.Errorf("/readyz with a broken store = %d %q", code, body)
	}
	cancel()
	if err := <-served; err != nil {
		t.Errorf("server stopped with %v", err)
	}
}

func TestServe_BadAddress(t *testing.T) {
	err := ops.Serve(context.Background(), "not an address", http.NotFoundHandler())
	if err == nil || !strings.Contains(err.Error(), "http.listen") {
		t.Errorf("Serve = %v, want an error naming http.listen", err)
	}
}
