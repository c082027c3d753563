package schedule

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
)

func TestParseWhen(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	now := time.Date(2026, 1, 5, 9, 30, 0, 0, loc)
	cases := []struct {
		in   string
		want time.Time
		err  string
	}{
		{"2026-12-01 18:00", time.Date(2026, 12, 1, 18, 0, 0, 0, loc), ""},
		{"in 2h", now.Add(2 * time.Hour), ""},
		{"in 1h30m", now.Add(90 * time.Minute), ""},
		{"in 2d", now.Add(48 * time.Hour), ""},
		{"tomorrow 9:00", time.Date(2026, 1, 6, 9, 0, 0, 0, loc), ""},
		{"Today 18:00", time.Date(2026, 1, 5, 18, 0, 0, 0, loc), ""},
		{"18:00", time.Date(2026, 1, 5, 18, 0, 0, 0, loc), ""},
		{"09:00", time.Date(2026, 1, 6, 9, 0, 0, 0, loc), ""}, // already past today
		{"today 8:00", time.Time{}, "schedule.past_time"},
		{"2026-02-30 10:00", time.Time{}, "schedule.bad_time"},
		{"24:00", time.Time{}, "schedule.bad_time"},
		{"in 0h", time.Time{}, "schedule.bad_time"},
		{"in soon", time.Time{}, "schedule.bad_time"},
		{"next week", time.Time{}, "schedule.bad_time"},
		{"", time.Time{}, "schedule.bad_time"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, err := parseWhen(c.in, now, loc)
			var ue *bot.UserError
			switch {
			case c.err != "" && (!errors.As(err, &ue) || ue.Key != c.err):
				t.Fatalf("err %v, want %s", err, c.err)
			case c.err == "" && (err != nil || !got.Equal(c.want)):
				t.Fatalf("got %v %v, want %v", got, err, c.want)
			}
		})
	}
}

func TestParseSpec_UsesCommunityTimezone(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	now := time.Date(2026, 1, 5, 9, 30, 0, 0, loc)
	spec, s, err := parseSpec("0   10 * * *", loc, now, 15*time.Minute)
	if err != nil || spec != "CRON_TZ=Asia/Shanghai 0 10 * * *" {
		t.Fatal(spec, err)
	}
	if next := s.Next(now); !next.Equal(time.Date(2026, 1, 5, 10, 0, 0, 0, loc)) {
		t.Fatalf("next %v", next)
	}
	if _, s, err = parseSpec("CRON_TZ=UTC @daily", loc, now, time.Hour); err != nil || !s.Next(now).Equal(time.Date(2026, 1, 6, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("explicit zone: %v", err)
	}
}

func TestArgWords(t *testing.T) {
	cases := []struct {
		args       []string
		time, cron int
	}{
		{[]string{"18:00", "Hello"}, 1, 2},
		{[]string{"in", "2h", "Hello"}, 2, 3},
		{[]string{"2026-12-01", "18:00", "x"}, 2, 3},
		{[]string{"@daily", "Hello"}, 1, 1},
		{[]string{"@every", "6h", "Hello"}, 1, 2},
		{[]string{"0 9 * * MON", "Hello"}, 1, 1},
		{[]string{"0", "9", "*", "*", "MON", "Hello"}, 1, 5},
		{[]string{"CRON_TZ=UTC", "@daily", "Hello"}, 1, 2},
	}
	for _, c := range cases {
		if got := timeWords(c.args); got != c.time {
			t.Errorf("timeWords(%q) = %d, want %d", c.args, got, c.time)
		}
		if got := specWords(c.args); got != c.cron {
			t.Errorf("specWords(%q) = %d, want %d", c.args, got, c.cron)
		}
	}
}

func TestArgReader_KeepsTextLayout(t *testing.T) {
	r := newArgReader(`--to "vip list" —pin  Line one` + "\n  line *two*")
	if f := r.flag(); f != "to" {
		t.Fatal(f)
	}
	r.next(1)
	if v := r.next(1); v != "vip list" {
		t.Fatal(v)
	}
	if f := r.flag(); f != "pin" {
		t.Fatal(f)
	}
	r.next(1)
	if r.flag() != "" || r.remainder() != "Line one\n  line *two*" {
		t.Fatalf("%q", r.remainder())
	}
}

func TestApplyVote(t *testing.T) {
	single := Poll{Options: []string{"a", "b", "c"}}
	multi := Poll{Options: []string{"a", "b", "c"}, Multi: true}
	cases := []struct {
		name string
		p    Poll
		cur  []int
		v    bot.PollVote
		want []int
	}{
		{"telegram full choice", single, []int{0}, bot.PollVote{Options: []int{2}}, []int{2}},
		{"telegram withdrawn", single, []int{0}, bot.PollVote{}, nil},
		{"telegram out of range ignored", multi, nil, bot.PollVote{Options: []int{1, 7, 1}}, []int{1}},
		{"discord add replaces single", single, []int{0}, bot.PollVote{Options: []int{1}, Added: true, Partial: true}, []int{1}},
		{"discord add to multi", multi, []int{0}, bot.PollVote{Options: []int{2}, Added: true, Partial: true}, []int{0, 2}},
		{"discord remove", multi, []int{0, 2}, bot.PollVote{Options: []int{0}, Partial: true}, []int{2}},
		{"discord bad option", single, []int{0}, bot.PollVote{Options: []int{9}, Added: true, Partial: true}, []int{0}},
	}
	for _, c := range cases {
		if got := applyVote(c.p, c.cur, &c.v); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func TestHumanDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{24 * time.Hour: "24h", 15 * time.Minute: "15m", 90 * time.Minute: "1h30m"} {
		if got := humanDuration(d); got != want {
			t.Errorf("%v: %q", d, got)
		}
	}
}
