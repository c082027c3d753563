package points

import (
	"context"
	"strconv"
	"strings"

	"github.com/cohortbot/cohort/bot"
)

// runPoints shows a balance: the caller's, or for moderators anyone's
// (with the member's lifecycle status).
func (m *Module) runPoints(ctx context.Context, req *bot.Request) error {
	c := req.Community
	cfg := m.settings.For(c.ID)
	id := req.Member
	name := req.Event.From.Display()
	other := len(req.Args) > 0 || (req.Event.ReplyToFrom != nil && req.Role(ctx) >= bot.RoleModerator)
	var mem bot.Member
	if other {
		if req.Role(ctx) < bot.RoleModerator {
			return bot.Errorf("points.others_mods_only", nil)
		}
		var err error
		if mem, err = req.TargetMember(ctx, firstArg(req)); err != nil {
			return err
		}
		id, name = mem.ID, mem.Name
	}
	st, err := m.store.State(ctx, c.ID, id)
	if err != nil {
		return err
	}
	entries, err := m.store.Entries(ctx, c.ID, id, 5)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(req.T("points.header", bot.Args{"name": name, "balance": st.Balance, "count": st.Balance}))
	rank := req.T("points.unranked", nil)
	if st.Score > 0 {
		n, err := m.store.Rank(ctx, c.ID, ScopeAll, st.Score)
		if err != nil {
			return err
		}
		rank = req.T("points.rank", bot.Args{"rank": n})
	}
	b.WriteString("\n" + req.T("points.summary", bot.Args{"tier": cfg.TierOf(st), "score": st.Score, "rank": bot.Raw(rank)}))
	b.WriteString("\n" + req.T("points.streak", bot.Args{"count": st.Streak, "days": st.ActiveDays}))
	if len(st.Badges) > 0 {
		names := make([]string, len(st.Badges))
		for i, badge := range st.Badges {
			names[i] = badgeName(req, badge)
		}
		b.WriteString("\n" + req.T("points.badges", bot.Args{"badges": bot.Raw(strings.Join(names, ", "))}))
	}
	if other {
		status := Status(cfg.Lifecycle, mem.Joined, st.LastActive, req.Now())
		b.WriteString("\n" + req.T("points.status", bot.Args{"status": req.T("status."+string(status), nil)}))
	}
	if len(entries) > 0 {
		b.WriteString("\n" + req.T("points.recent", nil))
		for _, e := range entries {
			b.WriteString("\n" + m.entryLine(req, e))
		}
	}
	_, err = req.Reply(ctx, bot.Outgoing{Text: b.String()})
	return err
}

// entryLine renders one ledger entry: "+20 · message · 01-05 10:00".
func (m *Module) entryLine(req *bot.Request, e Entry) string {
	delta := formatDelta(e.Delta)
	loc := req.Community.Location
	if loc == nil {
		loc = e.Time.Location()
	}
	return req.T("points.entry", bot.Args{"delta": delta, "reason": bot.Raw(m.entryReason(req, e)), "time": e.Time.In(loc).Format("01-02 15:04")})
}

func formatDelta(d int64) string {
	if d >= 0 {
		return "+" + strconv.FormatInt(d, 10)
	}
	return strconv.FormatInt(d, 10)
}

// entryReason is the reason of an entry in the reader's language (as markup).
func (m *Module) entryReason(req *bot.Request, e Entry) string {
	switch {
	case e.Rule == ReasonAward || e.Rule == ReasonDeduct:
		return bot.Escape(e.Reason)
	case e.Reason == ReasonRedeem || e.Reason == ReasonRefund:
		item := e.Ref
		if it, ok := m.settings.For(req.Community.ID).item(e.Ref); ok {
			item = it.Name
		}
		return req.T("reason."+e.Reason, bot.Args{"item": item})
	}
	return req.T("reason."+e.Reason, nil)
}

// badgeName is a badge in the reader's language (as markup).
func badgeName(req *bot.Request, badge string) string {
	if month, ok := strings.CutPrefix(badge, badgeTop10Prefix); ok {
		return req.T("badge.top10", bot.Args{"month": month})
	}
	if key, ok := strings.CutPrefix(badge, "auto:"); ok {
		return req.T("badge."+key, nil)
	}
	return bot.Escape(badge)
}

func firstArg(req *bot.Request) string {
	if len(req.Args) == 0 {
		return ""
	}
	return req.Args[0]
}
