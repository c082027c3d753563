package main

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/cohortbot/cohort/adapters/discord/discordtest"
	"github.com/cohortbot/cohort/adapters/telegram/telegramtest"
)

// faultOptions tune startFaultWorld.
type faultOptions struct {
	// community is appended to the community's configuration (indented by
	// four spaces), e.g. "    points: {cooldown: 1ms}\n".
	community string
	// telegram adds keys to the telegram section, e.g. "poll_timeout: 2s".
	telegram string
	// before adjusts the fakes before cohort connects to them.
	before func(*world)
}

// fastPoints makes every distinct message of five letters or more earn 7
// points, so tests can count what the bot received, and lets members write
// fast without being taken for flooders.
const fastPoints = "    points: {message_points: 7, cooldown: 1ns, daily_cap: 1000000}\n" +
	"    moderation: {flood: {messages: 1000, window: 1s}}\n"

// startFaultWorld is startWorld with options: the same wiring as the
// binary, against a fake Telegram and a fake Discord.
func startFaultWorld(t *testing.T, o faultOptions) *world {
	t.Helper()
	w := &world{tg: telegramtest.NewServer(t), dc: discordtest.NewServer(t), dataDir: t.TempDir()}
	if o.before != nil {
		o.before(w)
	}
	cfg := w.config(worldConfig{telegram: o.telegram, community: o.community})
	w.launch(t, cfg, nil)
	return w
}

// waitUntil polls cond until it holds or within has passed. It is a wait
// with a generous bound, not a timing assertion.
func waitUntil(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// tgRepliesTo returns the bot's messages in chat that answer message id.
func (w *world) tgRepliesTo(chat int64, id int) []telegramtest.Message {
	var out []telegramtest.Message
	for _, m := range w.tg.Messages(chat) {
		if m.ReplyTo == id {
			out = append(out, m)
		}
	}
	return out
}

// tgSay posts text from a user in a Telegram group and returns the message id.
func (w *world) tgSay(chat int64, from telegramtest.User, text string) int {
	u := telegramtest.GroupText(chat, from, text)
	w.tg.AddUpdate(u)
	return telegramtest.MessageID(u)
}

// tgAsk posts a command and waits (up to within) for the bot's answer to it.
func (w *world) tgAsk(t *testing.T, chat int64, from telegramtest.User, text string, within time.Duration) telegramtest.Message {
	t.Helper()
	id := w.tgSay(chat, from, text)
	var got []telegramtest.Message
	waitUntil(t, within, fmt.Sprintf("the answer to %q", text), func() bool {
		got = w.tgRepliesTo(chat, id)
		return len(got) > 0
	})
	return got[0]
}

// dcRepliesTo returns the bodies of the bot's accepted channel messages
// that answer Discord message id.
func (w *world) dcRepliesTo(id string) []map[string]any {
	var out []map[string]any
	for _, r := range w.dc.Requests("POST", "/api/v9/channels/*/messages") {
		body := r.JSON()
		ref, _ := body["message_reference"].(map[string]any)
		if r.Status < 300 && ref != nil && ref["message_id"] == id {
			out = append(out, body)
		}
	}
	return out
}

// dcAsk posts a prefix command as user and waits for the bot's answer to it.
func (w *world) dcAsk(t *testing.T, user, text string, within time.Duration) string {
	t.Helper()
	id := w.dc.DispatchMessage(discordtest.ChannelID, user, text)
	var got []map[string]any
	waitUntil(t, within, fmt.Sprintf("the answer to %q", text), func() bool {
		got = w.dcRepliesTo(id)
		return len(got) > 0
	})
	content, _ := got[0]["content"].(string)
	return content
}

var pointsRE = regexp.MustCompile(`(\d+) points?\b`)

// balance reads the balance from a /points answer.
func balance(t *testing.T, answer string) int {
	t.Helper()
	m := pointsRE.FindStringSubmatch(answer)
	if m == nil {
		t.Fatalf("no balance in %q", answer)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}
