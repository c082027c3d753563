package schedule

import (
	"context"
	"crypto/rand"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cohortbot/cohort/bot"
)

const (
	maxTitle    = 200
	maxCap      = 100000
	maxDuration = 14 * 24 * time.Hour
	// checkinEarly is how long before the start check-in opens.
	checkinEarly = 15 * time.Minute
	codeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
)

// runEvent handles /event create|code|cancel.
func (m *Module) runEvent(ctx context.Context, req *bot.Request) error {
	usage := bot.Errorf("error.usage", bot.Args{"usage": req.T("event.usage", nil)})
	if len(req.Args) == 0 {
		return usage
	}
	switch strings.ToLower(req.Args[0]) {
	case "create":
		return m.createEvent(ctx, req)
	case "code":
		e, err := m.eventArg(ctx, req, 1)
		if err != nil {
			return err
		}
		return req.ReplyPrivately(ctx, bot.Outgoing{Text: req.T("event.code", bot.Args{"id": e.ID, "title": e.Title, "code": e.Code})}, "schedule.sent_privately")
	case "cancel":
		e, err := m.eventArg(ctx, req, 1)
		if err != nil {
			return err
		}
		if _, _, err := m.store.UpdateEvent(ctx, e.Community, e.ID, func(e *Event) error { e.Cancelled, e.Over = true, true; return nil }); err != nil {
			return err
		}
		for _, id := range append(append([]bot.MemberID(nil), e.Going...), e.Waitlist...) {
			m.notifyMember(ctx, req.Bot, req.Community, id, e, "event.cancelled_notice", bot.Args{"title": e.Title})
		}
		return req.ReplyText(ctx, "event.cancelled", bot.Args{"id": e.ID, "title": e.Title})
	}
	return usage
}

// createEvent handles /event create "TITLE" TIME [--duration 1h] [--to SEGMENT] [--cap N].
func (m *Module) createEvent(ctx context.Context, req *bot.Request) error {
	r := newArgReader(req.RawArgs)
	r.next(1) // create
	e := Event{Community: req.Community.ID, Creator: req.Member, Created: req.Now(), Duration: time.Hour}
	e.Title = strings.TrimSpace(r.next(1))
	toks := r.peek(2)
	if e.Title == "" || len(toks) == 0 {
		return bot.Errorf("error.usage", bot.Args{"usage": req.T("event.usage", nil)})
	}
	if utf8.RuneCountInString(e.Title) > maxTitle {
		return bot.Errorf("event.bad_title", bot.Args{"max": maxTitle})
	}
	start, err := parseWhen(r.next(timeWords(toks)), req.Now(), req.Community.Location)
	if err != nil {
		return err
	}
	e.Start = start
	for f := r.flag(); f != ""; f = r.flag() {
		r.next(1)
		switch f {
		case "duration":
			v := r.next(1)
			d, ok := parseDuration(v)
			if !ok || d > maxDuration {
				return bot.Errorf("event.bad_duration", bot.Args{"value": v})
			}
			e.Duration = d
		case "to":
			if e.To, err = readTo(r, req); err != nil {
				return err
			}
		case "cap":
			v := r.next(1)
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > maxCap {
				return bot.Errorf("event.bad_cap", bot.Args{"value": v})
			}
			e.Cap = n
		default:
			return bot.Errorf("schedule.unknown_flag", bot.Args{"flag": f, "usage": req.T("event.usage", nil)})
		}
	}
	if rest := r.remainder(); rest != "" {
		return bot.Errorf("schedule.unexpected", bot.Args{"text": rest, "usage": req.T("event.usage", nil)})
	}
	if _, err := resolveTarget(req.Community, e.To); err != nil {
		return err
	}
	e.Code = checkinCode()
	e, err = m.store.CreateEvent(ctx, e)
	if err != nil {
		return err
	}
	_, ds, err := m.runNow(ctx, req.Bot, Job{Community: e.Community, Kind: KindEvent, State: StateActive, Creator: req.Member,
		Created: req.Now(), Next: req.Now(), To: e.To, Ref: e.ID})
	if err != nil {
		return err
	}
	if err := req.ReplyText(ctx, "event.created", bot.Args{"id": e.ID, "code": e.Code}); err != nil {
		return err
	}
	return replyDeliveries(ctx, req, ds)
}

