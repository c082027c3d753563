package privacy

import (
	"context"
	"time"

	"github.com/cohortbot/cohort/bot"
)

// purgeEvery is how often, on the bot clock, retention runs.
const purgeEvery = 24 * time.Hour

// checkEvery is how often Run looks at the bot clock.
const checkEvery = time.Hour

// Run purges message-derived data an hour after start and then daily,
// until ctx is cancelled.
func (m *Module) Run(ctx context.Context, b *bot.Bot) error {
	t := time.NewTicker(checkEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			m.tickLogged(ctx, b)
		}
	}
}

func (m *Module) tickLogged(ctx context.Context, b *bot.Bot) {
	purged, err := m.Tick(ctx, b)
	log := b.Log()
	if err != nil {
		log.Error().Err(err).Str("module", m.Name()).Msg("retention purge failed")
		return
	}
	if purged.Total() > 0 {
		ev := log.Info().Str("module", m.Name())
		for kind, n := range purged {
			ev = ev.Int(kind, n)
		}
		ev.Msg("purged message-derived data past retention")
	}
}

// Tick runs retention when a day has passed on the bot clock since the
// last run (or at the first call): every community loses its
// message-derived data older than its retention. It returns what was
// purged, or nil when no run was due.
func (m *Module) Tick(ctx context.Context, b *bot.Bot) (Purged, error) {
	now := b.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if now.Before(m.next) {
		return nil, nil
	}
	purged, err := m.store.PurgeBefore(ctx, func(community string) time.Time {
		return now.Add(-m.settings.For(community).Retention)
	})
	if err != nil {
		return nil, err
	}
	m.next = now.Add(purgeEvery)
	return purged, nil
}
