package points

import (
	"context"
	"errors"
	"time"

	"github.com/cohortbot/cohort/bot"
)

// Store persists the ledger. The store package implements it on bbolt.
type Store interface {
	// Apply runs fn on the member's state inside one group-commit write and
	// persists what it decided: the state, the entries fn posted (fn asks
	// seen whether a rule and ref were already paid to the member; the
	// store remembers the refs of the entries it writes), and the rank
	// indexes of every scope whose score changed. The returned state
	// carries the written entries in Pending. fn
	// may run more than once and must have no outside effects; its error
	// aborts the change. A member id retired by a link is followed to the
	// member it was merged into. Apply fails with ErrNegative rather than
	// store a negative balance.
	Apply(ctx context.Context, community string, member bot.MemberID, fn func(st *State, seen func(rule, ref string) bool) error) (State, error)
	// State returns a member's committed state (zero for a member without one).
	State(ctx context.Context, community string, member bot.MemberID) (State, error)
	// Entries returns the member's last n ledger entries, newest first.
	Entries(ctx context.Context, community string, member bot.MemberID, n int) ([]Entry, error)
	// Top returns the first n members of a leaderboard scope ("all",
	// "w2026-W02", "m2026-01"), by points descending and member id
	// ascending on ties.
	Top(ctx context.Context, community, scope string, n int) ([]Ranked, error)
	// Rank is 1 + the number of members of a scope with more than points.
	Rank(ctx context.Context, community, scope string, points int64) (int, error)
	// Ledger calls fn with every ledger entry of the community, oldest first.
	Ledger(ctx context.Context, community string, fn func(Entry) error) error
	// Board reads in one transaction what /top shows: the first n
	// members of a scope with their display names (Ranked.Name), and
	// where member stands: its points in the scope, taken by standing
	// from its committed state, and its rank (0 when it has no points).
	Board(ctx context.Context, community, scope string, n int, member bot.MemberID, standing func(st *State) int64) (Board, error)

	// Redeem takes one unit of an item (never beyond stock; stock < 0 is
	// unlimited) and applies fn to the member's state in the same
	// transaction; it opens a fulfilment request and returns it.
	Redeem(ctx context.Context, community string, member bot.MemberID, item string, stock int, fn func(st *State, seen func(rule, ref string) bool) error, at time.Time) (Redemption, State, error)
	// Settle marks an open redemption fulfilled, or refunds it (giving the
	// unit back and applying refund to the member's state). It fails with
	// ErrSettled (returning the closed request) when it was already
	// closed, and ErrNoRedemption for an unknown id.
	Settle(ctx context.Context, community string, id uint64, fulfil bool, actor string, refund func(r Redemption, st *State), at time.Time) (Redemption, error)
	// Redeemed is how many units of an item are taken (not refunded).
	Redeemed(ctx context.Context, community, item string) (int, error)

	// SaveLinkCode stores a one-time link code for a member until expires.
	SaveLinkCode(ctx context.Context, community, code string, member bot.MemberID, expires time.Time) error
	// Link uses a code for the account acct: it merges the member who
	// owns acct into the member who asked for the code (accounts, names,
	// paid refs) and lets merge move the points state, in one
	// transaction. It refuses after too many failed attempts by acct
	// (ErrTooManyAttempts), for unknown or expired codes (ErrBadCode) and
	// for members sharing a platform (ErrSamePlatform).
	Link(ctx context.Context, community, code string, acct bot.Account, merge func(into, from *State), at time.Time) (bot.Member, error)
	// Unlink detaches an account from its member into a new member of
	// its own with an empty state. The last account cannot be detached.
	Unlink(ctx context.Context, community, accountKey string, at time.Time) (bot.Member, error)

	// SaveInvite remembers a member's invite link for a chat, and code (what
	// join events carry) as belonging to the member.
	SaveInvite(ctx context.Context, community string, member bot.MemberID, chat, link, code string) error
	// InviteFor returns the member's invite link for a chat, if any.
	InviteFor(ctx context.Context, community string, member bot.MemberID, chat string) (string, bool, error)
	// InviteOwner returns the member an invite code belongs to.
	InviteOwner(ctx context.Context, community, code string) (bot.MemberID, bool, error)
}

// Ranked is one line of a leaderboard.
type Ranked struct {
	Member bot.MemberID
	Points int64
	// Name is the member's display name (set by Store.Board only; empty
	// for a member whose personal data was erased).
	Name string
}

// Board is a leaderboard as /top shows it.
type Board struct {
	Top []Ranked
	// Points and Rank are the asking member's standing (Rank 0: unranked).
	Points int64
	Rank   int
}

// Redemption is a fulfilment request of the shop.
type Redemption struct {
	ID       uint64       `json:"id"`
	Member   bot.MemberID `json:"member"`
	Item     string       `json:"item"`
	Cost     int64        `json:"cost"`
	Status   string       `json:"status"` // open, fulfilled, refunded
	Opened   time.Time    `json:"opened"`
	Closed   time.Time    `json:"closed,omitempty"`
	ClosedBy string       `json:"closed_by,omitempty"`
}

// Redemption statuses.
const (
	StatusOpen      = "open"
	StatusFulfilled = "fulfilled"
	StatusRefunded  = "refunded"
)

// Store errors the feature turns into messages.
var (
	ErrNegative        = errors.New("points: balance would go below zero")
	ErrOutOfStock      = errors.New("points: out of stock")
	ErrSettled         = errors.New("points: redemption already settled")
	ErrNoRedemption    = errors.New("points: no such redemption")
	ErrBadCode         = errors.New("points: unknown or expired link code")
	ErrTooManyAttempts = errors.New("points: too many link attempts")
	ErrSamePlatform    = errors.New("points: both members have an account on the same platform")
	ErrAlreadyLinked   = errors.New("points: the accounts already belong to one member")
	ErrLastAccount     = errors.New("points: a member's only account cannot be unlinked")
	ErrUnknownAccount  = errors.New("points: unknown account")
)
