package bottest

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/cohortbot/cohort/bot"
)

// Sent is one message the bot sent through a fake adapter.
type Sent struct {
	Ref    bot.MessageRef
	Msg    bot.Outgoing
	Direct string // the user id for direct messages
	// Response is true for answers given in place through a Responder.
	Response bool
}

// Text is the message text as plain text (markup removed).
func (s Sent) Text() string { return bot.PlainText(s.Msg.Text) }

// Action is a moderation or platform action a fake adapter performed.
type Action struct {
	Kind   string // delete, mute, unmute, ban, unban, pin, close_poll, set_role, unset_role, edit, invite
	Chat   bot.ChatRef
	UserID string
	Ref    bot.MessageRef
	Until  time.Time
	Detail string
}

// Adapter is an in-memory adapter for one platform. It records every
// message and action and implements every optional capability.
type Adapter struct {
	platform string

	mu        sync.Mutex
	sent      []Sent
	actions   []Action
	roles     map[string]bot.Role // user id -> role
	noDM      map[string]bool
	sendErr   error
	nextID    int
	handler   bot.Handler
	running   chan struct{}
	runningOK sync.Once
}

// NewAdapter returns a fake adapter for a platform name ("telegram", "discord", "console").
func NewAdapter(platform string) *Adapter {
	return &Adapter{platform: platform, roles: map[string]bot.Role{}, noDM: map[string]bool{}, running: make(chan struct{})}
}

// Platform names the platform.
func (a *Adapter) Platform() string { return a.platform }

// Run waits for ctx to end; events are injected by the TestBot.
func (a *Adapter) Run(ctx context.Context, h bot.Handler) error {
	a.mu.Lock()
	a.handler = h
	a.mu.Unlock()
	a.runningOK.Do(func() { close(a.running) })
	<-ctx.Done()
	return nil
}

// Send records the message.
func (a *Adapter) Send(_ context.Context, to bot.ChatRef, msg bot.Outgoing) (bot.MessageRef, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.sendErr != nil {
		return bot.MessageRef{}, a.sendErr
	}
	a.nextID++
	ref := bot.MessageRef{Chat: to, ID: fmt.Sprint(a.nextID)}
	a.sent = append(a.sent, Sent{Ref: ref, Msg: msg})
	return ref, nil
}

// SendDirect records a direct message, or fails with bot.ErrCannotDM for
// users set with BlockDM.
func (a *Adapter) SendDirect(_ context.Context, userID string, msg bot.Outgoing) (bot.MessageRef, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.noDM[userID] {
		return bot.MessageRef{}, bot.ErrCannotDM
	}
	a.nextID++
	ref := bot.MessageRef{Chat: bot.ChatRef{Platform: a.platform, Space: userID, Chat: userID}, ID: fmt.Sprint(a.nextID)}
	a.sent = append(a.sent, Sent{Ref: ref, Msg: msg, Direct: userID})
	return ref, nil
}

func (a *Adapter) record(act Action) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.actions = append(a.actions, act)
	return nil
}

// RoleOf answers with the role set by SetUserRole, else member.
func (a *Adapter) RoleOf(_ context.Context, _ bot.ChatRef, userID string) (bot.Role, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.roles[userID], nil
}

// Delete records a deletion.
func (a *Adapter) Delete(_ context.Context, msg bot.MessageRef) error {
	return a.record(Action{Kind: "delete", Chat: msg.Chat, Ref: msg})
}

// Edit records an edit.
func (a *Adapter) Edit(_ context.Context, msg bot.MessageRef, out bot.Outgoing) error {
	return a.record(Action{Kind: "edit", Chat: msg.Chat, Ref: msg, Detail: out.Text})
}

// Mute records a mute.
func (a *Adapter) Mute(_ context.Context, chat bot.ChatRef, userID string, until time.Time) error {
	return a.record(Action{Kind: "mute", Chat: chat, UserID: userID, Until: until})
}

