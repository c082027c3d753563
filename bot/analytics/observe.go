package analytics

import (
	"context"

	"github.com/cohortbot/cohort/bot"
)

// Observe counts what the core sees: joins and leaves, messages, commands,
// and who was active where. It only touches memory.
func (m *Module) Observe(_ context.Context, req *bot.Request) error {
	m.attach(req.Bot)
	ev := req.Event
	if ev.Edited || req.Member == "" {
		return nil
	}
	c := req.Community
	at := ev.Time
	if at.IsZero() {
		at = req.Now()
	}
	day := DayOf(at, location(c))
	chat := chatKey(c, ev.Chat, ev.Private)
	act := Activity{Community: c.ID, Member: req.Member, Day: day, Chat: chat}
	var counter string
	switch ev.Kind {
	case bot.EventMemberJoined:
		counter, act.Kind = bot.CountJoined, Joined
	case bot.EventMemberLeft:
		counter, act.Kind = bot.CountLeft, Left
	case bot.EventMessage:
		counter, act.Kind = bot.CountMessages, Wrote
	case bot.EventCommand:
		counter, act.Kind = bot.CountCommands, Wrote
	case bot.EventButton, bot.EventPollVote, bot.EventReaction:
		act.Kind = Acted
	default:
		return nil
	}
	m.add(c.ID, day, chat, counter, 1, &act)
	return nil
}
