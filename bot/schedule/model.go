package schedule

import (
	"time"

	"github.com/cohortbot/cohort/bot"
)

// Job kinds: what a job posts when it runs.
const (
	KindAnnounce = "announce"
	KindPoll     = "poll"
	KindEvent    = "event"
	KindSurvey   = "survey"
)

// Job states.
const (
	StateActive    = "active"
	StatePaused    = "paused"
	StateDone      = "done"
	StateMissed    = "missed" // a one-shot found later than the grace period
	StateCancelled = "cancelled"
)

// Job is something the engine posts later: once at At, or on a cron Spec.
type Job struct {
	ID        string
	Community string
	Kind      string
	State     string
	Creator   bot.MemberID
	Created   time.Time
	// Spec is the cron spec of a recurring job (with CRON_TZ); empty for one-shots.
	Spec string
	// Next is the next scheduled run.
	Next    time.Time
	LastRun time.Time
	// To is the target: "" for every chat, a segment, or a chat ref.
	To   string
	Text string
	Pin  bool
	// Ref is the poll, event or survey template the job posts.
	Ref string
	// Origin is the command message that created the job ("chat#message").
	// A command the platform delivers again (Telegram after a crash) finds
	// its job instead of creating a second one.
	Origin string `json:",omitempty"`
}

// Recurring reports whether the job runs on a cron schedule.
func (j Job) Recurring() bool { return j.Spec != "" }

// Delivery statuses.
const (
	DeliverySending = "sending"
	DeliverySent    = "sent"
	DeliveryFailed  = "failed"
)

// Delivery records one send of a job run to one chat. Job, Run and Chat
// form its idempotency key.
type Delivery struct {
	Community string
	Job       string
	Run       time.Time
	Chat      bot.ChatRef
	Message   string
	Status    string
	Error     string
	At        time.Time
}

// Poll is a poll posted as a native poll in one or more chats, with one
// tally across them.
type Poll struct {
	ID        string
	Community string
	Question  string
	Options   []string
	Multi     bool
	Anonymous bool
	Creator   bot.MemberID
	Created   time.Time
	// Duration is how long the poll stays open once posted.
	Duration time.Duration
	Opened   time.Time
	Closes   time.Time
	Closed   bool
	Posts    []PollPost
}

// PollPost is one native poll message of a Poll.
type PollPost struct {
	Message bot.MessageRef
}

// Event is a community event members RSVP to.
type Event struct {
	ID        string
	Community string
	Title     string
	Start     time.Time
	Duration  time.Duration
	To        string
	Cap       int
	Code      string
	Creator   bot.MemberID
	Created   time.Time
	Going     []bot.MemberID
	Waitlist  []bot.MemberID
	CheckedIn []bot.MemberID
	// Reminded holds, per member, the smallest reminder offset already sent.
	Reminded  map[bot.MemberID]time.Duration
	Started   bool // the start notice went to moderators
	Over      bool
	Cancelled bool
}

// End is when the event is over.
func (e Event) End() time.Time { return e.Start.Add(e.Duration) }

// Question kinds.
const (
	QuestionChoice = "choice"
	QuestionScale  = "scale" // 1 to 5
	QuestionNPS    = "nps"   // 0 to 10
	QuestionText   = "text"
)

// Question is one survey question.
type Question struct {
	Kind    string
	Text    string
	Options []string
}

// Survey is a questionnaire members answer in private chat.
type Survey struct {
	ID        string
	Community string
	Title     string
	Questions []Question
	Creator   bot.MemberID
	Created   time.Time
	// Origin makes creation idempotent: a scheduled survey is created once
	// per job run.
	Origin string
}

// Response is one member's answers to a survey.
type Response struct {
	Member  bot.MemberID
	Answers []string // by question; "" = not answered yet
	Done    bool
	Updated time.Time
}

// Session is an account's survey in progress in private chat.
type Session struct {
	Community string
	Survey    string
	Member    bot.MemberID
	Question  int
}
