package points

import (
	"context"
	"strings"

	"github.com/cohortbot/cohort/bot"
)

// topSize is how many members /top lists.
const topSize = 10

// runTop shows a leaderboard: this week, this month or all time. Members
// with equal points share a rank; the list orders them by member id.
func (m *Module) runTop(ctx context.Context, req *bot.Request) error {
	scope := ScopeAll
	if len(req.Args) > 0 {
		switch strings.ToLower(req.Args[0]) {
		case "week", "w", "周", "本周":
			scope = ScopeWeek
		case "month", "m", "月", "本月":
			scope = ScopeMonth
		case "all", "a", "全部":
		default:
			return bot.Errorf("error.usage", bot.Args{"usage": "/top [week|month|all]"})
		}
	}
	c := req.Community
	p := periodsAt(req.Now(), c.Location)
	key := p.scopeKey(scope)
	top, err := m.store.Top(ctx, c.ID, key, topSize)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(req.T("top.header."+scope, nil))
	if len(top) == 0 {
		b.WriteString("\n" + req.T("top.empty", nil))
	}
	rank, inTop := 0, false
	for i, r := range top {
		if i == 0 || r.Points != top[i-1].Points {
			rank = i + 1
		}
		if r.Member == req.Member {
			inTop = true
		}
		b.WriteString("\n" + req.T("top.line", bot.Args{"rank": rank, "name": memberName(ctx, req, r.Member), "points": r.Points}))
	}
	if !inTop && len(top) > 0 {
		st, err := m.store.State(ctx, c.ID, req.Member)
		if err != nil {
			return err
		}
		if pts := st.window(scope, p.week, p.month); pts > 0 {
			n, err := m.store.Rank(ctx, c.ID, key, pts)
			if err != nil {
				return err
			}
			b.WriteString("\n" + req.T("top.you", bot.Args{"rank": n, "points": pts}))
		} else {
			b.WriteString("\n" + req.T("top.you_unranked", nil))
		}
	}
	_, err = req.Reply(ctx, bot.Outgoing{Text: b.String()})
	return err
}
