package feedback

import (
	"context"
	"strings"

	"github.com/cohortbot/cohort/bot"
)

// listLimit is the most tickets a /tickets list shows.
const listLimit = 20

// runTickets is /tickets [open|mine|all|ID|claim ID|resolve ID|accept ID].
func (m *Module) runTickets(ctx context.Context, req *bot.Request) error {
	what := "open"
	if len(req.Args) > 0 {
		what = strings.ToLower(req.Args[0])
	}
	if id, ok := parseID(what); ok {
		t, err := m.lookup(ctx, req.Community.ID, id)
		if err != nil {
			return err
		}
		return m.show(ctx, req, t)
	}
	switch what {
	case "claim", "resolve", "accept":
		if len(req.Args) != 2 {
			return bot.Errorf("feedback.tickets_usage", nil)
		}
		id, ok := parseID(req.Args[1])
		if !ok {
			return bot.Errorf("feedback.tickets_usage", nil)
		}
		t, err := m.lookup(ctx, req.Community.ID, id)
		if err != nil {
			return err
		}
		switch what {
		case "claim":
			return m.claim(ctx, req, t)
		case "resolve":
			return m.resolve(ctx, req, t)
		default:
			return m.accept(ctx, req, t)
		}
	case "open", "mine", "all":
		return m.list(ctx, req, what)
	}
	return bot.Errorf("feedback.tickets_usage", nil)
}

// list shows pending tickets, the caller's claimed ones, or all recent ones.
func (m *Module) list(ctx context.Context, req *bot.Request, what string) error {
	me := req.Event.From.Display()
	keep := func(t Ticket) bool {
		switch what {
		case "mine":
			return t.State == StateClaimed && t.ClaimedBy == me
		case "all":
			return t.State != StateDraft && t.State != StateDropped
		}
		return t.Pending()
	}
	tickets, err := m.store.Tickets(ctx, req.Community.ID, listLimit, keep)
	if err != nil {
		return err
	}
	if len(tickets) == 0 {
		return req.ReplyText(ctx, "feedback.none", nil)
	}
	lines := []string{req.T("feedback.list_header", bot.Args{"count": len(tickets)})}
	for _, t := range tickets {
		lines = append(lines, req.T("feedback.list_line", bot.Args{
			"id": t.ID, "category": req.T("feedback.cat."+t.Category, nil),
			"state": req.T("feedback.state."+t.State, nil), "author": author(req.Bot, req.Lang, t),
			"text": bot.Shorten(t.Text, 60),
		}))
	}
	_, err = req.Reply(ctx, bot.Outgoing{Text: strings.Join(lines, "\n")})
	return err
}

// show prints one ticket with its actions.
func (m *Module) show(ctx context.Context, req *bot.Request, t Ticket) error {
	text := req.T("feedback.detail", bot.Args{
		"id": t.ID, "category": req.T("feedback.cat."+t.Category, nil),
		"state": req.T("feedback.state."+t.State, nil), "author": author(req.Bot, req.Lang, t),
		"origin": origin(req.Bot, req.Lang, req.Community, t), "text": t.Text,
		"handler": t.ClaimedBy, "replies": t.Replies,
	})
	if t.Rating > 0 {
		text += "\n" + req.T("feedback.rating_note", bot.Args{"id": t.ID, "stars": strings.Repeat("★", t.Rating) + strings.Repeat("☆", 5-t.Rating)})
	}
	if t.Comment != "" {
		text += "\n" + req.T("feedback.comment_note", bot.Args{"text": t.Comment})
	}
	_, err := req.Reply(ctx, bot.Outgoing{Text: text, Buttons: modButtons(req.Bot, req.Lang, t)})
	return err
}
