package bottest

import (
	"context"
	"io/fs"
	"testing/fstest"

	"github.com/cohortbot/cohort/bot"
)

// withoutRunner offers everything a module offers except its background
// work, so a test drives that work itself.
type withoutRunner struct{ m bot.Module }

func (w withoutRunner) Name() string { return w.m.Name() }

func (w withoutRunner) Commands() []bot.Command {
	if c, ok := w.m.(bot.Commander); ok {
		return c.Commands()
	}
	return nil
}

func (w withoutRunner) Observe(ctx context.Context, req *bot.Request) error {
	if o, ok := w.m.(bot.Observer); ok {
		return o.Observe(ctx, req)
	}
	return nil
}

func (w withoutRunner) Buttons() []bot.ButtonRoute {
	if b, ok := w.m.(bot.ButtonHandler); ok {
		return b.Buttons()
	}
	return nil
}

func (w withoutRunner) Locales() fs.FS {
	if l, ok := w.m.(bot.Localized); ok {
		return l.Locales()
	}
	return fstest.MapFS{}
}

var (
	_ bot.Commander     = withoutRunner{}
	_ bot.Observer      = withoutRunner{}
	_ bot.ButtonHandler = withoutRunner{}
	_ bot.Localized     = withoutRunner{}
)
