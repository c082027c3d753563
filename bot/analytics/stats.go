package analytics

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/cohortbot/cohort/bot"
)

// Commands offers /stats.
func (m *Module) Commands() []bot.Command {
	choices := []string{"7d", "30d", "90d", "export"}
	for name := range m.opts.Subcommands {
		choices = append(choices, name)
	}
	return []bot.Command{{
		Name: "stats",
		Role: bot.RoleModerator,
		Args: []bot.Arg{{Name: "period", Kind: bot.ArgString, Choices: choices}, {Name: "export_period", Kind: bot.ArgString}},
		Slow: true,
		Run:  m.runStats,
	}}
}

// periodDays reads "7d", "30d" or "90d"; 0 means it is not a period.
func periodDays(s string) int {
	switch s {
	case "7d", "30d", "90d":
		n, _ := strconv.Atoi(strings.TrimSuffix(s, "d"))
		return n
	}
	return 0
}

// runStats answers /stats [7d|30d|90d], /stats export [period] and the
// subcommands other features plug in.
func (m *Module) runStats(ctx context.Context, req *bot.Request) error {
	m.attach(req.Bot)
	arg := ""
	if len(req.Args) > 0 {
		arg = strings.ToLower(req.Args[0])
	}
	if run, ok := m.opts.Subcommands[arg]; ok {
		return run(ctx, req)
	}
	days := 7
	export := arg == "export"
	switch {
	case arg == "" || export:
	case periodDays(arg) > 0:
		days = periodDays(arg)
	default:
		return bot.Errorf("stats.usage", nil)
	}
	if export && len(req.Args) > 1 {
		if days = periodDays(strings.ToLower(req.Args[1])); days == 0 {
			return bot.Errorf("stats.usage", nil)
		}
	} else if export {
		days = 30
	}
	if err := m.Flush(ctx); err != nil {
		return err
	}
	c := req.Community
	today := DayOf(req.Now(), location(c))
	f, err := m.compute(ctx, c, today, days)
	if err != nil {
		return err
	}
	if export {
		return m.export(ctx, req, f)
	}
	chart, err := chartFile(req.T, c, f)
	if err != nil {
		return err
	}
	_, err = req.Reply(ctx, bot.Outgoing{Text: render(req.T, "stats.title", c, f), Files: []bot.File{chart}})
	return err
}

// export sends the CSV files to the moderator: in place when asked in a
// private chat or the mod chat, otherwise privately, so member lists never
// land in a public group.
func (m *Module) export(ctx context.Context, req *bot.Request, f Figures) error {
	files, err := m.exportFiles(ctx, req.Bot, req.Community, f)
	if err != nil {
		return err
	}
	msg := bot.Outgoing{Text: req.T("stats.export", bot.Args{"from": f.From.String(), "to": f.To.String()}), Files: files}
	ev := req.Event
	if ev.Private || ev.Chat.WithoutThread() == req.Community.ModChat {
		_, err := req.Reply(ctx, msg)
		return err
	}
	if _, err := req.Bot.SendDirect(ctx, ev.From, msg); err != nil {
		if errors.Is(err, bot.ErrCannotDM) || errors.Is(err, bot.ErrUnsupported) {
			return bot.Errorf("stats.export_no_dm", nil)
		}
		return err
	}
	return req.ReplyText(ctx, "stats.export_sent", nil)
}
