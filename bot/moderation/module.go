package moderation

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"

	"github.com/cohortbot/cohort/bot"
)

//go:embed locales/*.yaml
var locales embed.FS

// Module is the moderation feature: a bot.Module with commands and an
// observer that applies the automatic rules and greets new members.
type Module struct {
	store    Store
	settings bot.Settings[settings]
	tracker  *tracker
	mutes    *muteBook
	reached  TierCheck
}

// TierCheck reports whether a member has reached a tier (the points
// feature answers it); the link rule's min_tier needs one.
type TierCheck func(ctx context.Context, community string, member bot.MemberID, tier string) (bool, error)

// SetTierCheck gives the module the tier check that links.min_tier uses.
// Call it before the bot runs.
func (m *Module) SetTierCheck(fn TierCheck) { m.reached = fn }

// New returns the moderation module. cfgs holds the settings of configured
// communities by id; def applies to every other community. Word list files
// are read now; a missing file is an error.
func New(st Store, cfgs map[string]Config, def Config) (*Module, error) {
	if st == nil {
		return nil, fmt.Errorf("moderation: a store is required")
	}
	s, err := bot.MapSettings(bot.NewSettings(cfgs, def), newSettings)
	if err != nil {
		return nil, err
	}
	return &Module{store: st, settings: s, tracker: newTracker(), mutes: newMuteBook()}, nil
}

// settings are a community's validated configuration, with its ladder in
// order and its banned words ready to match.
type settings struct {
	Config
	words *wordMatcher
}

func newSettings(_ string, c Config) (settings, error) {
	if err := c.Validate(); err != nil {
		return settings{}, err
	}
	sort.Slice(c.Ladder, func(i, j int) bool { return c.Ladder[i].Warns < c.Ladder[j].Warns })
	words, err := newWordMatcher(c)
	if err != nil {
		return settings{}, fmt.Errorf("moderation.banned_word_files: %w", err)
	}
	return settings{Config: c, words: words}, nil
}

// Name names the module.
func (m *Module) Name() string { return "moderation" }

// Locales is the module's message catalog.
func (m *Module) Locales() fs.FS { sub, _ := fs.Sub(locales, "locales"); return sub }

// Commands are /rules for everyone and the moderators' actions.
func (m *Module) Commands() []bot.Command {
	user := bot.Arg{Name: "member", Kind: bot.ArgUser}
	reason := bot.Arg{Name: "reason", Kind: bot.ArgText}
	dur := bot.Arg{Name: "duration", Kind: bot.ArgString}
	return []bot.Command{
		{Name: "rules", Run: m.runRules},
		{Name: "warn", Role: bot.RoleModerator, Args: []bot.Arg{user, reason}, Run: m.manual(KindWarn)},
		{Name: "mute", Role: bot.RoleModerator, Args: []bot.Arg{user, dur, reason}, Run: m.manual(KindMute)},
		{Name: "unmute", Role: bot.RoleModerator, Args: []bot.Arg{user, reason}, Run: m.manual(KindUnmute)},
		{Name: "ban", Role: bot.RoleModerator, Args: []bot.Arg{user, reason}, Run: m.manual(KindBan)},
		{Name: "unban", Role: bot.RoleModerator, Args: []bot.Arg{user, reason}, Run: m.manual(KindUnban)},
	}
}

// Observe greets new members and checks messages against the automatic rules.
func (m *Module) Observe(ctx context.Context, req *bot.Request) error {
	ev := req.Event
	if ev.Private {
		return nil
	}
	switch ev.Kind {
	case bot.EventMemberJoined:
		return m.welcome(ctx, req)
	case bot.EventMessage:
		return m.check(ctx, req)
	}
	return nil
}

var (
	_ bot.Commander = (*Module)(nil)
	_ bot.Observer  = (*Module)(nil)
	_ bot.Localized = (*Module)(nil)
)
