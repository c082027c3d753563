package schedule

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cohortbot/cohort/bot"
)

// Limits that both platforms accept for native polls.
const (
	maxQuestion  = 300
	maxOption    = 55 // Discord's answer limit
	minOptions   = 2
	maxOptions   = 10
	maxPollHours = int(maxPollDuration / time.Hour)
)

// runPoll handles /poll: creating a poll, or results, export and close.
func (m *Module) runPoll(ctx context.Context, req *bot.Request) error {
	if len(req.Args) > 0 {
		switch strings.ToLower(req.Args[0]) {
		case "results":
			return m.pollResults(ctx, req)
		case "export":
			return m.pollExport(ctx, req)
		case "close":
			return m.pollClose(ctx, req)
		}
	}
	return m.createPoll(ctx, req)
}

// createPoll handles /poll [--multi] [--anonymous] [--closes DURATION]
// [--to TARGET] [--at TIME] "QUESTION" "OPTION" "OPTION" ...
func (m *Module) createPoll(ctx context.Context, req *bot.Request) error {
	cfg := m.settings.For(req.Community.ID)
	p := Poll{Community: req.Community.ID, Creator: req.Member, Created: req.Now(), Duration: cfg.PollDuration}
	r := newArgReader(req.RawArgs)
	var w when
	var to string
	for f := r.flag(); f != ""; f = r.flag() {
		r.next(1)
		var err error
		switch f {
		case "multi":
			p.Multi = true
		case "anonymous":
			p.Anonymous = true
		case "closes":
			v := r.next(1)
			d, ok := parseDuration(v)
			if !ok || d < time.Minute || d > maxPollDuration {
				err = bot.Errorf("poll.bad_duration", bot.Args{"value": v})
			}
			p.Duration = d
		case "to":
			to, err = readTo(r, req)
		case "at":
			err = m.readWhen(r, f, req, &w)
		default:
			err = bot.Errorf("schedule.unknown_flag", bot.Args{"flag": f, "usage": req.T("poll.usage", nil)})
		}
		if err != nil {
			return err
		}
	}
	parts, err := bot.SplitArgs(r.remainder())
	if err != nil {
		return bot.Errorf("error.unbalanced_quotes", nil)
	}
	if len(parts) < 1+minOptions || len(parts) > 1+maxOptions {
		return bot.Errorf("poll.option_count", bot.Args{"min": minOptions, "max": maxOptions, "usage": req.T("poll.usage", nil)})
	}
	p.Question, p.Options = strings.TrimSpace(parts[0]), parts[1:]
	if p.Question == "" || utf8.RuneCountInString(p.Question) > maxQuestion {
		return bot.Errorf("poll.bad_question", bot.Args{"max": maxQuestion})
	}
	seen := map[string]bool{}
	for i, o := range p.Options {
		o = strings.TrimSpace(o)
		if o == "" || utf8.RuneCountInString(o) > maxOption || seen[strings.ToLower(o)] {
			return bot.Errorf("poll.bad_option", bot.Args{"option": o, "max": maxOption})
		}
		seen[strings.ToLower(o)] = true
		p.Options[i] = o
	}
	p, err = m.store.CreatePoll(ctx, p)
	if err != nil {
		return err
	}
	j := Job{Community: p.Community, Kind: KindPoll, State: StateActive, Creator: req.Member, Created: req.Now(), Next: w.next, To: to, Ref: p.ID, Origin: origin(req)}
	if w.next.IsZero() {
		j.Next = req.Now()
		_, ds, err := m.runNow(ctx, req.Bot, j)
		if err != nil {
			return err
		}
		if p.Anonymous {
			if err := req.ReplyText(ctx, "poll.anonymous_note", nil); err != nil {
				return err
			}
		}
		return replyDeliveries(ctx, req, ds)
	}
	if j, err = m.store.CreateJob(ctx, j); err != nil {
		return err
	}
	return req.ReplyText(ctx, "poll.scheduled", bot.Args{"id": p.ID, "job": j.ID, "time": formatTime(j.Next, req.Community.Location), "target": targetLabel(req, to)})
}

