package privacy_test

import (
	"bytes"
	"context"
	"maps"
	"os"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/analytics"
	"github.com/cohortbot/cohort/bot/bottest"
	"github.com/cohortbot/cohort/bot/privacy"
)

// activity is what the community does on one day: a message, a resolved
// ticket, a risk flag, a free-text survey answer and an unanswered FAQ
// question, each with the day's marker in its text.
func (c *community) activity(t *testing.T, who bot.Account, ticket, survey, marker string) {
	t.Helper()
	c.say(t, &bottest.Group, who, "hello "+marker+"-chat", "")
	c.say(t, &bottest.Group, who, "/feedback bug "+marker+"-ticket crash", "#"+ticket)
	c.Press(bottest.ModChat, bottest.Mod, "fbm:resolve:"+ticket)
	c.say(t, &bottest.Group, who, "is this a rug pull "+marker+"-flag", "")
	c.say(t, &bottest.Group, who, "/faq "+marker+"-question about staking", "")
	c.say(t, &bottest.Group, bottest.Mod, `/survey create --to general "Pulse" "text:What do you think?"`, "Pulse")
	c.Press(bottest.Group, who, "survey:"+survey)
	c.say(t, nil, who, marker+"-answer", "Thank you")
}

func TestRetention_PurgesOldMessageDataKeepsCounters(t *testing.T) {
	c := newCommunity(t)
	ctx := context.Background()
	start := c.Clock.Now()
	c.say(t, &bottest.Group, bottest.Mod, `/faqadmin add "When is the next AMA?" Every first Monday.`, "Added")
	c.activity(t, zelda, "1", "1", "oldday")
	c.Clock.Set(start.Add(60 * 24 * time.Hour))
	c.activity(t, bottest.Bob, "2", "2", "newday")
	if err := c.an.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	// 91 days after the first day: only its data is past the 90-day retention.
	c.Clock.Set(start.Add(91 * 24 * time.Hour))
	firstDay := analytics.DayOf(start, time.UTC)
	today := analytics.DayOf(c.Clock.Now(), time.UTC)
	countersBefore, err := c.st.Counters(ctx, "acme", firstDay, today)
	if err != nil {
		t.Fatal(err)
	}

	purged, err := c.privacy.Tick(ctx, c.Bot)
	if err != nil {
		t.Fatal(err)
	}
	for kind, want := range map[string]int{"flagged_messages": 1, "ticket_texts": 1, "survey_answers": 1, "faq_questions": 1} {
		if purged[kind] != want {
			t.Errorf("purged %s = %d, want %d (all: %v)", kind, purged[kind], want, purged)
		}
	}
	if purged["active_days"] == 0 {
		t.Errorf("the first day's active members were kept: %v", purged)
	}

	raw, err := os.ReadFile(c.st.Path())
	if err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{"oldday-ticket", "oldday-flag", "oldday-question", "oldday-answer"} {
		if bytes.Contains(raw, []byte(gone)) {
			t.Errorf("%q outlived the retention", gone)
		}
	}
	for _, kept := range []string{"newday-ticket", "newday-flag", "newday-question", "newday-answer"} {
		if !bytes.Contains(raw, []byte(kept)) {
			t.Errorf("%q purged before its time", kept)
		}
	}
	countersAfter, err := c.st.Counters(ctx, "acme", firstDay, today)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(countersBefore, countersAfter) {
		t.Errorf("counters changed:\nbefore %v\nafter  %v", countersBefore, countersAfter)
	}
	if n, err := c.st.ActiveMembers(ctx, "acme", firstDay, firstDay); err != nil || n != 0 {
		t.Errorf("who was active on the first day is still known: %d, %v", n, err)
	}
	if n, err := c.st.ActiveMembers(ctx, "acme", firstDay+60, firstDay+60); err != nil || n == 0 {
		t.Errorf("recent activity purged: %d, %v", n, err)
	}
	if tk, _, err := c.st.Ticket(ctx, "acme", 1); err != nil || tk.Text != "" || tk.Category != "bug" || tk.Member == "" {
		t.Errorf("old ticket after retention: %+v, %v", tk, err)
	}
	if r, err := c.st.Responses(ctx, "acme", "1"); err != nil || len(r) != 1 || !r[0].Done || r[0].Answers[0] != "-" {
		t.Errorf("old survey response after retention: %+v, %v", r, err)
	}

	// Retention runs once a day on the bot clock.
	if again, err := c.privacy.Tick(ctx, c.Bot); err != nil || again != nil {
		t.Errorf("second run the same day: %v, %v", again, err)
	}
	c.Clock.Advance(24 * time.Hour)
	if next, err := c.privacy.Tick(ctx, c.Bot); err != nil || next == nil || next.Total() != 0 {
		t.Errorf("next day's run: %v, %v", next, err)
	}
}

func TestPurged_Total(t *testing.T) {
	if n := (privacy.Purged{"a": 2, "b": 3}).Total(); n != 5 {
		t.Errorf("Total = %d", n)
	}
}
