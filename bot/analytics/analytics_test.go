package analytics_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/analytics"
	"github.com/cohortbot/cohort/bot/bottest"
	"github.com/cohortbot/cohort/store"
	"github.com/cohortbot/cohort/store/storetest"
)

// world is a test bot with the analytics module on a real store.
type world struct {
	t  *testing.T
	tb *bottest.TestBot
	m  *analytics.Module
	s  *store.Store
}

func newWorld(t *testing.T, s *store.Store, cfg analytics.Config, opts analytics.Options, start time.Time) *world {
	t.Helper()
	if s == nil {
		s = storetest.Open(t)
	}
	m, err := analytics.New(nil, cfg, s, opts)
	if err != nil {
		t.Fatalf("analytics.New: %v", err)
	}
	tb := bottest.New(t, bottest.Options{Modules: []bot.Module{m}, Members: s, Tally: m, Start: start})
	return &world{t: t, tb: tb, m: m, s: s}
}

// today is the test community's day by the fake clock.
func (w *world) today() analytics.Day { return analytics.DayOf(w.tb.Clock.Now(), time.UTC) }

func (w *world) figures(days int) analytics.Figures {
	w.t.Helper()
	if err := w.m.Flush(context.Background()); err != nil {
		w.t.Fatalf("Flush: %v", err)
	}
	f, err := analytics.Compute(context.Background(), w.s, "acme", w.today(), days, 5)
	if err != nil {
		w.t.Fatalf("Compute: %v", err)
	}
	return f
}

func tg(id, name string) bot.Account {
	return bot.Account{Platform: bot.Telegram, ID: id, Name: name, Username: strings.ToLower(name), Lang: "en"}
}

// script is a month of community life: who joins, writes, leaves and
// reaches VIP on which day (day 0 is Monday 2026-01-05).
type script struct {
	joins  map[string]int
	writes map[string][]int
	leaves map[string]int
	vips   map[string]int
}

var (
	old1 = tg("3001", "Olga")   // here before the bot; writes every day
	memA = tg("3101", "Anna")   // joins day 0, writes days 0, 1, 8, 29 (and 35)
	memB = tg("3102", "Ben")    // joins day 0, never writes
	memC = tg("3103", "Chen")   // joins day 2, writes day 3
	memD = tg("3104", "Dora")   // joins day 7, writes days 7 and 14, VIP day 14
	memE = tg("3105", "Emil")   // joins day 9, writes days 10, 16, 25, VIP day 25
	memF = tg("3106", "Farah")  // joins day 20, writes day 21
	memG = tg("3107", "Gustav") // joins day 27, leaves day 28
)

func month() script {
	every := make([]int, 30)
	for i := range every {
		every[i] = i
	}
	return script{
		joins: map[string]int{memA.ID: 0, memB.ID: 0, memC.ID: 2, memD.ID: 7, memE.ID: 9, memF.ID: 20, memG.ID: 27},
		writes: map[string][]int{
			old1.ID: every, bottest.Dan.ID: {0, 1, 2, 3, 4, 5},
			memA.ID: {0, 1, 8, 29}, memC.ID: {3}, memD.ID: {7, 14}, memE.ID: {10, 16, 25}, memF.ID: {21},
		},
		leaves: map[string]int{memG.ID: 28},
		vips:   map[string]int{memD.ID: 14, memE.ID: 25},
	}
}

