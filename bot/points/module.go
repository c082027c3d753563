package points

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sync/atomic"
	"time"

	"github.com/cohortbot/cohort/bot"
)

//go:embed locales/*.yaml
var locales embed.FS

// Module is the points feature: participation rules, the ledger commands,
// tiers, badges, the shop, referrals and account linking. It is also the
// bot.Rewards other features pay through.
type Module struct {
	settings bot.Settings[*Config]
	store    Store
	bot      atomic.Pointer[bot.Bot] // set by Run, for rewards paid outside a request
}

// New builds the module. configs holds the `points:` section of each
// configured community by community id; def applies to every other
// community (chats outside the configuration). Defaults are filled in and
// every config is validated. Pass the module both as a bot.Module and as
// bot.Options.Rewards.
func New(configs map[string]Config, def Config, st Store) (*Module, error) {
	if st == nil {
		return nil, fmt.Errorf("points: a store is required")
	}
	settings, err := bot.MapSettings(bot.NewSettings(configs, def), func(_ string, c Config) (*Config, error) {
		c.Defaults()
		return &c, c.Validate()
	})
	if err != nil {
		return nil, err
	}
	return &Module{settings: settings, store: st}, nil
}

// Name names the module.
func (m *Module) Name() string { return "points" }

// Locales is the module's message catalog.
func (m *Module) Locales() fs.FS { sub, _ := fs.Sub(locales, "locales"); return sub }

// Run keeps the bot for rewards paid outside a request and grants the
// monthly top-10 badges after each month ends.
func (m *Module) Run(ctx context.Context, b *bot.Bot) error {
	m.bot.Store(b)
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	granted := map[string]string{} // community → last month granted
	for {
		m.monthlyBadges(ctx, b, granted)
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// periods are the calendar positions of a moment in a community's timezone.
type periods struct {
	day   int    // days since 1970-01-01
	week  string // ISO week, "2026-W02"
	month string // "2026-01"
}

func periodsAt(t time.Time, loc *time.Location) periods {
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	y, w := t.ISOWeek()
	midnight := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return periods{
		day:   int(midnight.Unix() / 86400),
		week:  fmt.Sprintf("%04d-W%02d", y, w),
		month: fmt.Sprintf("%04d-%02d", t.Year(), int(t.Month())),
	}
}

// scopeKey is the store's leaderboard scope for a /top window.
func (p periods) scopeKey(scope string) string {
	switch scope {
	case ScopeWeek:
		return "w" + p.week
	case ScopeMonth:
		return "m" + p.month
	}
	return ScopeAll
}

var (
	_ bot.Module        = (*Module)(nil)
	_ bot.Commander     = (*Module)(nil)
	_ bot.Observer      = (*Module)(nil)
	_ bot.ButtonHandler = (*Module)(nil)
	_ bot.Runner        = (*Module)(nil)
	_ bot.Localized     = (*Module)(nil)
	_ bot.Rewards       = (*Module)(nil)
)
