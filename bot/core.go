package bot

import (
	"context"
	"strings"
)

// coreModule offers /help and /start.
type coreModule struct{}

func (coreModule) Name() string { return "core" }

func (coreModule) Commands() []Command {
	return []Command{
		{Name: "help", Aliases: []string{"commands"}, Run: runHelp},
		{Name: "start", Run: runStart},
	}
}

// runHelp lists the commands the caller may run, in the caller's language.
func runHelp(ctx context.Context, req *Request) error {
	role := req.Role(ctx)
	var member, mod strings.Builder
	for _, c := range req.Bot.Commands() {
		if c.Role > role {
			continue
		}
		line := "/" + c.Name + " — " + req.T(c.HelpKey(), nil) + "\n"
		if c.Role == RoleMember {
			member.WriteString(line)
		} else {
			mod.WriteString(line)
		}
	}
	text := req.T("help.header", Args{"community": req.Community.Name}) + "\n" + member.String()
	if mod.Len() > 0 {
		text += "\n" + req.T("help.moderators", nil) + "\n" + mod.String()
	}
	_, err := req.Reply(ctx, Outgoing{Text: strings.TrimRight(text, "\n"), Ephemeral: true})
	return err
}

func runStart(ctx context.Context, req *Request) error {
	return req.ReplyText(ctx, "start.text", Args{"name": req.Event.From.Display(), "community": req.Community.Name})
}
