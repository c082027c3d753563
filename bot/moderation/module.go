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
	cfgs     map[string]Config
	def      Config
	matchers map[string]*wordMatcher // by community id; "" for the default
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
	m := &Module{store: st, cfgs: map[string]Config{}, matchers: map[string]*wordMatcher{}, tracker: newTracker(), mutes: newMuteBook()}
	add := func(id string, c Config) error {
		if err := c.Validate(); err != nil {
			if id == "" {
				return err
			}
			return fmt.Errorf("communities[%s].%w", id, err)
		}
		sort.Slice(c.Ladder, func(i, j int) bool { return c.Ladder[i].Warns < c.Ladder[j].Warns })
		wm, err := newWordMatcher(c)
		if err != nil {
			return fmt.Errorf("communities[%s].moderation.banned_word_files: %w", id, err)
		}
		m.matchers[id] = wm
		if id == "" {
			m.def = c
		} else {
			m.cfgs[id] = c
		}
		return nil
	}
	if err := add("", def); err != nil {
		return nil, err
	}
	for id, c := range cfgs {
		if err := add(id, c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *Module) cfg(community string) (Config, *wordMatcher) {
	if c, ok := m.cfgs[community]; ok {
		return c, m.matchers[community]
	}
	return m.def, m.matchers[""]
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
