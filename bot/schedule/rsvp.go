package schedule

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/cohortbot/cohort/bot"
)

// RSVP outcomes.
const (
	rsvpGoing       = "going"
	rsvpWaitlisted  = "waitlisted"
	rsvpAlready     = "already_going"
	rsvpAlreadyWait = "already_waitlisted"
)

// runRSVP handles /rsvp ID and /rsvp cancel ID.
func (m *Module) runRSVP(ctx context.Context, req *bot.Request) error {
	switch {
	case len(req.Args) == 1:
		return m.rsvp(ctx, req, req.Args[0])
	case len(req.Args) == 2 && strings.EqualFold(req.Args[0], "cancel"):
		return m.unrsvp(ctx, req, req.Args[1])
	}
	return bot.Errorf("error.usage", bot.Args{"usage": req.T("rsvp.usage", nil)})
}

func (m *Module) pressRSVP(ctx context.Context, req *bot.Request) error {
	if len(req.Args) != 1 {
		return nil // forged or stale data
	}
	return m.rsvp(ctx, req, req.Args[0])
}

func (m *Module) pressUnRSVP(ctx context.Context, req *bot.Request) error {
	if len(req.Args) != 1 {
		return nil
	}
	return m.unrsvp(ctx, req, req.Args[0])
}

// rsvp puts the member on the list, or on the waitlist when the event is full.
func (m *Module) rsvp(ctx context.Context, req *bot.Request, id string) error {
	e, err := m.eventByID(ctx, req, id)
	if err != nil {
		return err
	}
	now := req.Now()
	var outcome string
	e, _, err = m.store.UpdateEvent(ctx, e.Community, e.ID, func(e *Event) error {
		switch {
		case e.Cancelled || !now.Before(e.Start):
			return bot.Errorf("event.closed", bot.Args{"title": e.Title})
		case slices.Contains(e.Going, req.Member):
			outcome = rsvpAlready
		case slices.Contains(e.Waitlist, req.Member):
			outcome = rsvpAlreadyWait
		case e.Cap == 0 || len(e.Going) < e.Cap:
			e.Going = append(e.Going, req.Member)
			outcome = rsvpGoing
		default:
			e.Waitlist = append(e.Waitlist, req.Member)
			outcome = rsvpWaitlisted
		}
		return nil
	})
	if err != nil {
		return err
	}
	if outcome == rsvpGoing || outcome == rsvpWaitlisted {
		req.Bot.Count(ctx, e.Community, req.Event.Chat, bot.CountRSVPs, 1)
	}
	_, err = req.Reply(ctx, bot.Outgoing{Ephemeral: true, Text: req.T("rsvp."+outcome, bot.Args{
		"title": e.Title, "time": formatTime(e.Start, req.Community.Location), "position": len(e.Waitlist), "id": e.ID})})
	return err
}

