package analytics

import (
	"context"
	"time"

	"github.com/cohortbot/cohort/bot"
)

// Counter names the store maintains itself, next to the bot.Count* ones
// features feed.
const (
	// CountActive is the number of distinct members active that day (per
	// community, and per chat under the chat's key).
	CountActive = "active"
	// CountNew is the number of members who joined for the first time that day.
	CountNew = "new_members"
)

// ActivityKind is what a member did, as the store records it in member facts.
type ActivityKind int

// Activity kinds.
const (
	// Joined: a platform join event.
	Joined ActivityKind = iota + 1
	// Left: a platform leave event.
	Left
	// Wrote: a message or a command (counts as activity and as a first message).
	Wrote
	// Acted: a button press, a vote or a reaction (counts as activity).
	Acted
	// ReachedVIP: the member first reached a VIP tier.
	ReachedVIP
)

// Increment adds N to a daily counter. Chat is the chat's reference string,
// or "" for the community total.
type Increment struct {
	Community string
	Day       Day
	Chat      string
	Name      string
	N         int64
}

// Activity is one thing a member did on a day, in a chat of the community
// (Chat is "" for private conversations).
type Activity struct {
	Community string
	Member    bot.MemberID
	Day       Day
	Chat      string
	Kind      ActivityKind
}

// Batch is what one flush writes.
type Batch struct {
	Counts   []Increment
	Activity []Activity
}

// CounterKey names one daily counter of a community.
type CounterKey struct {
	Day  Day
	Chat string // "" for the community total
	Name string
}

// MemberFacts are the days that matter for retention and lifecycle of one
// member; a zero Day means never.
type MemberFacts struct {
	Member       bot.MemberID
	Joined       Day // first join event
	FirstMessage Day
	LastActive   Day
	LastSeen     Day // last join or activity
	VIP          Day
	Left         Day // last leave event
}

// Store persists analytics. The store package implements it.
type Store interface {
	// Record applies one batch in a single write: counters are added; each
	// activity updates the member's facts, the per-day (and per-chat) sets
	// of active members with their CountActive counters, the first-join
	// index with CountNew, and the last-seen index.
	Record(ctx context.Context, b Batch) error
	// Counters returns the community's counters for the days from..to
	// (inclusive), totals and per chat.
	Counters(ctx context.Context, community string, from, to Day) (map[CounterKey]int64, error)
	// ActiveMembers counts the distinct members active on any day from..to.
	ActiveMembers(ctx context.Context, community string, from, to Day) (int, error)
	// Joiners returns the facts of the members whose first join was from..to.
	Joiners(ctx context.Context, community string, from, to Day) ([]MemberFacts, error)
	// LastSeen returns how many members were last seen on each day.
	LastSeen(ctx context.Context, community string) (map[Day]int64, error)
	// EachMember calls fn with every member's facts, by member id.
	EachMember(ctx context.Context, community string, fn func(MemberFacts) error) error
	// LastReport returns when the weekly report last ran (zero if never).
	LastReport(ctx context.Context, community string) (time.Time, error)
	// SetLastReport records when the weekly report ran.
	SetLastReport(ctx context.Context, community string, at time.Time) error
}
