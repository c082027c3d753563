package feedback

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"time"

	"github.com/cohortbot/cohort/bot"
)

//go:embed locales/*.yaml
var locales embed.FS

// Button prefixes. Data: "fbc:ID:CATEGORY" (the member picks a category for
// a draft), "fbm:ACTION:ID" (moderators: claim, resolve, accept),
// "fbr:ID:STARS" (the member rates a resolved ticket).
const (
	prefixCategory = "fbc"
	prefixModerate = "fbm"
	prefixRate     = "fbr"
)

// Module is the feedback desk. It is a bot.Module with commands, buttons,
// an observer (private intake and replies to relayed tickets) and a runner
// (reminders for unclaimed tickets).
type Module struct {
	store    Store
	settings bot.Settings[Config]
	// tick is how often Run looks for unclaimed tickets.
	tick time.Duration
}

// New returns the feedback desk. cfgs holds the settings of configured
// communities by community id; def applies to every other community. Every
// setting is validated.
func New(st Store, cfgs map[string]Config, def Config) (*Module, error) {
	if st == nil {
		return nil, fmt.Errorf("feedback: a store is required")
	}
	settings, err := bot.MapSettings(bot.NewSettings(cfgs, def), func(_ string, c Config) (Config, error) { return c, c.Validate() })
	if err != nil {
		return nil, err
	}
	return &Module{store: st, settings: settings, tick: time.Minute}, nil
}

// Name names the module.
func (m *Module) Name() string { return "feedback" }

// Locales is the module's message catalog.
func (m *Module) Locales() fs.FS { sub, _ := fs.Sub(locales, "locales"); return sub }

// Commands are /feedback for members and /tickets and /reply for moderators.
func (m *Module) Commands() []bot.Command {
	return []bot.Command{
		{Name: "feedback", Aliases: []string{"suggest"}, Args: []bot.Arg{
			{Name: "category", Kind: bot.ArgString, Choices: Categories},
			{Name: "text", Kind: bot.ArgText},
		}, Run: m.runFeedback},
		{Name: "tickets", Role: bot.RoleModerator, Args: []bot.Arg{
			{Name: "what", Kind: bot.ArgString},
			{Name: "id", Kind: bot.ArgString},
		}, Run: m.runTickets},
		{Name: "reply", Role: bot.RoleModerator, Args: []bot.Arg{
			{Name: "id", Kind: bot.ArgString, Required: true},
			{Name: "text", Kind: bot.ArgText, Required: true},
		}, Run: m.runReply},
	}
}

// Buttons route category choices and ratings (members) and ticket actions
// (moderators).
func (m *Module) Buttons() []bot.ButtonRoute {
	return []bot.ButtonRoute{
		{Prefix: prefixCategory, Role: bot.RoleMember, Run: m.pressCategory},
		{Prefix: prefixModerate, Role: bot.RoleModerator, Run: m.pressModerate},
		{Prefix: prefixRate, Role: bot.RoleMember, Run: m.pressRate},
	}
}

// Observe takes replies to relayed tickets in the moderator chat as
// answers, and private messages as comments or new tickets.
func (m *Module) Observe(ctx context.Context, req *bot.Request) error {
	ev := req.Event
	if ev.Kind != bot.EventMessage || ev.Edited {
		return nil
	}
	if ev.Private {
		return m.observePrivate(ctx, req)
	}
	if ev.ReplyTo != nil && isModChat(req.Community, ev.Chat) {
		return m.observeModReply(ctx, req)
	}
	return nil
}

// Run reminds moderators of unclaimed tickets until ctx ends.
func (m *Module) Run(ctx context.Context, b *bot.Bot) error {
	log := b.Log()
	t := time.NewTicker(m.tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if err := m.Tick(ctx, b); err != nil {
				log.Error().Err(err).Str("module", m.Name()).Msg("ticket reminders failed")
			}
		}
	}
}

// isModChat reports whether chat is the community's moderator chat.
func isModChat(c *bot.Community, chat bot.ChatRef) bool {
	mc := c.ModChat
	return !mc.IsZero() && mc.Platform == chat.Platform && mc.Space == chat.Space && (mc.Chat == "" || mc.Chat == chat.Chat)
}

var (
	_ bot.Commander     = (*Module)(nil)
	_ bot.ButtonHandler = (*Module)(nil)
	_ bot.Observer      = (*Module)(nil)
	_ bot.Runner        = (*Module)(nil)
	_ bot.Localized     = (*Module)(nil)
)
