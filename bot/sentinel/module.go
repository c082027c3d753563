package sentinel

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sync"
	"time"

	"github.com/cohortbot/cohort/bot"
)

//go:embed locales/*.yaml
var locales embed.FS

// Module is the sentinel: a bot.Module with an observer (scores every
// group message), a runner (flushes counters) and the /sentiment command.
type Module struct {
	store    Store
	settings bot.Settings[settings]
	tick     time.Duration

	mu       sync.Mutex
	hours    map[string]*hourState // by community
	cooldown map[string]time.Time  // community ‖ 0 ‖ phrase → quiet until
	quiet    map[string]int        // mentions during the cooldown
}

// hourState counts the current hour of a community; pending counts are
// not yet in the store.
type hourState struct {
	start              time.Time
	total, negative    int
	pendTotal, pendNeg int
	baseline           float64
	baselineOK         bool
	spikeQuietUntil    time.Time
}

// New returns the sentinel. cfgs holds the settings of configured
// communities by id; def applies to every other community. Extra lexicon
// files are read now.
func New(st Store, cfgs map[string]Config, def Config) (*Module, error) {
	if st == nil {
		return nil, fmt.Errorf("sentinel: a store is required")
	}
	s, err := bot.MapSettings(bot.NewSettings(cfgs, def), newSettings)
	if err != nil {
		return nil, err
	}
	return &Module{store: st, settings: s, tick: time.Minute,
		hours: map[string]*hourState{}, cooldown: map[string]time.Time{}, quiet: map[string]int{}}, nil
}

// settings are a community's validated configuration with its lexicon
// loaded.
type settings struct {
	Config
	lex *Lexicon
}

func newSettings(_ string, c Config) (settings, error) {
	if err := c.Validate(); err != nil {
		return settings{}, err
	}
	lex, err := LoadLexicon(c.Lexicon)
	if err != nil {
		return settings{}, fmt.Errorf("sentinel.lexicon: %w", err)
	}
	return settings{Config: c, lex: lex}, nil
}

// Name names the module.
func (m *Module) Name() string { return "sentinel" }

// Locales is the module's message catalog.
func (m *Module) Locales() fs.FS { sub, _ := fs.Sub(locales, "locales"); return sub }

// Commands is /sentiment for moderators.
func (m *Module) Commands() []bot.Command {
	return []bot.Command{{Name: "sentiment", Role: bot.RoleModerator, Run: m.Report}}
}

// Observe scores group messages, counts them and raises alerts.
func (m *Module) Observe(ctx context.Context, req *bot.Request) error {
	ev := req.Event
	if ev.Kind != bot.EventMessage || ev.Private || ev.Edited || ev.Text == "" {
		return nil
	}
	own := m.settings.For(req.Community.ID)
	a := own.lex.Analyze(ev.Text)
	if err := m.count(ctx, req, own.Config, a.Negative()); err != nil {
		return err
	}
	if a.Alert {
		return m.riskAlert(ctx, req, own.Config, a)
	}
	return nil
}

// Run flushes counters to the store every minute until ctx ends.
func (m *Module) Run(ctx context.Context, b *bot.Bot) error {
	log := b.Log()
	t := time.NewTicker(m.tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := m.Flush(context.WithoutCancel(ctx)); err != nil {
				log.Error().Err(err).Msg("saving sentiment counters failed")
			}
			return nil
		case <-t.C:
			if err := m.Flush(ctx); err != nil {
				log.Error().Err(err).Msg("saving sentiment counters failed")
			}
		}
	}
}

var (
	_ bot.Commander = (*Module)(nil)
	_ bot.Observer  = (*Module)(nil)
	_ bot.Runner    = (*Module)(nil)
	_ bot.Localized = (*Module)(nil)
)
