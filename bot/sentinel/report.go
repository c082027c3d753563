package sentinel

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/cohortbot/cohort/bot"
)

// Report answers with the community's sentiment trend: the last 24 hours,
// the 7-day baseline, the negative share per day and the risk flags. It is
// the /sentiment command and, for the analytics module, the handler of
// "/stats sentiment".
func (m *Module) Report(ctx context.Context, req *bot.Request) error {
	if err := m.Flush(ctx); err != nil {
		return err
	}
	c := req.Community
	now := req.Now()
	loc := c.Location
	if loc == nil {
		loc = time.UTC
	}
	today := time.Date(now.In(loc).Year(), now.In(loc).Month(), now.In(loc).Day(), 0, 0, 0, 0, loc)
	from := today.AddDate(0, 0, -(baselineDays - 1))
	hours, err := m.store.Hours(ctx, c.ID, from, now.Add(time.Hour))
	if err != nil {
		return err
	}
	flags, err := m.store.FlaggedSince(ctx, c.ID, now.Add(-baselineDays*24*time.Hour))
	if err != nil {
		return err
	}
	var day []Hour
	for _, h := range hours {
		if !h.Start.Before(now.Add(-24 * time.Hour)) {
			day = append(day, h)
		}
	}
	lines := []string{req.T("sentinel.report_header", bot.Args{"community": c.Name})}
	dayTotal, dayNeg := sums(day)
	lines = append(lines, req.T("sentinel.report_day", bot.Args{"count": dayTotal, "negative": dayNeg, "share": percent(share(day))}))
	lines = append(lines, req.T("sentinel.report_baseline", bot.Args{"share": percent(share(hours))}))
	for d := from; !d.After(today); d = d.AddDate(0, 0, 1) {
		var in []Hour
		for _, h := range hours {
			if !h.Start.Before(d) && h.Start.Before(d.AddDate(0, 0, 1)) {
				in = append(in, h)
			}
		}
		total, _ := sums(in)
		lines = append(lines, "`"+d.Format("01-02")+"` "+bar(share(in))+" "+percent(share(in))+" ("+itoa(total)+")")
	}
	alerted := 0
	for _, f := range flags {
		if f.Alerted {
			alerted++
		}
	}
	lines = append(lines, req.T("sentinel.report_flags", bot.Args{"count": len(flags), "alerts": alerted}))
	_, err = req.Reply(ctx, bot.Outgoing{Text: strings.Join(lines, "\n")})
	return err
}

func sums(hours []Hour) (total, negative int) {
	for _, h := range hours {
		total += h.Total
		negative += h.Negative
	}
	return total, negative
}

// bar draws a share as a ten-cell bar.
func bar(f float64) string {
	n := int(f*10 + 0.5)
	return strings.Repeat("█", n) + strings.Repeat("░", 10-n)
}

func itoa(n int) string { return strconv.Itoa(n) }
