package points

import (
	"context"
	"strings"

	"github.com/cohortbot/cohort/bot"
)

// topSize is how many members /top lists.
const topSize = 10

// runTop shows a leaderboard: this week, this month or all time. Members
// with equal points share a rank; the list orders them by member id. One
// store read gives the list, the names and the caller's own rank.
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
	board, err := m.store.Board(ctx, c.ID, p.scopeKey(scope), topSize, req.Member, func(st *State) int64 {
		return st.window(scope, p.week, p.month)
	})
	if err != nil {
		return err
	}
	top := board.Top
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
		var name any = r.Name
		if r.Name == "" {
			name = bot.Raw(req.T("top.former_member", nil)) // erased on request
		}
		b.WriteString("\n" + req.T("top.line", bot.Args{"rank": rank, "name": name, "points": r.Points}))
	}
	if !inTop && len(top) > 0 {
		if board.Points > 0 {
			b.WriteString("\n" + req.T("top.you", bot.Args{"rank": board.Rank, "points": board.Points}))
		} else {
			b.WriteString("\n" + req.T("top.you_unranked", nil))
		}
	}
	_, err = req.Reply(ctx, bot.Outgoing{Text: b.String()})
	return err
}
