package telegram

import (
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohort/adapters/telegram/telegramtest"
	"github.com/cohortbot/cohort/bot"
)

func TestWindow(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	// 20 messages per minute to a group.
	w := newWindow(20, time.Minute)
	for i := 0; i < 20; i++ {
		if d := w.wait(t0.Add(time.Duration(i) * time.Second)); d != 0 {
			t.Fatalf("message %d must go at once, waits %v", i, d)
		}
		w.add(t0.Add(time.Duration(i) * time.Second))
	}
	if d := w.wait(t0.Add(20 * time.Second)); d != 40*time.Second {
		t.Errorf("21st message waits %v, want 40s (until the first leaves the minute)", d)
	}
	w.add(t0.Add(time.Minute))
	if d := w.wait(t0.Add(time.Minute)); d != time.Second {
		t.Errorf("22nd message waits %v, want 1s", d)
	}
	if !newWindow(1, time.Second).idle(t0) || w.idle(t0.Add(time.Minute)) || !w.idle(t0.Add(2*time.Minute)) {
		t.Error("idle is wrong")
	}
	var none *window
	if none.wait(t0) != 0 {
		t.Error("a nil window never waits")
	}
}

func TestOutboxLimitsFromConfig(t *testing.T) {
	cfg := Config{Token: "x"}
	cfg.Defaults()
	o := newOutbox(cfg.Limits, realClock{}, nopLog())
	ln := o.newLane(-100)
	if ln.chat.n != 3 || ln.chat.per != 3*time.Second {
		t.Errorf("per chat window = %d per %v, want 3 per 3s", ln.chat.n, ln.chat.per)
	}
	if ln.group.n != 20 || ln.group.per != time.Minute {
		t.Errorf("group window = %d per %v", ln.group.n, ln.group.per)
	}
	if o.newLane(100).group != nil {
		t.Error("private chats have no group limit")
	}
	if o.global.n != 30 || o.global.per != time.Second {
		t.Errorf("global window = %d per %v", o.global.n, o.global.per)
	}
}

func TestRenderHTML(t *testing.T) {
	tests := []struct {
		title, text string
		want        string
	}{
		{"", "plain <b> & \"q\"", "plain &lt;b&gt; &amp; &quot;q&quot;"},
		{"T<", "*b* _i_ `c<` [l](https://x.y/?a=\"1\"&b=2)", "<b>T&lt;</b>\n<b>b</b> <i>i</i> <code>c&lt;</code> [l](https://x.y/?a=&quot;1&quot;&amp;b=2)"},
		{"", "[l](https://x.y/?a=1&b=2) *[bold link](https://x.y)*", `<a href="https://x.y/?a=1&amp;b=2">l</a> <b><a href="https://x.y">bold link</a></b>`},
		{"", "*across\nlines*", "<b>across</b>\n<b>lines</b>"},
		{"", "[x](javascript:alert(1))", "[x](javascript:alert(1))"},
	}
	for _, tt := range tests {
		got := renderHTML(tt.title, tt.text, maxMessageLen)
		if len(got) != 1 || got[0] != tt.want {
			t.Errorf("renderHTML(%q, %q) = %q, want %q", tt.title, tt.text, got, tt.want)
			continue
		}
		if _, _, err := telegramtest.ParseHTML(got[0]); err != nil {
			t.Errorf("Telegram would refuse %q: %v", got[0], err)
		}
	}
}

func TestRenderHTMLSplitsLongLines(t *testing.T) {
	text := "*" + strings.Repeat("é<", 3000) + "*"
	chunks := renderHTML("", text, maxMessageLen)
	if len(chunks) < 2 {
		t.Fatalf("got %d chunks", len(chunks))
	}
	var all strings.Builder
	for _, c := range chunks {
		if n := utf16Len(c); n > maxMessageLen {
			t.Errorf("chunk of %d units", n)
		}
		plain, ents, err := telegramtest.ParseHTML(c)
		if err != nil {
			t.Fatal(err)
		}
		if len(ents) != 1 || ents[0].Type != "bold" {
			t.Errorf("entities = %+v", ents)
		}
		all.WriteString(plain)
	}
	if all.String() != strings.Repeat("é<", 3000) {
		t.Error("text lost in splitting")
	}
	if got := renderHTML("", "\n\n", maxMessageLen); len(got) != 0 {
		t.Errorf("blank text renders as %q", got)
	}
	if got := renderHTML("", bot.Escape("*"), maxMessageLen); len(got) != 1 || got[0] != "*" {
		t.Errorf("escaped star = %q", got)
	}
}

func nopLog() zerolog.Logger { return zerolog.Nop() }
