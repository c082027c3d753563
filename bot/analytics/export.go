package analytics

import (
	"bytes"
	"context"
	"encoding/csv"
	"strconv"

	"github.com/cohortbot/cohort/bot"
)

// exportCounters are the columns of daily.csv after day and active.
var exportCounters = []string{
	bot.CountJoined, CountNew, bot.CountLeft, bot.CountMessages, bot.CountCommands,
	bot.CountTicketsOpened, bot.CountTicketsResolved, bot.CountPollVotes, bot.CountRSVPs,
	bot.CountRedemptions, bot.CountReferrals, bot.CountVIP,
}

// exportFiles builds daily.csv (the period's counters per day) and
// members.csv (every member analytics knows, with their days), followed by
// the files of Options.Exports (the points ledger).
func (m *Module) exportFiles(ctx context.Context, b *bot.Bot, c *bot.Community, f Figures) ([]bot.File, error) {
	counters, err := m.store.Counters(ctx, c.ID, f.From, f.To)
	if err != nil {
		return nil, err
	}
	var daily bytes.Buffer
	w := csv.NewWriter(&daily)
	_ = w.Write(append([]string{"day", CountActive}, exportCounters...))
	for d := f.From; d <= f.To; d++ {
		row := []string{d.String(), strconv.FormatInt(counters[CounterKey{Day: d, Name: CountActive}], 10)}
		for _, name := range exportCounters {
			row = append(row, strconv.FormatInt(counters[CounterKey{Day: d, Name: name}], 10))
		}
		_ = w.Write(row)
	}
	w.Flush()

	var members bytes.Buffer
	w = csv.NewWriter(&members)
	_ = w.Write([]string{"member", "name", "joined", "first_message", "last_active", "last_seen", "vip", "left"})
	err = m.store.EachMember(ctx, c.ID, func(mf MemberFacts) error {
		name := ""
		if mem, ok, err := b.Members().Member(ctx, c.ID, mf.Member); err != nil {
			return err
		} else if ok {
			name = mem.Name
		}
		return w.Write([]string{string(mf.Member), bot.CSVCell(name), dayCell(mf.Joined), dayCell(mf.FirstMessage),
			dayCell(mf.LastActive), dayCell(mf.LastSeen), dayCell(mf.VIP), dayCell(mf.Left)})
	})
	if err != nil {
		return nil, err
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, err
	}
	files := []bot.File{
		{Name: "daily.csv", MIME: "text/csv", Data: daily.Bytes()},
		{Name: "members.csv", MIME: "text/csv", Data: members.Bytes()},
	}
	for _, export := range m.opts.Exports {
		file, err := export(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		files = append(files, file)
	}
	return files, nil
}

// dayCell writes a day, or nothing for never.
func dayCell(d Day) string {
	if d == 0 {
		return ""
	}
	return d.String()
}
