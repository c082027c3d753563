package feedback

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cohortbot/cohort/bot"
	"github.com/rs/zerolog"
)

// askRating asks the member of a resolved ticket for a 1–5 rating. It is
// best effort: a member who cannot be reached is simply not asked.
func (m *Module) askRating(ctx context.Context, b *bot.Bot, t Ticket) {
	c := b.Communities().Get(t.Community)
	lang := b.LangFor(c, t.Lang)
	var row []bot.Button
	for n := 1; n <= 5; n++ {
		row = append(row, bot.Button{Text: strings.Repeat("★", n), Data: buttonData(prefixRate, t.ID, strconv.Itoa(n))})
	}
	out := bot.Outgoing{Text: b.T(lang, "feedback.rate_prompt", bot.Args{"id": t.ID}), Buttons: [][]bot.Button{row}}
	if _, err := m.toMember(ctx, b, t, out); err != nil {
		zerolog.Ctx(ctx).Info().Err(err).Uint64("ticket", t.ID).Msg("could not ask the member for a rating")
	}
}

// pressRate stores the member's rating of a resolved ticket.
func (m *Module) pressRate(ctx context.Context, req *bot.Request) error {
	if len(req.Args) != 2 {
		return nil
	}
	id, ok := parseID(req.Args[0])
	stars, err := strconv.Atoi(req.Args[1])
	if !ok || err != nil || stars < 1 || stars > 5 {
		return nil
	}
	t, found, err := m.store.Ticket(ctx, req.Community.ID, id)
	if err != nil || !found {
		return err
	}
	if t.Member != req.Member {
		return bot.Errorf("feedback.not_yours", nil)
	}
	if t.State != StateResolved {
		return nil
	}
	now := req.Now()
	t, err = m.store.UpdateTicket(ctx, t.Community, t.ID, func(x *Ticket) error {
		x.Rating, x.RatedAt = stars, now
		return nil
	})
	if err != nil {
		return err
	}
	m.tellModerators(ctx, req.Bot, t)
	key := "feedback.rated"
	if m.settings.For(t.Community).CommentWindow <= 0 {
		key = "feedback.rated_no_comment"
	}
	return req.ReplyText(ctx, key, bot.Args{"id": t.ID, "stars": stars, "count": int(m.settings.For(t.Community).CommentWindow.Minutes())})
}

// takeComment stores text as the comment of the member's most recently
// rated ticket when it was rated within the comment window. It reports
// whether the text was taken.
func (m *Module) takeComment(ctx context.Context, req *bot.Request, text string, cfg Config) (bool, error) {
	if cfg.CommentWindow <= 0 {
		return false, nil
	}
	tickets, err := m.store.MemberTickets(ctx, req.Community.ID, req.Member)
	if err != nil {
		return false, err
	}
	now := req.Now()
	for _, t := range tickets {
		if t.State != StateResolved || t.Rating == 0 || t.Comment != "" || now.Sub(t.RatedAt) > cfg.CommentWindow {
			continue
		}
		if utf8.RuneCountInString(text) > MaxText {
			text = string([]rune(text)[:MaxText])
		}
		t, err = m.store.UpdateTicket(ctx, t.Community, t.ID, func(x *Ticket) error {
			x.Comment = text
			return nil
		})
		if err != nil {
			return false, err
		}
		m.tellModerators(ctx, req.Bot, t)
		return true, req.ReplyText(ctx, "feedback.comment_saved", bot.Args{"id": t.ID})
	}
	return false, nil
}

// tellModerators posts a ticket's rating (and comment) to the moderator chat.
func (m *Module) tellModerators(ctx context.Context, b *bot.Bot, t Ticket) {
	c := b.Communities().Get(t.Community)
	if c == nil || c.ModChat.IsZero() {
		return
	}
	lang := modLang(b, c)
	text := b.T(lang, "feedback.rating_note", bot.Args{"id": t.ID, "stars": strings.Repeat("★", t.Rating) + strings.Repeat("☆", 5-t.Rating)})
	if t.Comment != "" {
		text += "\n" + b.T(lang, "feedback.comment_note", bot.Args{"text": t.Comment})
	}
	if _, err := b.Send(ctx, c.ModChat, bot.Outgoing{Text: text}); err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Uint64("ticket", t.ID).Msg("posting a rating to moderators failed")
	}
}
