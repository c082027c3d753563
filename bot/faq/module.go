package faq

import (
	"context"
	"embed"
	"io/fs"
	"os"
	"sync"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/rs/zerolog"
)

//go:embed locales/*.yaml
var locales embed.FS

// keepChanges bounds each community's change log.
const keepChanges = 200

// Module is the FAQ feature: /faq, /faqadmin and automatic answers.
type Module struct {
	settings bot.Settings[Config]
	store    Store
	readFile func(string) ([]byte, error)

	loadMu   sync.Mutex // serializes loading and file imports
	mu       sync.Mutex
	catalogs map[string]*catalog
	synced   map[string]bool // faq_file checked in this process

	auto *autoLimiter
}

// New returns the FAQ module. configs holds the configuration of each
// configured community by id (with Config.File set from the community's
// faq_file); def applies to every other community. Unset values take their
// defaults.
//
// A community's faq_file is imported the first time the community's FAQ is
// used, and for every configured community when the bot starts (Run), but
// only if the file changed since its last import: a restart does not undo
// edits made in chat. /faqadmin import re-reads it at any time.
func New(configs map[string]Config, def Config, st Store) *Module {
	// Filling in defaults cannot fail.
	settings, _ := bot.MapSettings(bot.NewSettings(configs, def), func(_ string, c Config) (Config, error) {
		c.Defaults()
		return c, nil
	})
	return &Module{
		settings: settings,
		store:    st,
		readFile: os.ReadFile,
		catalogs: map[string]*catalog{},
		synced:   map[string]bool{},
		auto:     newAutoLimiter(),
	}
}

// Name names the module.
func (m *Module) Name() string { return "faq" }

// Locales is the module's message catalog.
func (m *Module) Locales() fs.FS { sub, _ := fs.Sub(locales, "locales"); return sub }

// Run imports the faq_file of every configured community that has one
// (when it changed), then waits for ctx to end.
func (m *Module) Run(ctx context.Context, b *bot.Bot) error {
	for _, id := range m.settings.Configured() {
		if m.settings.For(id).File == "" {
			continue
		}
		ctx := b.Log().With().Str("community", id).Logger().WithContext(ctx)
		if _, err := m.catalog(ctx, id, b.Now()); err != nil && ctx.Err() == nil {
			zerolog.Ctx(ctx).Error().Err(err).Msg("loading the FAQ failed")
		}
	}
	<-ctx.Done()
	return nil
}

// catalog returns a community's entries and index, importing its faq_file
// first if this process has not checked it yet.
func (m *Module) catalog(ctx context.Context, community string, now time.Time) (*catalog, error) {
	m.mu.Lock()
	c := m.catalogs[community]
	m.mu.Unlock()
	if c != nil {
		return c, nil
	}
	m.loadMu.Lock()
	defer m.loadMu.Unlock()
	m.mu.Lock()
	c, synced := m.catalogs[community], m.synced[community]
	m.synced[community] = true
	m.mu.Unlock()
	if c != nil {
		return c, nil
	}
	if file := m.settings.For(community).File; file != "" && !synced {
		if _, err := m.importFile(ctx, community, file, fileActor(now), true); err != nil && ctx.Err() == nil {
			// The FAQ still works with what the store has.
			zerolog.Ctx(ctx).Error().Err(err).Str("file", file).Msg("importing faq_file failed")
		}
	}
	entries, err := m.store.FAQEntries(ctx, community)
	if err != nil {
		return nil, err
	}
	c = newCatalog(entries)
	m.mu.Lock()
	m.catalogs[community] = c
	m.mu.Unlock()
	return c, nil
}

// invalidate drops a community's cached catalog after a change.
func (m *Module) invalidate(community string) {
	m.mu.Lock()
	delete(m.catalogs, community)
	m.mu.Unlock()
}

var (
	_ bot.Commander     = (*Module)(nil)
	_ bot.ButtonHandler = (*Module)(nil)
	_ bot.Observer      = (*Module)(nil)
	_ bot.Runner        = (*Module)(nil)
	_ bot.Localized     = (*Module)(nil)
)
