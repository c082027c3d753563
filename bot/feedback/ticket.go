package feedback

import (
	"context"
	"errors"
	"time"

	"github.com/cohortbot/cohort/bot"
)

// Categories a ticket can have.
const (
	CatSuggestion = "suggestion"
	CatQuestion   = "question"
	CatComplaint  = "complaint"
	CatBug        = "bug"
	CatAppeal     = "appeal"
)

// Categories lists the ticket categories in the order buttons show them.
var Categories = []string{CatSuggestion, CatQuestion, CatComplaint, CatBug, CatAppeal}

// States of a ticket.
const (
	StateDraft    = "draft"
	StateOpen     = "open"
	StateClaimed  = "claimed"
	StateResolved = "resolved"
	// StateDropped is a draft the member replaced before picking a category.
	StateDropped = "dropped"
)

// MaxText is the longest ticket text or answer, in characters.
const MaxText = 2000

// Ticket is one piece of member feedback and its handling.
type Ticket struct {
	ID        uint64       `json:"id"`
	Community string       `json:"community"`
	Member    bot.MemberID `json:"member"`
	// Account is the account the member wrote from (used to answer in the
	// original chat when direct messages fail).
	Account   bot.Account `json:"account"`
	Category  string      `json:"category"`
	Origin    bot.ChatRef `json:"origin"`
	OriginMsg string      `json:"origin_msg,omitempty"`
	Private   bool        `json:"private,omitempty"` // opened in a private chat
	Text      string      `json:"text"`
	Anonymous bool        `json:"anonymous,omitempty"`
	Lang      string      `json:"lang,omitempty"` // the member's reply language
	State     string      `json:"state"`

	ClaimedBy string           `json:"claimed_by,omitempty"` // moderator's display name
	Relays    []bot.MessageRef `json:"relays,omitempty"`     // relayed copies in the moderator chat
	Replies   int              `json:"replies,omitempty"`
	Accepted  bool             `json:"accepted,omitempty"`

	Created   time.Time `json:"created"`
	Announced time.Time `json:"announced,omitempty"` // last time moderators were told
	Resolved  time.Time `json:"resolved,omitempty"`

	Rating  int       `json:"rating,omitempty"` // 1–5, 0 = not rated
	RatedAt time.Time `json:"rated_at,omitempty"`
	Comment string    `json:"comment,omitempty"`
}

// Pending reports whether the ticket still needs moderators.
func (t Ticket) Pending() bool { return t.State == StateOpen || t.State == StateClaimed }

// ErrTooManyOpen is returned by Store.CreateTicket when the member already
// has the maximum number of unresolved tickets.
var ErrTooManyOpen = errors.New("too many open tickets")

// ErrDuplicate is returned by Store.CreateTicket, with the stored ticket,
// when a ticket from the same message exists already (a platform that
// delivered the message twice).
var ErrDuplicate = errors.New("ticket from this message exists")

// ErrNotFound is returned by Store.UpdateTicket for an unknown ticket.
var ErrNotFound = errors.New("ticket not found")

// Store keeps tickets. The store package implements it.
type Store interface {
	// CreateTicket saves a new ticket with the next id of its community,
	// unless the member already has maxOpen tickets that are drafts, open
	// or claimed (then ErrTooManyOpen), or already has a ticket from the
	// same message (then ErrDuplicate, with that ticket).
	CreateTicket(ctx context.Context, t Ticket, maxOpen int) (Ticket, error)
	// Ticket returns a ticket of a community.
	Ticket(ctx context.Context, community string, id uint64) (Ticket, bool, error)
	// UpdateTicket applies fn to a stored ticket and saves the result; fn
	// must only change the ticket (it may run more than once). Relays the
	// ticket lists become findable with TicketByRelay. It returns
	// ErrNotFound for an unknown ticket, or fn's error.
	UpdateTicket(ctx context.Context, community string, id uint64, fn func(*Ticket) error) (Ticket, error)
	// TicketByRelay finds the ticket a relayed message belongs to.
	TicketByRelay(ctx context.Context, community string, msg bot.MessageRef) (Ticket, bool, error)
	// Tickets returns up to limit tickets of a community, newest first, for
	// which keep returns true.
	Tickets(ctx context.Context, community string, limit int, keep func(Ticket) bool) ([]Ticket, error)
	// MemberTickets returns a member's tickets, newest first.
	MemberTickets(ctx context.Context, community string, member bot.MemberID) ([]Ticket, error)
	// UnclaimedBefore returns open tickets of every community last announced
	// before t.
	UnclaimedBefore(ctx context.Context, t time.Time) ([]Ticket, error)
}
