package points

import (
	"context"
	"crypto/rand"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/cohortbot/cohort/bot"
)

// LinkTTL is how long a link code is valid.
const LinkTTL = 10 * time.Minute

// codeAlphabet leaves out look-alikes (0/O, 1/I/L).
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// newCode returns 8 random characters (about 40 bits): with attempts
// rate-limited by the store, guessing one in its 10 minutes is hopeless.
func newCode() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b)
}

// runLink gives a one-time code (by private message, so nobody else can
// use it), or with a code joins the caller's account to the member who
// asked for it.
func (m *Module) runLink(ctx context.Context, req *bot.Request) error {
	c := req.Community
	if len(req.Args) == 0 {
		code := newCode()
		if err := m.store.SaveLinkCode(ctx, c.ID, code, req.Member, req.Now().Add(LinkTTL)); err != nil {
			return err
		}
		msg := bot.Outgoing{Text: req.T("link.code", bot.Args{"code": code, "minutes": int(LinkTTL.Minutes())})}
		return req.ReplyPrivately(ctx, msg, "link.sent")
	}
	code := strings.ToUpper(strings.TrimSpace(req.Args[0]))
	if len(code) > 16 {
		code = code[:16]
	}
	cfg := m.settings.For(c.ID)
	at := req.Now()
	p := periodsAt(at, c.Location)
	var out outcome
	mem, err := m.store.Link(ctx, c.ID, code, req.Event.From, func(into, from *State) {
		out = outcome{}
		merge(into, from, at, p)
		retier(cfg, into, &out)
	}, at)
	switch {
	case errors.Is(err, ErrBadCode):
		return bot.Errorf("link.bad_code", nil)
	case errors.Is(err, ErrTooManyAttempts):
		return bot.Errorf("link.too_many", nil)
	case errors.Is(err, ErrSamePlatform):
		return bot.Errorf("link.same_platform", nil)
	case errors.Is(err, ErrAlreadyLinked):
		return bot.Errorf("link.already", nil)
	case err != nil:
		return err
	}
	st, err := m.store.State(ctx, c.ID, mem.ID)
	if err != nil {
		return err
	}
	var accounts []string
	for _, a := range mem.Accounts {
		accounts = append(accounts, a.Platform+" "+a.Display())
	}
	if err := req.ReplyText(ctx, "link.done", bot.Args{"name": mem.Name, "accounts": strings.Join(accounts, ", "), "balance": st.Balance}); err != nil {
		return err
	}
	m.after(ctx, req.Bot, c, mem.ID, bot.ChatRef{}, out)
	return nil
}

// merge moves from's points state into into: the balance and score by a
// pair of ledger entries, windows of the same period, the shared cooldown
// and daily cap, activity counters, badges and referral data.
func merge(into, from *State, at time.Time, p periods) {
	into.roll(p.week, p.month)
	if from.Balance != 0 || from.Score != 0 {
		from.Pending = append(from.Pending, Entry{Time: at, Delta: -from.Balance, Score: -from.Score, Reason: ReasonLinkOut})
		into.Pending = append(into.Pending, Entry{Time: at, Delta: from.Balance, Score: from.Score, Reason: ReasonLinkIn})
	}
	into.Balance += from.Balance
	into.Score += from.Score
	if from.Week.Period == into.Week.Period {
		into.Week.Points += from.Week.Points
	}
	if from.Month.Period == into.Month.Period {
		into.Month.Points += from.Month.Points
	}
	if from.LastEarn.After(into.LastEarn) {
		into.LastEarn = from.LastEarn
	}
	switch {
	case from.Day == into.Day:
		into.DayPoints += from.DayPoints
	case from.Day > into.Day:
		into.Day, into.DayPoints = from.Day, from.DayPoints
	}
	for _, h := range from.Hashes {
		if !slices.Contains(into.Hashes, h) {
			into.Hashes = append(into.Hashes, h)
		}
	}
	if len(into.Hashes) > keptHashes {
		into.Hashes = into.Hashes[len(into.Hashes)-keptHashes:]
	}
	into.Messages += from.Messages
	into.ActiveDays = max(into.ActiveDays, from.ActiveDays)
	if from.LastDay > into.LastDay {
		into.LastDay = from.LastDay
	}
	into.Streak = max(into.Streak, from.Streak)
	if !from.FirstSeen.IsZero() && (into.FirstSeen.IsZero() || from.FirstSeen.Before(into.FirstSeen)) {
		into.FirstSeen = from.FirstSeen
	}
	if from.LastActive.After(into.LastActive) {
		into.LastActive = from.LastActive
	}
	if into.ManualTier == "" {
		into.ManualTier = from.ManualTier
	}
	for _, b := range from.Badges {
		into.addBadge(b)
	}
	if into.ReferredBy == "" {
		into.ReferredBy, into.ReferralPaid = from.ReferredBy, from.ReferralPaid
	}
	into.Invited += from.Invited
	into.Referrals += from.Referrals
	*from = State{Pending: from.Pending}
}

// runUnlink detaches an account from its member: /unlink telegram:1001.
// The points stay with the member; the account starts again from zero.
func (m *Module) runUnlink(ctx context.Context, req *bot.Request) error {
	if len(req.Args) != 1 || !strings.Contains(req.Args[0], ":") {
		return bot.Errorf("error.usage", bot.Args{"usage": "/unlink platform:id (e.g. discord:5001)"})
	}
	key := clip(req.Args[0], 80)
	mem, err := m.store.Unlink(ctx, req.Community.ID, key, req.Now())
	switch {
	case errors.Is(err, ErrUnknownAccount):
		return bot.Errorf("error.unknown_member", bot.Args{"name": key})
	case errors.Is(err, ErrLastAccount):
		return bot.Errorf("link.last_account", bot.Args{"account": key})
	case err != nil:
		return err
	}
	args := bot.Args{"account": key, "name": mem.Name, "moderator": req.Event.From.Display()}
	m.modLog(ctx, req, "link.unlinked", args)
	return req.ReplyText(ctx, "link.unlinked", args)
}
