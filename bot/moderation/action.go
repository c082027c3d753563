package moderation

import (
	"context"
	"time"

	"github.com/cohortbot/cohort/bot"
)

// Action kinds.
const (
	KindWarn   = "warn"
	KindMute   = "mute"
	KindUnmute = "unmute"
	KindBan    = "ban"
	KindUnban  = "unban"
	KindDelete = "delete"
)

// Rules that trigger automatic actions; manual actions have RuleManual.
const (
	RuleManual     = "manual"
	RuleFlood      = "flood"
	RuleDuplicate  = "duplicate"
	RuleLink       = "link"
	RuleLinkTier   = "link_tier"
	RuleBannedWord = "banned_word"
	RuleMentions   = "mentions"
	RuleLadder     = "ladder"
)

// Action is one moderation action as recorded.
type Action struct {
	ID        uint64       `json:"id"`
	Community string       `json:"community"`
	Member    bot.MemberID `json:"member"`
	Kind      string       `json:"kind"`
	Rule      string       `json:"rule"`
	Reason    string       `json:"reason,omitempty"`
	Actor     string       `json:"actor"`              // moderator's account key, or "auto"
	Accounts  []string     `json:"accounts,omitempty"` // account keys acted on
	Until     time.Time    `json:"until,omitempty"`    // end of a mute
	At        time.Time    `json:"at"`
}

// Store records moderation actions. The store package implements it.
type Store interface {
	// RecordAction saves an action and returns it with its id.
	RecordAction(ctx context.Context, a Action) (Action, error)
	// MemberActions returns a member's actions at or after since, oldest first.
	MemberActions(ctx context.Context, community string, member bot.MemberID, since time.Time) ([]Action, error)
}
