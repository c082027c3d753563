package feedback

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cohortbot/cohort/bot"
	"github.com/rs/zerolog"
)

// errState carries the catalog key explaining why an action does not fit a
// ticket's state; it is returned from UpdateTicket callbacks.
type errState struct{ key string }

func (e errState) Error() string { return "ticket state: " + e.key }

// userState turns an errState into the moderator-facing error.
func userState(err error, t Ticket) error {
	var es errState
	if errors.As(err, &es) {
		return bot.Errorf(es.key, bot.Args{"id": t.ID, "name": t.ClaimedBy})
	}
	return err
}

// lookup finds a ticket a moderator names; drafts are the member's own
// business and stay hidden.
func (m *Module) lookup(ctx context.Context, community string, id uint64) (Ticket, error) {
	t, ok, err := m.store.Ticket(ctx, community, id)
	if err != nil {
		return t, err
	}
	if !ok || t.State == StateDraft || t.State == StateDropped {
		return t, bot.Errorf("feedback.unknown_ticket", bot.Args{"id": id})
	}
	return t, nil
}

// pressModerate handles the claim, resolve and accept buttons.
func (m *Module) pressModerate(ctx context.Context, req *bot.Request) error {
	if len(req.Args) != 2 {
		return nil
	}
	id, ok := parseID(req.Args[1])
	if !ok {
		return nil
	}
	t, found, err := m.store.Ticket(ctx, req.Community.ID, id)
	if err != nil || !found || t.State == StateDraft || t.State == StateDropped {
		return err // forged or foreign data does nothing
	}
	switch req.Args[0] {
	case "claim":
		return m.claim(ctx, req, t)
	case "resolve":
		return m.resolve(ctx, req, t)
	case "accept":
		return m.accept(ctx, req, t)
	}
	return nil
}

// claim makes the caller the ticket's handler.
func (m *Module) claim(ctx context.Context, req *bot.Request, t Ticket) error {
	name := req.Event.From.Display()
	nt, err := m.store.UpdateTicket(ctx, t.Community, t.ID, func(x *Ticket) error {
		switch x.State {
		case StateClaimed:
			return errState{"feedback.already_claimed"}
		case StateResolved:
			return errState{"feedback.already_resolved"}
		}
		x.State, x.ClaimedBy = StateClaimed, name
		return nil
	})
	if err != nil {
		return userState(err, t)
	}
	t = nt
	m.refreshRelays(ctx, req.Bot, t)
	return req.ReplyText(ctx, "feedback.claimed", bot.Args{"id": t.ID, "name": name})
}

// resolve closes a ticket and asks the member for a rating.
func (m *Module) resolve(ctx context.Context, req *bot.Request, t Ticket) error {
	name := req.Event.From.Display()
	now := req.Now()
	nt, err := m.store.UpdateTicket(ctx, t.Community, t.ID, func(x *Ticket) error {
		if x.State == StateResolved {
			return errState{"feedback.already_resolved"}
		}
		x.State, x.Resolved = StateResolved, now
		if x.ClaimedBy == "" {
			x.ClaimedBy = name
		}
		return nil
	})
	if err != nil {
		return userState(err, t)
	}
	t = nt
	req.Bot.Count(ctx, t.Community, t.Origin, bot.CountTicketsResolved, 1)
	m.refreshRelays(ctx, req.Bot, t)
	m.askRating(ctx, req.Bot, t)
	return req.ReplyText(ctx, "feedback.resolved", bot.Args{"id": t.ID, "name": name})
}

// accept marks a suggestion as taken up and rewards its author once.
func (m *Module) accept(ctx context.Context, req *bot.Request, t Ticket) error {
	if t.Category != CatSuggestion {
		return bot.Errorf("feedback.not_suggestion", bot.Args{"id": t.ID})
	}
	nt, err := m.store.UpdateTicket(ctx, t.Community, t.ID, func(x *Ticket) error {
		if x.Accepted {
			return errState{"feedback.already_accepted"}
		}
		x.Accepted = true
		return nil
	})
	if err != nil {
		return userState(err, t)
	}
	t = nt
	points, err := req.Bot.Reward(ctx, t.Community, t.Member, bot.RuleFeedback, fmt.Sprintf("ticket:%d", t.ID))
	if err != nil {
		return err
	}
	m.refreshRelays(ctx, req.Bot, t)
	c := req.Community
	lang := req.Bot.LangFor(c, t.Lang)
	note := bot.Outgoing{Text: req.Bot.T(lang, "feedback.accepted_member", bot.Args{"id": t.ID, "points": points})}
	if _, err := m.toMember(ctx, req.Bot, t, note); err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Uint64("ticket", t.ID).Msg("telling the member about an accepted suggestion failed")
	}
	return req.ReplyText(ctx, "feedback.accepted", bot.Args{"id": t.ID, "points": points})
}

