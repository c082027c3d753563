package sentinel

import (
	"context"
	"strings"

	"github.com/cohortbot/cohort/bot"
)

// maxQuote is how much of a flagged message is kept and shown.
const maxQuote = 300

// riskAlert records a flagged message and alerts moderators unless the
// phrase is cooling down. Moderators' own messages are not flagged.
func (m *Module) riskAlert(ctx context.Context, req *bot.Request, cfg Config, a Analysis) error {
	if req.Role(ctx) >= bot.RoleModerator {
		return nil
	}
	ev := req.Event
	c := req.Community
	now := req.Now()
	key := c.ID + "\x00" + a.Phrases[0]

	m.mu.Lock()
	alert := !now.Before(m.cooldown[key])
	quiet := m.quiet[key]
	if alert {
		m.cooldown[key] = now.Add(cfg.AlertCooldown)
		m.quiet[key] = 0
	} else {
		m.quiet[key]++
	}
	m.mu.Unlock()

	quote := bot.Shorten(ev.Text, maxQuote)
	f := Flagged{Community: c.ID, At: now, Chat: ev.Chat, MessageID: ev.MessageID, Member: req.Member,
		Author: ev.From.Display() + " (" + ev.From.Key() + ")", Text: quote, Phrases: a.Phrases, Alerted: alert}
	if err := m.store.Flag(ctx, f); err != nil {
		return err
	}
	if !alert || c.ModChat.IsZero() {
		return nil
	}
	b := req.Bot
	lang := b.LangFor(c, "")
	where := ev.Chat.String()
	if seg := c.Segment(ev.Chat); seg != "" {
		where += " · " + seg
	}
	text := b.T(lang, "sentinel.alert", bot.Args{"phrases": strings.Join(a.Phrases, ", "), "author": f.Author, "chat": where, "text": quote})
	if link := messageLink(bot.MessageRef{Chat: ev.Chat, ID: ev.MessageID}); link != "" && bot.SafeURL(link) {
		text += "\n" + b.T(lang, "sentinel.link", bot.Args{"url": bot.Raw(link)})
	}
	if quiet > 0 {
		text += "\n" + b.T(lang, "sentinel.quiet", bot.Args{"count": quiet})
	}
	_, err := b.Send(ctx, c.ModChat, bot.Outgoing{Text: text})
	return err
}
