package bot

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Platform names used in ChatRef and Account.
const (
	Telegram = "telegram"
	Discord  = "discord"
	Console  = "console"
)

// ChatRef points at one chat on one platform. Space is the Discord guild or
// the Telegram chat; Chat is the channel (equal to Space on Telegram); Thread
// is a forum topic or Discord thread. IDs are opaque strings owned by the
// adapter.
type ChatRef struct {
	Platform string
	Space    string
	Chat     string
	Thread   string
}

// IsZero reports whether the reference points nowhere.
func (c ChatRef) IsZero() bool { return c.Platform == "" }

// String writes the reference as it appears in config and logs:
// "telegram:-100123", "discord:guild/channel", "discord:guild", with
// "#thread" appended for threads.
func (c ChatRef) String() string {
	if c.IsZero() {
		return ""
	}
	var s string
	switch {
	case c.Chat == "" || c.Chat == c.Space:
		s = c.Platform + ":" + c.Space
	case c.Space == "":
		s = c.Platform + ":" + c.Chat
	default:
		s = c.Platform + ":" + c.Space + "/" + c.Chat
	}
	if c.Thread != "" {
		s += "#" + c.Thread
	}
	return s
}

// WithoutThread returns the chat the thread belongs to.
func (c ChatRef) WithoutThread() ChatRef { c.Thread = ""; return c }

// ParseChatRef reads the String form of a ChatRef.
func ParseChatRef(s string) (ChatRef, error) {
	platform, rest, ok := strings.Cut(s, ":")
	if !ok || platform == "" || rest == "" {
		return ChatRef{}, fmt.Errorf("chat %q: want platform:id, e.g. telegram:-1001234 or discord:guild/channel", s)
	}
	switch platform {
	case Telegram, Discord, Console:
	default:
		return ChatRef{}, fmt.Errorf("chat %q: unknown platform %q (want telegram, discord or console)", s, platform)
	}
	var c ChatRef
	c.Platform = platform
	if rest, thread, ok := strings.Cut(rest, "#"); ok {
		c.Thread = thread
		s = rest
	} else {
		s = rest
	}
	space, chat, ok := strings.Cut(s, "/")
	if strings.ContainsAny(space, " \t") || strings.ContainsAny(chat, " \t/") || space == "" || (ok && chat == "") {
		return ChatRef{}, fmt.Errorf("chat %q: malformed id", platform+":"+rest)
	}
	c.Space = space
	switch {
	case ok:
		c.Chat = chat
	case platform != Discord:
		c.Chat = space
	}
	return c, nil
}

// Account is one platform identity of a person.
type Account struct {
	Platform string
	ID       string
	Name     string // display name
	Username string // handle without '@', if the platform has one
	Lang     string // the platform's language code for the user, if known
	IsBot    bool
}

// Key is the stable identity of the account: "telegram:1001".
func (a Account) Key() string { return a.Platform + ":" + a.ID }

// Display is the best human name of the account.
func (a Account) Display() string {
	switch {
	case a.Name != "":
		return a.Name
	case a.Username != "":
		return "@" + a.Username
	default:
		return a.Key()
	}
}

// MemberID identifies a person inside one community. Several accounts
// (Telegram, Discord) may belong to the same member once linked.
type MemberID string

// Member is a person in a community.
type Member struct {
	ID         MemberID
	Community  string
	Accounts   []Account
	Name       string
	Lang       string
	Joined     time.Time
	LastActive time.Time
}

// Role says who may run a command.
type Role int

// Roles, weakest first.
const (
	RoleMember Role = iota
	RoleModerator
	RoleOwner
)

// String names the role.
func (r Role) String() string {
	switch r {
	case RoleModerator:
		return "moderator"
	case RoleOwner:
		return "owner"
	default:
		return "member"
	}
}

// EventKind tells what happened.
type EventKind int

// Event kinds.
const (
	EventMessage EventKind = iota + 1
	EventCommand
	EventButton
	EventPollVote
	EventMemberJoined
	EventMemberLeft
	EventReaction
)

// String names the kind, for logs and metrics.
func (k EventKind) String() string {
	switch k {
	case EventMessage:
		return "message"
	case EventCommand:
		return "command"
	case EventButton:
		return "button"
	case EventPollVote:
		return "poll_vote"
	case EventMemberJoined:
		return "member_joined"
	case EventMemberLeft:
		return "member_left"
	case EventReaction:
		return "reaction"
	default:
		return "unknown"
	}
}

// MessageRef points at one sent or received message.
type MessageRef struct {
	Chat ChatRef
	ID   string
}

// Invocation is a parsed command: "/award @bob 10 'great talk'".
type Invocation struct {
	Name    string   // lower case, without slash or @BotName
	Args    []string // split on spaces, quotes removed
	RawArgs string   // the text after the command name, trimmed
	Err     error    // set when the arguments could not be parsed (unbalanced quotes)
}

// Event is something that happened in a chat, as the adapter saw it.
type Event struct {
	Kind      EventKind
	Chat      ChatRef
	Private   bool // a direct conversation between the bot and the account
	From      Account
	MessageID string
	Text      string
	Time      time.Time
	Edited    bool

	// ReplyTo is the message this one answers, with its author, if any.
	ReplyTo     *MessageRef
	ReplyToFrom *Account
	// Mentions are the accounts the message mentions, if the platform says so.
	Mentions []Account

	Command *Invocation // EventCommand
	Data    string      // EventButton: the button's data
	Poll    *PollVote   // EventPollVote
	Emoji   string      // EventReaction
	Invite  string      // EventMemberJoined: the invite code or link used, if known

	// Responder, when set, answers in place (a Discord interaction, a
	// Telegram callback query); otherwise replies are sent to Chat.
	Responder Responder
}

// PollVote is a vote (or a withdrawn vote, with no options) in a native poll.
type PollVote struct {
	PollID  string // the platform's poll id
	Message MessageRef
	Options []int // zero-based option indexes; empty when withdrawn
	Added   bool  // Discord sends one event per option: true for add, false for remove
	Partial bool  // true when Options carries only the changed option (Discord)
}

// Responder answers an event in place.
type Responder interface {
	Respond(ctx context.Context, msg Outgoing) (MessageRef, error)
}

// TierCount is how many members stand in a tier, for statistics.
type TierCount struct {
	Tier    string
	Members int
}
