package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/cohortbot/cohort/adapters/console"
	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/config"
	"github.com/cohortbot/cohort/store"
	"github.com/rs/zerolog"
)

// runBot opens the store, builds the adapters and modules from the
// configuration and runs the bot until ctx ends (or console input ends).
func runBot(ctx context.Context, cfg *config.Config, fromFile bool, e env) error {
	log := newLogger(cfg, fromFile, e.stderr)
	st, err := store.Open(cfg.DataDir, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	admin, err := serveAdmin(ctx, cfg.DataDir, st, log)
	if err != nil {
		return err
	}
	defer admin.Close()

	adapters, err := buildAdapters(cfg, log, e)
	if err != nil {
		return err
	}
	communities, err := cfg.BotCommunities()
	if err != nil {
		return err
	}
	w, err := wire(cfg, st, log)
	if err != nil {
		return err
	}
	b, err := bot.New(bot.Options{
		Adapters:    adapters,
		Modules:     w.modules,
		Communities: bot.NewCommunities(communities, cfg.Locale, cfg.Location()),
		Members:     st,
		Locale:      cfg.Locale,
		Log:         log,
		Rewards:     w.rewards,
		Tally:       w.tally,
	})
	if err != nil {
		return err
	}
	log.Info().Int("communities", len(communities)).Int("adapters", len(adapters)).Str("data_dir", cfg.DataDir).Msg("cohort started")
	err = b.Run(ctx)
	log.Info().Msg("cohort stopped")
	return err
}

// buildAdapters starts one adapter per enabled platform.
func buildAdapters(cfg *config.Config, log zerolog.Logger, e env) ([]bot.Adapter, error) {
	var out []bot.Adapter
	platform, err := platformAdapters(cfg, log)
	if err != nil {
		return nil, err
	}
	out = append(out, platform...)
	if cfg.ConsoleEnabled() {
		out = append(out, console.New(console.Options{
			In: e.stdin, Out: e.stdout, Lang: consoleLang(e.getenv), FileDir: filepath.Join(cfg.DataDir, "files"),
		}))
		if err := os.MkdirAll(filepath.Join(cfg.DataDir, "files"), 0o700); err != nil {
			return nil, err
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no platform is enabled: set telegram.token or discord.token, or console.enabled: true")
	}
	return out, nil
}

// consoleLang is the terminal's language: LC_ALL, then LC_MESSAGES, then LANG.
func consoleLang(getenv func(string) string) string {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(k); v != "" {
			return v
		}
	}
	return ""
}

// newLogger builds the zerolog logger from log.level and log.format. Without
// a configuration file the console chat stays quiet below warnings.
func newLogger(cfg *config.Config, fromFile bool, w io.Writer) zerolog.Logger {
	level, err := zerolog.ParseLevel(cfg.Log.Level)
	if err != nil {
		level = zerolog.InfoLevel
	}
	if !fromFile {
		level = zerolog.WarnLevel
	}
	out := w
	if cfg.Log.Format == "console" {
		out = zerolog.ConsoleWriter{Out: w, TimeFormat: time.DateTime, NoColor: true}
	}
	return zerolog.New(out).Level(level).With().Timestamp().Logger()
}