// play runs the script from day 0 to last, leaving the clock on day last.
func (w *world) play(sc script, last int) {
	w.t.Helper()
	accounts := []bot.Account{old1, bottest.Dan, memA, memB, memC, memD, memE, memF, memG}
	for day := 0; day <= last; day++ {
		if day > 0 {
			w.tb.Clock.Advance(24 * time.Hour)
		}
		for _, a := range accounts {
			chat := bottest.Group
			if a.Platform == bot.Discord {
				chat = bottest.Channel
			}
			if d, ok := sc.joins[a.ID]; ok && d == day {
				w.tb.Join(chat, a, "")
			}
			for _, d := range sc.writes[a.ID] {
				if d == day {
					w.tb.Say(chat, a, fmt.Sprintf("hello on day %d", day))
				}
			}
			if d, ok := sc.vips[a.ID]; ok && d == day {
				mem, err := w.s.Resolve(context.Background(), "acme", a, w.tb.Clock.Now())
				if err != nil {
					w.t.Fatal(err)
				}
				w.tb.Bot.CountMember(context.Background(), "acme", mem.ID, bot.CountVIP, 1)
			}
			if d, ok := sc.leaves[a.ID]; ok && d == day {
				w.tb.Leave(chat, a)
			}
		}
		if day%3 == 0 {
			if err := w.m.Flush(context.Background()); err != nil { // some days flushed early, some late
				w.t.Fatal(err)
			}
		}
	}
}

func TestFigures_MonthOfActivity(t *testing.T) {
	w := newWorld(t, nil, analytics.Defaults(), analytics.Options{}, time.Time{})
	w.play(month(), 29)

	f := w.figures(30)
	// Daily active: Olga every day (30), Dan 6, Anna 4, Chen 1, Dora 2,
	// Emil 3, Farah 1 = 47 member-days over 30 days.
	if got := fmt.Sprintf("%.3f", f.DAU); got != fmt.Sprintf("%.3f", 47.0/30) {
		t.Errorf("DAU = %s, want 47/30", got)
	}
	// Days 23..29: Olga, Emil (25), Anna (29).
	if f.WAU != 3 {
		t.Errorf("WAU = %d, want 3", f.WAU)
	}
	// Everyone who ever wrote: Olga, Dan, Anna, Chen, Dora, Emil, Farah.
	if f.MAU != 7 {
		t.Errorf("MAU = %d, want 7", f.MAU)
	}
	if f.Daily[0].Active != 3 || f.Daily[6].Active != 1 || f.Daily[29].Active != 2 {
		t.Errorf("daily active on days 0, 6, 29 = %d, %d, %d; want 3, 1, 2", f.Daily[0].Active, f.Daily[6].Active, f.Daily[29].Active)
	}
	if f.Totals[bot.CountJoined] != 7 || f.Totals[analytics.CountNew] != 7 || f.Totals[bot.CountLeft] != 1 || f.Totals[bot.CountMessages] != 47 {
		t.Errorf("totals = %v, want 7 joined, 7 new, 1 left, 47 messages", f.Totals)
	}
	// Nobody has been away for more than 30 days yet.
	if f.Churned != 0 {
		t.Errorf("churned = %d, want 0", f.Churned)
	}
	// Joined 7 (A..G) → wrote 5 (A, C, D, E, F) → active 7+ days after
	// joining 3 (A: 29 ≥ 7, D: 14 ≥ 14, E: 25 ≥ 16) → VIP 2 (D, E).
	if want := (analytics.Funnel{Joined: 7, FirstMessage: 5, Active7: 3, VIP: 2}); f.Funnel != want {
		t.Errorf("funnel = %+v, want %+v", f.Funnel, want)
	}
	// Today is day 29. New: Gustav (joined 27). Seen in the last 14 days:
	// Olga, Anna, Emil, Farah, Gustav, less the new one. Dormant: Dan (5),
	// Ben (0), Chen (3), Dora (14).
	if want := (analytics.Lifecycle{New: 1, Active: 4, Dormant: 4}); f.Lifecycle != want {
		t.Errorf("lifecycle = %+v, want %+v", f.Lifecycle, want)
	}
	// Week of 01-05: Anna, Ben, Chen; d1 Anna and Chen (3 ≥ 3) = 2/3,
	// d7 Anna = 1/3. Week of 01-12: Dora, Emil: all retained. Week of
	// 01-19: Farah, d1 yes, d7 no. Week of 01-26: Gustav, d1 no, d7 too early.
	want := []analytics.Cohort{
		{Week: day0 + 0, Size: 3, Retained: [3]analytics.Share{{2, 3}, {1, 3}, {0, 0}}},
		{Week: day0 + 7, Size: 2, Retained: [3]analytics.Share{{2, 2}, {2, 2}, {0, 0}}},
		{Week: day0 + 14, Size: 1, Retained: [3]analytics.Share{{1, 1}, {0, 1}, {0, 0}}},
		{Week: day0 + 21, Size: 1, Retained: [3]analytics.Share{{0, 1}, {0, 0}, {0, 0}}},
	}
	if fmt.Sprint(f.Cohorts) != fmt.Sprint(want) {
		t.Errorf("cohorts =\n%v\nwant\n%v", f.Cohorts, want)
	}
	// Group: Olga 30 + Anna 4 + Chen 1 + Dora 2 + Emil 3 + Farah 1; Channel: Dan 6.
	if len(f.TopChats) != 2 || f.TopChats[0].Chat != bottest.Group.String() || f.TopChats[0].Messages != 41 || f.TopChats[1].Messages != 6 {
		t.Errorf("top chats = %+v, want group 41, channel 6", f.TopChats)
	}

	// Week figures: WAU equals the 7-day MAU window, DAU over 7 days.
	if f7 := w.figures(7); f7.WAU != 3 || len(f7.Daily) != 7 || f7.Funnel.Joined != 1 {
		t.Errorf("7d: WAU %d, %d days, %d joined; want 3, 7, 1 (Gustav)", f7.WAU, len(f7.Daily), f7.Funnel.Joined)
	}

	// Eleven days on: Anna came back on day 35, Dan (last seen day 5) and
	// Chen (day 3) crossed 30 days away during days 34..40; Ben (day 0) did
	// so on day 31, before the week.
	w.tb.Clock.Advance(6 * 24 * time.Hour)
	w.tb.Say(bottest.Group, memA, "back again")
	w.tb.Clock.Advance(5 * 24 * time.Hour)
	f = w.figures(7)
	if f.Churned != 2 {
		t.Errorf("churned in days 34..40 = %d, want 2", f.Churned)
	}
	// 30-day retention of the first week: Anna (35 ≥ 30) of Anna, Ben, Chen.
	f = w.figures(90)
	if len(f.Cohorts) == 0 || f.Cohorts[0].Retained[2] != (analytics.Share{Num: 1, Den: 3}) {
		t.Errorf("first cohort = %+v, want 30-day retention 1/3", f.Cohorts)
	}
}

