package points

import (
	"slices"
	"time"

	"github.com/cohortbot/cohort/bot"
)

// Scopes of the leaderboards: all time, and per calendar week or month.
const (
	ScopeAll   = "all"
	ScopeWeek  = "week"
	ScopeMonth = "month"
)

// Window is a member's score in one leaderboard period ("2026-W02",
// "2026-01").
type Window struct {
	Period string `json:"p,omitempty"`
	Points int64  `json:"n,omitempty"`
}

// State is everything the points system keeps about one member: counters,
// never message text. The store persists it as one record per member.
type State struct {
	// Balance is what the member can spend; Score is what they earned
	// (net of moderator deductions) and ranks them. Spending lowers the
	// balance but never the score.
	Balance int64  `json:"bal"`
	Score   int64  `json:"score"`
	Week    Window `json:"week"`
	Month   Window `json:"month"`

	// LastEarn is when a message last earned points (the cooldown).
	LastEarn time.Time `json:"last_earn"`
	// Day is the current day (days since 1970 in the community's
	// timezone) and DayPoints what messages earned on it (the daily cap).
	Day       int   `json:"day"`
	DayPoints int64 `json:"day_pts,omitempty"`
	// Hashes of the member's last messages, to refuse duplicates.
	Hashes []uint64 `json:"hashes,omitempty"`

	Messages   int64     `json:"msgs,omitempty"`
	ActiveDays int       `json:"active_days,omitempty"`
	LastDay    int       `json:"last_day,omitempty"` // the last day with a message
	Streak     int       `json:"streak,omitempty"`
	FirstSeen  time.Time `json:"first_seen"`
	LastActive time.Time `json:"last_active"`

	Tier       string   `json:"tier,omitempty"`        // automatic tier last reached
	ManualTier string   `json:"manual_tier,omitempty"` // set by moderators; wins over Tier
	Badges     []string `json:"badges,omitempty"`

	// ReachedVIP is set the first time the member's ladder tier reaches
	// the VIP tier (or one above it), so the analytics funnel counts the
	// member once.
	ReachedVIP bool `json:"vip,omitempty"`

	ReferredBy   string `json:"referred_by,omitempty"` // member id of the referrer
	ReferralPaid bool   `json:"referral_paid,omitempty"`
	Invited      int    `json:"invited,omitempty"`   // members who joined through the member's invites
	Referrals    int    `json:"referrals,omitempty"` // of those, the ones who qualified

	// Recent are the ledger sequence numbers of the member's latest
	// entries, newest last (kept by the store; the ledger itself is
	// append-only in time order).
	Recent []uint64 `json:"recent,omitempty"`

	// Pending are the entries posted in the current change; the store
	// writes them to the ledger and never persists this field.
	Pending []Entry `json:"-"`
}

// Entry is one ledger line. Entries are never rewritten.
type Entry struct {
	Seq    uint64       `json:"seq,omitempty"` // set by the store
	Member bot.MemberID `json:"m,omitempty"`   // set by the store
	Time   time.Time    `json:"t"`
	Delta  int64        `json:"d"`           // change of the balance
	Score  int64        `json:"s,omitempty"` // change of the score
	Reason string       `json:"r"`           // a rule name, or the moderator's words
	Actor  string       `json:"a,omitempty"` // account key of a moderator, or empty for rules
	// Ref makes the entry idempotent: a second entry with the same rule
	// and ref for the member is dropped.
	Rule string `json:"rule,omitempty"`
	Ref  string `json:"ref,omitempty"`
}

// Ledger reasons written by rules (moderator entries carry their own words).
const (
	ReasonMessage = "message"
	ReasonStreak  = "streak"
	ReasonAward   = "award"
	ReasonDeduct  = "deduct"
	ReasonRedeem  = "redeem"
	ReasonRefund  = "refund"
	ReasonLinkIn  = "link_in"
	ReasonLinkOut = "link_out"
)

// post adds an entry to the state: balance, score and the current windows.
func (st *State) post(e Entry, week, month string) {
	st.Balance += e.Delta
	st.Score += e.Score
	if e.Score != 0 {
		st.roll(week, month)
		st.Week.Points += e.Score
		st.Month.Points += e.Score
	}
	st.Pending = append(st.Pending, e)
}

// roll starts new windows when the period changed.
func (st *State) roll(week, month string) {
	if st.Week.Period != week {
		st.Week = Window{Period: week}
	}
	if st.Month.Period != month {
		st.Month = Window{Period: month}
	}
}

// HasBadge reports whether the member holds a badge.
func (st *State) HasBadge(name string) bool { return slices.Contains(st.Badges, name) }

// addBadge grants a badge once; it reports whether it was new.
func (st *State) addBadge(name string) bool {
	if st.HasBadge(name) {
		return false
	}
	st.Badges = append(st.Badges, name)
	return true
}

// window returns the member's points in a scope for the given periods.
func (st *State) window(scope, week, month string) int64 {
	switch scope {
	case ScopeWeek:
		if st.Week.Period == week {
			return st.Week.Points
		}
		return 0
	case ScopeMonth:
		if st.Month.Period == month {
			return st.Month.Points
		}
		return 0
	}
	return st.Score
}
