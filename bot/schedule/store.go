package schedule

import (
	"context"

	"github.com/cohortbot/cohort/bot"
)

// Store persists jobs, deliveries, polls, events and surveys. The store
// package implements it. Update functions are pure: the store may call them
// more than once and commits what the last call left in the record; when
// they return an error nothing is written and the error is returned.
type Store interface {
	JobStore
	PollStore
	EventStore
	SurveyStore
}

// JobStore keeps jobs and their delivery log.
type JobStore interface {
	// CreateJob stores a new job and returns it with its ID.
	// CreateJob stores a new job; a job with the same Origin already stored
	// is returned instead.
	CreateJob(ctx context.Context, j Job) (Job, error)
	// Job returns a job of a community.
	Job(ctx context.Context, community, id string) (Job, bool, error)
	// Jobs lists a community's jobs that are active or paused, oldest first.
	Jobs(ctx context.Context, community string) ([]Job, error)
	// ActiveJobs lists every community's active jobs.
	ActiveJobs(ctx context.Context) ([]Job, error)
	// UpdateJob changes a job with fn; found is false (and nothing is
	// written) when the job does not exist.
	UpdateJob(ctx context.Context, community, id string, fn func(*Job) error) (j Job, found bool, err error)
	// BeginDelivery records the intent to send; it reports false, writing
	// nothing, when the key (job, run, chat) was already recorded.
	BeginDelivery(ctx context.Context, d Delivery) (bool, error)
	// FinishDelivery records the outcome of a begun delivery.
	FinishDelivery(ctx context.Context, d Delivery) error
	// Deliveries lists a job's deliveries in key order.
	Deliveries(ctx context.Context, community, job string) ([]Delivery, error)
}

// PollStore keeps polls, their native messages and votes.
type PollStore interface {
	// CreatePoll stores a new poll and returns it with its ID.
	CreatePoll(ctx context.Context, p Poll) (Poll, error)
	// Poll returns a poll of a community.
	Poll(ctx context.Context, community, id string) (Poll, bool, error)
	// LatestPoll is the community's most recently created poll.
	LatestPoll(ctx context.Context, community string) (Poll, bool, error)
	// OpenPolls lists every community's polls that are not closed.
	OpenPolls(ctx context.Context) ([]Poll, error)
	// UpdatePoll changes a poll with fn; found is false when it does not exist.
	UpdatePoll(ctx context.Context, community, id string, fn func(*Poll) error) (Poll, bool, error)
	// IndexPoll maps a lookup key (a native message or platform poll id) to a poll.
	IndexPoll(ctx context.Context, key, community, id string) error
	// FindPoll looks a poll up by an IndexPoll key.
	FindPoll(ctx context.Context, key string) (community, id string, ok bool, err error)
	// UpdateVote replaces a member's choice in a poll with what fn returns
	// (empty = no vote); it returns the choice before and after.
	UpdateVote(ctx context.Context, community, id string, member bot.MemberID, fn func(p Poll, cur []int) ([]int, error)) (before, after []int, err error)
	// Votes returns every member's current choice.
	Votes(ctx context.Context, community, id string) (map[bot.MemberID][]int, error)
}

// EventStore keeps events.
type EventStore interface {
	// CreateEvent stores a new event and returns it with its ID.
	CreateEvent(ctx context.Context, e Event) (Event, error)
	// Event returns an event of a community.
	Event(ctx context.Context, community, id string) (Event, bool, error)
	// Events lists a community's events that are not over, by start.
	Events(ctx context.Context, community string) ([]Event, error)
	// PendingEvents lists every community's events that are not over.
	PendingEvents(ctx context.Context) ([]Event, error)
	// UpdateEvent changes an event with fn; found is false when it does not exist.
	UpdateEvent(ctx context.Context, community, id string, fn func(*Event) error) (Event, bool, error)
}

// SurveyStore keeps surveys, responses and private-chat sessions.
type SurveyStore interface {
	// CreateSurvey stores a survey; a survey with the same non-empty Origin
	// is returned instead of creating a second one.
	CreateSurvey(ctx context.Context, s Survey) (Survey, error)
	// Survey returns a survey of a community.
	Survey(ctx context.Context, community, id string) (Survey, bool, error)
	// LatestSurvey is the community's most recently created survey.
	LatestSurvey(ctx context.Context, community string) (Survey, bool, error)
	// UpdateResponse changes a member's response with fn, starting from an
	// empty one.
	UpdateResponse(ctx context.Context, community, id string, member bot.MemberID, fn func(*Response) error) (Response, error)
	// Responses lists a survey's responses.
	Responses(ctx context.Context, community, id string) ([]Response, error)
	// Session returns the survey an account is answering in private chat.
	Session(ctx context.Context, account string) (Session, bool, error)
	// SetSession starts or moves a session; a nil session ends it.
	SetSession(ctx context.Context, account string, s *Session) error
}
