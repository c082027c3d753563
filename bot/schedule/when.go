package schedule

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/robfig/cron/v3"
)

var (
	dateRe  = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})$`)
	clockRe = regexp.MustCompile(`^(\d{1,2}):(\d{2})$`)
	durRe   = regexp.MustCompile(`^(\d+)(d|h|m|min|mins|minutes?|hours?|days?)`)
)

// timeExamples lists the accepted forms in error messages.
const timeExamples = "2026-12-01 18:00, in 2h, tomorrow 9:00, 18:00"

// parseWhen reads a time written by a moderator, in the community's
// timezone: "2026-12-01 18:00", "in 2h", "in 1h30m", "tomorrow 9:00",
// "today 18:00" or "18:00" (the next time it is 18:00). Times in the past
// are refused.
func parseWhen(s string, now time.Time, loc *time.Location) (time.Time, error) {
	bad := bot.Errorf("schedule.bad_time", bot.Args{"value": s, "examples": timeExamples})
	f := strings.Fields(strings.ToLower(strings.TrimSpace(s)))
	local := now.In(loc)
	var t time.Time
	switch {
	case len(f) == 2 && f[0] == "in":
		d, ok := parseDuration(f[1])
		if !ok {
			return t, bad
		}
		return now.Add(d), nil
	case len(f) == 2 && (f[0] == "today" || f[0] == "tomorrow"):
		h, m, ok := parseClock(f[1])
		if !ok {
			return t, bad
		}
		t = time.Date(local.Year(), local.Month(), local.Day(), h, m, 0, 0, loc)
		if f[0] == "tomorrow" {
			t = t.AddDate(0, 0, 1)
		}
	case len(f) == 2 && dateRe.MatchString(f[0]):
		h, m, ok := parseClock(f[1])
		if !ok {
			return t, bad
		}
		d := dateRe.FindStringSubmatch(f[0])
		y, _ := strconv.Atoi(d[1])
		mo, _ := strconv.Atoi(d[2])
		day, _ := strconv.Atoi(d[3])
		if mo < 1 || mo > 12 || day < 1 || day > 31 {
			return t, bad
		}
		t = time.Date(y, time.Month(mo), day, h, m, 0, 0, loc)
		if t.Day() != day {
			return t, bad // 2026-02-30
		}
	case len(f) == 1:
		h, m, ok := parseClock(f[0])
		if !ok {
			return t, bad
		}
		t = time.Date(local.Year(), local.Month(), local.Day(), h, m, 0, 0, loc)
		if !t.After(now) {
			t = t.AddDate(0, 0, 1)
		}
	default:
		return t, bad
	}
	if !t.After(now) {
		return t, bot.Errorf("schedule.past_time", bot.Args{"value": s})
	}
	return t, nil
}

// timeWords reports how many leading tokens of args form a time.
func timeWords(args []string) int {
	if len(args) >= 2 {
		first := strings.ToLower(args[0])
		if first == "in" || first == "today" || first == "tomorrow" || dateRe.MatchString(first) {
			return 2
		}
	}
	return 1
}

func parseClock(s string) (h, m int, ok bool) {
	c := clockRe.FindStringSubmatch(s)
	if c == nil {
		return 0, 0, false
	}
	h, _ = strconv.Atoi(c[1])
	m, _ = strconv.Atoi(c[2])
	return h, m, h < 24 && m < 60
}

// maxAhead is the longest "in ..." duration accepted: ten years.
const maxAhead = 10 * 365 * 24 * time.Hour

// parseDuration reads "2h", "90m", "1h30m", "2d", "3days".
func parseDuration(s string) (time.Duration, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	var total time.Duration
	if s == "" {
		return 0, false
	}
	for s != "" {
		m := durRe.FindStringSubmatch(s)
		if m == nil {
			return 0, false
		}
		n, err := strconv.Atoi(m[1])
		if err != nil || n > 100000 {
			return 0, false
		}
		unit := time.Minute
		switch m[2][0] {
		case 'd':
			unit = 24 * time.Hour
		case 'h':
			unit = time.Hour
		}
		total += time.Duration(n) * unit
		if total > maxAhead {
			return 0, false // also keeps the sum from overflowing
		}
		s = s[len(m[0]):]
	}
	return total, total > 0
}

// parseSpec reads a cron spec (five fields, or a descriptor such as
// "@daily", "@monthly", "@every 6h"), read in loc unless it starts with
// CRON_TZ=. It refuses schedules that run more often than minGap.
func parseSpec(spec string, loc *time.Location, now time.Time, minGap time.Duration) (string, cron.Schedule, error) {
	spec = strings.Join(strings.Fields(spec), " ")
	if !strings.HasPrefix(spec, "CRON_TZ=") && !strings.HasPrefix(spec, "TZ=") {
		spec = "CRON_TZ=" + loc.String() + " " + spec
	}
	s, err := parseCron(spec)
	if err != nil {
		return "", nil, bot.Errorf("schedule.bad_cron", bot.Args{"spec": spec, "error": err.Error()})
	}
	first := s.Next(now)
	if first.IsZero() {
		return "", nil, bot.Errorf("schedule.cron_never", bot.Args{"spec": spec})
	}
	if second := s.Next(first); second.Sub(first) < minGap {
		return "", nil, bot.Errorf("schedule.cron_too_often", bot.Args{"spec": spec, "min": minGap.String()})
	}
	return spec, s, nil
}

// parseCron is cron.ParseStandard without its panics: the library slices
// out of range on a time zone prefix with nothing after it ("CRON_TZ=UTC").
func parseCron(spec string) (s cron.Schedule, err error) {
	defer func() {
		if p := recover(); p != nil {
			s, err = nil, fmt.Errorf("unreadable schedule %q", spec)
		}
	}()
	return cron.ParseStandard(spec)
}

// specWords reports how many leading tokens of args form a cron spec.
func specWords(args []string) int {
	if len(args) == 0 {
		return 0
	}
	n, first := 0, args[0]
	if strings.HasPrefix(first, "CRON_TZ=") || strings.HasPrefix(first, "TZ=") {
		n, args = 1, args[1:]
		if len(args) == 0 {
			return n
		}
		first = args[0]
	}
	switch {
	case strings.Contains(first, " "):
		return n + 1 // quoted
	case first == "@every":
		return n + min(2, len(args))
	case strings.HasPrefix(first, "@"):
		return n + 1
	}
	return n + min(5, len(args))
}

// formatTime shows t in a timezone, with the zone's name.
func formatTime(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("2006-01-02 15:04") + " " + loc.String()
}
