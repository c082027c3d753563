package sentinel

import (
	"context"
	"time"

	"github.com/cohortbot/cohort/bot"
)

// Hour is one community's message counters for an hour.
type Hour struct {
	Start    time.Time `json:"start"`
	Total    int       `json:"total"`
	Negative int       `json:"negative"`
}

// Flagged is a message that raised (or would have raised) a risk alert.
type Flagged struct {
	Community string       `json:"community"`
	At        time.Time    `json:"at"`
	Chat      bot.ChatRef  `json:"chat"`
	MessageID string       `json:"message_id"`
	Member    bot.MemberID `json:"member"`
	Author    string       `json:"author"`
	Text      string       `json:"text"` // truncated
	Phrases   []string     `json:"phrases"`
	Alerted   bool         `json:"alerted"`
}

// Store keeps the sentinel's counters and flagged messages. The store
// package implements it.
type Store interface {
	// AddHour adds counts to a community's hour.
	AddHour(ctx context.Context, community string, h Hour) error
	// Hours returns a community's hours in [from, to), oldest first.
	Hours(ctx context.Context, community string, from, to time.Time) ([]Hour, error)
	// Flag records a flagged message.
	Flag(ctx context.Context, f Flagged) error
	// FlaggedSince returns a community's flagged messages since t, oldest first.
	FlaggedSince(ctx context.Context, community string, t time.Time) ([]Flagged, error)
}
