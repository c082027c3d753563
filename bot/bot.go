package bot

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"sync"
	"time"

	"github.com/rs/zerolog"
)

//go:embed locales/*.yaml
var coreLocales embed.FS

// CoreLocales is the core's message catalog.
func CoreLocales() fs.FS { sub, _ := fs.Sub(coreLocales, "locales"); return sub }

// Options configure a Bot.
type Options struct {
	Adapters    []Adapter
	Modules     []Module
	Communities *Communities
	Members     MemberDirectory
	// Locale is the default reply language ("en" or "zh-CN").
	Locale string
	Log    zerolog.Logger
	Now    func() time.Time
	// CommandRate limits how many commands one member may run; zero values
	// take the defaults (30 per 30 s). Moderators are not limited.
	CommandRate Rate
	// Middleware wraps the event handler, outermost first.
	Middleware []Middleware
	// Rewards is the points ledger other features reward through (optional).
	Rewards Rewards
	// Tally receives community counters (optional).
	Tally Tally
	// OnCommand, if set, is told every command's name, outcome and duration
	// (see the Outcome constants), for metrics. Unknown commands are
	// reported with the name "unknown".
	OnCommand func(name, outcome string, took time.Duration)
}

// Bot routes events from adapters to modules and messages from modules to
// adapters. It is safe for concurrent use.
type Bot struct {
	adapters    map[string]Adapter
	modules     []Module
	communities *Communities
	members     MemberDirectory
	catalog     *Catalog
	log         zerolog.Logger
	now         func() time.Time

	commands  map[string]*Command // by name and alias
	ordered   []*Command
	buttons   map[string]ButtonRoute
	observers []Observer
	handler   Handler
	limiter   *rateLimiter
	rewards   Rewards
	tally     Tally
	onCommand func(name, outcome string, took time.Duration)
}

// New builds a bot from its adapters and modules. It fails when two modules
// claim the same command or button prefix, or a catalog does not parse.
func New(opts Options) (*Bot, error) {
	b := &Bot{
		adapters:    map[string]Adapter{},
		communities: opts.Communities,
		members:     opts.Members,
		catalog:     NewCatalog(opts.Locale),
		log:         opts.Log,
		now:         opts.Now,
		commands:    map[string]*Command{},
		buttons:     map[string]ButtonRoute{},
		limiter:     newRateLimiter(opts.CommandRate),
		rewards:     opts.Rewards,
		tally:       opts.Tally,
		onCommand:   opts.OnCommand,
	}
	if b.now == nil {
		b.now = time.Now
	}
	if b.communities == nil {
		b.communities = NewCommunities(nil, opts.Locale, time.UTC)
	}
	if b.members == nil {
		b.members = accountMembers{}
	}
	for _, a := range opts.Adapters {
		if _, dup := b.adapters[a.Platform()]; dup {
			return nil, fmt.Errorf("two adapters for platform %s", a.Platform())
		}
		b.adapters[a.Platform()] = a
	}
	if err := b.catalog.Load(CoreLocales()); err != nil {
		return nil, err
	}
	modules := append([]Module{coreModule{}}, opts.Modules...)
	for _, m := range modules {
		if err := b.addModule(m); err != nil {
			return nil, err
		}
	}
	b.modules = modules
	h := Handler(b.dispatch)
	mws := append([]Middleware{Recover(b.log), WithLogger(b.log)}, opts.Middleware...)
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i](h)
	}
	b.handler = h
	return b, nil
}

func (b *Bot) addModule(m Module) error {
	if l, ok := m.(Localized); ok {
		if err := b.catalog.Load(l.Locales()); err != nil {
			return fmt.Errorf("module %s: %w", m.Name(), err)
		}
	}
	if c, ok := m.(Commander); ok {
		for _, cmd := range c.Commands() {
			cmd := cmd
			for _, name := range append([]string{cmd.Name}, cmd.Aliases...) {
				if _, dup := b.commands[name]; dup {
					return fmt.Errorf("module %s: command /%s is already taken", m.Name(), name)
				}
				b.commands[name] = &cmd
			}
			b.ordered = append(b.ordered, &cmd)
		}
	}
	if bh, ok := m.(ButtonHandler); ok {
		for _, r := range bh.Buttons() {
			if _, dup := b.buttons[r.Prefix]; dup {
				return fmt.Errorf("module %s: button prefix %q is already taken", m.Name(), r.Prefix)
			}
			b.buttons[r.Prefix] = r
		}
	}
	if o, ok := m.(Observer); ok {
		b.observers = append(b.observers, o)
	}
	return nil
}

// Run starts every adapter and runner and blocks until ctx is cancelled or an
// adapter fails for good; then it stops everything and waits for it.
func (b *Bot) Run(ctx context.Context) error {
	infos := b.CommandInfos()
	for _, a := range b.adapters {
		if r, ok := a.(CommandRegistrar); ok {
			r.SetCommands(infos)
		}
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	for _, a := range b.adapters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := a.Run(ctx, b.handler)
			if err != nil && ctx.Err() == nil {
				b.log.Error().Err(err).Str("platform", a.Platform()).Msg("adapter stopped")
				cancel(fmt.Errorf("%s adapter: %w", a.Platform(), err))
				return
			}
			if ctx.Err() == nil && len(b.adapters) == 1 && a.Platform() == Console {
				cancel(nil) // end of input ends a console-only bot
			}
		}()
	}
	for _, m := range b.modules {
		r, ok := m.(Runner)
		if !ok {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			b.runRunner(ctx, m.Name(), r)
		}()
	}
	<-ctx.Done()
	wg.Wait()
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