var day0 = analytics.DayOf(time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), time.UTC)

func TestStats_RepliesWithFiguresAndChart(t *testing.T) {
	w := newWorld(t, nil, analytics.Defaults(), analytics.Options{}, time.Time{})
	w.play(month(), 29)
	w.tb.Bot.Count(context.Background(), "acme", bottest.Group, bot.CountTicketsOpened, 2)
	w.tb.Bot.Count(context.Background(), "acme", bottest.Group, bot.CountPollVotes, 1)

	for _, tc := range []struct {
		name     string
		chat     bot.ChatRef
		who      bot.Account
		activity string
		active   string
	}{
		{"telegram", bottest.Group, bottest.Mod, "WAU 3 · MAU 7", "1 new · 4 active · 4 dormant · 0 churned"},
		// Mia's /stats on Telegram made her active today.
		{"discord", bottest.Channel, bottest.Dan, "WAU 4 · MAU 8", "1 new · 5 active · 4 dormant · 0 churned"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w.tb.Discord.SetUserRole(bottest.Dan.ID, bot.RoleModerator)
			sent := w.tb.Say(tc.chat, tc.who, "/stats 30d")
			if len(sent) != 1 {
				t.Fatalf("sent %d messages, want 1: %q", len(sent), bottest.Texts(sent))
			}
			text := sent[0].Text()
			for _, want := range []string{
				"2026-01-05 to 2026-02-03", tc.activity, "DAU 1.6", tc.active,
				"7 new (7 joins)", "1 left", "Tickets 2 opened", "poll votes 1",
				"7 joined → 5 wrote (71%) → 3 active after 7 days (43%) → 2 VIP (29%)",
				"week of 2026-01-05: 3 members — 67% / 33% / –",
				"1. telegram:-100100 (general) — 41 messages",
			} {
				if !strings.Contains(text, want) {
					t.Errorf("reply lacks %q:\n%s", want, text)
				}
			}
			files := sent[0].Msg.Files
			if len(files) != 1 || files[0].Name != "stats.png" || files[0].MIME != "image/png" {
				t.Fatalf("files = %+v, want stats.png", files)
			}
			img, err := png.Decode(bytes.NewReader(files[0].Data))
			if err != nil {
				t.Fatalf("chart does not decode: %v", err)
			}
			if b := img.Bounds(); b.Dx() < 300 || b.Dy() < 150 {
				t.Errorf("chart is %v, too small", b)
			}
		})
	}
}

