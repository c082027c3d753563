package schedule_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/bottest"
	"github.com/cohortbot/cohort/bot/schedule"
)

func TestAnnounce_OneShotFiresOnceOnBothPlatforms(t *testing.T) {
	r := newRig(t, rigOptions{start: at(0, 9, 0)})
	got := bottest.Joined(r.Say(bottest.Group, bottest.Mod, "/announce --at 10:00 Roadshow *tonight*\nSee you there"))
	mustContain(t, got, "Scheduled #1 for every chat; next run 2026-01-05 10:00 Asia/Shanghai")

	if sent := r.advanceTo(t, at(0, 9, 59)); len(sent) != 0 {
		t.Fatalf("sent before 10:00: %v", bottest.Texts(sent))
	}
	sent := r.advanceTo(t, at(0, 10, 0))
	for _, chat := range []bot.ChatRef{bottest.Group, bottest.Channel, investors} {
		got := in(sent, chat)
		if len(got) != 1 || got[0].Msg.Text != "Roadshow *tonight*\nSee you there" {
			t.Fatalf("%s got %v", chat, bottest.Texts(got))
		}
	}
	if again := r.advanceTo(t, at(1, 10, 0)); len(again) != 0 {
		t.Fatalf("one-shot sent again: %v", bottest.Texts(again))
	}
	ds, err := r.st.Deliveries(context.Background(), "acme", "1")
	if err != nil || len(ds) != 3 {
		t.Fatalf("deliveries %v %v", ds, err)
	}
	for _, d := range ds {
		if d.Status != schedule.DeliverySent || d.Message == "" || !d.Run.Equal(at(0, 10, 0)) {
			t.Errorf("delivery %+v", d)
		}
	}
	if list := bottest.Joined(r.Say(bottest.Group, bottest.Mod, "/schedule list")); list != "Nothing is scheduled." {
		t.Fatalf("list after run: %q", list)
	}
}

func TestAnnounce_NowToSegmentWithPin(t *testing.T) {
	r := newRig(t, rigOptions{})
	got := r.Say(bottest.Group, bottest.Mod, "/announce --to investors --pin Q3 report is out")
	if posted := in(got, investors); len(posted) != 1 || posted[0].Text() != "Q3 report is out" {
		t.Fatalf("investors got %v", bottest.Texts(got))
	}
	if len(in(got, bottest.Channel)) != 0 {
		t.Fatal("general channel got an investors announcement")
	}
	mustContain(t, bottest.Joined(got), "Posted in 1 chat: telegram:-100101")
	if acts := r.Telegram.Actions(); len(acts) != 1 || acts[0].Kind != "pin" || acts[0].Chat != investors {
		t.Fatalf("actions %v", acts)
	}
}

func TestAnnounce_PreviewGoesToModeratorOnly(t *testing.T) {
	r := newRig(t, rigOptions{})
	got := r.Say(bottest.Group, bottest.Mod, "/announce --preview --at tomorrow 9:00 AMA with the founders")
	if len(in(got, bottest.Channel)) != 0 || len(in(got, investors)) != 0 {
		t.Fatalf("preview leaked: %v", bottest.Texts(got))
	}
	dm := dms(got, bottest.Mod.ID)
	if len(dm) != 1 {
		t.Fatalf("no preview DM: %v", bottest.Texts(got))
	}
	mustContain(t, dm[0].Text(), "2026-01-06 09:00 Asia/Shanghai")
	mustContain(t, dm[0].Text(), "AMA with the founders")
	if jobs, _ := r.st.Jobs(context.Background(), "acme"); len(jobs) != 0 {
		t.Fatalf("preview scheduled %v", jobs)
	}
}

func TestAnnounce_RestartDeliversMissedOneShotOnce(t *testing.T) {
	dir := t.TempDir()
	r1 := newRig(t, rigOptions{dir: dir, start: at(0, 9, 0)})
	r1.Say(bottest.Group, bottest.Mod, "/announce --at 10:00 Token sale opens")
	r1.advanceTo(t, at(0, 9, 59))
	if err := r1.st.Close(); err != nil { // the process goes down at 09:59
		t.Fatal(err)
	}

	r2 := newRig(t, rigOptions{dir: dir, start: at(0, 10, 5)})
	r2.tick(t)
	r2.advanceTo(t, at(0, 10, 6))
	for _, chat := range []bot.ChatRef{bottest.Group, bottest.Channel} {
		if got := in(all(r2), chat); len(got) != 1 || got[0].Text() != "Token sale opens" {
			t.Fatalf("%s got %v", chat, bottest.Texts(got))
		}
	}
}

