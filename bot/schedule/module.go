package schedule

import (
	"context"
	"embed"
	"errors"
	"io/fs"
	"strings"
	"sync"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/rs/zerolog"
)

//go:embed locales/*.yaml
var locales embed.FS

// TickInterval is how often the background loop asks the engine for due
// work. Decisions are made with the bot's clock, never with this ticker.
const TickInterval = 10 * time.Second

// Module offers /announce, /schedule, /poll, /event, /events, /rsvp,
// /checkin and /survey, and runs the job engine.
type Module struct {
	store    Store
	settings bot.Settings[Config]

	mu      sync.Mutex // serializes Tick and immediate runs
	started bool
}

// New returns the module. def applies to communities without an entry in
// communities (keyed by community id); both are validated.
func New(st Store, def Config, communities map[string]Config) (*Module, error) {
	if st == nil {
		return nil, errors.New("schedule: a store is required")
	}
	settings, err := bot.MapSettings(bot.NewSettings(communities, def), func(_ string, c Config) (Config, error) { return c, c.Validate() })
	if err != nil {
		return nil, err
	}
	return &Module{store: st, settings: settings}, nil
}

// Name names the module.
func (m *Module) Name() string { return "schedule" }

// Locales is the module's message catalog.
func (m *Module) Locales() fs.FS { sub, _ := fs.Sub(locales, "locales"); return sub }

// Commands lists the module's commands.
func (m *Module) Commands() []bot.Command {
	return []bot.Command{
		{Name: "announce", Role: bot.RoleModerator, Slow: true, Args: []bot.Arg{{Name: "text", Kind: bot.ArgText, Required: true}}, Run: m.runAnnounce},
		{Name: "schedule", Role: bot.RoleModerator, Args: []bot.Arg{{Name: "action", Kind: bot.ArgString, Choices: []string{"list", "cancel", "pause", "resume"}}, {Name: "id", Kind: bot.ArgString}}, Run: m.runSchedule},
		{Name: "poll", Role: bot.RoleModerator, Slow: true, Args: []bot.Arg{{Name: "args", Kind: bot.ArgText, Required: true}}, Run: m.runPoll},
		{Name: "event", Role: bot.RoleModerator, Slow: true, Args: []bot.Arg{{Name: "args", Kind: bot.ArgText, Required: true}}, Run: m.runEvent},
		{Name: "events", Run: m.runEvents},
		{Name: "rsvp", Args: []bot.Arg{{Name: "id", Kind: bot.ArgText, Required: true}}, Run: m.runRSVP},
		{Name: "checkin", Args: []bot.Arg{{Name: "code", Kind: bot.ArgString, Required: true}}, Run: m.runCheckin},
		{Name: "survey", Role: bot.RoleModerator, Slow: true, Args: []bot.Arg{{Name: "args", Kind: bot.ArgText, Required: true}}, Run: m.runSurvey},
	}
}

// Buttons routes RSVP and survey buttons.
func (m *Module) Buttons() []bot.ButtonRoute {
	return []bot.ButtonRoute{
		{Prefix: "rsvp", Run: m.pressRSVP},
		{Prefix: "unrsvp", Run: m.pressUnRSVP},
		{Prefix: "survey", Run: m.pressTakeSurvey},
		{Prefix: "sv", Run: m.pressAnswer},
	}
}

// Observe counts poll votes and takes free-text survey answers in private chat.
func (m *Module) Observe(ctx context.Context, req *bot.Request) error {
	switch {
	case req.Event.Kind == bot.EventPollVote && req.Event.Poll != nil:
		return m.observeVote(ctx, req)
	case req.Event.Kind == bot.EventMessage && req.Event.Private:
		return m.observeAnswer(ctx, req)
	}
	return nil
}

// Run ticks the engine until ctx ends.
func (m *Module) Run(ctx context.Context, b *bot.Bot) error {
	t := time.NewTicker(TickInterval)
	defer t.Stop()
	log := b.Log()
	for {
		if err := m.Tick(ctx, b); err != nil {
			log.Error().Err(err).Str("module", m.Name()).Msg("scheduled work failed")
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Tick does everything due at b.Now(): it sends due jobs, closes due polls
// and posts their results, and sends event reminders and start notices. The
// first Tick after start moves recurring jobs past the downtime without
// replaying it. Ticks never overlap.
func (m *Module) Tick(ctx context.Context, b *bot.Bot) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := b.Now()
	if zerolog.Ctx(ctx).GetLevel() == zerolog.Disabled {
		log := b.Log()
		ctx = log.WithContext(ctx)
	}
	var errs []error
	if !m.started {
		if err := m.skipDowntime(ctx, now); err != nil {
			errs = append(errs, err)
		} else {
			m.started = true
		}
	}
	errs = append(errs, m.runDueJobs(ctx, b, now), m.closeDuePolls(ctx, b, now), m.tickEvents(ctx, b, now))
	return errors.Join(errs...)
}

// resolveTarget checks a --to value: "" (every chat), a segment, or a chat
// ref of the community.
func resolveTarget(c *bot.Community, to string) ([]bot.ChatRef, error) {
	if strings.Contains(to, ":") {
		ref, err := bot.ParseChatRef(to)
		if err != nil || !c.HasChat(ref) || ref.Chat == "" {
			return nil, bot.Errorf("schedule.unknown_chat", bot.Args{"chat": to})
		}
		return []bot.ChatRef{ref}, nil
	}
	targets := c.Targets(to)
	if len(targets) == 0 {
		if to == "" {
			return nil, bot.Errorf("schedule.no_chats", nil)
		}
		return nil, bot.Errorf("schedule.unknown_segment", bot.Args{"segment": to, "segments": strings.Join(segments(c), ", ")})
	}
	return targets, nil
}

func segments(c *bot.Community) []string {
	var out []string
	seen := map[string]bool{}
	for _, ch := range c.Chats {
		if ch.Segment != "" && !seen[ch.Segment] {
			seen[ch.Segment] = true
			out = append(out, ch.Segment)
		}
	}
	return out
}

// targetLabel names a target for moderators.
func targetLabel(req *bot.Request, to string) string {
	if to == "" {
		return req.T("schedule.target_all", nil)
	}
	return to
}

// logger is the context's logger.
func logger(ctx context.Context) *zerolog.Logger { return zerolog.Ctx(ctx) }

// notifyMods posts a notice to the community's moderator chat, if any.
func notifyMods(ctx context.Context, b *bot.Bot, c *bot.Community, key string, args bot.Args) {
	if c.ModChat.IsZero() {
		return
	}
	if _, err := b.Send(ctx, c.ModChat, bot.Outgoing{Text: b.T(b.LangFor(c, ""), key, args)}); err != nil {
		logger(ctx).Warn().Err(err).Str("chat", c.ModChat.String()).Msg("notifying moderators failed")
	}
}
