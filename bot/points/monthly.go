package points

import (
	"context"
	"time"

	"github.com/cohortbot/cohort/bot"
)

// monthlyBadges grants last month's top-10 badges in every configured
// community once per process and month (repeats after a restart are
// harmless: a badge is held once).
func (m *Module) monthlyBadges(ctx context.Context, b *bot.Bot, granted map[string]string) {
	for _, c := range b.Communities().All() {
		loc := c.Location
		if loc == nil {
			loc = time.UTC
		}
		now := b.Now().In(loc)
		last := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc).AddDate(0, 0, -1)
		month := periodsAt(last, loc).month
		if granted[c.ID] == month {
			continue
		}
		if err := m.GrantMonthlyBadges(ctx, c.ID, month); err != nil {
			log := b.Log()
			log.Error().Err(err).Str("community", c.ID).Msg("granting monthly badges failed")
			continue
		}
		granted[c.ID] = month
	}
}

// GrantMonthlyBadges gives the "top 10 of the month" badge to the top 10
// of a month ("2026-01") in a community. It is safe to repeat.
func (m *Module) GrantMonthlyBadges(ctx context.Context, community, month string) error {
	top, err := m.store.Top(ctx, community, "m"+month, topSize)
	if err != nil {
		return err
	}
	for _, r := range top {
		if r.Points <= 0 {
			continue
		}
		if _, err := m.store.Apply(ctx, community, r.Member, func(st *State, _ func(rule, ref string) bool) error {
			st.addBadge(badgeTop10Prefix + month)
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}