func TestStats_RefusesAndExplains(t *testing.T) {
	w := newWorld(t, nil, analytics.Defaults(), analytics.Options{}, time.Time{})
	if got := bottest.Joined(w.tb.Say(bottest.Group, bottest.Alice, "/stats")); !strings.Contains(got, "moderator") {
		t.Errorf("member got %q, want a refusal", got)
	}
	if got := bottest.Joined(w.tb.Say(bottest.Group, bottest.Mod, "/stats 12y")); !strings.Contains(got, "Usage: /stats") {
		t.Errorf("bad period got %q, want usage", got)
	}
	if got := bottest.Joined(w.tb.Say(bottest.Group, bottest.Mod, "/stats export 5d")); !strings.Contains(got, "Usage: /stats") {
		t.Errorf("bad export period got %q, want usage", got)
	}
	// An empty community still answers, with a chart of zeros.
	sent := w.tb.Say(bottest.Group, bottest.Mod, "/stats")
	if len(sent) != 1 || !strings.Contains(sent[0].Text(), "nobody joined") || len(sent[0].Msg.Files) != 1 {
		t.Errorf("empty stats = %q", bottest.Texts(sent))
	}
}

func TestStats_ExportGoesToModeratorPrivately(t *testing.T) {
	w := newWorld(t, nil, analytics.Defaults(), analytics.Options{}, time.Time{})
	w.play(month(), 29)
	sent := w.tb.Say(bottest.Group, bottest.Mod, "/stats export")
	if len(sent) != 2 {
		t.Fatalf("sent %q, want a DM and a note", bottest.Texts(sent))
	}
	var dm, note bottest.Sent
	for _, s := range sent {
		if s.Direct != "" {
			dm = s
		} else {
			note = s
		}
	}
	if dm.Direct != bottest.Mod.ID || !strings.Contains(note.Text(), "private message") {
		t.Fatalf("dm to %q, note %q", dm.Direct, note.Text())
	}
	if len(dm.Msg.Files) != 2 {
		t.Fatalf("files = %d, want daily.csv and members.csv", len(dm.Msg.Files))
	}
	daily, err := csv.NewReader(bytes.NewReader(dm.Msg.Files[0].Data)).ReadAll()
	if err != nil || dm.Msg.Files[0].Name != "daily.csv" {
		t.Fatalf("daily.csv: %v", err)
	}
	// Header + 30 days; day 0: 3 active, 2 joined (Anna, Ben).
	if len(daily) != 31 || daily[1][0] != "2026-01-05" || daily[1][1] != "3" || daily[1][2] != "2" {
		t.Errorf("daily.csv rows %d, first %v", len(daily), daily[1])
	}
	members, err := csv.NewReader(bytes.NewReader(dm.Msg.Files[1].Data)).ReadAll()
	if err != nil {
		t.Fatalf("members.csv: %v", err)
	}
	var dora []string
	for _, row := range members {
		if row[1] == "Dora" {
			dora = row
		}
	}
	if want := []string{"2026-01-12", "2026-01-12", "2026-01-19", "2026-01-19", "2026-01-19", ""}; fmt.Sprint(dora[2:]) != fmt.Sprint(want) {
		t.Errorf("Dora's row = %v, want days %v", dora, want)
	}

	w.tb.Telegram.BlockDM(bottest.Mod.ID)
	if got := bottest.Joined(w.tb.Say(bottest.Group, bottest.Mod, "/stats export 7d")); !strings.Contains(got, "cannot send you a private message") {
		t.Errorf("blocked DM got %q", got)
	}
	// In a private chat the files come back in place.
	sent = w.tb.SayPrivate(bottest.Mod, "/stats export 7d")
	if len(sent) != 1 || sent[0].Direct != "" || len(sent[0].Msg.Files) != 2 {
		t.Errorf("export in mod chat = %+v", sent)
	}
}