func TestAnnounce_IntentWithoutOutcomeIsNotResent(t *testing.T) {
	dir := t.TempDir()
	r1 := newRig(t, rigOptions{dir: dir, start: at(0, 9, 0)})
	r1.Say(bottest.Group, bottest.Mod, "/announce --at 10:00 Only once")
	// A crash after the Telegram send, before its outcome was recorded.
	ok, err := r1.st.BeginDelivery(context.Background(), schedule.Delivery{Community: "acme", Job: "1", Run: at(0, 10, 0), Chat: bottest.Group, Status: schedule.DeliverySending})
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	r1.st.Close()

	r2 := newRig(t, rigOptions{dir: dir, start: at(0, 10, 1)})
	r2.tick(t)
	if got := in(all(r2), bottest.Group); len(got) != 0 {
		t.Fatalf("resent after a crash: %v", bottest.Texts(got))
	}
	if got := in(all(r2), bottest.Channel); len(got) != 1 {
		t.Fatalf("the other chat missed it: %v", bottest.Texts(all(r2)))
	}
}

func TestAnnounce_OneShotBeyondGraceIsMissed(t *testing.T) {
	dir := t.TempDir()
	r1 := newRig(t, rigOptions{dir: dir, start: at(0, 9, 0)})
	r1.Say(bottest.Group, bottest.Mod, "/announce --at 10:00 Too late")
	r1.st.Close()

	r2 := newRig(t, rigOptions{dir: dir, start: at(0, 11, 30)})
	sent := r2.tick(t)
	if len(in(sent, bottest.Group)) != 0 || len(in(sent, bottest.Channel)) != 0 {
		t.Fatalf("sent beyond grace: %v", bottest.Texts(sent))
	}
	mods := in(sent, bottest.ModChat)
	if len(mods) != 1 {
		t.Fatalf("moderators not told: %v", bottest.Texts(sent))
	}
	mustContain(t, mods[0].Text(), "was missed")
}

func TestAnnounce_CronFiresOnScheduleNotDuringDowntime(t *testing.T) {
	dir := t.TempDir()
	r1 := newRig(t, rigOptions{dir: dir, start: at(0, 8, 0)})
	got := bottest.Joined(r1.Say(bottest.Group, bottest.Mod, `/announce --every "0 9 * * *" --to general Daily digest`))
	mustContain(t, got, `on "CRON_TZ=Asia/Shanghai 0 9 * * *"; next run 2026-01-05 09:00`)
	if sent := r1.advanceTo(t, at(0, 8, 59)); len(sent) != 0 {
		t.Fatal("early")
	}
	if sent := r1.advanceTo(t, at(0, 9, 0)); len(in(sent, bottest.Group)) != 1 || len(in(sent, bottest.Channel)) != 1 {
		t.Fatalf("09:00 run: %v", bottest.Texts(sent))
	}
	r1.advanceTo(t, at(0, 12, 0))
	r1.st.Close() // down from Monday noon until Tuesday 09:20, within the grace period of Tuesday's run

	r2 := newRig(t, rigOptions{dir: dir, start: at(1, 9, 20)})
	if sent := r2.tick(t); len(sent) != 0 {
		t.Fatalf("downtime run replayed: %v", bottest.Texts(sent))
	}
	list := bottest.Joined(r2.Say(bottest.Group, bottest.Mod, "/schedule list"))
	mustContain(t, list, "2026-01-07 09:00 Asia/Shanghai")
	if sent := r2.advanceTo(t, at(2, 9, 0)); len(in(sent, bottest.Group)) != 1 || len(in(sent, bottest.Channel)) != 1 {
		t.Fatalf("Wednesday run: %v", bottest.Texts(sent))
	}
}

func TestSchedule_PauseResumeCancel(t *testing.T) {
	r := newRig(t, rigOptions{start: at(0, 8, 0)})
	r.Say(bottest.Group, bottest.Mod, "/announce --every @daily Good morning")
	mustContain(t, bottest.Joined(r.Say(bottest.Group, bottest.Mod, "/schedule pause 1")), "Paused #1")
	if sent := r.advanceTo(t, at(1, 0, 0)); len(sent) != 0 {
		t.Fatalf("paused job ran: %v", bottest.Texts(sent))
	}
	mustContain(t, bottest.Joined(r.Say(bottest.Group, bottest.Mod, "/schedule list")), "paused")
	mustContain(t, bottest.Joined(r.Say(bottest.Group, bottest.Mod, "/schedule resume 1")), "next run 2026-01-07 00:00")
	mustContain(t, bottest.Joined(r.Say(bottest.Group, bottest.Mod, "/schedule cancel 1")), "Cancelled #1")
	if sent := r.advanceTo(t, at(2, 0, 0)); len(sent) != 0 {
		t.Fatalf("cancelled job ran: %v", bottest.Texts(sent))
	}
	mustContain(t, bottest.Joined(r.Say(bottest.Group, bottest.Mod, "/schedule cancel 1")), "already run or was cancelled")
	mustContain(t, bottest.Joined(r.Say(bottest.Group, bottest.Mod, "/schedule cancel 99")), "no scheduled post #99")
}