// unrsvp takes the member off the list or the waitlist; a freed seat goes
// to the first on the waitlist, who is told.
func (m *Module) unrsvp(ctx context.Context, req *bot.Request, id string) error {
	e, err := m.eventByID(ctx, req, id)
	if err != nil {
		return err
	}
	var promoted bot.MemberID
	var was bool
	e, _, err = m.store.UpdateEvent(ctx, e.Community, e.ID, func(e *Event) error {
		promoted, was = "", false
		if i := slices.Index(e.Going, req.Member); i >= 0 {
			e.Going = slices.Delete(e.Going, i, i+1)
			was = true
			if len(e.Waitlist) > 0 && (e.Cap == 0 || len(e.Going) < e.Cap) {
				promoted = e.Waitlist[0]
				e.Going = append(e.Going, promoted)
				e.Waitlist = e.Waitlist[1:]
			}
		} else if i := slices.Index(e.Waitlist, req.Member); i >= 0 {
			e.Waitlist = slices.Delete(e.Waitlist, i, i+1)
			was = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !was {
		return bot.Errorf("rsvp.not_going", bot.Args{"title": e.Title})
	}
	if promoted != "" {
		m.notifyMember(ctx, req.Bot, req.Community, promoted, e, "rsvp.promoted", bot.Args{"title": e.Title, "time": formatTime(e.Start, req.Community.Location)})
	}
	_, err = req.Reply(ctx, bot.Outgoing{Ephemeral: true, Text: req.T("rsvp.cancelled", bot.Args{"title": e.Title})})
	return err
}

// notifyMember tells a member something privately; when no account of
// theirs can be messaged, it mentions them in the event's chats on their
// platforms instead.
func (m *Module) notifyMember(ctx context.Context, b *bot.Bot, c *bot.Community, id bot.MemberID, e Event, key string, args bot.Args) {
	mem, ok, err := b.Members().Member(ctx, c.ID, id)
	if err != nil || !ok {
		logger(ctx).Warn().Err(err).Str("member", string(id)).Msg("cannot notify an unknown member")
		return
	}
	text := b.T(b.LangFor(c, mem.Lang), key, args)
	_, err = b.SendMember(ctx, mem, bot.Outgoing{Text: text})
	if err == nil {
		return
	}
	if !errors.Is(err, bot.ErrCannotDM) {
		logger(ctx).Warn().Err(err).Str("member", string(id)).Msg("direct message failed")
	}
	// Mention them once per platform, in the event's first chat there.
	targets, _ := resolveTarget(c, e.To)
	for _, acct := range mem.Accounts {
		i := slices.IndexFunc(targets, func(ch bot.ChatRef) bool { return ch.Platform == acct.Platform })
		if i < 0 {
			continue
		}
		name := acct.Display()
		if acct.Username != "" {
			name = "@" + acct.Username
		}
		if _, err := b.Send(ctx, targets[i], bot.Outgoing{Text: bot.Escape(name) + " " + text, Mention: []bot.Account{acct}}); err != nil {
			logger(ctx).Warn().Err(err).Str("chat", targets[i].String()).Msg("mention failed")
		}
	}
}

// tickEvents sends due reminders and start notices and retires past events.
func (m *Module) tickEvents(ctx context.Context, b *bot.Bot, now time.Time) error {
	events, err := m.store.PendingEvents(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range events {
		c := b.Communities().Get(e.Community)
		if c == nil {
			continue
		}
		if err := m.tickEvent(ctx, b, c, e, now); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (m *Module) tickEvent(ctx context.Context, b *bot.Bot, c *bot.Community, e Event, now time.Time) error {
	cfg := m.settings.For(e.Community)
	offsets := append([]time.Duration(nil), cfg.Reminders...)
	sort.Slice(offsets, func(i, j int) bool { return offsets[i] < offsets[j] })
	// The reminder due now is the closest one to the start whose time has
	// come, as long as it is not older than the grace period.
	var due time.Duration
	for _, o := range offsets {
		at := e.Start.Add(-o)
		if !now.Before(at) && now.Before(e.Start) && now.Sub(at) <= cfg.GracePeriod && !at.Before(e.Created) {
			due = o
			break
		}
	}
	// step applies the due reminder, the start notice and retirement to
	// ev; it is run on the listed copy first so idle events cost no write.
	var remind []bot.MemberID
	var startNotice bool
	step := func(ev *Event) bool {
		remind, startNotice = nil, false
		changed := false
		if due > 0 && !ev.Cancelled {
			for _, id := range ev.Going {
				if sent, ok := ev.Reminded[id]; !ok || sent > due {
					if ev.Reminded == nil {
						ev.Reminded = map[bot.MemberID]time.Duration{}
					}
					ev.Reminded[id] = due
					remind = append(remind, id)
					changed = true
				}
			}
		}
		if !ev.Started && !ev.Cancelled && !now.Before(ev.Start) {
			ev.Started, startNotice, changed = true, true, true
		}
		if (!now.Before(ev.End()) || ev.Cancelled) && !ev.Over {
			ev.Over, changed = true, true
		}
		return changed
	}
	probe := e
	probe.Reminded = maps.Clone(e.Reminded)
	if !step(&probe) {
		return nil
	}
	e, _, err := m.store.UpdateEvent(ctx, e.Community, e.ID, func(ev *Event) error { step(ev); return nil })
	if err != nil {
		return err
	}
	for _, id := range remind {
		m.notifyMember(ctx, b, c, id, e, "event.reminder", bot.Args{"title": e.Title, "in": humanDuration(due),
			"time": formatTime(e.Start, c.Location), "id": e.ID})
	}
	if startNotice {
		notifyMods(ctx, b, c, "event.started", bot.Args{"title": e.Title, "code": e.Code, "id": e.ID, "going": len(e.Going)})
	}
	return nil
}
