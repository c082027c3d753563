package points

import (
	"context"

	"github.com/cohortbot/cohort/bot"
	"github.com/rs/zerolog"
)

// Observe applies the participation rules to messages and attributes joins
// to invites. Commands, edits, private chats and chats outside a
// configured community earn nothing.
func (m *Module) Observe(ctx context.Context, req *bot.Request) error {
	m.bot.CompareAndSwap(nil, req.Bot)
	ev := req.Event
	if ev.Private || req.Community == nil || ev.From.IsBot || outsideCommunities(req) {
		return nil
	}
	switch ev.Kind {
	case bot.EventMessage:
		if ev.Edited || req.Claimed() {
			return nil
		}
		return m.onMessage(ctx, req)
	case bot.EventMemberJoined:
		return m.onJoin(ctx, req)
	}
	return nil
}

// onMessage is the hot path: one store call per message.
func (m *Module) onMessage(ctx context.Context, req *bot.Request) error {
	c := req.Community
	cfg := m.settings.For(c.ID)
	at := req.Event.Time
	p := periodsAt(at, c.Location)
	hash, length := fingerprint(req.Event.Text)
	var out outcome
	_, err := m.store.Apply(ctx, c.ID, req.Member, func(st *State, _ func(rule, ref string) bool) error {
		out = participate(cfg, st, p, at, hash, length)
		return nil
	})
	if err != nil {
		return err
	}
	m.after(ctx, req.Bot, c, req.Member, req.Event.Chat, out)
	return nil
}

// after does what a committed change asks for outside the store:
// announcing promotions, syncing Discord roles, paying a referrer.
func (m *Module) after(ctx context.Context, b *bot.Bot, c *bot.Community, member bot.MemberID, chat bot.ChatRef, out outcome) {
	if b == nil {
		return
	}
	cfg := m.settings.For(c.ID)
	if out.newTier != "" {
		m.syncRoles(ctx, b, c, member, out.oldTier, out.newTier)
	}
	if out.reachedVIP {
		b.CountMember(ctx, c.ID, member, bot.CountVIP, 1)
	}
	if out.promoted != nil && *cfg.Announce && !chat.IsZero() {
		if mem, ok, err := b.Members().Member(ctx, c.ID, member); err == nil && ok {
			text := b.T(b.LangFor(c, ""), "points.promoted", bot.Args{"name": mem.Name, "tier": out.promoted.Name})
			if out.promoted.Perks != "" {
				text += "\n" + bot.Escape(out.promoted.Perks)
			}
			if _, err := b.Send(ctx, chat, bot.Outgoing{Text: text}); err != nil {
				zerolog.Ctx(ctx).Warn().Err(err).Msg("announcing a promotion failed")
			}
		}
	}
	if out.referralDue {
		m.payReferrer(ctx, b, c, member)
	}
}

// syncRoles moves the member's Discord accounts from the old tier's role
// to the new one's in every Discord server of the community.
func (m *Module) syncRoles(ctx context.Context, b *bot.Bot, c *bot.Community, member bot.MemberID, oldTier, newTier string) {
	cfg := m.settings.For(c.ID)
	var oldRole, newRole string
	if i := tierIndex(cfg, oldTier); i >= 0 {
		oldRole = cfg.Tiers[i].DiscordRole
	}
	if i := tierIndex(cfg, newTier); i >= 0 {
		newRole = cfg.Tiers[i].DiscordRole
	}
	if oldRole == newRole {
		return
	}
	a, ok := b.Adapter(bot.Discord)
	if !ok {
		return
	}
	setter, ok := a.(bot.RoleSetter)
	if !ok {
		zerolog.Ctx(ctx).Warn().Msg("the discord adapter cannot set roles; tier roles not synced")
		return
	}
	mem, found, err := b.Members().Member(ctx, c.ID, member)
	if err != nil || !found {
		return
	}
	spaces := map[string]bool{}
	for _, ch := range c.Chats {
		if ch.Ref.Platform == bot.Discord {
			spaces[ch.Ref.Space] = true
		}
	}
	for _, acct := range mem.Accounts {
		if acct.Platform != bot.Discord {
			continue
		}
		for space := range spaces {
			if oldRole != "" {
				if err := setter.SetRole(ctx, space, acct.ID, oldRole, false); err != nil {
					zerolog.Ctx(ctx).Warn().Err(err).Msg("removing a tier role failed")
				}
			}
			if newRole != "" {
				if err := setter.SetRole(ctx, space, acct.ID, newRole, true); err != nil {
					zerolog.Ctx(ctx).Warn().Err(err).Msg("granting a tier role failed")
				}
			}
		}
	}
}

