package schedule

import (
	"errors"
	"testing"
	"time"
	_ "time/tzdata" // the zones below, whatever the machine has installed

	"github.com/robfig/cron/v3"

	"github.com/cohortbot/cohort/bot"
)

// fuzzZones are timezones with DST gaps, half-hour shifts and extreme offsets.
var fuzzZones = func() []*time.Location {
	var out []*time.Location
	for _, name := range []string{"UTC", "Asia/Shanghai", "America/New_York", "Australia/Lord_Howe", "Pacific/Kiritimati", "America/St_Johns"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			panic(err)
		}
		out = append(out, loc)
	}
	return out
}()

// fuzzNow maps any number to an instant between 1970 and about 2100.
func fuzzNow(n int64) time.Time {
	const span = int64(130 * 365 * 24 * 3600)
	s := n % span
	if s < 0 {
		s += span
	}
	return time.Unix(s, 0)
}

// isUserError reports whether err is shown to the moderator as a message.
func isUserError(err error) bool {
	var ue *bot.UserError
	return errors.As(err, &ue)
}

// FuzzParseWhen: the /announce --at and /event time parser never panics;
// what it accepts is strictly after now, and what it refuses it refuses
// with a message for the moderator.
func FuzzParseWhen(f *testing.F) {
	for _, s := range []string{"2026-12-01 18:00", "in 2h", "in 1h30m", "in 90mins", "tomorrow 9:00", "today 18:00", "18:00", "0:00", "24:00", "23:60",
		"2026-02-30 10:00", "2026-2-3 1:05", "in 0m", "in", "", "in 100000d", "in 100000d100000d100000d", "in 99999999999999999999h", "9999-12-31 23:59",
		"0000-01-01 00:00", "today 02:30", "TOMORROW 9:00", "in 3days", "in 1d-1h"} {
		f.Add(s, int64(1767225600), uint8(0))
	}
	f.Add("today 02:30", int64(1773558000), uint8(2)) // New York, the morning clocks go forward
	f.Fuzz(func(t *testing.T, s string, nowSec int64, zone uint8) {
		now := fuzzNow(nowSec)
		loc := fuzzZones[int(zone)%len(fuzzZones)]
		got, err := parseWhen(s, now, loc)
		if err != nil {
			if !isUserError(err) {
				t.Fatalf("parseWhen(%q) failed without a user message: %v", s, err)
			}
			return
		}
		if !got.After(now) {
			t.Fatalf("parseWhen(%q) at %s in %s = %s, not in the future", s, now, loc, got)
		}
	})
}

// FuzzParseSpec: cron specs from moderators (five fields, descriptors,
// CRON_TZ= prefixes) never panic the parser; an accepted spec runs after
// now, no more often than the minimum gap, and the stored form parses again
// (the engine re-reads it after a restart) to the same schedule.
func FuzzParseSpec(f *testing.F) {
	for _, s := range []string{"0 10 * * *", "0   10 * * MON-FRI", "@daily", "@every 6h", "@every 1s", "@every -5m", "CRON_TZ=Asia/Shanghai 0 9 * * *",
		"TZ=Europe/Berlin @weekly", "CRON_TZ=UTC", "TZ=", "CRON_TZ=Nowhere/City 0 9 * * *", "0 0 30 2 *", "*/1 * * * *", "0-59/0 * * * *",
		"60 * * * *", "0 0 1 1 *", "@reboot", "@", "* * * * * *", "0 0 31 4 *", "0 0 29 2 *"} {
		f.Add(s, int64(1767225600), uint8(0))
	}
	f.Fuzz(func(t *testing.T, spec string, nowSec int64, zone uint8) {
		now := fuzzNow(nowSec)
		loc := fuzzZones[int(zone)%len(fuzzZones)]
		const minGap = 15 * time.Minute
		stored, s, err := parseSpec(spec, loc, now, minGap)
		if err != nil {
			if !isUserError(err) {
				t.Fatalf("parseSpec(%q) failed without a user message: %v", spec, err)
			}
			return
		}
		first := s.Next(now)
		if !first.After(now) {
			t.Fatalf("parseSpec(%q): first run %s is not after %s", spec, first, now)
		}
		if second := s.Next(first); second.Sub(first) < minGap {
			t.Fatalf("parseSpec(%q): runs %s and %s closer than %s", spec, first, second, minGap)
		}
		again, err := cron.ParseStandard(stored)
		if err != nil {
			t.Fatalf("stored spec %q of %q does not parse again: %v", stored, spec, err)
		}
		if got := again.Next(now); !got.Equal(first) {
			t.Fatalf("stored spec %q runs first at %s, the parsed one at %s", stored, got, first)
		}
	})
}

// TestParseWhen_FarAhead: durations add up without overflowing; more than
// ten years ahead is refused rather than wrapped around to a wrong time.
func TestParseWhen_FarAhead(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, s := range []string{"in 100000d100000d100000d", "in 4000d", "in 100000h"} {
		if got, err := parseWhen(s, now, time.UTC); err == nil {
			t.Errorf("parseWhen(%q) = %s, want refused", s, got)
		}
	}
	if got, err := parseWhen("in 3650d", now, time.UTC); err != nil || !got.Equal(now.Add(3650*24*time.Hour)) {
		t.Errorf("parseWhen(in 3650d) = %s, %v", got, err)
	}
}

// TestParseSpec_ZoneWithoutSchedule: a time zone prefix alone is refused
// with a message (the cron library panics on it).
func TestParseSpec_ZoneWithoutSchedule(t *testing.T) {
	for _, s := range []string{"CRON_TZ=UTC", "TZ=Asia/Shanghai", "CRON_TZ="} {
		if _, _, err := parseSpec(s, time.UTC, time.Now(), time.Minute); !isUserError(err) {
			t.Errorf("parseSpec(%q) = %v, want a user error", s, err)
		}
	}
}
