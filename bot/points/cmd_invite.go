package points

import (
	"context"
	"errors"
	"strings"

	"github.com/cohortbot/cohort/bot"
)

// inviteKey is what identifies an invite in a join event and in the store:
// the last part of the link ("https://t.me/+AbC" → "+AbC", a Discord
// invite URL → its code), so links and bare codes match.
func inviteKey(link string) string {
	link = strings.TrimRight(strings.TrimSpace(link), "/")
	if i := strings.LastIndexByte(link, '/'); i >= 0 {
		link = link[i+1:]
	}
	return clip(link, 100)
}

// runInvite gives the caller a personal invite link for the chat (or the
// community's first chat on the platform, in private) and their counts.
func (m *Module) runInvite(ctx context.Context, req *bot.Request) error {
	c := req.Community
	chat := req.Event.Chat.WithoutThread()
	if req.Event.Private {
		chat = bot.ChatRef{}
		for _, t := range c.Targets("") {
			if t.Platform == req.Event.Chat.Platform {
				chat = t
				break
			}
		}
		if chat.IsZero() {
			return bot.Errorf("error.no_community_chat", nil)
		}
	}
	a, ok := req.Bot.Adapter(chat.Platform)
	inviter, can := a.(bot.Inviter)
	if !ok || !can {
		return bot.Errorf("invite.unsupported", nil)
	}
	link, found, err := m.store.InviteFor(ctx, c.ID, req.Member, chat.String())
	if err != nil {
		return err
	}
	if !found {
		link, err = inviter.CreateInvite(ctx, chat, "cohort-"+string(req.Member))
		if errors.Is(err, bot.ErrUnsupported) {
			return bot.Errorf("invite.unsupported", nil)
		}
		if err != nil {
			return bot.Errorf("invite.failed", nil)
		}
		if err := m.store.SaveInvite(ctx, c.ID, req.Member, chat.String(), link, inviteKey(link)); err != nil {
			return err
		}
	}
	st, err := m.store.State(ctx, c.ID, req.Member)
	if err != nil {
		return err
	}
	cfg := m.settings.For(c.ID)
	return req.ReplyText(ctx, "invite.text", bot.Args{
		"link": link, "invited": st.Invited, "count": st.Referrals,
		"reward": cfg.Rewards[bot.RuleReferral], "days": cfg.Referral.ActiveDays, "messages": cfg.Referral.Messages,
	})
}
