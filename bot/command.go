package bot

import (
	"context"
	"errors"
	"strings"
	"time"
)

// ArgKind is the type of a command argument, used for Discord's typed slash
// command options and for help text.
type ArgKind int

// Argument kinds.
const (
	ArgString ArgKind = iota
	ArgInt
	ArgUser // a member: @name, a mention, or a reply
	ArgText // the rest of the line
)

// Arg describes one command argument.
type Arg struct {
	Name     string
	Kind     ArgKind
	Required bool
	Choices  []string
}

// CommandFunc runs a command.
type CommandFunc func(ctx context.Context, req *Request) error

// Command is a chat command offered by a module.
type Command struct {
	Name    string
	Aliases []string
	// Role is the least role that may run the command; the Mux checks it
	// before Run is called.
	Role Role
	Args []Arg
	// Help is the catalog key of the one-line description; defaults to
	// "cmd.<name>".
	Help string
	// Slow marks commands that may take longer than an interaction allows,
	// so adapters acknowledge them at once.
	Slow bool
	Run  CommandFunc
}

// HelpKey is the catalog key of the command's description.
func (c Command) HelpKey() string {
	if c.Help != "" {
		return c.Help
	}
	return "cmd." + c.Name
}

// CommandInfo is what adapters need to publish a command in the platform's
// menu: name, arguments, who may run it, and descriptions by language.
type CommandInfo struct {
	Name         string
	Args         []Arg
	Role         Role
	Descriptions map[string]string // language ("en", "zh-CN") -> text
	Slow         bool
}

// ButtonFunc handles a button press.
type ButtonFunc func(ctx context.Context, req *Request) error

// ButtonRoute handles the buttons whose data starts with Prefix + ":".
type ButtonRoute struct {
	Prefix string
	Role   Role
	Run    ButtonFunc
}

// Request is one event on its way through the bot, with everything a handler
// needs: the community, the member, the caller's language and role.
type Request struct {
	Event     *Event
	Bot       *Bot
	Community *Community
	Member    MemberID
	Lang      string
	// Command fields, set for commands and buttons (Args are the parts of the
	// button data after the prefix).
	Name    string
	Args    []string
	RawArgs string

	role     Role
	roleDone bool
	replied  bool
	claimed  bool
}

// Claim marks the event as taken by a module (a survey answer typed in
// private chat, a message moderation removed), so observers that run later
// leave it alone.
func (r *Request) Claim() { r.claimed = true }

// Claimed reports whether an earlier observer took the event.
func (r *Request) Claimed() bool { return r.claimed }

// Now is the bot's clock.
func (r *Request) Now() time.Time { return r.Bot.Now() }

// Role is the caller's role in the chat of the event (configured owners and
// moderators, or the platform's admins).
func (r *Request) Role(ctx context.Context) Role {
	if !r.roleDone {
		r.role = r.Bot.RoleOf(ctx, r.Community, r.Event.Chat, r.Event.From)
		r.roleDone = true
	}
	return r.role
}

// T translates a catalog key into the caller's language.
func (r *Request) T(key string, data Args) string { return r.Bot.T(r.Lang, key, data) }

// Reply answers the event: in place when the adapter gave a Responder,
// otherwise in the same chat (and thread), as a reply to the message.
func (r *Request) Reply(ctx context.Context, msg Outgoing) (MessageRef, error) {
	r.replied = true
	if r.Event.Responder != nil {
		return r.Event.Responder.Respond(ctx, msg)
	}
	if msg.ReplyTo == "" && !r.Event.Private {
		msg.ReplyTo = r.Event.MessageID
	}
	return r.Bot.Send(ctx, r.Event.Chat, msg)
}

// ReplyPrivately answers so that only the caller sees it: in place in a
// private chat or as an ephemeral answer where the platform has those,
// otherwise by direct message followed by the catalog message notice in
// the chat (none when notice is empty). A refused direct message is the
// UserError "error.cannot_dm".
func (r *Request) ReplyPrivately(ctx context.Context, msg Outgoing, notice string) error {
	msg.Ephemeral = true
	if er, ok := r.Event.Responder.(EphemeralResponder); r.Event.Private || (ok && er.Ephemeral()) {
		_, err := r.Reply(ctx, msg)
		return err
	}
	if _, err := r.Bot.SendDirect(ctx, r.Event.From, msg); err != nil {
		if errors.Is(err, ErrCannotDM) || errors.Is(err, ErrUnsupported) {
			return Errorf("error.cannot_dm", nil)
		}
		return err
	}
	if notice == "" {
		return nil
	}
	return r.ReplyText(ctx, notice, nil)
}

// ReplyText answers with a translated catalog message.
func (r *Request) ReplyText(ctx context.Context, key string, data Args) error {
	_, err := r.Reply(ctx, Outgoing{Text: r.T(key, data)})
	return err
}

// Replied reports whether a handler has answered.
func (r *Request) Replied() bool { return r.replied }

// TargetMember finds the member a moderator command is about: arg as
// "@name", a mention or an account key, or, when arg is empty, the author of
// the message the command replies to. It returns a UserError when there is
// no such member.
func (r *Request) TargetMember(ctx context.Context, arg string) (Member, error) {
	dir := r.Bot.Members()
	if arg == "" && r.Event.ReplyToFrom != nil {
		return dir.Resolve(ctx, r.Community.ID, *r.Event.ReplyToFrom, r.Now())
	}
	for _, acct := range r.Event.Mentions {
		if arg == "" || arg == "<@"+acct.ID+">" || arg == "<@!"+acct.ID+">" || (acct.Username != "" && strings.EqualFold(arg, "@"+acct.Username)) {
			return dir.Resolve(ctx, r.Community.ID, acct, r.Now())
		}
	}
	if arg == "" {
		return Member{}, Errorf("error.unknown_member", Args{"name": "?"})
	}
	m, ok, err := dir.FindMember(ctx, r.Community.ID, arg)
	if err != nil {
		return Member{}, err
	}
	if !ok {
		return Member{}, Errorf("error.unknown_member", Args{"name": arg})
	}
	return m, nil
}
