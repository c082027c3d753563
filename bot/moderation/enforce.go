package moderation

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/rs/zerolog"
)

// actorAuto is the actor of automatic actions.
const actorAuto = "auto"

// enforceRule deletes the offending message, warns the member and climbs
// the warn ladder. A member the bot already muted only loses the message.
func (m *Module) enforceRule(ctx context.Context, req *bot.Request, cfg Config, v violation) error {
	ev := req.Event
	b := req.Bot
	if err := deleteMessage(ctx, b, bot.MessageRef{Chat: ev.Chat, ID: ev.MessageID}); err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Str("rule", v.rule).Msg("deleting a message failed")
	}
	key := req.Community.ID + "\x00" + string(req.Member)
	if m.mutes.muted(key, req.Now()) {
		return nil
	}
	mem := m.member(ctx, req, req.Member, ev.From)
	reason := b.T(b.LangFor(req.Community, ""), "moderation.rule."+v.rule, v.args)
	warn := Action{Community: req.Community.ID, Member: mem.ID, Kind: KindWarn, Rule: v.rule, Reason: reason, Actor: actorAuto, At: req.Now()}
	if _, err := m.record(ctx, b, req.Community, mem, warn, nil); err != nil {
		return err
	}
	count, err := m.warnings(ctx, req.Community.ID, mem.ID, req.Now(), cfg)
	if err != nil {
		return err
	}
	text := req.T("moderation.warned_auto", bot.Args{"name": ev.From.Display(), "reason": req.T("moderation.rule."+v.rule, v.args), "count": count})
	if _, err := b.Send(ctx, ev.Chat, bot.Outgoing{Text: text, Mention: []bot.Account{ev.From}}); err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Msg("posting a warning failed")
	}
	return m.climbLadder(ctx, req, cfg, mem, &ev.From)
}

// member loads a member, falling back to the account alone.
func (m *Module) member(ctx context.Context, req *bot.Request, id bot.MemberID, acct bot.Account) bot.Member {
	mem, ok, err := req.Bot.Members().Member(ctx, req.Community.ID, id)
	if err != nil || !ok {
		return bot.Member{ID: id, Community: req.Community.ID, Accounts: []bot.Account{acct}, Name: acct.Display()}
	}
	return mem
}

// warnings counts a member's warnings within the ladder's longest window.
func (m *Module) warnings(ctx context.Context, community string, member bot.MemberID, now time.Time, cfg Config) (int, error) {
	window := 7 * 24 * time.Hour
	for _, s := range cfg.Ladder {
		window = max(window, s.Within)
	}
	acts, err := m.store.MemberActions(ctx, community, member, now.Add(-window))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, a := range acts {
		if a.Kind == KindWarn {
			n++
		}
	}
	return n, nil
}

// climbLadder applies the highest ladder step the member's warnings just
// reached.
func (m *Module) climbLadder(ctx context.Context, req *bot.Request, cfg Config, mem bot.Member, offender *bot.Account) error {
	acts, err := m.store.MemberActions(ctx, req.Community.ID, mem.ID, time.Time{})
	if err != nil {
		return err
	}
	now := req.Now()
	var step *Step
	for i := range cfg.Ladder {
		s := cfg.Ladder[i]
		n := 0
		for _, a := range acts {
			if a.Kind == KindWarn && !a.At.Before(now.Add(-s.Within)) {
				n++
			}
		}
		if n == s.Warns {
			step = &s
		}
	}
	if step == nil {
		return nil
	}
	a := Action{Community: req.Community.ID, Member: mem.ID, Kind: step.Action, Rule: RuleLadder, Actor: actorAuto, At: now,
		Reason: req.Bot.T(req.Bot.LangFor(req.Community, ""), "moderation.ladder_reason", bot.Args{"count": step.Warns})}
	if step.Action == KindMute {
		a.Until = now.Add(step.Duration)
	}
	res, err := m.record(ctx, req.Bot, req.Community, mem, a, m.targets(cfg, mem, offender, req.Event.Chat.Platform))
	if err != nil {
		return err
	}
	text := req.T("moderation.done."+a.Kind, bot.Args{"name": mem.Name, "duration": formatDuration(step.Duration), "reason": a.Reason})
	if res.unsupported != "" {
		text += "\n" + req.T("moderation.unsupported", bot.Args{"platforms": res.unsupported})
	}
	_, err = req.Bot.Send(ctx, req.Event.Chat, bot.Outgoing{Text: text})
	return err
}

