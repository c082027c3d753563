package discord

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/bwmarrin/discordgo"
	"github.com/cohortbot/cohort/bot"
)

// permManageGuild is the permission moderator commands require by default,
// so members do not see them in the slash command menu.
const permManageGuild int64 = discordgo.PermissionManageGuild

// commandName is a Discord-valid command or option name: lower case,
// letters, digits, - and _, at most 32 characters.
func commandName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		case r == ' ':
			b.WriteRune('_')
		}
	}
	out := b.String()
	if len([]rune(out)) > 32 {
		out = string([]rune(out)[:32])
	}
	return out
}

// description trims a description to Discord's 100 characters and never
// returns an empty one.
func description(s, fallback string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		s = fallback
	}
	return truncate(s, maxDescription)
}

// applicationCommands maps the bot's commands onto Discord application
// commands: typed options, descriptions in en-US and zh-CN, and moderator
// commands hidden from members by default_member_permissions.
func applicationCommands(cmds []bot.CommandInfo) []*discordgo.ApplicationCommand {
	var out []*discordgo.ApplicationCommand
	seen := map[string]bool{}
	for _, c := range cmds {
		name := commandName(c.Name)
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		en := description(c.Descriptions["en"], name)
		zh := description(c.Descriptions["zh-CN"], en)
		ac := &discordgo.ApplicationCommand{
			Type:                     discordgo.ChatApplicationCommand,
			Name:                     name,
			NameLocalizations:        &map[discordgo.Locale]string{discordgo.EnglishUS: name, discordgo.ChineseCN: name},
			Description:              en,
			DescriptionLocalizations: &map[discordgo.Locale]string{discordgo.EnglishUS: en, discordgo.ChineseCN: zh},
			Options:                  []*discordgo.ApplicationCommandOption{},
		}
		if c.Role > bot.RoleMember {
			p := permManageGuild
			ac.DefaultMemberPermissions = &p
		}
		optional := false
		for _, arg := range c.Args {
			on := commandName(arg.Name)
			if on == "" {
				continue
			}
			opt := &discordgo.ApplicationCommandOption{
				Type:                     optionType(arg.Kind),
				Name:                     on,
				NameLocalizations:        map[discordgo.Locale]string{discordgo.EnglishUS: on, discordgo.ChineseCN: on},
				Description:              description(arg.Name, on),
				DescriptionLocalizations: map[discordgo.Locale]string{discordgo.EnglishUS: description(arg.Name, on), discordgo.ChineseCN: description(arg.Name, on)},
				// Discord wants required options first; the Mux checks arguments anyway.
				Required: arg.Required && !optional,
			}
			optional = optional || !opt.Required
			for _, ch := range arg.Choices {
				if len(opt.Choices) == 25 {
					break
				}
				var v any = ch
				if arg.Kind == bot.ArgInt {
					n, err := strconv.Atoi(ch)
					if err != nil {
						continue
					}
					v = n
				}
				opt.Choices = append(opt.Choices, &discordgo.ApplicationCommandOptionChoice{Name: truncate(ch, maxDescription), Value: v})
			}
			ac.Options = append(ac.Options, opt)
			if len(ac.Options) == 25 {
				break
			}
		}
		out = append(out, ac)
		if len(out) == 100 {
			break
		}
	}
	return out
}

func optionType(k bot.ArgKind) discordgo.ApplicationCommandOptionType {
	switch k {
	case bot.ArgInt:
		return discordgo.ApplicationCommandOptionInteger
	case bot.ArgUser:
		return discordgo.ApplicationCommandOptionUser
	default:
		return discordgo.ApplicationCommandOptionString
	}
}

// registerCommands publishes the commands by bulk overwrite, in every
// configured guild (visible at once) or globally.
func (a *Adapter) registerCommands(ctx context.Context) error {
	a.mu.Lock()
	cmds := applicationCommands(a.cmds)
	a.mu.Unlock()
	appID := a.applicationID()
	if appID == "" {
		return fmt.Errorf("discord.application_id: unknown and not in READY")
	}
	guilds := a.cfg.Guilds
	if len(guilds) == 0 {
		guilds = []string{""}
	}
	for _, g := range guilds {
		if _, err := a.s.ApplicationCommandBulkOverwrite(appID, g, cmds, discordgo.WithContext(ctx)); err != nil {
			where := "globally"
			if g != "" {
				where = "in guild " + g
			}
			return wrapErr("registering commands "+where, err)
		}
	}
	a.log.Info().Int("commands", len(cmds)).Int("guilds", len(a.cfg.Guilds)).Msg("slash commands registered")
	return nil
}
