package points_test

import (
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/points"
	"github.com/cohortbot/cohort/store/storetest"
)

func TestCatalog_Complete(t *testing.T) {
	m, err := points.New(nil, points.Config{}, storetest.Open(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := bot.CheckCatalog(m.Locales()); err != nil {
		t.Fatal(err)
	}
}

func TestConfig_ValidateNamesTheKey(t *testing.T) {
	for _, c := range []struct {
		cfg  points.Config
		want string
	}{
		{points.Config{Cooldown: -time.Second}, "points.cooldown"},
		{points.Config{Shop: []points.Item{{ID: "Bad ID", Name: "x", Cost: 1}}}, "points.shop[0].id"},
		{points.Config{Shop: []points.Item{{ID: "a", Name: "x", Cost: 0}}}, "points.shop[0].cost"},
		{points.Config{Tiers: []points.Tier{{Name: "A", MinPoints: 10}, {Name: "B", MinPoints: 5}}}, "points.tiers[1].min_points"},
		{points.Config{Rewards: map[string]int64{"survey": -1}}, "points.rewards.survey"},
	} {
		c.cfg.Defaults()
		err := c.cfg.Validate()
		if err == nil || len(err.Error()) < len(c.want) || err.Error()[:len(c.want)] != c.want {
			t.Errorf("Validate() = %v, want an error about %s", err, c.want)
		}
	}
}

func TestStatus_Lifecycle(t *testing.T) {
	cfg := points.LifecycleConfig{NewDays: 7, ActiveDays: 14, ChurnDays: 30}
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	for _, c := range []struct {
		joined, last time.Duration
		want         points.Lifecycle
	}{
		{3 * day, 0, points.StatusNew},
		{60 * day, 10 * day, points.StatusActive},
		{60 * day, 20 * day, points.StatusDormant},
		{60 * day, 31 * day, points.StatusChurned},
		{60 * day, -1, points.StatusChurned},
	} {
		last := time.Time{}
		if c.last >= 0 {
			last = now.Add(-c.last)
		}
		if got := points.Status(cfg, now.Add(-c.joined), last, now); got != c.want {
			t.Errorf("joined %v ago, last active %v ago: %s, want %s", c.joined, c.last, got, c.want)
		}
	}
}