func TestStats_Subcommands(t *testing.T) {
	called := false
	opts := analytics.Options{Subcommands: map[string]bot.CommandFunc{
		"sentiment": func(ctx context.Context, req *bot.Request) error {
			called = true
			_, err := req.Reply(ctx, bot.Outgoing{Text: "mood: fine"})
			return err
		},
	}}
	w := newWorld(t, nil, analytics.Defaults(), opts, time.Time{})
	if got := bottest.Joined(w.tb.Say(bottest.Group, bottest.Mod, "/stats sentiment")); !called || got != "mood: fine" {
		t.Errorf("/stats sentiment = %q", got)
	}
	if _, err := analytics.New(nil, analytics.Defaults(), w.s, analytics.Options{Subcommands: map[string]bot.CommandFunc{"export": nil}}); err == nil {
		t.Error("a subcommand named export was accepted")
	}
}

func TestCount_BufferedUntilFlush(t *testing.T) {
	w := newWorld(t, nil, analytics.Defaults(), analytics.Options{FlushEvery: time.Hour}, time.Time{})
	w.tb.Join(bottest.Group, bottest.Alice, "") // the module learns the bot's clock from its first event
	w.tb.Bot.Count(context.Background(), "acme", bottest.Group, bot.CountRSVPs, 3)
	today := w.today()
	got, err := w.s.Counters(context.Background(), "acme", today, today)
	if err != nil || len(got) != 0 {
		t.Fatalf("before flush: %v %v, want nothing written", got, err)
	}
	if err := w.m.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	got, _ = w.s.Counters(context.Background(), "acme", today, today)
	total := got[analytics.CounterKey{Day: today, Name: bot.CountRSVPs}]
	chat := got[analytics.CounterKey{Day: today, Chat: bottest.Group.String(), Name: bot.CountRSVPs}]
	if total != 3 || chat != 3 {
		t.Errorf("rsvps total %d, in group %d; want 3 and 3", total, chat)
	}
}

func TestCount_FlushedWhenTheBotStops(t *testing.T) {
	s := storetest.Open(t)
	today := analytics.DayOf(time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC), time.UTC)
	t.Run("run", func(t *testing.T) {
		w := newWorld(t, s, analytics.Defaults(), analytics.Options{FlushEvery: time.Hour}, time.Time{})
		w.tb.Say(bottest.Group, bottest.Alice, "hi")
	}) // the subtest's cleanup stops the bot
	got, err := s.Counters(context.Background(), "acme", today, today)
	if err != nil || got[analytics.CounterKey{Day: today, Name: bot.CountMessages}] != 1 {
		t.Errorf("after stop: %v %v, want 1 message", got, err)
	}
}

