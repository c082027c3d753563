package sentinel

import (
	"context"
	"fmt"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/rs/zerolog"
)

// baselineDays is how far back the negative-share baseline looks.
const baselineDays = 7

// count adds a message to its community's current hour and raises a spike
// alert when the hour's negative share is far above the baseline.
func (m *Module) count(ctx context.Context, req *bot.Request, cfg Config, negative bool) error {
	c := req.Community
	now := req.Now()
	start := now.Truncate(time.Hour)

	m.mu.Lock()
	st := m.hours[c.ID]
	var flush *Hour
	if st == nil || !st.start.Equal(start) {
		if st != nil && st.pendTotal > 0 {
			flush = &Hour{Start: st.start, Total: st.pendTotal, Negative: st.pendNeg}
		}
		st = &hourState{start: start}
		if old := m.hours[c.ID]; old != nil {
			st.spikeQuietUntil = old.spikeQuietUntil
		}
		m.hours[c.ID] = st
	}
	needBaseline := !st.baselineOK
	m.mu.Unlock()

	if flush != nil {
		if err := m.store.AddHour(ctx, c.ID, *flush); err != nil {
			return err
		}
	}
	var baseline float64
	if needBaseline {
		hours, err := m.store.Hours(ctx, c.ID, start.Add(-baselineDays*24*time.Hour), start)
		if err != nil {
			return err
		}
		baseline = share(hours)
	}

	m.mu.Lock()
	if needBaseline && st.start.Equal(start) {
		st.baseline, st.baselineOK = baseline, true
	}
	st.total++
	st.pendTotal++
	if negative {
		st.negative++
		st.pendNeg++
	}
	base := max(st.baseline, cfg.SpikeMinBaseline)
	cur := float64(st.negative) / float64(st.total)
	spike := negative && st.negative >= cfg.SpikeMinNegative && cur > cfg.SpikeFactor*base && !now.Before(st.spikeQuietUntil)
	if spike {
		st.spikeQuietUntil = now.Add(cfg.SpikeCooldown)
	}
	total, neg := st.total, st.negative
	m.mu.Unlock()

	if spike {
		lang := req.Bot.LangFor(c, "")
		text := req.Bot.T(lang, "sentinel.spike", bot.Args{"count": neg, "total": total, "share": percent(cur), "baseline": percent(st.baseline)})
		if c.ModChat.IsZero() {
			return nil
		}
		if _, err := req.Bot.Send(ctx, c.ModChat, bot.Outgoing{Text: text}); err != nil {
			zerolog.Ctx(ctx).Warn().Err(err).Msg("sending a sentiment spike alert failed")
		}
	}
	return nil
}

// share is the negative share of hours (0 without messages).
func share(hours []Hour) float64 {
	var total, neg int
	for _, h := range hours {
		total += h.Total
		neg += h.Negative
	}
	if total == 0 {
		return 0
	}
	return float64(neg) / float64(total)
}

func percent(f float64) string { return fmt.Sprintf("%.1f%%", f*100) }

// Flush writes the counts not yet stored. Run calls it every minute; tests
// and /sentiment call it before reading.
func (m *Module) Flush(ctx context.Context) error {
	m.mu.Lock()
	pending := map[string]Hour{}
	for id, st := range m.hours {
		if st.pendTotal > 0 {
			pending[id] = Hour{Start: st.start, Total: st.pendTotal, Negative: st.pendNeg}
			st.pendTotal, st.pendNeg = 0, 0
		}
	}
	m.mu.Unlock()
	var firstErr error
	for id, h := range pending {
		if err := m.store.AddHour(ctx, id, h); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}
