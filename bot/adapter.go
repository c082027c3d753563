package bot

import (
	"context"
	"errors"
	"time"
)

// Handler receives every event an adapter sees. The adapter calls it
// synchronously; it must not keep ev after it returns.
type Handler func(ctx context.Context, ev *Event)

// An Adapter connects the bot with one chat platform. It turns platform
// updates into Events and sends Outgoing messages. Everything else an adapter
// can do is an optional capability discovered by type assertion.
type Adapter interface {
	// Platform is the platform name used in ChatRefs: "telegram", "discord", "console".
	Platform() string
	// Run delivers events to h until ctx is cancelled or the connection fails for good.
	Run(ctx context.Context, h Handler) error
	// Send posts msg to a chat and returns the sent message.
	Send(ctx context.Context, to ChatRef, msg Outgoing) (MessageRef, error)
}

// RoleChecker reports what the platform lets an account do in a chat: chat
// owner or creator, administrator, or plain member.
type RoleChecker interface {
	RoleOf(ctx context.Context, chat ChatRef, userID string) (Role, error)
}

// DirectMessenger sends a private message to an account. It returns
// ErrCannotDM when the platform refuses (the user never started the bot, or
// blocks DMs).
type DirectMessenger interface {
	SendDirect(ctx context.Context, userID string, msg Outgoing) (MessageRef, error)
}

// Deleter deletes a message.
type Deleter interface {
	Delete(ctx context.Context, msg MessageRef) error
}

// Editor replaces the text and buttons of a sent message.
type Editor interface {
	Edit(ctx context.Context, msg MessageRef, out Outgoing) error
}

// Muter stops an account from writing in a chat until a time (zero = lift).
type Muter interface {
	Mute(ctx context.Context, chat ChatRef, userID string, until time.Time) error
	Unmute(ctx context.Context, chat ChatRef, userID string) error
}

// Banner removes an account from a chat (or a whole Discord guild).
type Banner interface {
	Ban(ctx context.Context, chat ChatRef, userID string, reason string) error
	Unban(ctx context.Context, chat ChatRef, userID string) error
}

// PollCloser ends a native poll the bot sent.
type PollCloser interface {
	ClosePoll(ctx context.Context, msg MessageRef) error
}

// Pinner pins a message.
type Pinner interface {
	Pin(ctx context.Context, msg MessageRef) error
}

// RoleSetter grants or removes a platform role (Discord tiers).
type RoleSetter interface {
	SetRole(ctx context.Context, space, userID, roleID string, on bool) error
}

// Inviter creates a personal invite link for a chat; the code comes back in
// EventMemberJoined.Invite when someone joins through it.
type Inviter interface {
	CreateInvite(ctx context.Context, chat ChatRef, name string) (link string, err error)
}

// CommandRegistrar publishes the command list to the platform's menu
// (Telegram setMyCommands, Discord application commands). The bot calls it
// once before Run.
type CommandRegistrar interface {
	SetCommands(cmds []CommandInfo)
}

// EphemeralResponder is a Responder whose answers marked Ephemeral only the
// caller sees (Discord interactions).
type EphemeralResponder interface {
	Responder
	Ephemeral() bool
}

// FormResponder is a Responder that can answer an event with a Form
// instead of a message (Discord interactions). It must be the first answer.
type FormResponder interface {
	OpenForm(ctx context.Context, f Form) error
}

// Readier is an adapter that can tell whether it is connected, for the
// readiness endpoint.
type Readier interface {
	Ready() error
}

// ErrCannotDM is returned by SendDirect when the platform will not deliver a
// private message to the account.
var ErrCannotDM = errors.New("the platform refused the direct message")

// ErrUnsupported is returned when an adapter lacks a capability.
var ErrUnsupported = errors.New("not supported on this platform")

// OutboundMetrics is told what an adapter's outbound queue sees, for the
// operations endpoint: how many messages wait and every 429 (rate limited)
// answer from the platform. Adapters take one as an option.
type OutboundMetrics interface {
	QueueDepth(platform string, n int)
	RateLimited(platform string)
}