// targets picks the accounts an action reaches: every linked account with
// apply_linked, else the offending account, else the member's accounts on
// the platform the moderator used (or all, when none is there).
func (m *Module) targets(cfg Config, mem bot.Member, offender *bot.Account, platform string) []bot.Account {
	if cfg.ApplyLinked {
		return mem.Accounts
	}
	if offender != nil {
		return []bot.Account{*offender}
	}
	var out []bot.Account
	for _, a := range mem.Accounts {
		if a.Platform == platform {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return mem.Accounts
	}
	return out
}

// outcome is what a platform action achieved.
type outcome struct {
	unsupported string // platforms lacking the capability, comma separated
	failed      string // platforms where the action failed
}

// record applies an action on the platforms (for the given accounts),
// stores it and posts it to the moderation log.
func (m *Module) record(ctx context.Context, b *bot.Bot, c *bot.Community, mem bot.Member, a Action, accounts []bot.Account) (outcome, error) {
	var res outcome
	if len(accounts) > 0 {
		res = apply(ctx, b, c, a, accounts)
		for _, acct := range accounts {
			a.Accounts = append(a.Accounts, acct.Key())
		}
	}
	a, err := m.store.RecordAction(ctx, a)
	if err != nil {
		return res, err
	}
	key := c.ID + "\x00" + string(mem.ID)
	switch a.Kind {
	case KindMute:
		m.mutes.set(key, a.Until)
	case KindUnmute:
		m.mutes.set(key, time.Time{})
	}
	m.log(ctx, b, c, mem, a, res)
	return res, nil
}

// apply performs a mute, unmute, ban or unban for each account in every
// community chat space on the account's platform.
func apply(ctx context.Context, b *bot.Bot, c *bot.Community, a Action, accounts []bot.Account) outcome {
	var unsupported, failed []string
	note := func(list *[]string, p string) {
		for _, x := range *list {
			if x == p {
				return
			}
		}
		*list = append(*list, p)
	}
	for _, acct := range accounts {
		adapter, ok := b.Adapter(acct.Platform)
		if !ok {
			note(&unsupported, acct.Platform)
			continue
		}
		seen := map[string]bool{}
		for _, ch := range c.Chats {
			ref := ch.Ref
			if ref.Platform != acct.Platform || seen[ref.Space] {
				continue
			}
			seen[ref.Space] = true
			err := act(ctx, adapter, ref, acct.ID, a)
			switch {
			case errors.Is(err, bot.ErrUnsupported):
				note(&unsupported, acct.Platform)
			case err != nil:
				zerolog.Ctx(ctx).Warn().Err(err).Str("action", a.Kind).Str("chat", ref.String()).Msg("moderation action failed")
				note(&failed, acct.Platform)
			}
		}
	}
	return outcome{unsupported: strings.Join(unsupported, ", "), failed: strings.Join(failed, ", ")}
}

func act(ctx context.Context, adapter bot.Adapter, chat bot.ChatRef, userID string, a Action) error {
	switch a.Kind {
	case KindMute, KindUnmute:
		mu, ok := adapter.(bot.Muter)
		if !ok {
			return bot.ErrUnsupported
		}
		if a.Kind == KindMute {
			return mu.Mute(ctx, chat, userID, a.Until)
		}
		return mu.Unmute(ctx, chat, userID)
	case KindBan, KindUnban:
		bn, ok := adapter.(bot.Banner)
		if !ok {
			return bot.ErrUnsupported
		}
		if a.Kind == KindBan {
			return bn.Ban(ctx, chat, userID, a.Reason)
		}
		return bn.Unban(ctx, chat, userID)
	}
	return nil
}

// deleteMessage deletes a message where the platform can.
func deleteMessage(ctx context.Context, b *bot.Bot, msg bot.MessageRef) error {
	if msg.ID == "" {
		return nil
	}
	adapter, ok := b.Adapter(msg.Chat.Platform)
	if !ok {
		return bot.ErrUnsupported
	}
	d, ok := adapter.(bot.Deleter)
	if !ok {
		return bot.ErrUnsupported
	}
	return d.Delete(ctx, msg)
}

// log posts an action to the community's moderation log.
func (m *Module) log(ctx context.Context, b *bot.Bot, c *bot.Community, mem bot.Member, a Action, res outcome) {
	if c.ModChat.IsZero() {
		return
	}
	lang := b.LangFor(c, "")
	actor := a.Actor
	if actor == actorAuto {
		actor = b.T(lang, "moderation.auto", nil)
	}
	accounts := a.Accounts
	if len(accounts) == 0 { // a warning acts on no account: name them all
		for _, acct := range mem.Accounts {
			accounts = append(accounts, acct.Key())
		}
	}
	args := bot.Args{"action": b.T(lang, "moderation.kind."+a.Kind, nil), "name": mem.Name, "accounts": strings.Join(accounts, ", "),
		"reason": a.Reason, "actor": actor, "id": a.ID}
	text := b.T(lang, "moderation.log", args)
	if !a.Until.IsZero() {
		text += " · " + b.T(lang, "moderation.until", bot.Args{"until": a.Until.In(c.Location).Format("2006-01-02 15:04 MST")})
	}
	if res.unsupported != "" {
		text += "\n" + b.T(lang, "moderation.unsupported", bot.Args{"platforms": res.unsupported})
	}
	if res.failed != "" {
		text += "\n" + b.T(lang, "moderation.failed", bot.Args{"platforms": res.failed})
	}
	if _, err := b.Send(ctx, c.ModChat, bot.Outgoing{Text: text}); err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Msg("posting to the moderation log failed")
	}
}

// formatDuration writes a duration as moderators type it: 30m, 2h, 3d.
func formatDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return ""
	case d%(24*time.Hour) == 0:
		return itoa(int(d/(24*time.Hour))) + "d"
	case d%time.Hour == 0:
		return itoa(int(d/time.Hour)) + "h"
	default:
		return itoa(int((d+time.Minute-1)/time.Minute)) + "m"
	}
}
