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
	// Member returns a member by id.
	Member(ctx context.Context, community string, id MemberID) (Member, bool, error)
	// FindMember finds a member by "@username", a Discord mention "<@id>" or
	// an account key "telegram:1001".
	FindMember(ctx context.Context, community, query string) (Member, bool, error)
}

// accountMembers is the MemberDirectory used without a store: every
// account is a member of its own and nothing is remembered.
type accountMembers struct{}

func (accountMembers) Resolve(_ context.Context, community string, acct Account, at time.Time) (Member, error) {
	return Member{ID: MemberID(acct.Key()), Community: community, Accounts: []Account{acct}, Name: acct.Display(), Lang: acct.Lang, Joined: at}, nil
}

func (accountMembers) Member(context.Context, string, MemberID) (Member, bool, error) {
	return Member{}, false, nil
}

func (accountMembers) FindMember(context.Context, string, string) (Member, bool, error) {
	return Member{}, false, nil
}

// Reward rules other features ask the points ledger to apply.
const (
	RulePollVote = "poll_vote"
	RuleCheckin  = "event_checkin"
	RuleFeedback = "feedback_accepted"
	RuleSurvey   = "survey"
	RuleReferral = "referral"
)

// Rewards awards points by rule. The points module implements it; the amount
// comes from the community's points configuration. ref makes the reward
// idempotent: the same (member, rule, ref) pays once.
type Rewards interface {
	Reward(ctx context.Context, community string, member MemberID, rule, ref string) (awarded int64, err error)
}

// Counters names the daily community counters features feed for analytics.
const (
	CountJoined          = "joined"
	CountLeft            = "left"
	CountMessages        = "messages"
	CountCommands        = "commands"
	CountTicketsOpened   = "tickets_opened"
	CountTicketsResolved = "tickets_resolved"
	CountPollVotes       = "poll_votes"
	CountRSVPs           = "rsvps"
	CountRedemptions     = "redemptions"
	CountReferrals       = "referrals"
	// CountVIP is counted once per member, through Bot.CountMember, when
	// the member first reaches a VIP tier: the last step of the analytics
	// funnel.
	CountVIP = "vip_reached"
)

// Tally receives community counters (see the Count constants). The analytics
// module implements it.
type Tally interface {
	Count(ctx context.Context, community string, chat ChatRef, counter string, n int)
}

// MemberTally is a Tally that also takes counters about one member (see
// CountVIP). The analytics module implements it.
type MemberTally interface {
	CountMember(ctx context.Context, community string, member MemberID, counter string, n int)
}