func (b *Bot) runRunner(ctx context.Context, name string, r Runner) {
	defer func() {
		if p := recover(); p != nil {
			b.log.Error().Str("module", name).Interface("panic", p).Msg("background work panicked")
		}
	}()
	if err := r.Run(ctx, b); err != nil && ctx.Err() == nil {
		b.log.Error().Err(err).Str("module", name).Msg("background work stopped")
	}
}

// Handler is the event handler adapters feed, with all middleware applied.
func (b *Bot) Handler() Handler { return b.handler }

// Now is the bot's clock.
func (b *Bot) Now() time.Time { return b.now() }

// Log is the bot's logger.
func (b *Bot) Log() zerolog.Logger { return b.log }

// Communities is the community directory.
func (b *Bot) Communities() *Communities { return b.communities }

// Members is the member directory.
func (b *Bot) Members() MemberDirectory { return b.members }

// T translates a catalog key.
func (b *Bot) T(lang, key string, data Args) string { return b.catalog.T(lang, key, data) }

// LangFor is the reply language for a member language (may be empty) in a community.
func (b *Bot) LangFor(c *Community, memberLang string) string {
	if l := NormalizeLang(memberLang); l != "" {
		return l
	}
	if c != nil && NormalizeLang(c.Locale) != "" {
		return NormalizeLang(c.Locale)
	}
	return b.catalog.defaultLang
}

// Adapter returns the adapter of a platform.
func (b *Bot) Adapter(platform string) (Adapter, bool) {
	a, ok := b.adapters[platform]
	return a, ok
}

// Send posts a message to a chat on any platform.
func (b *Bot) Send(ctx context.Context, to ChatRef, msg Outgoing) (MessageRef, error) {
	a, ok := b.adapters[to.Platform]
	if !ok {
		return MessageRef{}, fmt.Errorf("send to %s: no %s adapter is running", to, to.Platform)
	}
	return a.Send(ctx, to, msg)
}

// SendDirect sends a private message to an account. It returns ErrCannotDM
// when the platform refuses and ErrUnsupported when it has no DMs.
func (b *Bot) SendDirect(ctx context.Context, acct Account, msg Outgoing) (MessageRef, error) {
	a, ok := b.adapters[acct.Platform]
	if !ok {
		return MessageRef{}, fmt.Errorf("direct message to %s: no %s adapter is running", acct.Key(), acct.Platform)
	}
	dm, ok := a.(DirectMessenger)
	if !ok {
		return MessageRef{}, ErrUnsupported
	}
	return dm.SendDirect(ctx, acct.ID, msg)
}

// RoleOf is an account's role in a chat of a community: configured owners
// and moderators first, then what the platform says (checked in the chat
// itself, or in the community's mod chat for private conversations).
func (b *Bot) RoleOf(ctx context.Context, c *Community, chat ChatRef, acct Account) Role {
	if c != nil {
		for _, k := range c.Owners {
			if k == acct.Key() {
				return RoleOwner
			}
		}
		for _, k := range c.Moderators {
			if k == acct.Key() {
				return RoleModerator
			}
		}
	}
	where := chat
	if c != nil && (chat.IsZero() || chat.Space == "" || !c.HasChat(chat)) && c.ModChat.Platform == acct.Platform {
		where = c.ModChat
	}
	if where.IsZero() || where.Platform != acct.Platform {
		return RoleMember
	}
	a, ok := b.adapters[where.Platform]
	if !ok {
		return RoleMember
	}
	rc, ok := a.(RoleChecker)
	if !ok {
		return RoleMember
	}
	role, err := rc.RoleOf(ctx, where, acct.ID)
	if err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Str("chat", where.String()).Msg("role check failed; treating as member")
		return RoleMember
	}
	return role
}

// Commands lists every command, sorted by name.
func (b *Bot) Commands() []Command {
	out := make([]Command, 0, len(b.ordered))
	for _, c := range b.ordered {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// CommandInfos describes every command for the platforms' command menus.
func (b *Bot) CommandInfos() []CommandInfo {
	var out []CommandInfo
	for _, c := range b.Commands() {
		info := CommandInfo{Name: c.Name, Args: c.Args, Role: c.Role, Slow: c.Slow, Descriptions: map[string]string{}}
		for _, lang := range Languages {
			info.Descriptions[lang] = PlainText(b.T(lang, c.HelpKey(), nil))
		}
		out = append(out, info)
	}
	return out
}

// Reward asks the points ledger to apply a rule; without a ledger it does
// nothing and reports 0.
func (b *Bot) Reward(ctx context.Context, community string, member MemberID, rule, ref string) (int64, error) {
	if b.rewards == nil {
		return 0, nil
	}
	return b.rewards.Reward(ctx, community, member, rule, ref)
}

// Count adds n to a community counter for analytics; without a tally it does nothing.
func (b *Bot) Count(ctx context.Context, community string, chat ChatRef, counter string, n int) {
	if b.tally != nil {
		b.tally.Count(ctx, community, chat, counter, n)
	}
}

// CountMember adds n to a counter about one member (see CountVIP); without
// a tally that takes member counters it does nothing.
func (b *Bot) CountMember(ctx context.Context, community string, member MemberID, counter string, n int) {
	if t, ok := b.tally.(MemberTally); ok {
		t.CountMember(ctx, community, member, counter, n)
	}
}

// SendMember sends a private message to a member, trying each of their
// accounts. It returns ErrCannotDM when no account can be reached.
func (b *Bot) SendMember(ctx context.Context, m Member, msg Outgoing) (MessageRef, error) {
	err := ErrCannotDM
	for _, acct := range m.Accounts {
		ref, e := b.SendDirect(ctx, acct, msg)
		if e == nil {
			return ref, nil
		}
		if !errors.Is(e, ErrCannotDM) && !errors.Is(e, ErrUnsupported) {
			err = e
		}
	}
	return MessageRef{}, err
}