func TestAnnounce_Refusals(t *testing.T) {
	r := newRig(t, rigOptions{start: at(0, 9, 0)})
	r.Telegram.SetUserRole(bottest.Li.ID, bot.RoleModerator)
	cases := []struct {
		from bot.Account
		cmd  string
		want string
	}{
		{bottest.Alice, "/announce hi", "Only a moderator can use /announce."},
		{bottest.Alice, "/schedule list", "Only a moderator can use /schedule."},
		{bottest.Mod, "/announce --at 25:00 hi", `I can't read the time "25:00"`},
		{bottest.Mod, "/announce --at 2026-01-05 08:00 hi", "is in the past"},
		{bottest.Mod, "/announce --at 2026-02-30 08:00 hi", `I can't read the time "2026-02-30 08:00"`},
		{bottest.Mod, `/announce --every "61 * * * *" hi`, `I can't read the schedule "CRON_TZ=Asia/Shanghai 61 * * * *"`},
		{bottest.Mod, `/announce --every "* * * * *" hi`, "runs too often"},
		{bottest.Mod, "/announce --every CRON_TZ=Mars/Base @daily hi", "I can't read the schedule"},
		{bottest.Mod, "/announce --at 10:00 --every @daily hi", "either --at or --every"},
		{bottest.Mod, "/announce --to vip hi", `There is no segment "vip". Segments: general, investors.`},
		{bottest.Mod, "/announce --to telegram:-999 hi", "telegram:-999 is not a chat of this community."},
		{bottest.Mod, "/announce --loud hi", "Unknown option --loud"},
		{bottest.Mod, "/announce --at 10:00", "Usage: /announce"},
		{bottest.Li, "/announce --at 明天 hi", "无法识别时间"},
	}
	for _, c := range cases {
		t.Run(c.cmd, func(t *testing.T) {
			mustContain(t, bottest.Joined(r.Say(bottest.Group, c.from, c.cmd)), c.want)
		})
	}
	if jobs, _ := r.st.Jobs(context.Background(), "acme"); len(jobs) != 0 {
		t.Fatalf("refused commands scheduled %v", jobs)
	}
	if sent := in(all(r), bottest.Channel); len(sent) != 0 {
		t.Fatalf("refused commands posted %v", bottest.Texts(sent))
	}
}

func TestCatalogsComplete(t *testing.T) {
	if _, err := schedule.New(nil, schedule.Defaults(), nil); err == nil {
		t.Fatal("New accepted a nil store")
	}
	r := newRig(t, rigOptions{})
	if err := bot.CheckCatalog(r.m.Locales()); err != nil {
		t.Fatal(err)
	}
}

func TestConfig_Validate(t *testing.T) {
	bad := schedule.Defaults()
	bad.PollDuration = 40 * 24 * time.Hour
	if err := bad.Validate(); err == nil || err.Error() != "schedule.poll_duration: must be between 1m and 768h0m0s" {
		t.Fatalf("got %v", err)
	}
	bad = schedule.Defaults()
	bad.Reminders = []time.Duration{time.Hour, 0}
	if err := bad.Validate(); err == nil || err.Error() != "schedule.reminders[1]: must be positive" {
		t.Fatalf("got %v", err)
	}
}

func TestAnnounce_RepliesInModeratorsLanguage(t *testing.T) {
	r := newRig(t, rigOptions{start: at(0, 9, 0)})
	r.Telegram.SetUserRole(bottest.Li.ID, bot.RoleModerator)
	mustContain(t, bottest.Joined(r.Say(bottest.Group, bottest.Li, "/announce 大家好")), "已发布到 3 个群")
	mustContain(t, bottest.Joined(r.Say(bottest.Group, bottest.Li, "/announce --every @weekly 周报")), "已安排 #2 发往所有群，计划“CRON_TZ=Asia/Shanghai @weekly”；下次运行：2026-01-11 00:00 Asia/Shanghai。")
	mustContain(t, bottest.Joined(r.Say(bottest.Group, bottest.Li, "/schedule list")), "共 1 个定时发布")
}

// TestAnnounce_RedeliveredCommandPostsOnce: Telegram delivers updates at
// least once; the same /announce message handled twice posts once.
func TestAnnounce_RedeliveredCommandPostsOnce(t *testing.T) {
	r := newRig(t, rigOptions{})
	for range 2 {
		inv, _ := bot.ParseCommand("/announce Roadshow tickets are open", "/", "")
		r.Handle(&bot.Event{Kind: bot.EventCommand, Chat: bottest.Group, From: bottest.Mod, MessageID: "77", Command: &inv})
	}
	for _, chat := range []bot.ChatRef{bottest.Group, bottest.Channel} {
		n := 0
		for _, s := range in(all(r), chat) {
			if strings.Contains(s.Text(), "Roadshow tickets are open") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s got the announcement %d times, want once", chat, n)
		}
	}
}
