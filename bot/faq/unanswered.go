package faq

import (
	"context"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/faq/match"
	"github.com/rs/zerolog"
)

// maxStoredQuestion bounds the text kept of an unanswered question.
const maxStoredQuestion = 200

// recordUnanswered counts a question /faq could not answer and, when it is
// new and the community wants it, tells the moderators.
func (m *Module) recordUnanswered(ctx context.Context, req *bot.Request, query string) error {
	key := match.Key(query)
	if key == "" {
		return nil
	}
	cfg := m.settings.For(req.Community.ID)
	q, err := m.store.RecordUnanswered(ctx, req.Community.ID, Unanswered{Key: key, Text: clip(query, maxStoredQuestion), Count: 1, First: req.Now(), Last: req.Now()}, cfg.Unanswered.Keep)
	if err != nil {
		return err
	}
	if q.Count != 1 || !cfg.Unanswered.Forward || req.Community.ModChat.IsZero() {
		return nil
	}
	lang := req.Bot.LangFor(req.Community, "")
	text := req.Bot.T(lang, "faq.forward", bot.Args{"name": req.Event.From.Display(), "chat": req.Event.Chat.String(), "question": q.Text})
	if _, err := req.Bot.Send(ctx, req.Community.ModChat, bot.Outgoing{Text: text}); err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Msg("forwarding unanswered FAQ question failed")
	}
	return nil
}

// forgetAnswered clears the unanswered questions the catalog now answers.
func (m *Module) forgetAnswered(ctx context.Context, community string, cat *catalog) {
	qs, err := m.store.UnansweredFAQ(ctx, community, m.settings.For(community).Unanswered.Keep)
	if err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Msg("reading unanswered FAQ questions failed")
		return
	}
	var keys []string
	threshold := m.settings.For(community).Threshold
	for _, q := range qs {
		if cat.lookup(q.Text, threshold).confident {
			keys = append(keys, q.Key)
		}
	}
	if len(keys) == 0 {
		return
	}
	if err := m.store.ClearUnanswered(ctx, community, keys); err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Msg("clearing answered FAQ questions failed")
	}
}
