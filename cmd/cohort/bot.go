package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/cohortbot/cohort/adapters/console"
	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/config"
	"github.com/cohortbot/cohort/ops"
	"github.com/cohortbot/cohort/store"
	"github.com/rs/zerolog"
)

// runBot opens the store, builds the adapters and modules from the
// configuration and runs the bot until ctx ends (or console input ends).
func runBot(ctx context.Context, cfg *config.Config, fromFile bool, e env) error {
	log := newLogger(cfg, fromFile, e.stderr)
	metrics := ops.NewMetrics()
	st, err := store.Open(cfg.DataDir, store.Options{OnCommit: metrics.OnCommit})
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
	for _, a := range adapters {
		if m, ok := a.(interface{ SetMetrics(bot.OutboundMetrics) }); ok {
			m.SetMetrics(metrics)
		}
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
		CommandRate: bot.Rate{Burst: cfg.Commands.Burst, Per: cfg.Commands.Per},
		Middleware:  []bot.Middleware{metrics.Middleware()},
		OnCommand:   metrics.OnCommand,
	})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	httpDone := make(chan error, 1)
	if cfg.HTTP.Listen != "" {
		ln, err := net.Listen("tcp", cfg.HTTP.Listen)
		if err != nil {
			return fmt.Errorf("http.listen %s: %w", cfg.HTTP.Listen, err)
		}
		checks := []ops.Check{{Name: "store", Run: st.Ping}}
		for _, a := range adapters {
			if r, ok := a.(bot.Readier); ok {
				checks = append(checks, ops.Check{Name: a.Platform(), Run: func(context.Context) error { return r.Ready() }})
			}
		}
		go func() { httpDone <- ops.ServeListener(ctx, ln, ops.NewHandler(metrics, checks)) }()
		log.Info().Str("listen", ln.Addr().String()).Msg("serving /healthz, /readyz and /metrics")
	} else {
		close(httpDone)
	}
	defer func() { cancel(); <-httpDone }()
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
