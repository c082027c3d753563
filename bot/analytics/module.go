package analytics

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sync"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/robfig/cron/v3"
)

//go:embed locales/*.yaml
var locales embed.FS

// Options are the optional parts of the module.
type Options struct {
	// Subcommands are "/stats NAME" subcommands owned by other features, such
	// as "sentiment" from the sentinel area. Names must be lower case and
	// must not be "export" or a period ("7d", "30d", "90d").
	Subcommands map[string]bot.CommandFunc
	// Exports add files to /stats export, such as the points ledger.
	Exports []func(ctx context.Context, community string) (bot.File, error)
	// Tiers, if set, counts the members in each tier for /stats and the
	// weekly report.
	Tiers func(ctx context.Context, community string) ([]bot.TierCount, error)
	// FlushEvery is how often buffered counters are written; default 1 s.
	FlushEvery time.Duration
	// MaxPending is the number of buffered entries that triggers an early
	// flush; default 10000.
	MaxPending int
}

// Module is the analytics feature: it is the bot's Tally (Options.Tally),
// observes every event, offers /stats and posts the weekly report.
type Module struct {
	store    Store
	settings bot.Settings[Config]
	reports  bot.Settings[cron.Schedule] // weekly report schedules; nil when off
	opts     Options

	mu      sync.Mutex
	bot     *bot.Bot
	pending *buffer
	kick    chan struct{}

	reportMu sync.Mutex
}

// New builds the module. configs holds the analytics sections of configured
// communities by community id; def applies to every other community. Unset
// fields take the Defaults. It fails when a configuration is invalid or a
// subcommand name is taken.
func New(configs map[string]Config, def Config, store Store, opts Options) (*Module, error) {
	settings, err := bot.MapSettings(bot.NewSettings(configs, def), func(_ string, c Config) (Config, error) {
		c = c.withDefaults()
		return c, c.Validate()
	})
	if err != nil {
		return nil, err
	}
	// Validate checked every schedule.
	reports, _ := bot.MapSettings(settings, func(_ string, c Config) (cron.Schedule, error) { return c.schedule() })
	m := &Module{
		store:    store,
		settings: settings,
		reports:  reports,
		opts:     opts,
		pending:  newBuffer(),
		kick:     make(chan struct{}, 1),
	}
	if m.opts.FlushEvery <= 0 {
		m.opts.FlushEvery = time.Second
	}
	if m.opts.MaxPending <= 0 {
		m.opts.MaxPending = 10000
	}
	for name := range opts.Subcommands {
		if name == "export" || periodDays(name) > 0 || name == "" || len(name) > 32 {
			return nil, fmt.Errorf("analytics: /stats subcommand %q clashes with a built-in or is malformed", name)
		}
	}
	return m, nil
}

// Name is "analytics".
func (m *Module) Name() string { return "analytics" }

// Locales is the module's message catalog.
func (m *Module) Locales() fs.FS { sub, _ := fs.Sub(locales, "locales"); return sub }

// attach remembers the bot, for its clock and communities.
func (m *Module) attach(b *bot.Bot) {
	m.mu.Lock()
	if m.bot == nil {
		m.bot = b
	}
	m.mu.Unlock()
}

func (m *Module) theBot() *bot.Bot {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.bot
}

// location is a community's timezone.
func location(c *bot.Community) *time.Location {
	if c == nil || c.Location == nil {
		return time.UTC
	}
	return c.Location
}

// Run flushes buffered counters every FlushEvery and once more when ctx
// ends, and checks the weekly report schedule every minute.
func (m *Module) Run(ctx context.Context, b *bot.Bot) error {
	m.attach(b)
	flush := time.NewTicker(m.opts.FlushEvery)
	defer flush.Stop()
	report := time.NewTicker(time.Minute)
	defer report.Stop()
	for {
		select {
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			return m.Flush(final)
		case <-flush.C:
			m.flushLogged(ctx, b)
		case <-m.kick:
			m.flushLogged(ctx, b)
		case <-report.C:
			m.Tick(ctx, b)
		}
	}
}

func (m *Module) flushLogged(ctx context.Context, b *bot.Bot) {
	if err := m.Flush(ctx); err != nil {
		log := b.Log()
		log.Error().Err(err).Msg("writing analytics counters failed")
	}
}

var (
	_ bot.Module      = (*Module)(nil)
	_ bot.Commander   = (*Module)(nil)
	_ bot.Observer    = (*Module)(nil)
	_ bot.Runner      = (*Module)(nil)
	_ bot.Localized   = (*Module)(nil)
	_ bot.Tally       = (*Module)(nil)
	_ bot.MemberTally = (*Module)(nil)
)

// compute gathers the figures of a community for the days up to today,
// with the tier distribution when a feature provides it.
func (m *Module) compute(ctx context.Context, c *bot.Community, today Day, days int) (Figures, error) {
	f, err := Compute(ctx, m.store, c.ID, today, days, m.settings.For(c.ID).TopChats)
	if err != nil || m.opts.Tiers == nil {
		return f, err
	}
	f.Tiers, err = m.opts.Tiers(ctx, c.ID)
	return f, err
}
