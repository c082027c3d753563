package analytics

import (
	"context"
	"fmt"

	"github.com/cohortbot/cohort/bot"
	"github.com/rs/zerolog"
)

// Tick posts the weekly report of every configured community whose
// schedule has come due since its last report, by the bot's clock. The
// first Tick of a community only starts its schedule. The run is recorded
// before the report is posted, so a restart never posts it twice (a report
// that fails to send is logged and skipped). Run calls Tick every minute;
// tests call it after moving the clock.
func (m *Module) Tick(ctx context.Context, b *bot.Bot) {
	m.attach(b)
	m.reportMu.Lock()
	defer m.reportMu.Unlock()
	log := b.Log()
	for _, c := range b.Communities().All() {
		if err := m.tick(ctx, b, c); err != nil {
			log.Error().Err(err).Str("community", c.ID).Msg("weekly report failed")
		}
	}
}

func (m *Module) tick(ctx context.Context, b *bot.Bot, c *bot.Community) error {
	sched := m.reports.For(c.ID)
	if sched == nil || c.ModChat.IsZero() {
		return nil
	}
	now := b.Now()
	last, err := m.store.LastReport(ctx, c.ID)
	if err != nil {
		return err
	}
	if last.IsZero() {
		return m.store.SetLastReport(ctx, c.ID, now)
	}
	if now.Before(sched.Next(last.In(location(c)))) {
		return nil
	}
	if err := m.store.SetLastReport(ctx, c.ID, now); err != nil {
		return err
	}
	return m.postReport(ctx, b, c)
}

// postReport sends the last 7 days' figures and chart to the mod chat.
func (m *Module) postReport(ctx context.Context, b *bot.Bot, c *bot.Community) error {
	if err := m.Flush(ctx); err != nil {
		return err
	}
	today := DayOf(b.Now(), location(c))
	f, err := m.compute(ctx, c, today, 7)
	if err != nil {
		return err
	}
	lang := b.LangFor(c, "")
	t := func(key string, args bot.Args) string { return b.T(lang, key, args) }
	chart, err := chartFile(t, c, f)
	if err != nil {
		return err
	}
	if _, err := b.Send(ctx, c.ModChat, bot.Outgoing{Text: render(t, "stats.weekly_title", c, f), Files: []bot.File{chart}}); err != nil {
		return fmt.Errorf("posting the weekly report to %s: %w", c.ModChat, err)
	}
	zerolog.Ctx(ctx).Info().Str("community", c.ID).Msg("weekly report posted")
	return nil
}