func TestWeeklyReport_PostsOnScheduleOnce(t *testing.T) {
	s := storetest.Open(t)
	start := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC) // Monday, after 09:00
	modChatPosts := func(w *world) []bottest.Sent {
		var out []bottest.Sent
		for _, m := range w.tb.Telegram.Sent() {
			if m.Ref.Chat == bottest.ModChat {
				out = append(out, m)
			}
		}
		return out
	}
	w := newWorld(t, s, analytics.Defaults(), analytics.Options{}, start)
	w.tb.Say(bottest.Group, bottest.Alice, "hello")
	w.m.Tick(context.Background(), w.tb.Bot) // starts the schedule
	w.tb.Clock.Set(time.Date(2026, 1, 12, 8, 59, 0, 0, time.UTC))
	w.m.Tick(context.Background(), w.tb.Bot)
	if got := modChatPosts(w); len(got) != 0 {
		t.Fatalf("posted before Monday 09:00: %q", bottest.Texts(got))
	}
	w.tb.Clock.Advance(2 * time.Minute)
	w.m.Tick(context.Background(), w.tb.Bot)
	w.m.Tick(context.Background(), w.tb.Bot)
	posts := modChatPosts(w)
	if len(posts) != 1 {
		t.Fatalf("posted %d reports, want 1", len(posts))
	}
	if text := posts[0].Text(); !strings.Contains(text, "Weekly report of ACME") || !strings.Contains(text, "MAU 1") {
		t.Errorf("report = %q", text)
	}
	if f := posts[0].Msg.Files; len(f) != 1 || f[0].MIME != "image/png" {
		t.Errorf("report files = %+v", f)
	}

	// After a restart in the same week, no second report; the next comes a week later.
	w2 := newWorld(t, s, analytics.Defaults(), analytics.Options{}, time.Date(2026, 1, 12, 9, 30, 0, 0, time.UTC))
	w2.m.Tick(context.Background(), w2.tb.Bot)
	if got := modChatPosts(w2); len(got) != 0 {
		t.Fatalf("restart posted again: %q", bottest.Texts(got))
	}
	w2.tb.Clock.Set(time.Date(2026, 1, 19, 9, 0, 0, 0, time.UTC))
	w2.m.Tick(context.Background(), w2.tb.Bot)
	if got := modChatPosts(w2); len(got) != 1 {
		t.Errorf("second week: %d reports, want 1", len(got))
	}
}

func TestWeeklyReport_CommunityTimezoneAndOff(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skip("no tzdata")
	}
	s := storetest.Open(t)
	c := bottest.Community()
	c.Location = shanghai
	m, err := analytics.New(map[string]analytics.Config{"other": {WeeklyReport: "off"}}, analytics.Defaults(), s, analytics.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tb := bottest.New(t, bottest.Options{Modules: []bot.Module{m}, Members: s, Tally: m, Communities: []*bot.Community{c},
		Start: time.Date(2026, 1, 5, 2, 0, 0, 0, time.UTC)}) // 10:00 Monday in Shanghai
	tb.Say(bottest.Group, bottest.Alice, "hi")
	m.Tick(context.Background(), tb.Bot)
	tb.Clock.Set(time.Date(2026, 1, 12, 1, 0, 0, 0, time.UTC)) // 09:00 Monday in Shanghai
	m.Tick(context.Background(), tb.Bot)
	if n := len(tb.Telegram.Sent()); n != 1 {
		t.Errorf("reports at 09:00 Shanghai time: %d, want 1", n)
	}
}

func TestConfig_Validate(t *testing.T) {
	for _, tc := range []struct {
		cfg  analytics.Config
		want string
	}{
		{analytics.Config{}, ""},
		{analytics.Config{WeeklyReport: "@weekly"}, ""},
		{analytics.Config{WeeklyReport: "off"}, ""},
		{analytics.Config{WeeklyReport: "CRON_TZ=Europe/Berlin 0 9 * * 1"}, ""},
		{analytics.Config{WeeklyReport: "every monday"}, "analytics.weekly_report"},
		{analytics.Config{TopChats: 99}, "analytics.top_chats"},
	} {
		err := tc.cfg.Validate()
		if (err == nil) != (tc.want == "") || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("Validate(%+v) = %v, want %q", tc.cfg, err, tc.want)
		}
	}
	_, err := analytics.New(map[string]analytics.Config{"acme": {WeeklyReport: "nope"}}, analytics.Defaults(), nil, analytics.Options{})
	if err == nil || !strings.Contains(err.Error(), "communities[acme].analytics.weekly_report") {
		t.Errorf("New with a bad community config: %v", err)
	}
}

func TestCatalogs(t *testing.T) {
	m, _ := analytics.New(nil, analytics.Defaults(), nil, analytics.Options{})
	if err := bot.CheckCatalog(m.Locales()); err != nil {
		t.Fatal(err)
	}
}
