package telegram

import (
	"context"
	"strings"
	"unicode/utf8"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/cohortbot/cohort/bot"
)

// menuLanguages maps the catalog languages to Telegram language codes. The
// English list is also published without a language code, as the default.
var menuLanguages = []struct{ catalog, code string }{
	{"en", ""},
	{"zh-CN", "zh"},
}

// publishCommands sets the command menu: member commands in groups and
// private chats, member and moderator commands for chat administrators, in
// English (the default) and Chinese. Failures are logged, not fatal.
func (a *Adapter) publishCommands(ctx context.Context) {
	a.mu.RLock()
	cmds := a.commands
	a.mu.RUnlock()
	if len(cmds) == 0 {
		return
	}
	for _, lang := range menuLanguages {
		var members, all []models.BotCommand
		for _, c := range cmds {
			if !validMenuName(c.Name) {
				continue
			}
			desc := c.Descriptions[lang.catalog]
			if desc == "" {
				desc = c.Descriptions["en"]
			}
			if desc == "" {
				desc = c.Name
			}
			bc := models.BotCommand{Command: c.Name, Description: truncate(desc, 256)}
			if c.Role <= bot.RoleMember {
				members = append(members, bc)
			}
			all = append(all, bc)
		}
		if len(members) > 100 {
			members = members[:100]
		}
		if len(all) > 100 {
			all = all[:100]
		}
		scopes := []struct {
			scope models.BotCommandScope
			cmds  []models.BotCommand
		}{
			{&models.BotCommandScopeAllGroupChats{}, members},
			{&models.BotCommandScopeAllPrivateChats{}, members},
			{&models.BotCommandScopeAllChatAdministrators{}, all},
		}
		for _, s := range scopes {
			s := s
			err := a.call(ctx, 0, func(ctx context.Context, _ int64) error {
				_, err := a.api.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: s.cmds, Scope: s.scope, LanguageCode: lang.code})
				return err
			})
			if err != nil {
				a.log.Warn().Err(err).Str("lang", lang.catalog).Msg("telegram setMyCommands failed; the command menu may be out of date")
				if ctx.Err() != nil {
					return
				}
			}
		}
	}
}

// validMenuName reports whether Telegram accepts name in the menu:
// 1-32 lower-case letters, digits and underscores.
func validMenuName(name string) bool {
	if name == "" || len(name) > 32 {
		return false
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

func truncate(s string, n int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
