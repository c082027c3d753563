package bot

import (
	"context"
	"errors"
	"strings"

	"github.com/rs/zerolog"
)

// dispatch is the innermost handler: it finds the community and member,
// runs the command or button handler after the role check, then lets
// observers see the event.
func (b *Bot) dispatch(ctx context.Context, ev *Event) {
	if ev.From.IsBot {
		return
	}
	community := b.communities.For(ev.Chat, ev.Private)
	log := zerolog.Ctx(ctx).With().Str("community", community.ID).Logger()
	ctx = log.WithContext(ctx)
	if ev.Time.IsZero() {
		ev.Time = b.now()
	}
	member, err := b.members.Resolve(ctx, community.ID, ev.From, ev.Time)
	if err != nil {
		log.Error().Err(err).Msg("resolving member failed")
		if ev.Kind == EventCommand || ev.Kind == EventButton {
			b.apologize(ctx, &Request{Event: ev, Bot: b, Community: community, Lang: b.LangFor(community, ev.From.Lang)})
		}
		return
	}
	lang := member.Lang
	if lang == "" {
		lang = ev.From.Lang
	}
	req := &Request{Event: ev, Bot: b, Community: community, Member: member.ID, Lang: b.LangFor(community, lang)}
	switch ev.Kind {
	case EventCommand:
		b.runCommand(ctx, req)
	case EventButton:
		b.runButton(ctx, req)
	}
	for _, o := range b.observers {
		if err := o.Observe(ctx, req); err != nil {
			log.Error().Err(err).Str("event", ev.Kind.String()).Msg("observer failed")
		}
	}
}

// Command outcomes reported to Options.OnCommand.
const (
	// OutcomeOK: the command ran and returned no error.
	OutcomeOK = "ok"
	// OutcomeInvalid: the command answered with a UserError (bad arguments,
	// unknown member, ...) or could not be parsed.
	OutcomeInvalid = "invalid"
	// OutcomeError: the command failed or panicked; the user got an apology.
	OutcomeError = "error"
	// OutcomeRefused: the command was not run: unknown, not permitted or
	// over the rate limit.
	OutcomeRefused = "refused"
)

func (b *Bot) runCommand(ctx context.Context, req *Request) {
	inv := req.Event.Command
	if inv == nil {
		return
	}
	start := b.now()
	name, outcome := "unknown", OutcomeRefused
	if cmd, ok := b.commands[inv.Name]; ok {
		name = cmd.Name
	}
	if b.onCommand != nil {
		defer func() { b.onCommand(name, outcome, b.now().Sub(start)) }()
	}
	outcome = b.command(ctx, req, inv)
}

// command checks and runs one command and tells how it went.
func (b *Bot) command(ctx context.Context, req *Request, inv *Invocation) string {
	log := zerolog.Ctx(ctx).With().Str("cmd", inv.Name).Logger()
	ctx = log.WithContext(ctx)
	// Moderators are never slowed down: they run the community, often
	// with several commands in a row.
	if !b.limiter.allow(string(req.Member), b.now()) && req.Role(ctx) < RoleModerator {
		if b.limiter.warnOnce(string(req.Member)) {
			b.replyError(ctx, req, Errorf("error.rate_limited", nil))
		}
		return OutcomeRefused
	}
	cmd, ok := b.commands[inv.Name]
	if !ok {
		b.replyError(ctx, req, Errorf("error.unknown_command", Args{"name": inv.Name}))
		return OutcomeRefused
	}
	switch {
	case errors.Is(inv.Err, ErrUnbalancedQuotes):
		b.replyError(ctx, req, Errorf("error.unbalanced_quotes", nil))
		return OutcomeInvalid
	case errors.Is(inv.Err, ErrTooLong):
		b.replyError(ctx, req, Errorf("error.too_long", Args{"max": MaxCommandLength}))
		return OutcomeInvalid
	}
	if cmd.Role > RoleMember && req.Role(ctx) < cmd.Role {
		log.Info().Str("account", req.Event.From.Key()).Msg("command refused: not permitted")
		b.replyError(ctx, req, Errorf("error.forbidden", Args{"name": cmd.Name, "role": req.T("role."+cmd.Role.String(), nil)}))
		return OutcomeRefused
	}
	req.Name, req.Args, req.RawArgs = cmd.Name, inv.Args, inv.RawArgs
	err := b.runHandler(ctx, req, func() error { return cmd.Run(ctx, req) })
	var ue *UserError
	switch {
	case err == nil:
		return OutcomeOK
	case errors.As(err, &ue):
		return OutcomeInvalid
	default:
		return OutcomeError
	}
}

func (b *Bot) runButton(ctx context.Context, req *Request) {
	prefix, rest, _ := strings.Cut(req.Event.Data, ":")
	route, ok := b.buttons[prefix]
	if !ok {
		zerolog.Ctx(ctx).Debug().Str("data", prefix).Msg("button with unknown prefix ignored")
		return
	}
	if route.Role > RoleMember && req.Role(ctx) < route.Role {
		b.replyError(ctx, req, Errorf("error.forbidden_button", nil))
		return
	}
	req.Name, req.RawArgs = prefix, rest
	if rest != "" {
		req.Args = strings.Split(rest, ":")
	}
	_ = b.runHandler(ctx, req, func() error { return route.Run(ctx, req) })
}

// runHandler runs fn, turning a panic into an error, and reports errors: a
// UserError is shown translated, anything else is logged and apologized for.
// It returns fn's error.
func (b *Bot) runHandler(ctx context.Context, req *Request, fn func() error) error {
	err := func() (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = &panicError{value: p}
			}
		}()
		return fn()
	}()
	if err != nil {
		b.replyError(ctx, req, err)
	}
	return err
}

func (b *Bot) replyError(ctx context.Context, req *Request, err error) {
	var ue *UserError
	if !errors.As(err, &ue) {
		zerolog.Ctx(ctx).Error().Err(err).Msg("handler failed")
		b.apologize(ctx, req)
		return
	}
	if _, err := req.Reply(ctx, Outgoing{Text: req.T(ue.Key, ue.Data), Ephemeral: true}); err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Msg("sending error reply failed")
	}
}

func (b *Bot) apologize(ctx context.Context, req *Request) {
	if _, err := req.Reply(ctx, Outgoing{Text: req.T("error.internal", nil), Ephemeral: true}); err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Msg("sending apology failed")
	}
}