// Reward applies a reward rule (bot.RulePollVote, ...) with the amount the
// community configures. The same (member, rule, ref) pays once; a repeat
// or a rule with no amount pays 0. It implements bot.Rewards.
func (m *Module) Reward(ctx context.Context, community string, member bot.MemberID, rule, ref string) (int64, error) {
	cfg := m.settings.For(community)
	amount := cfg.Rewards[rule]
	if amount <= 0 || ref == "" || len(ref) > 128 {
		return 0, nil
	}
	b := m.bot.Load()
	loc := timeLocation(b, community)
	var at = nowOf(b)
	p := periodsAt(at, loc)
	var out outcome
	var paid int64
	_, err := m.store.Apply(ctx, community, member, func(st *State, seen func(rule, ref string) bool) error {
		out, paid = outcome{}, 0
		if seen(rule, ref) {
			return nil
		}
		st.post(Entry{Time: at, Delta: amount, Score: amount, Reason: rule, Rule: rule, Ref: ref}, p.week, p.month)
		if rule == bot.RuleReferral {
			st.Referrals++
		}
		paid = amount
		retier(cfg, st, &out)
		return nil
	})
	if err != nil || paid == 0 {
		return 0, err
	}
	if b != nil {
		if c := b.Communities().Get(community); c != nil {
			m.after(ctx, b, c, member, bot.ChatRef{}, out)
		}
	}
	return paid, nil
}

// payReferrer rewards whoever brought member, once member has qualified.
// The reward is idempotent by the referred member's id, so a crash between
// paying and marking pays once.
func (m *Module) payReferrer(ctx context.Context, b *bot.Bot, c *bot.Community, member bot.MemberID) {
	st, err := m.store.State(ctx, c.ID, member)
	if err != nil || st.ReferredBy == "" || st.ReferralPaid {
		return
	}
	referrer := bot.MemberID(st.ReferredBy)
	if _, err := m.Reward(ctx, c.ID, referrer, bot.RuleReferral, "member:"+string(member)); err != nil {
		zerolog.Ctx(ctx).Error().Err(err).Msg("paying a referral failed")
		return
	}
	if _, err := m.store.Apply(ctx, c.ID, member, func(st *State, _ func(rule, ref string) bool) error {
		st.ReferralPaid = true
		return nil
	}); err != nil {
		zerolog.Ctx(ctx).Error().Err(err).Msg("marking a referral paid failed")
		return
	}
	b.Count(ctx, c.ID, bot.ChatRef{}, bot.CountReferrals, 1)
}

// onJoin attributes a join through a member's invite to that member. Self
// referrals and members seen before (rejoins) are not attributed.
func (m *Module) onJoin(ctx context.Context, req *bot.Request) error {
	code := inviteKey(req.Event.Invite)
	if code == "" {
		return nil
	}
	c := req.Community
	referrer, ok, err := m.store.InviteOwner(ctx, c.ID, code)
	if err != nil || !ok || referrer == req.Member {
		return err
	}
	mem, found, err := req.Bot.Members().Member(ctx, c.ID, req.Member)
	if err != nil {
		return err
	}
	if found && mem.Joined.Before(req.Event.Time) {
		return nil // seen before: a rejoin
	}
	attributed := false
	if _, err := m.store.Apply(ctx, c.ID, req.Member, func(st *State, _ func(rule, ref string) bool) error {
		attributed = false
		if st.ReferredBy != "" || !st.FirstSeen.IsZero() {
			return nil
		}
		st.ReferredBy = string(referrer)
		st.FirstSeen = req.Event.Time
		attributed = true
		return nil
	}); err != nil || !attributed {
		return err
	}
	_, err = m.store.Apply(ctx, c.ID, referrer, func(st *State, _ func(rule, ref string) bool) error {
		st.Invited++
		return nil
	})
	return err
}

// outsideCommunities reports a chat that is not part of any configured
// community while some are configured: it earns nothing. Without any
// configured community every chat is a community of its own and earns.
func outsideCommunities(req *bot.Request) bool {
	return req.Community.Implicit && len(req.Bot.Communities().All()) > 0
}
