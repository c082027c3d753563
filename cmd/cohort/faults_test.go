package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohort/adapters/discord/discordtest"
	"github.com/cohortbot/cohort/adapters/telegram/telegramtest"
)

// The fault tests break the platforms for a while and check that the bot
// comes back by itself and loses nothing: every message sent during or after
// the fault earns its points, and every command gets exactly one answer,
// in order.

var (
	tgCarol = telegramtest.User{ID: 1004, FirstName: "Carol", Username: "carol", LanguageCode: "en"}
	tgDave  = telegramtest.User{ID: 1005, FirstName: "Dave", Username: "dave", LanguageCode: "en"}
)

// faultWait bounds each wait in the fault tests: long enough for the
// clients' own backoff (Telegram's getUpdates backs off to 5 s) and for a
// hung long poll to time out.
const faultWait = 30 * time.Second

var words = strings.Fields("alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu")

// chatter is the i-th participation message: long enough to earn points,
// and worded differently from the others (the ledger pays nothing for a
// repeated message, whatever its digits).
func chatter(i int) string {
	return fmt.Sprintf("%s %s, thoughts on the solar project", words[i%len(words)], words[(i/len(words)+7)%len(words)])
}

// tgChatter posts participation messages from a user, dated a second apart
// (Telegram dates messages to the second, and the ledger's cooldown needs
// them apart).
func (w *world) tgChatter(chat int64, from telegramtest.User, n int) {
	base := time.Now().Unix() - int64(n) - 1
	for i := range n {
		u := telegramtest.GroupText(chat, from, chatter(i))
		u["message"].(map[string]any)["date"] = base + int64(i)
		w.tg.AddUpdate(u)
	}
}

// tgCheckAnswers asserts that each command message got exactly one answer
// and that the answers came in the order of the commands.
func tgCheckAnswers(t *testing.T, w *world, chat int64, ids []int) {
	t.Helper()
	count := map[int]int{}
	var order []int
	for _, m := range w.tg.Messages(chat) {
		for _, id := range ids {
			if m.ReplyTo == id {
				count[id]++
				order = append(order, id)
			}
		}
	}
	for _, id := range ids {
		if count[id] != 1 {
			t.Errorf("command message %d got %d answers, want 1", id, count[id])
		}
	}
	for i := 1; i < len(order); i++ {
		if order[i] < order[i-1] {
			t.Errorf("answers out of order: %v", order)
			break
		}
	}
}

// tgFaultWorld runs cohort with short Telegram long polls (1 s, so a hung
// poll times out after 12 s) and cheap points.
func tgFaultWorld(t *testing.T) *world {
	w := startFaultWorld(t, faultOptions{community: fastPoints, telegram: "poll_timeout: 2s"})
	w.tgAsk(t, tgGroup, tgAlice, "/points", faultWait) // the poll loop is running
	return w
}

func TestFaults_TelegramGetUpdatesServerErrors(t *testing.T) {
	t.Parallel()
	w := tgFaultWorld(t)
	before := balance(t, w.tgAsk(t, tgGroup, tgBob, "/points", faultWait).Text)

	// The polls after the one in flight fail: three 500s, two 502s and a
	// dropped connection. Members write once the failures have begun.
	calls := len(w.tg.Calls("getUpdates"))
	w.tg.FailNext("getUpdates", 500, 0, 3)
	w.tg.FailNext("getUpdates", 502, 0, 2)
	w.tg.DropNext("getUpdates", 1)
	waitUntil(t, faultWait, "a failing getUpdates", func() bool { return len(w.tg.Calls("getUpdates")) > calls+1 })
	const n = 5
	w.tgChatter(tgGroup, tgBob, n)
	after := balance(t, w.tgAsk(t, tgGroup, tgBob, "/points", faultWait).Text)
	if after != before+7*n {
		t.Fatalf("balance %d after %d messages, want %d", after, n, before+7*n)
	}
	if got := len(w.tg.Calls("getUpdates")); got < calls+7 {
		t.Fatalf("%d getUpdates calls since the faults, want at least 7: the faults were not all exercised", got-calls)
	}
}

func TestFaults_TelegramLongPollHangs(t *testing.T) {
	t.Parallel()
	w := tgFaultWorld(t)
	before := balance(t, w.tgAsk(t, tgGroup, tgBob, "/points", faultWait).Text)

	calls := len(w.tg.Calls("getUpdates"))
	w.tg.HangUpdates(1)
	// Wait until a poll has been taken and is hanging; then write.
	waitUntil(t, faultWait, "a hanging getUpdates", func() bool { return len(w.tg.Calls("getUpdates")) > calls+1 })
	w.tgChatter(tgGroup, tgBob, 3)
	after := balance(t, w.tgAsk(t, tgGroup, tgBob, "/points", faultWait).Text)
	if after != before+21 {
		t.Fatalf("balance %d after 3 messages during a hung poll, want %d", after, before+21)
	}
}

