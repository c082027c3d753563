package points

import (
	"context"
	"slices"
	"strconv"
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
	line := newLineFormat(req, "top.line", "rank", "name", "points")
	former := ""
	rank, inTop := 0, false
	for i, r := range top {
		if i == 0 || r.Points != top[i-1].Points {
			rank = i + 1
		}
		if r.Member == req.Member {
			inTop = true
		}
		name := bot.Escape(r.Name)
		if r.Name == "" {
			if former == "" {
				former = req.T("top.former_member", nil) // erased on request
			}
			name = former
		}
		b.WriteString("\n" + line.render(strconv.Itoa(rank), name, strconv.FormatInt(r.Points, 10)))
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

// lineFormat renders a catalog line for many rows with one catalog call:
// the line is rendered once with a marker in place of each argument and
// cut at the markers; each row joins the pieces with its (already
// escaped) values. When a translation does not show every argument
// exactly once as is, each row is rendered by the catalog instead.
type lineFormat struct {
	req    *bot.Request
	key    string
	names  []string
	pieces []string // text around the markers, len(order)+1
	order  []int    // the argument at each marker
}

func newLineFormat(req *bot.Request, key string, names ...string) lineFormat {
	f := lineFormat{req: req, key: key, names: names}
	args := bot.Args{}
	for i, n := range names {
		args[n] = bot.Raw(marker(i))
	}
	t := req.T(key, args)
	type at struct{ pos, arg int }
	var found []at
	for i := range names {
		if strings.Count(t, marker(i)) != 1 {
			return f
		}
		found = append(found, at{strings.Index(t, marker(i)), i})
	}
	slices.SortFunc(found, func(a, b at) int { return a.pos - b.pos })
	from := 0
	for _, m := range found {
		f.pieces = append(f.pieces, t[from:m.pos])
		f.order = append(f.order, m.arg)
		from = m.pos + len(marker(m.arg))
	}
	f.pieces = append(f.pieces, t[from:])
	return f
}

func marker(i int) string { return "\x00" + strconv.Itoa(i) + "\x00" }

// render fills the line with values given as markup, in the order of the
// argument names.
func (f lineFormat) render(values ...string) string {
	if f.pieces == nil {
		args := bot.Args{}
		for i, n := range f.names {
			args[n] = bot.Raw(values[i])
		}
		return f.req.T(f.key, args)
	}
	var b strings.Builder
	for i, arg := range f.order {
		b.WriteString(f.pieces[i])
		b.WriteString(values[arg])
	}
	b.WriteString(f.pieces[len(f.pieces)-1])
	return b.String()
}
