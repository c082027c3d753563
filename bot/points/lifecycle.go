package points

import (
	"context"
	"time"

	"github.com/cohortbot/cohort/bot"
)

// Lifecycle is where a member stands: new, active, dormant or churned.
type Lifecycle string

// Lifecycle statuses.
const (
	StatusNew     Lifecycle = "new"
	StatusActive  Lifecycle = "active"
	StatusDormant Lifecycle = "dormant"
	StatusChurned Lifecycle = "churned"
)

// Status classifies a member: new within NewDays of joining, active when
// the last activity is at most ActiveDays old, dormant up to ChurnDays,
// churned after. A member never active counts from the join date.
func Status(cfg LifecycleConfig, joined, lastActive, now time.Time) Lifecycle {
	day := 24 * time.Hour
	if !joined.IsZero() && now.Sub(joined) < time.Duration(cfg.NewDays)*day {
		return StatusNew
	}
	last := lastActive
	if last.IsZero() {
		last = joined
	}
	idle := now.Sub(last)
	switch {
	case idle <= time.Duration(cfg.ActiveDays)*day:
		return StatusActive
	case idle <= time.Duration(cfg.ChurnDays)*day:
		return StatusDormant
	}
	return StatusChurned
}

// Lifecycle returns a member's status in a community with the community's
// thresholds, for other features (segments, analytics) to use.
func (m *Module) Lifecycle(ctx context.Context, community string, member bot.Member, now time.Time) (Lifecycle, error) {
	st, err := m.store.State(ctx, community, member.ID)
	if err != nil {
		return "", err
	}
	joined := member.Joined
	if !st.FirstSeen.IsZero() && (joined.IsZero() || st.FirstSeen.Before(joined)) {
		joined = st.FirstSeen
	}
	return Status(m.settings.For(community).Lifecycle, joined, st.LastActive, now), nil
}
