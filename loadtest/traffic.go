package loadtest

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cohortbot/cohort/adapters/telegram/telegramtest"
)

// traffic offers chat messages and /points commands to the fakes and
// follows the bot's replies.
type traffic struct {
	w *world
	// exact makes a Telegram /points reply prove the exact balance: the
	// bot handles a chat's updates in order and loses none without kills.
	exact bool

	mu      sync.Mutex
	rr      int // next member, round robin
	texts   int // messages written, for unique texts
	events  int64
	pending map[string]*command // by chat and message id
	tgSeen  map[int64]int
	dcSeen  int
	// Results.
	latencies []time.Duration
	acked     map[*member]int64 // highest balance a reply showed
	problems  []string
	announce  map[string]*announcement // by command key
}

// command is a /points the traffic sent.
type command struct {
	m          *member
	at         time.Time
	sentBefore int // the member's messages sent before the command
}

// announcement is an /announce --at the moderator sent.
type announcement struct {
	marker string
	at     time.Time // when the command was offered
	acked  time.Time // when the bot confirmed it (zero: never)
}

func newTraffic(w *world, exact bool) *traffic {
	return &traffic{w: w, exact: exact, pending: map[string]*command{}, tgSeen: map[int64]int{},
		acked: map[*member]int64{}, announce: map[string]*announcement{}}
}

func tgKey(chat int64, msg int) string {
	return "t" + strconv.FormatInt(chat, 10) + "/" + strconv.Itoa(msg)
}
func dcKey(msg string) string { return "d" + msg }

// word spells n in letters that never repeat back to back, so every text
// has its own fingerprint for the duplicate check.
func word(n int) string {
	b := make([]byte, 8)
	for i := len(b) - 1; i >= 0; i-- {
		base := byte('a')
		if i%2 == 1 {
			base = 'k'
		}
		b[i] = base + byte(n%10)
		n /= 10
	}
	return string(b)
}

// message offers the next member's next chat message.
func (t *traffic) message() {
	t.mu.Lock()
	m := t.w.members[t.rr%len(t.w.members)]
	t.rr++
	t.texts++
	text := "hello " + word(t.texts)
	m.sent++
	t.events++
	t.mu.Unlock()
	if m.dcID != "" {
		t.w.dc.DispatchMessage(m.chat.dcID, m.dcID, text)
		return
	}
	t.w.tg.AddUpdate(telegramtest.GroupText(m.chat.tgID, m.tg, text))
}

// points offers /points from member m.
func (t *traffic) points(m *member) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := &command{m: m, sentBefore: m.sent, at: time.Now()}
	t.events++
	if m.dcID != "" {
		id := t.w.dc.DispatchMessage(m.chat.dcID, m.dcID, "!points")
		t.pending[dcKey(id)] = c
		return
	}
	u := telegramtest.GroupText(m.chat.tgID, m.tg, "/points")
	t.w.tg.AddUpdate(u)
	t.pending[tgKey(m.chat.tgID, telegramtest.MessageID(u))] = c
}

// schedule has the moderator schedule a one-shot announcement a minute
// ahead, marked so its posts can be counted.
func (t *traffic) schedule(marker string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	u := telegramtest.GroupText(modChatID, moderator, "/announce --at in 1m --to news "+marker)
	a := &announcement{marker: marker, at: time.Now()}
	t.w.tg.AddUpdate(u)
	t.announce[tgKey(modChatID, telegramtest.MessageID(u))] = a
}

var (
	balanceRe   = regexp.MustCompile(`: (\d+) points?`)
	scheduledRe = regexp.MustCompile(`^Scheduled #`)
)

// collect reads the replies recorded by the fakes since the last call.
func (t *traffic) collect() {
	t.mu.Lock()
	defer t.mu.Unlock()
	chats := []int64{modChatID}
	for _, c := range t.w.chats {
		if c.tgID != 0 {
			chats = append(chats, c.tgID)
		}
	}
	for _, id := range chats {
		msgs := t.w.tg.Messages(id)
		for _, m := range msgs[min(t.tgSeen[id], len(msgs)):] {
			if m.ReplyTo != 0 {
				t.reply(tgKey(id, m.ReplyTo), m.Text, m.Time)
			}
		}
		t.tgSeen[id] = len(msgs)
	}
	reqs := t.w.dc.Requests("POST", "/api/v9/channels/*/messages")
	for _, r := range reqs[min(t.dcSeen, len(reqs)):] {
		var body struct {
			Content string `json:"content"`
			Ref     *struct {
				MessageID string `json:"message_id"`
			} `json:"message_reference"`
		}
		if r.Status/100 != 2 || r.Decode(&body) != nil || body.Ref == nil {
			continue
		}
		t.reply(dcKey(body.Ref.MessageID), body.Content, r.Time)
	}
	t.dcSeen = len(reqs)
}

// reply checks one reply to a command the traffic sent; t.mu is held.
func (t *traffic) reply(key, text string, at time.Time) {
	if a, ok := t.announce[key]; ok {
		if a.acked.IsZero() && scheduledRe.MatchString(text) {
			a.acked = at
		}
		return
	}
	c, ok := t.pending[key]
	if !ok {
		return
	}
	delete(t.pending, key)
	t.latencies = append(t.latencies, at.Sub(c.at))
	sm := balanceRe.FindStringSubmatch(text)
	if sm == nil {
		t.problems = append(t.problems, fmt.Sprintf("%s: /points reply without a balance: %q", c.m.key(), text))
		return
	}
	got, _ := strconv.ParseInt(sm[1], 10, 64)
	want := int64(MessagePoints * c.sentBefore)
	switch {
	case got > want:
		t.problems = append(t.problems, fmt.Sprintf("%s: /points showed %d after %d messages worth %d: points were doubled", c.m.key(), got, c.sentBefore, want))
	case t.exact && c.m.dcID == "" && got != want:
		t.problems = append(t.problems, fmt.Sprintf("%s: /points showed %d after %d messages worth %d", c.m.key(), got, c.sentBefore, want))
	}
	if got > t.acked[c.m] {
		t.acked[c.m] = got
	}
}

// unanswered is the number of /points commands without a reply yet.
func (t *traffic) unanswered() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.pending)
}

// sent is the number of events offered so far.
func (t *traffic) sent() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.events
}

// percentile of sorted durations (p in 0..100).
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p / 100)
	return sorted[i]
}

func sortDurations(d []time.Duration) []time.Duration {
	out := append([]time.Duration(nil), d...)
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// answered is the number of /points replies seen so far.
func (t *traffic) answered() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.latencies)
}

// forgetUnanswered drops commands whose reply will never come (the bot
// was killed before answering them).
func (t *traffic) forgetUnanswered() {
	t.mu.Lock()
	defer t.mu.Unlock()
	clear(t.pending)
}

// announcements returns the announcements scheduled so far.
func (t *traffic) announcements() []*announcement {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]*announcement, 0, len(t.announce))
	for _, a := range t.announce {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b *announcement) int { return strings.Compare(a.marker, b.marker) })
	return out
}
