package schedule

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cohortbot/cohort/bot"
)

// closeDuePolls closes every poll whose time is up and posts its results.
func (m *Module) closeDuePolls(ctx context.Context, b *bot.Bot, now time.Time) error {
	polls, err := m.store.OpenPolls(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, p := range polls {
		if p.Opened.IsZero() || p.Closes.After(now) {
			continue
		}
		if _, err := m.closePoll(ctx, b, p.Community, p.ID); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// closePoll marks a poll closed (once), stops its native polls and posts
// the results in every chat it was posted in. It reports false when the
// poll was already closed.
func (m *Module) closePoll(ctx context.Context, b *bot.Bot, community, id string) (bool, error) {
	closed := false
	p, ok, err := m.store.UpdatePoll(ctx, community, id, func(p *Poll) error {
		closed = !p.Closed
		p.Closed = true
		return nil
	})
	if err != nil || !ok || !closed {
		return false, err
	}
	for _, post := range p.Posts {
		a, ok := b.Adapter(post.Message.Chat.Platform)
		if !ok {
			continue
		}
		if pc, ok := a.(bot.PollCloser); ok {
			if err := pc.ClosePoll(ctx, post.Message); err != nil {
				logger(ctx).Warn().Err(err).Str("chat", post.Message.Chat.String()).Msg("closing native poll failed")
			}
		}
	}
	c := b.Communities().Get(community)
	if c == nil {
		return true, nil
	}
	votes, err := m.store.Votes(ctx, community, id)
	if err != nil {
		return true, err
	}
	text := resultsText(b, b.LangFor(c, ""), p, votes)
	for _, post := range p.Posts {
		if _, err := b.Send(ctx, post.Message.Chat, bot.Outgoing{Text: text, ReplyTo: post.Message.ID}); err != nil {
			logger(ctx).Warn().Err(err).Str("chat", post.Message.Chat.String()).Msg("posting poll results failed")
		}
	}
	return true, nil
}

// resultsText renders the tally as a text bar chart.
func resultsText(b *bot.Bot, lang string, p Poll, votes map[bot.MemberID][]int) string {
	counts := make([]int, len(p.Options))
	for _, choice := range votes {
		for _, i := range choice {
			if i >= 0 && i < len(counts) {
				counts[i]++
			}
		}
	}
	key := "poll.results_open"
	if p.Closed {
		key = "poll.results_closed"
	}
	lines := []string{b.T(lang, key, bot.Args{"id": p.ID, "question": p.Question, "count": len(votes)})}
	for i, o := range p.Options {
		pct := 0
		if len(votes) > 0 {
			pct = (counts[i]*100 + len(votes)/2) / len(votes)
		}
		filled := (pct + 5) / 10
		bar := strings.Repeat("█", filled) + strings.Repeat("░", 10-filled)
		lines = append(lines, fmt.Sprintf("%s\n`%s` %d%% (%d)", bot.Escape(o), bar, pct, counts[i]))
	}
	return strings.Join(lines, "\n")
}

// pollArg returns the poll named by the second argument, or the latest one.
func (m *Module) pollArg(ctx context.Context, req *bot.Request, required bool) (Poll, error) {
	if len(req.Args) < 2 {
		if required {
			return Poll{}, bot.Errorf("error.usage", bot.Args{"usage": req.T("poll.usage", nil)})
		}
		p, ok, err := m.store.LatestPoll(ctx, req.Community.ID)
		if err == nil && !ok {
			err = bot.Errorf("poll.none", nil)
		}
		return p, err
	}
	id := strings.TrimPrefix(req.Args[1], "#")
	if !validID(id) {
		return Poll{}, bot.Errorf("poll.unknown", bot.Args{"id": req.Args[1]})
	}
	p, ok, err := m.store.Poll(ctx, req.Community.ID, id)
	if err == nil && !ok {
		err = bot.Errorf("poll.unknown", bot.Args{"id": id})
	}
	return p, err
}

// pollResults handles /poll results [ID].
func (m *Module) pollResults(ctx context.Context, req *bot.Request) error {
	p, err := m.pollArg(ctx, req, false)
	if err != nil {
		return err
	}
	votes, err := m.store.Votes(ctx, p.Community, p.ID)
	if err != nil {
		return err
	}
	_, err = req.Reply(ctx, bot.Outgoing{Text: resultsText(req.Bot, req.Lang, p, votes)})
	return err
}

// pollClose handles /poll close ID: it closes the poll now.
func (m *Module) pollClose(ctx context.Context, req *bot.Request) error {
	p, err := m.pollArg(ctx, req, true)
	if err != nil {
		return err
	}
	closed, err := m.closePoll(ctx, req.Bot, p.Community, p.ID)
	if err != nil {
		return err
	}
	if !closed {
		return bot.Errorf("poll.already_closed", bot.Args{"id": p.ID})
	}
	return req.ReplyText(ctx, "poll.closed", bot.Args{"id": p.ID})
}

// pollExport handles /poll export ID: a CSV of the tally, and for polls
// that are not anonymous each member's choice, sent to the moderator only.
func (m *Module) pollExport(ctx context.Context, req *bot.Request) error {
	p, err := m.pollArg(ctx, req, true)
	if err != nil {
		return err
	}
	votes, err := m.store.Votes(ctx, p.Community, p.ID)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	counts := make([]int, len(p.Options))
	for _, choice := range votes {
		for _, i := range choice {
			if i >= 0 && i < len(counts) {
				counts[i]++
			}
		}
	}
	_ = w.Write([]string{"option", "votes"})
	for i, o := range p.Options {
		_ = w.Write([]string{bot.CSVCell(o), strconv.Itoa(counts[i])})
	}
	if !p.Anonymous {
		_ = w.Write(nil)
		_ = w.Write([]string{"member", "name", "choice"})
		ids := make([]string, 0, len(votes))
		for id := range votes {
			ids = append(ids, string(id))
		}
		sort.Strings(ids)
		for _, id := range ids {
			name := ""
			if mem, ok, err := req.Bot.Members().Member(ctx, p.Community, bot.MemberID(id)); err == nil && ok {
				name = mem.Name
			}
			var chosen []string
			for _, i := range votes[bot.MemberID(id)] {
				if i >= 0 && i < len(p.Options) {
					chosen = append(chosen, p.Options[i])
				}
			}
			_ = w.Write([]string{id, bot.CSVCell(name), bot.CSVCell(strings.Join(chosen, "; "))})
		}
	}
	w.Flush()
	msg := bot.Outgoing{
		Text:      req.T("poll.export", bot.Args{"id": p.ID, "count": len(votes)}),
		Files:     []bot.File{{Name: "poll-" + p.ID + ".csv", MIME: "text/csv", Data: buf.Bytes()}},
		Ephemeral: true,
	}
	return req.ReplyPrivately(ctx, msg, "schedule.sent_privately")
}

// errNotFound reports a record a job refers to that is gone.
func errNotFound(kind, id string, err error) error {
	if err != nil {
		return fmt.Errorf("%s %s: %w", kind, id, err)
	}
	return fmt.Errorf("%s %s not found", kind, id)
}