// pollOutgoing posts the native poll and remembers each message it lives in.
func (m *Module) pollOutgoing(ctx context.Context, b *bot.Bot, j Job, run time.Time) (func(bot.ChatRef) bot.Outgoing, func(bot.MessageRef) error, error) {
	p, ok, err := m.store.Poll(ctx, j.Community, j.Ref)
	if err != nil || !ok {
		return nil, nil, errNotFound("poll", j.Ref, err)
	}
	hours := int((p.Duration + time.Hour - 1) / time.Hour)
	native := &bot.Poll{Question: p.Question, Options: p.Options, Multi: p.Multi, Anonymous: p.Anonymous, Duration: min(max(hours, 1), maxPollHours)}
	out := func(bot.ChatRef) bot.Outgoing { return bot.Outgoing{Poll: native} }
	after := func(ref bot.MessageRef) error {
		if err := m.store.IndexPoll(ctx, messageKey(ref), p.Community, p.ID); err != nil {
			return err
		}
		_, _, err := m.store.UpdatePoll(ctx, p.Community, p.ID, func(p *Poll) error {
			p.Posts = append(p.Posts, PollPost{Message: ref})
			if p.Opened.IsZero() {
				p.Opened, p.Closes = run, run.Add(p.Duration)
			}
			return nil
		})
		return err
	}
	return out, after, nil
}

// messageKey and pollIDKey are the lookup keys for votes.
func messageKey(ref bot.MessageRef) string {
	return "msg:" + ref.Chat.WithoutThread().String() + "/" + ref.ID
}

func pollIDKey(platform, id string) string { return "pid:" + platform + ":" + id }

// findPoll maps a vote onto the poll it belongs to, learning the platform
// poll id the first time a vote carries both it and the message.
func (m *Module) findPoll(ctx context.Context, platform string, v *bot.PollVote) (community, id string, ok bool, err error) {
	if v.PollID != "" {
		if community, id, ok, err = m.store.FindPoll(ctx, pollIDKey(platform, v.PollID)); ok || err != nil {
			return community, id, ok, err
		}
	}
	if v.Message.ID == "" {
		return "", "", false, nil
	}
	community, id, ok, err = m.store.FindPoll(ctx, messageKey(v.Message))
	if ok && v.PollID != "" {
		err = m.store.IndexPoll(ctx, pollIDKey(platform, v.PollID), community, id)
	}
	return community, id, ok, err
}

// observeVote merges a native vote into the poll's one tally. The choice
// belongs to the member, so linked accounts voting on both platforms count
// once (the latest choice wins).
func (m *Module) observeVote(ctx context.Context, req *bot.Request) error {
	v := req.Event.Poll
	community, id, ok, err := m.findPoll(ctx, req.Event.From.Platform, v)
	if err != nil || !ok {
		return err
	}
	member := req.Member
	if community != req.Community.ID {
		mem, err := req.Bot.Members().Resolve(ctx, community, req.Event.From, req.Event.Time)
		if err != nil {
			return err
		}
		member = mem.ID
	}
	before, after, err := m.store.UpdateVote(ctx, community, id, member, func(p Poll, cur []int) ([]int, error) {
		if p.Closed {
			return cur, nil
		}
		return applyVote(p, cur, v), nil
	})
	if err != nil {
		return err
	}
	if len(before) == 0 && len(after) > 0 {
		if _, err := req.Bot.Reward(ctx, community, member, bot.RulePollVote, "poll:"+id); err != nil {
			logger(ctx).Warn().Err(err).Str("poll", id).Msg("rewarding a poll vote failed")
		}
		req.Bot.Count(ctx, community, req.Event.Chat, bot.CountPollVotes, 1)
	}
	return nil
}

// applyVote computes a member's new choice from a platform vote.
func applyVote(p Poll, cur []int, v *bot.PollVote) []int {
	valid := func(i int) bool { return i >= 0 && i < len(p.Options) }
	if !v.Partial {
		var out []int
		for _, i := range v.Options {
			if valid(i) && !slices.Contains(out, i) {
				out = append(out, i)
			}
		}
		if !p.Multi && len(out) > 1 {
			out = out[:1]
		}
		return out
	}
	if len(v.Options) != 1 || !valid(v.Options[0]) {
		return cur
	}
	opt := v.Options[0]
	if !v.Added {
		var out []int
		for _, i := range cur {
			if i != opt {
				out = append(out, i)
			}
		}
		return out
	}
	if !p.Multi {
		return []int{opt}
	}
	if slices.Contains(cur, opt) {
		return cur
	}
	return append(append([]int(nil), cur...), opt)
}
