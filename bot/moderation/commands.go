package moderation

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cohortbot/cohort/bot"
)

// maxReason is the longest reason kept, in characters.
const maxReason = 300

func itoa(n int) string { return strconv.Itoa(n) }

// parseDuration reads 30m, 2h, 1d, 1w (or Go durations like 1h30m).
func parseDuration(s string) (time.Duration, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) < 2 {
		return 0, false
	}
	unit := map[byte]time.Duration{'d': 24 * time.Hour, 'w': 7 * 24 * time.Hour}[s[len(s)-1]]
	if unit > 0 {
		n, err := strconv.Atoi(s[:len(s)-1])
		if err != nil || n <= 0 || n > 3660 {
			return 0, false
		}
		return time.Duration(n) * unit, true
	}
	d, err := time.ParseDuration(s)
	return d, err == nil && d > 0 && d <= 366*24*time.Hour
}

// looksLikeMember reports whether an argument names a member rather than
// starting the reason.
func looksLikeMember(s string) bool {
	return strings.HasPrefix(s, "@") || strings.HasPrefix(s, "<@") || strings.Contains(s, ":")
}

// manual returns the handler of /warn, /mute, /unmute, /ban or /unban:
// "/KIND @member [DURATION] REASON", or as a reply to the member's message.
func (m *Module) manual(kind string) bot.CommandFunc {
	return func(ctx context.Context, req *bot.Request) error {
		args := req.Args
		target := ""
		if len(args) > 0 && (looksLikeMember(args[0]) || req.Event.ReplyToFrom == nil) {
			target, args = args[0], args[1:]
		}
		if target == "" && req.Event.ReplyToFrom == nil {
			return bot.Errorf("moderation.usage."+kind, nil)
		}
		mem, err := req.TargetMember(ctx, target)
		if err != nil {
			return err
		}
		cfg := m.settings.For(req.Community.ID).Config
		a := Action{Community: req.Community.ID, Member: mem.ID, Kind: kind, Rule: RuleManual, Actor: req.Event.From.Key(), At: req.Now()}
		if kind == KindMute {
			d := cfg.MuteDefault
			if len(args) > 0 {
				if pd, ok := parseDuration(args[0]); ok {
					d, args = pd, args[1:]
				}
			}
			a.Until = a.At.Add(d)
		}
		a.Reason = strings.Join(args, " ")
		if utf8.RuneCountInString(a.Reason) > maxReason {
			a.Reason = string([]rune(a.Reason)[:maxReason])
		}
		for _, acct := range mem.Accounts {
			// Configured moderators and the platform's own admins alike.
			if req.Community.IsModerator(acct) || req.Bot.RoleOf(ctx, req.Community, req.Event.Chat, acct) >= bot.RoleModerator {
				return bot.Errorf("moderation.protected", bot.Args{"name": mem.Name})
			}
		}
		if mem.ID == req.Member {
			return bot.Errorf("moderation.self", nil)
		}
		var accounts []bot.Account
		if kind != KindWarn {
			accounts = m.targets(cfg, mem, nil, req.Event.Chat.Platform)
		}
		res, err := m.record(ctx, req.Bot, req.Community, mem, a, accounts)
		if err != nil {
			return err
		}
		text := req.T("moderation.done."+kind, bot.Args{"name": mem.Name, "duration": formatDuration(a.Until.Sub(a.At)), "reason": a.Reason})
		if kind == KindWarn {
			count, err := m.warnings(ctx, req.Community.ID, mem.ID, req.Now(), cfg)
			if err != nil {
				return err
			}
			text = req.T("moderation.warned", bot.Args{"name": mem.Name, "reason": a.Reason, "count": count})
		}
		if res.unsupported != "" {
			text += "\n" + req.T("moderation.unsupported", bot.Args{"platforms": res.unsupported})
		}
		if res.failed != "" {
			text += "\n" + req.T("moderation.failed", bot.Args{"platforms": res.failed})
		}
		if _, err := req.Reply(ctx, bot.Outgoing{Text: text}); err != nil {
			return err
		}
		if kind == KindWarn {
			return m.climbLadder(ctx, req, cfg, mem, nil)
		}
		return nil
	}
}