// refreshRelays updates the buttons of the relayed copies after a state
// change, where the platform can edit messages.
func (m *Module) refreshRelays(ctx context.Context, b *bot.Bot, t Ticket) {
	c := b.Communities().Get(t.Community)
	if c == nil {
		return
	}
	for _, r := range t.Relays {
		a, ok := b.Adapter(r.Chat.Platform)
		if !ok {
			continue
		}
		ed, ok := a.(bot.Editor)
		if !ok {
			continue
		}
		if err := ed.Edit(ctx, r, relayMessage(b, c, t, false)); err != nil {
			zerolog.Ctx(ctx).Debug().Err(err).Uint64("ticket", t.ID).Msg("updating a relayed ticket failed")
		}
	}
}

// runReply is /reply ID TEXT.
func (m *Module) runReply(ctx context.Context, req *bot.Request) error {
	idArg, text, _ := strings.Cut(req.RawArgs, " ")
	id, ok := parseID(idArg)
	if !ok {
		return bot.Errorf("feedback.reply_usage", nil)
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return bot.Errorf("feedback.reply_usage", nil)
	}
	if err := checkText(text); err != nil {
		return err
	}
	t, err := m.lookup(ctx, req.Community.ID, id)
	if err != nil {
		return err
	}
	return m.answer(ctx, req, t, text)
}

// observeModReply answers a ticket when a moderator replies to its relayed
// message in the moderator chat.
func (m *Module) observeModReply(ctx context.Context, req *bot.Request) error {
	ref := *req.Event.ReplyTo
	if ref.Chat.IsZero() {
		ref.Chat = req.Event.Chat
	}
	t, ok, err := m.store.TicketByRelay(ctx, req.Community.ID, ref)
	if err != nil || !ok {
		return err
	}
	if req.Role(ctx) < bot.RoleModerator {
		return nil
	}
	text := strings.TrimSpace(req.Event.Text)
	if err := checkText(text); err != nil {
		var ue *bot.UserError
		if errors.As(err, &ue) {
			return req.ReplyText(ctx, ue.Key, ue.Data)
		}
		return err
	}
	if err := m.answer(ctx, req, t, text); err != nil {
		var ue *bot.UserError
		if errors.As(err, &ue) {
			return req.ReplyText(ctx, ue.Key, ue.Data)
		}
		return err
	}
	return nil
}

// answer delivers a moderator's answer to the ticket's member and tells the
// moderator how it went. An open ticket becomes claimed by the moderator.
func (m *Module) answer(ctx context.Context, req *bot.Request, t Ticket, text string) error {
	b := req.Bot
	lang := b.LangFor(req.Community, t.Lang)
	out := bot.Outgoing{Text: b.T(lang, "feedback.answer", bot.Args{"id": t.ID, "text": text})}
	how, err := m.toMember(ctx, b, t, out)
	if err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Uint64("ticket", t.ID).Msg("answer could not be delivered")
		return bot.Errorf("feedback.undeliverable", bot.Args{"id": t.ID})
	}
	name := req.Event.From.Display()
	t, err = m.store.UpdateTicket(ctx, t.Community, t.ID, func(x *Ticket) error {
		x.Replies++
		if x.State == StateOpen {
			x.State, x.ClaimedBy = StateClaimed, name
		}
		return nil
	})
	if err != nil {
		return err
	}
	return req.ReplyText(ctx, "feedback.delivered_"+how, bot.Args{"id": t.ID})
}

// toMember sends a message to the ticket's member: by direct message, or
// when that is impossible in the chat the ticket came from (not naming an
// anonymous member). It reports "dm" or "chat".
func (m *Module) toMember(ctx context.Context, b *bot.Bot, t Ticket, out bot.Outgoing) (string, error) {
	mem, ok, err := b.Members().Member(ctx, t.Community, t.Member)
	if err != nil {
		return "", err
	}
	if !ok {
		mem = bot.Member{ID: t.Member, Accounts: []bot.Account{t.Account}}
	}
	_, err = b.SendMember(ctx, mem, out)
	if err == nil {
		return "dm", nil
	}
	if !errors.Is(err, bot.ErrCannotDM) || t.Private || t.Origin.IsZero() {
		return "", err
	}
	if !t.Anonymous {
		out.Text = bot.Escape(t.Account.Display()) + ", " + out.Text
		out.Mention = []bot.Account{t.Account}
		out.ReplyTo = t.OriginMsg
	}
	if _, err := b.Send(ctx, t.Origin, out); err != nil {
		return "", err
	}
	return "chat", nil
}
