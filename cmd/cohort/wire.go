package main

import (
	"github.com/cohortbot/cohort/adapters/discord"
	"github.com/cohortbot/cohort/adapters/telegram"
	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/privacy"
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
func wire(cfg *config.Config, st *store.Store, log zerolog.Logger) (wiring, error) {
	var w wiring
	w.modules = append(w.modules, privacy.New(st))
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
