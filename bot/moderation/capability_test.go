package moderation_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/bottest"
	"github.com/cohortbot/cohort/bot/moderation"
	"github.com/cohortbot/cohort/store/storetest"
	"github.com/rs/zerolog"
)

// plainAdapter can only send messages: no delete, mute or ban.
type plainAdapter struct {
	mu   sync.Mutex
	sent []string
}

func (a *plainAdapter) Platform() string { return bot.Telegram }

func (a *plainAdapter) Run(ctx context.Context, _ bot.Handler) error { <-ctx.Done(); return nil }

func (a *plainAdapter) Send(_ context.Context, _ bot.ChatRef, msg bot.Outgoing) (bot.MessageRef, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sent = append(a.sent, bot.PlainText(msg.Text))
	return bot.MessageRef{ID: "1"}, nil
}

func TestMissingCapabilities_ClearMessageNoPanic(t *testing.T) {
	st := storetest.Open(t)
	m, err := moderation.New(st, nil, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	a := &plainAdapter{}
	now := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	b, err := bot.New(bot.Options{Adapters: []bot.Adapter{a}, Modules: []bot.Module{m}, Members: st,
		Communities: bot.NewCommunities([]*bot.Community{bottest.Community()}, "en", time.UTC),
		Log:         zerolog.New(zerolog.NewTestWriter(t)), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	say := func(from bot.Account, text string) string {
		a.mu.Lock()
		n := len(a.sent)
		a.mu.Unlock()
		ev := &bot.Event{Kind: bot.EventMessage, Chat: bottest.Group, From: from, Text: text, MessageID: "m1"}
		if inv, ok := bot.ParseCommand(text, "/", ""); ok {
			ev.Kind, ev.Command = bot.EventCommand, &inv
		}
		b.Handler()(context.Background(), ev)
		a.mu.Lock()
		defer a.mu.Unlock()
		return strings.Join(a.sent[n:], "\n")
	}
	say(bottest.Bob, "hi")
	if got := say(bottest.Mod, "/mute @bob 1h flooding"); !strings.Contains(got, "Not possible on: telegram") {
		t.Fatalf("mute without capability: %q", got)
	}
	if got := say(bottest.Alice, "you retard"); !strings.Contains(got, "Warning 1") {
		t.Fatalf("automatic rule without delete: %q", got)
	}
}
