package bot

import (
	"context"
	"io/fs"
	"time"
)

// A Module is one capability of the bot (points, faq, schedule, ...). It
// offers any of the optional interfaces below; the bot discovers them by type
// assertion.
type Module interface {
	Name() string
}

// Commander is a module that offers chat commands.
type Commander interface {
	Commands() []Command
}

// Observer is a module that sees every event (messages, joins, votes,
// commands and buttons) after the command, if any, has run.
type Observer interface {
	Observe(ctx context.Context, req *Request) error
}

// ButtonHandler is a module that handles presses of its own buttons.
type ButtonHandler interface {
	Buttons() []ButtonRoute
}

// Runner is a module with background work (schedules, reminders, flushers).
// Run returns when ctx is cancelled.
type Runner interface {
	Run(ctx context.Context, b *Bot) error
}

// Localized is a module with its own message catalog (en.yaml, zh-CN.yaml).
type Localized interface {
	Locales() fs.FS
}

// MemberDirectory maps platform accounts onto community members. The store
// implements it; without one, each account is a member of its own.
type MemberDirectory interface {
	// Resolve returns the member owning acct in the community, recording it
	// (and keeping its names current) on first sight.
	Resolve(ctx context.Context, community string, acct Account, at time.Time) (Member, error)
}

type accountMembers struct{}

func (accountMembers) Resolve(_ context.Context, community string, acct Account, at time.Time) (Member, error) {
	return Member{ID: MemberID(acct.Key()), Community: community, Accounts: []Account{acct}, Name: acct.Display(), Lang: acct.Lang}, nil
}