// Unmute records an unmute.
func (a *Adapter) Unmute(_ context.Context, chat bot.ChatRef, userID string) error {
	return a.record(Action{Kind: "unmute", Chat: chat, UserID: userID})
}

// Ban records a ban.
func (a *Adapter) Ban(_ context.Context, chat bot.ChatRef, userID, reason string) error {
	return a.record(Action{Kind: "ban", Chat: chat, UserID: userID, Detail: reason})
}

// Unban records an unban.
func (a *Adapter) Unban(_ context.Context, chat bot.ChatRef, userID string) error {
	return a.record(Action{Kind: "unban", Chat: chat, UserID: userID})
}

// ClosePoll records closing a poll.
func (a *Adapter) ClosePoll(_ context.Context, msg bot.MessageRef) error {
	return a.record(Action{Kind: "close_poll", Chat: msg.Chat, Ref: msg})
}

// Pin records a pin.
func (a *Adapter) Pin(_ context.Context, msg bot.MessageRef) error {
	return a.record(Action{Kind: "pin", Chat: msg.Chat, Ref: msg})
}

// SetRole records a role change.
func (a *Adapter) SetRole(_ context.Context, space, userID, roleID string, on bool) error {
	kind := "set_role"
	if !on {
		kind = "unset_role"
	}
	return a.record(Action{Kind: kind, Chat: bot.ChatRef{Platform: a.platform, Space: space}, UserID: userID, Detail: roleID})
}

// CreateInvite returns a fake invite link named after name.
func (a *Adapter) CreateInvite(_ context.Context, chat bot.ChatRef, name string) (string, error) {
	a.mu.Lock()
	a.nextID++
	link := fmt.Sprintf("https://invite.example/%s/%d", a.platform, a.nextID)
	a.mu.Unlock()
	return link, a.record(Action{Kind: "invite", Chat: chat, Detail: link})
}

// SetUserRole makes the platform report a role for a user id.
func (a *Adapter) SetUserRole(userID string, role bot.Role) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.roles[userID] = role
}

// BlockDM makes direct messages to a user id fail like a user who never
// started the bot.
func (a *Adapter) BlockDM(userID string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.noDM[userID] = true
}

// FailSends makes every Send fail with err (nil restores).
func (a *Adapter) FailSends(err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sendErr = err
}

// Sent returns every message sent so far.
func (a *Adapter) Sent() []Sent {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]Sent(nil), a.sent...)
}

// Actions returns every action performed so far.
func (a *Adapter) Actions() []Action {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]Action(nil), a.actions...)
}

func (a *Adapter) respond(msg bot.Outgoing, chat bot.ChatRef) bot.MessageRef {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.nextID++
	ref := bot.MessageRef{Chat: chat, ID: fmt.Sprint(a.nextID)}
	a.sent = append(a.sent, Sent{Ref: ref, Msg: msg, Response: true})
	return ref
}

// responder answers in place, recording the answer as a Response.
type responder struct {
	a    *Adapter
	chat bot.ChatRef
}

func (r responder) Respond(_ context.Context, msg bot.Outgoing) (bot.MessageRef, error) {
	return r.a.respond(msg, r.chat), nil
}

var (
	_ bot.Adapter         = (*Adapter)(nil)
	_ bot.RoleChecker     = (*Adapter)(nil)
	_ bot.DirectMessenger = (*Adapter)(nil)
	_ bot.Deleter         = (*Adapter)(nil)
	_ bot.Editor          = (*Adapter)(nil)
	_ bot.Muter           = (*Adapter)(nil)
	_ bot.Banner          = (*Adapter)(nil)
	_ bot.PollCloser      = (*Adapter)(nil)
	_ bot.Pinner          = (*Adapter)(nil)
	_ bot.RoleSetter      = (*Adapter)(nil)
	_ bot.Inviter         = (*Adapter)(nil)
)