func TestFaults_TelegramSendErrors(t *testing.T) {
	t.Parallel()
	w := tgFaultWorld(t)

	// Sending fails in every way for a while: server errors, rate limits
	// with retry_after, a dropped connection and a slow answer.
	w.tg.FailNext("sendMessage", 502, 0, 2)
	w.tg.FailNext("sendMessage", 429, 1, 1)
	w.tg.FailNext("sendMessage", 500, 0, 1)
	w.tg.DropNext("sendMessage", 1)
	w.tg.DelayNext("sendMessage", 500*time.Millisecond, 1)
	var ids []int
	for i, text := range []string{"/points", "/help", "/top", "/rules", "/points"} {
		from := []telegramtest.User{tgBob, tgCarol, tgDave, tgLi, tgAlice}[i] // under the per-member command rate
		ids = append(ids, w.tgSay(tgGroup, from, text))
	}
	waitUntil(t, faultWait, "answers to all five commands", func() bool { return len(w.tgRepliesTo(tgGroup, ids[len(ids)-1])) > 0 })
	tgCheckAnswers(t, w, tgGroup, ids)
}

// dcCheckAnswers asserts that each command message got exactly one answer
// and that the answers came in the order of the commands.
func dcCheckAnswers(t *testing.T, w *world, ids []string) {
	t.Helper()
	var order []int
	for _, r := range w.dc.Requests("POST", "/api/v9/channels/*/messages") {
		ref, _ := r.JSON()["message_reference"].(map[string]any)
		for i, id := range ids {
			if r.Status < 300 && ref != nil && ref["message_id"] == id {
				order = append(order, i)
			}
		}
	}
	count := map[int]int{}
	for _, i := range order {
		count[i]++
	}
	for i := range ids {
		if count[i] != 1 {
			t.Errorf("command %d got %d answers, want 1 (answers: %v)", i, count[i], order)
		}
	}
	for i := 1; i < len(order); i++ {
		if order[i] < order[i-1] {
			t.Errorf("answers out of order: %v", order)
			break
		}
	}
}

func TestFaults_DiscordRESTErrors(t *testing.T) {
	t.Parallel()
	w := startFaultWorld(t, faultOptions{community: fastPoints})
	w.dcAsk(t, discordtest.MemberID, "!points", faultWait)

	const messages = "/api/v9/channels/*/messages"
	w.dc.FailNext("POST", messages, discordtest.Failure{Status: 500, Message: "500: Internal Server Error"})
	w.dc.FailNext("POST", messages, discordtest.Failure{Status: 502, Message: "502: Bad Gateway"})
	w.dc.FailNext("POST", messages, discordtest.RateLimited(0.3))
	w.dc.FailNext("POST", messages, discordtest.Failure{Status: 503, Message: "upstream connect error"})
	w.dc.FailNext("POST", messages, discordtest.RateLimited(0.2))
	w.dc.FailNext("POST", messages, discordtest.Failure{Status: 504, Message: "Gateway Timeout"})
	var ids []string
	for i, text := range []string{"!points", "!help", "!top", "!rules", "!points"} {
		from := []string{discordtest.MemberID, discordtest.OwnerID, discordtest.AdminID, discordtest.ModeratorID, discordtest.MemberID}[i]
		ids = append(ids, w.dc.DispatchMessage(discordtest.ChannelID, from, text))
	}
	waitUntil(t, faultWait, "answers to all four commands", func() bool { return len(w.dcRepliesTo(ids[len(ids)-1])) > 0 })
	dcCheckAnswers(t, w, ids)
}

func TestFaults_DiscordGateway(t *testing.T) {
	t.Parallel()
	w := startFaultWorld(t, faultOptions{community: fastPoints, before: func(w *world) {
		w.dc.HeartbeatInterval = 100 // ms: a zombie connection is noticed within a second
	}})
	start := balance(t, w.dcAsk(t, discordtest.MemberID, "!points", faultWait))
	earned := 0
	readies, resumes := 1, 0
	sent := 0
	say := func(n int) {
		for range n {
			w.dc.DispatchMessage(discordtest.ChannelID, discordtest.MemberID, chatter(sent))
			sent++
		}
		earned += 7 * n
	}
	// The member and the three moderators take turns asking, to stay under
	// the per-member command rate.
	askers := []string{discordtest.OwnerID, discordtest.AdminID, discordtest.ModeratorID, discordtest.MemberID}
	asked := 0
	check := func(t *testing.T) {
		t.Helper()
		who := askers[asked%len(askers)]
		asked++
		cmd := "!points <@" + discordtest.MemberID + ">"
		if who == discordtest.MemberID {
			cmd = "!points"
		}
		if got := balance(t, w.dcAsk(t, who, cmd, faultWait)); got != start+earned {
			t.Fatalf("balance %d, want %d: messages were lost", got, start+earned)
		}
	}
	steps := []struct {
		name  string
		fault func()
		// resumed: events sent during the fault are replayed on RESUME;
		// otherwise the session is gone and the client identifies anew.
		resumed bool
	}{
		{"resumable close 4000", func() { w.dc.Disconnect(4000) }, true},
		{"abrupt drop", func() { w.dc.Disconnect(0) }, true},
		{"op 7 reconnect", func() { w.dc.Reconnect() }, true},
		{"missed heartbeat ACKs", func() { w.dc.StopHeartbeatACKs() }, true},
		{"session timed out 4009", func() { w.dc.Disconnect(discordtest.CloseSessionTimeout) }, false},
		{"op 9 invalid session", func() { w.dc.InvalidateSession(false) }, false},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.fault()
			if st.resumed {
				say(3) // sent while the client is away or about to notice
				resumes++
				w.dc.WaitResume(t, resumes)
			} else {
				// A dead session's events are gone on Discord too: write
				// once the client has a new one.
				readies++
				w.dc.WaitReady(t, readies)
				say(3)
			}
			check(t)
		})
	}
}
