package main

import (
	"context"

	"github.com/cohortbot/cohort/adapters/discord"
	"github.com/cohortbot/cohort/adapters/telegram"
	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/analytics"
	"github.com/cohortbot/cohort/bot/faq"
	"github.com/cohortbot/cohort/bot/feedback"
	"github.com/cohortbot/cohort/bot/moderation"
	"github.com/cohortbot/cohort/bot/points"
	"github.com/cohortbot/cohort/bot/privacy"
	"github.com/cohortbot/cohort/bot/schedule"
	"github.com/cohortbot/cohort/bot/sentinel"
	"github.com/cohortbot/cohort/config"
	"github.com/cohortbot/cohort/store"
	"github.com/rs/zerolog"
)

// wiring is what wire builds: the feature modules and the services the core
// routes to them.
type wiring struct {
	modules []bot.Module
	rewards bot.Rewards
	tally   bot.Tally
}

// wire builds every feature module from the configuration, explicitly.
// Order matters where observers share events: moderation sees a message
// before points could reward it (a removed message earns nothing), and
// schedule takes survey answers typed in private chat before feedback would
// open a ticket with them.
func wire(cfg *config.Config, st *store.Store, log zerolog.Logger) (wiring, error) {
	var w wiring

	mod, err := moderation.New(st, config.FeaturesByCommunity(cfg, func(f config.Features) moderation.Config { return f.Moderation }), cfg.Defaults.Moderation)
	if err != nil {
		return w, err
	}
	sched, err := schedule.New(st, cfg.Defaults.Schedule, config.FeaturesByCommunity(cfg, func(f config.Features) schedule.Config { return f.Schedule }))
	if err != nil {
		return w, err
	}
	fb, err := feedback.New(st, config.FeaturesByCommunity(cfg, func(f config.Features) feedback.Config { return f.Feedback }), cfg.Defaults.Feedback)
	if err != nil {
		return w, err
	}
	sen, err := sentinel.New(st, config.FeaturesByCommunity(cfg, func(f config.Features) sentinel.Config { return f.Sentinel }), cfg.Defaults.Sentinel)
	if err != nil {
		return w, err
	}
	pts, err := points.New(config.FeaturesByCommunity(cfg, func(f config.Features) points.Config { return f.Points }), cfg.Defaults.Points, st)
	if err != nil {
		return w, err
	}
	w.rewards = pts
	mod.SetTierCheck(pts.Reached)
	an, err := analytics.New(config.FeaturesByCommunity(cfg, func(f config.Features) analytics.Config { return f.Analytics }), cfg.Defaults.Analytics, st,
		analytics.Options{
			Subcommands: map[string]bot.CommandFunc{"sentiment": sen.Report},
			Exports:     []func(context.Context, string) (bot.File, error){pts.ExportLedger},
			Tiers:       pts.TierCounts,
		})
	if err != nil {
		return w, err
	}
	w.tally = an
	priv, err := privacy.New(st, config.FeaturesByCommunity(cfg, func(f config.Features) privacy.Config { return f.Privacy }), cfg.Defaults.Privacy)
	if err != nil {
		return w, err
	}
	faqConfigs := map[string]faq.Config{}
	for _, c := range cfg.Communities {
		fc := c.Features.FAQ
		fc.File = c.FAQFile
		faqConfigs[c.ID] = fc
	}
	w.modules = append(w.modules,
		mod,
		pts,
		sched,
		fb,
		faq.New(faqConfigs, cfg.Defaults.FAQ, st),
		sen,
		an,
		priv,
	)
	return w, nil
}

// platformAdapters builds the Telegram and Discord adapters that have a token.
func platformAdapters(cfg *config.Config, log zerolog.Logger) ([]bot.Adapter, error) {
	var out []bot.Adapter
	if cfg.Telegram.Enabled() {
		tg, err := telegram.New(cfg.Telegram, log.With().Str("platform", bot.Telegram).Logger())
		if err != nil {
			return nil, err
		}
		out = append(out, tg)
	}
	if cfg.Discord.Enabled() {
		dc, err := discord.New(cfg.Discord, log.With().Str("platform", bot.Discord).Logger())
		if err != nil {
			return nil, err
		}
		out = append(out, dc)
	}
	return out, nil
}
