package points

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/cohortbot/cohort/bot"
	"github.com/rs/zerolog"
)

// runAward gives points: /award @member AMOUNT REASON, or as a reply to the
// member's message /award AMOUNT REASON.
func (m *Module) runAward(ctx context.Context, req *bot.Request) error {
	return m.adjust(ctx, req, 1)
}

// runDeduct takes points away the same way; a balance never goes below zero.
func (m *Module) runDeduct(ctx context.Context, req *bot.Request) error {
	return m.adjust(ctx, req, -1)
}

// moderated splits the arguments of a moderator command about a member:
// the target (named, or the replied-to author when the first argument is
// not a member) and the rest.
func moderated(ctx context.Context, req *bot.Request, replyForm func(first string) bool) (bot.Member, []string, error) {
	args := req.Args
	target := ""
	if len(args) > 0 && !(req.Event.ReplyToFrom != nil && replyForm(args[0])) {
		target, args = args[0], args[1:]
	}
	mem, err := req.TargetMember(ctx, target)
	return mem, args, err
}

func (m *Module) adjust(ctx context.Context, req *bot.Request, sign int64) error {
	c := req.Community
	cfg := m.settings.For(c.ID)
	usage := "/" + req.Name + " @member AMOUNT REASON"
	if len(req.Args) == 0 {
		return bot.Errorf("error.usage", bot.Args{"usage": usage})
	}
	mem, args, err := moderated(ctx, req, isInt)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		return bot.Errorf("error.usage", bot.Args{"usage": usage})
	}
	amount, err := parseAmount(args[0], cfg.MaxAward)
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(strings.Join(args[1:], " "))
	if reason == "" {
		return bot.Errorf("points.reason_required", bot.Args{"usage": usage})
	}
	if utf8.RuneCountInString(reason) > maxReason {
		return bot.Errorf("points.reason_too_long", bot.Args{"max": maxReason})
	}
	at := req.Now()
	p := periodsAt(at, c.Location)
	rule := ReasonAward
	if sign < 0 {
		rule = ReasonDeduct
	}
	var out outcome
	st, err := m.store.Apply(ctx, c.ID, mem.ID, func(st *State, _ func(rule, ref string) bool) error {
		out = outcome{}
		if sign < 0 && st.Balance < amount {
			return bot.Errorf("points.deduct_too_much", bot.Args{"name": mem.Name, "balance": st.Balance})
		}
		st.post(Entry{Time: at, Delta: sign * amount, Score: sign * amount, Reason: reason, Actor: req.Event.From.Key(), Rule: rule}, p.week, p.month)
		retier(cfg, st, &out)
		return nil
	})
	if err != nil {
		return err
	}
	args2 := bot.Args{"name": mem.Name, "amount": amount, "count": amount, "reason": reason, "balance": st.Balance, "moderator": req.Event.From.Display()}
	if err := req.ReplyText(ctx, "points."+rule+"ed", args2); err != nil {
		return err
	}
	m.modLog(ctx, req, "points.modlog."+rule, args2)
	m.after(ctx, req.Bot, c, mem.ID, req.Event.Chat, out)
	return nil
}

// modLog posts a notice to the community's moderator chat.
func (m *Module) modLog(ctx context.Context, req *bot.Request, key string, args bot.Args) {
	c := req.Community
	if c.ModChat.IsZero() {
		return
	}
	text := req.Bot.T(req.Bot.LangFor(c, ""), key, args)
	if _, err := req.Bot.Send(ctx, c.ModChat, bot.Outgoing{Text: text}); err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Msg("moderator log failed")
	}
}

// runTier sets a manual tier: /tier @member NAME; /tier @member clears it.
func (m *Module) runTier(ctx context.Context, req *bot.Request) error {
	c := req.Community
	cfg := m.settings.For(c.ID)
	mem, args, err := moderated(ctx, req, func(string) bool { return true })
	if err != nil {
		return err
	}
	name := strings.TrimSpace(strings.Join(args, " "))
	manual := ""
	if name != "" && !strings.EqualFold(name, "none") && !strings.EqualFold(name, "clear") {
		for _, t := range cfg.ManualTiers {
			if strings.EqualFold(t, name) {
				manual = t
			}
		}
		if manual == "" {
			return bot.Errorf("points.unknown_tier", bot.Args{"name": clip(name, maxName), "tiers": strings.Join(cfg.ManualTiers, ", ")})
		}
	}
	if _, err := m.store.Apply(ctx, c.ID, mem.ID, func(st *State, _ func(rule, ref string) bool) error {
		st.ManualTier = manual
		return nil
	}); err != nil {
		return err
	}
	args2 := bot.Args{"name": mem.Name, "tier": manual, "moderator": req.Event.From.Display()}
	key := "points.tier_set"
	if manual == "" {
		key = "points.tier_cleared"
	}
	m.modLog(ctx, req, key, args2)
	return req.ReplyText(ctx, key, args2)
}

// runBadge grants or revokes a badge: /badge grant|revoke @member NAME.
func (m *Module) runBadge(ctx context.Context, req *bot.Request) error {
	usage := bot.Args{"usage": "/badge grant|revoke @member NAME"}
	if len(req.Args) < 2 {
		return bot.Errorf("error.usage", usage)
	}
	action := strings.ToLower(req.Args[0])
	if action != "grant" && action != "revoke" {
		return bot.Errorf("error.usage", usage)
	}
	req.Args = req.Args[1:]
	mem, args, err := moderated(ctx, req, func(string) bool { return true })
	if err != nil {
		return err
	}
	name := strings.TrimSpace(strings.Join(args, " "))
	switch {
	case name == "":
		return bot.Errorf("error.usage", usage)
	case utf8.RuneCountInString(name) > maxName || strings.HasPrefix(name, "auto:"):
		return bot.Errorf("points.bad_badge", bot.Args{"max": maxName})
	}
	changed := false
	if _, err := m.store.Apply(ctx, req.Community.ID, mem.ID, func(st *State, _ func(rule, ref string) bool) error {
		changed = false
		if action == "grant" {
			changed = st.addBadge(name)
			return nil
		}
		for i, b := range st.Badges {
			if strings.EqualFold(b, name) {
				st.Badges = append(st.Badges[:i:i], st.Badges[i+1:]...)
				changed = true
				break
			}
		}
		return nil
	}); err != nil {
		return err
	}
	args2 := bot.Args{"name": mem.Name, "badge": name, "moderator": req.Event.From.Display()}
	if !changed {
		return req.ReplyText(ctx, "points.badge_unchanged_"+action, args2)
	}
	m.modLog(ctx, req, "points.badge_"+action, args2)
	return req.ReplyText(ctx, "points.badge_"+action, args2)
}
