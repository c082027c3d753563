package moderation

import (
	"context"
	"strings"

	"github.com/cohortbot/cohort/bot"
)

// rulesText is the configured rules in lang, falling back to English and
// then to any language; "" when none are set.
func rulesText(cfg Config, lang string) string {
	if t := cfg.Rules[lang]; t != "" {
		return t
	}
	if t := cfg.Rules["en"]; t != "" {
		return t
	}
	for _, t := range cfg.Rules {
		return t
	}
	return ""
}

// runRules is /rules.
func (m *Module) runRules(ctx context.Context, req *bot.Request) error {
	cfg := m.settings.For(req.Community.ID).Config
	rules := rulesText(cfg, req.Lang)
	if rules == "" {
		return req.ReplyText(ctx, "moderation.no_rules", nil)
	}
	return req.ReplyText(ctx, "moderation.rules", bot.Args{"community": req.Community.Name, "rules": bot.Raw(rules)})
}

// welcome greets a member who joined, in their language, with the rules
// and how to earn points.
func (m *Module) welcome(ctx context.Context, req *bot.Request) error {
	cfg := m.settings.For(req.Community.ID).Config
	if !cfg.Welcome.Enabled {
		return nil
	}
	name := req.Event.From.Display()
	var parts []string
	if custom := cfg.Welcome.Text[req.Lang]; custom != "" {
		parts = append(parts, strings.ReplaceAll(custom, "{name}", bot.Escape(name)))
	} else if custom := cfg.Welcome.Text["en"]; custom != "" && len(cfg.Welcome.Text) == 1 {
		parts = append(parts, strings.ReplaceAll(custom, "{name}", bot.Escape(name)))
	} else {
		parts = append(parts, req.T("moderation.welcome", bot.Args{"name": name, "community": req.Community.Name}))
	}
	if rules := rulesText(cfg, req.Lang); rules != "" {
		parts = append(parts, req.T("moderation.rules", bot.Args{"community": req.Community.Name, "rules": bot.Raw(rules)}))
	}
	parts = append(parts, req.T("moderation.welcome_points", nil))
	_, err := req.Bot.Send(ctx, req.Event.Chat, bot.Outgoing{Text: strings.Join(parts, "\n\n"), Mention: []bot.Account{req.Event.From}})
	return err
}