// checkinCode is a random code that is easy to read aloud.
func checkinCode() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b)
}

// eventMessage is the post that announces an event, with RSVP buttons.
func eventMessage(b *bot.Bot, lang string, c *bot.Community, e Event) bot.Outgoing {
	return bot.Outgoing{
		Text: b.T(lang, "event.post", bot.Args{"id": e.ID, "title": e.Title, "time": formatTime(e.Start, c.Location),
			"duration": humanDuration(e.Duration), "cap": e.Cap}),
		Buttons: [][]bot.Button{{
			{Text: b.T(lang, "event.button_going", nil), Data: "rsvp:" + e.ID},
			{Text: b.T(lang, "event.button_not_going", nil), Data: "unrsvp:" + e.ID},
		}},
	}
}

// humanDuration writes 1h30m as "1h30m" and 15m as "15m".
func humanDuration(d time.Duration) string {
	s := strings.TrimSuffix(d.Round(time.Minute).String(), "0s")
	return strings.TrimSuffix(strings.Replace(s, "h0m", "h", 1), "h0m")
}

// eventArg returns the event named by args[i].
func (m *Module) eventArg(ctx context.Context, req *bot.Request, i int) (Event, error) {
	if len(req.Args) <= i {
		return Event{}, bot.Errorf("error.usage", bot.Args{"usage": req.T("event.usage", nil)})
	}
	return m.eventByID(ctx, req, req.Args[i])
}

func (m *Module) eventByID(ctx context.Context, req *bot.Request, id string) (Event, error) {
	id = strings.TrimPrefix(id, "#")
	if !validID(id) {
		return Event{}, bot.Errorf("event.unknown", bot.Args{"id": id})
	}
	e, ok, err := m.store.Event(ctx, req.Community.ID, id)
	if err == nil && !ok {
		err = bot.Errorf("event.unknown", bot.Args{"id": id})
	}
	return e, err
}

// runEvents lists upcoming events in the community's timezone (members'
// own timezones are not known to the bot).
func (m *Module) runEvents(ctx context.Context, req *bot.Request) error {
	events, err := m.store.Events(ctx, req.Community.ID)
	if err != nil {
		return err
	}
	now := req.Now()
	var lines []string
	for _, e := range events {
		if e.Cancelled || !e.End().After(now) {
			continue
		}
		lines = append(lines, req.T("event.list_line", bot.Args{"id": e.ID, "title": e.Title, "time": formatTime(e.Start, req.Community.Location),
			"going": len(e.Going), "cap": e.Cap, "mine": slices.Contains(e.Going, req.Member)}))
	}
	if len(lines) == 0 {
		return req.ReplyText(ctx, "event.none", nil)
	}
	text := req.T("event.list_header", bot.Args{"count": len(lines)}) + "\n" + strings.Join(lines, "\n")
	_, err = req.Reply(ctx, bot.Outgoing{Text: text})
	return err
}

// runCheckin handles /checkin CODE during an event.
func (m *Module) runCheckin(ctx context.Context, req *bot.Request) error {
	if len(req.Args) != 1 || len(req.Args[0]) > 16 {
		return bot.Errorf("error.usage", bot.Args{"usage": "/checkin CODE"})
	}
	code := strings.ToUpper(strings.TrimSpace(req.Args[0]))
	events, err := m.store.Events(ctx, req.Community.ID)
	if err != nil {
		return err
	}
	now := req.Now()
	for _, e := range events {
		if e.Cancelled || e.Code != code || now.Before(e.Start.Add(-checkinEarly)) || now.After(e.End()) {
			continue
		}
		already := false
		if _, _, err := m.store.UpdateEvent(ctx, e.Community, e.ID, func(e *Event) error {
			already = slices.Contains(e.CheckedIn, req.Member)
			if !already {
				e.CheckedIn = append(e.CheckedIn, req.Member)
			}
			return nil
		}); err != nil {
			return err
		}
		if already {
			return bot.Errorf("event.already_checked_in", bot.Args{"title": e.Title})
		}
		pts, err := req.Bot.Reward(ctx, e.Community, req.Member, bot.RuleCheckin, "event:"+e.ID)
		if err != nil {
			return err
		}
		return req.ReplyText(ctx, "event.checked_in", bot.Args{"title": e.Title, "points": pts})
	}
	return bot.Errorf("event.bad_code", nil)
}
