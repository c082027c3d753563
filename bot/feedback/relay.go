package feedback

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/cohortbot/cohort/bot"
)

// buttonData builds "prefix:id:arg".
func buttonData(prefix string, id uint64, arg string) string {
	return prefix + ":" + strconv.FormatUint(id, 10) + ":" + arg
}

// parseID reads a ticket id typed as "12" or "#12".
func parseID(s string) (uint64, bool) {
	id, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimSpace(s), "#"), 10, 64)
	return id, err == nil && id > 0
}

// author is how moderators see who wrote a ticket: never a name or an
// account for anonymous tickets.
func author(b *bot.Bot, lang string, t Ticket) string {
	if t.Anonymous {
		return b.T(lang, "feedback.anonymous", nil)
	}
	return t.Account.Display() + " (" + t.Account.Key() + ")"
}

// origin describes where a ticket came from.
func origin(b *bot.Bot, lang string, c *bot.Community, t Ticket) string {
	if t.Private {
		return b.T(lang, "feedback.origin_private", nil)
	}
	if seg := c.Segment(t.Origin); seg != "" {
		return t.Origin.String() + " · " + seg
	}
	return t.Origin.String()
}

// modLang is the language of the moderator chat: the community's.
func modLang(b *bot.Bot, c *bot.Community) string { return b.LangFor(c, "") }

// relayMessage is the ticket as moderators see it, with its action buttons.
func relayMessage(b *bot.Bot, c *bot.Community, t Ticket, reminder bool) bot.Outgoing {
	lang := modLang(b, c)
	args := bot.Args{
		"id":       t.ID,
		"category": b.T(lang, "feedback.cat."+t.Category, nil),
		"author":   author(b, lang, t),
		"origin":   origin(b, lang, c, t),
		"text":     t.Text,
		"state":    b.T(lang, "feedback.state."+t.State, nil),
	}
	text := b.T(lang, "feedback.relay", args)
	if reminder {
		hours := max(1, int(b.Now().Sub(t.Created)/time.Hour))
		text = b.T(lang, "feedback.reminder", bot.Args{"count": hours, "id": t.ID}) + "\n" + text
	}
	return bot.Outgoing{Text: text, Buttons: modButtons(b, lang, t)}
}

// modButtons are the moderators' actions for a ticket's state.
func modButtons(b *bot.Bot, lang string, t Ticket) [][]bot.Button {
	var row []bot.Button
	if t.State == StateOpen {
		row = append(row, bot.Button{Text: b.T(lang, "feedback.btn.claim", nil), Data: prefixModerate + ":claim:" + strconv.FormatUint(t.ID, 10)})
	}
	if t.Pending() {
		row = append(row, bot.Button{Text: b.T(lang, "feedback.btn.resolve", nil), Data: prefixModerate + ":resolve:" + strconv.FormatUint(t.ID, 10)})
	}
	if t.Category == CatSuggestion && !t.Accepted && t.State != StateDraft && t.State != StateDropped {
		row = append(row, bot.Button{Text: b.T(lang, "feedback.btn.accept", nil), Data: prefixModerate + ":accept:" + strconv.FormatUint(t.ID, 10)})
	}
	if len(row) == 0 {
		return nil
	}
	return [][]bot.Button{row}
}

// announce relays a ticket to the community's moderator chat and records
// the relayed message, so replies to it reach the member. Without a
// moderator chat it does nothing: moderators find tickets with /tickets.
func (m *Module) announce(ctx context.Context, b *bot.Bot, t Ticket, reminder bool) (Ticket, error) {
	c := b.Communities().Get(t.Community)
	if c == nil || c.ModChat.IsZero() {
		return t, nil
	}
	ref, err := b.Send(ctx, c.ModChat, relayMessage(b, c, t, reminder))
	if err != nil {
		return t, err
	}
	now := b.Now()
	return m.store.UpdateTicket(ctx, t.Community, t.ID, func(x *Ticket) error {
		x.Relays = append(x.Relays, ref)
		x.Announced = now
		return nil
	})
}

// Tick announces again every open ticket that nobody claimed within its
// community's reannounce_after. Run calls it every minute; tests call it
// after moving the bot's clock.
func (m *Module) Tick(ctx context.Context, b *bot.Bot) error {
	now := b.Now()
	tickets, err := m.store.UnclaimedBefore(ctx, now)
	if err != nil {
		return err
	}
	var firstErr error
	for _, t := range tickets {
		if !t.Announced.IsZero() && now.Sub(t.Announced) < m.settings.For(t.Community).ReannounceAfter {
			continue
		}
		if _, err := m.announce(ctx, b, t, !t.Announced.IsZero()); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}
