package schedule

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/robfig/cron/v3"
)

// skipDowntime moves every recurring job whose run fell into the time the
// bot was down to its next run after now: a backlog is never replayed.
func (m *Module) skipDowntime(ctx context.Context, now time.Time) error {
	jobs, err := m.store.ActiveJobs(ctx)
	if err != nil {
		return err
	}
	for _, j := range jobs {
		if !j.Recurring() || !j.Next.Before(now) {
			continue
		}
		s, err := cron.ParseStandard(j.Spec)
		if err != nil {
			logger(ctx).Error().Err(err).Str("job", j.ID).Msg("stored cron spec no longer parses")
			continue
		}
		missed := j.Next
		if _, _, err := m.store.UpdateJob(ctx, j.Community, j.ID, func(j *Job) error {
			if j.Next.Equal(missed) {
				j.Next = s.Next(now)
			}
			return nil
		}); err != nil {
			return err
		}
		logger(ctx).Info().Str("community", j.Community).Str("job", j.ID).Time("missed", missed).Msg("recurring job skipped its run during downtime")
	}
	return nil
}

// runDueJobs runs every active job whose time has come.
func (m *Module) runDueJobs(ctx context.Context, b *bot.Bot, now time.Time) error {
	jobs, err := m.store.ActiveJobs(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, j := range jobs {
		if j.Next.IsZero() || j.Next.After(now) {
			continue
		}
		if err := m.runJob(ctx, b, j, now); err != nil {
			errs = append(errs, fmt.Errorf("job %s/%s: %w", j.Community, j.ID, err))
		}
	}
	return errors.Join(errs...)
}

// runJob sends one run of a job (unless it is later than the grace period)
// and moves the job on: a one-shot is done, a recurring job gets its next
// run after now.
func (m *Module) runJob(ctx context.Context, b *bot.Bot, j Job, now time.Time) error {
	c := b.Communities().Get(j.Community)
	if c == nil {
		logger(ctx).Warn().Str("community", j.Community).Str("job", j.ID).Msg("job of an unknown community left waiting")
		return nil
	}
	run := j.Next
	var next time.Time
	if j.Recurring() {
		s, err := cron.ParseStandard(j.Spec)
		if err != nil {
			return err
		}
		next = s.Next(now)
	}
	late := now.Sub(run) > m.settings.For(j.Community).GracePeriod
	var sent, failed int
	var runErr error
	if !late {
		sent, failed, runErr = m.deliver(ctx, b, c, j, run, now)
	}
	_, _, err := m.store.UpdateJob(ctx, j.Community, j.ID, func(cur *Job) error {
		if cur.State != StateActive || !cur.Next.Equal(run) {
			return nil // cancelled, paused or moved meanwhile
		}
		cur.LastRun = run
		switch {
		case cur.Recurring():
			cur.Next = next
		case late:
			cur.State = StateMissed
		default:
			cur.State = StateDone
		}
		return nil
	})
	if late {
		logger(ctx).Warn().Str("community", j.Community).Str("job", j.ID).Time("run", run).Msg("job missed its grace period")
		if !j.Recurring() {
			notifyMods(ctx, b, c, "schedule.missed", bot.Args{"id": j.ID, "time": formatTime(run, c.Location)})
		}
	}
	if failed > 0 {
		notifyMods(ctx, b, c, "schedule.failed", bot.Args{"id": j.ID, "failed": failed, "sent": sent})
	}
	return errors.Join(runErr, err)
}

// deliver sends one run of a job to each target chat, recording each
// delivery under its idempotency key; chats already recorded for this run
// are skipped, whatever their outcome.
func (m *Module) deliver(ctx context.Context, b *bot.Bot, c *bot.Community, j Job, run, now time.Time) (sent, failed int, err error) {
	targets, err := resolveTarget(c, j.To)
	if err != nil {
		return 0, 0, err
	}
	out, after, err := m.outgoing(ctx, b, c, j, run)
	if err != nil {
		return 0, 0, err
	}
	for _, chat := range targets {
		d := Delivery{Community: j.Community, Job: j.ID, Run: run, Chat: chat, Status: DeliverySending, At: now}
		ok, err := m.store.BeginDelivery(ctx, d)
		if err != nil {
			return sent, failed, err
		}
		if !ok {
			continue
		}
		msg := out(chat)
		ref, sendErr := b.Send(ctx, chat, msg)
		d.Status, d.Message = DeliverySent, ref.ID
		if sendErr != nil {
			d.Status, d.Error = DeliveryFailed, sendErr.Error()
			failed++
			logger(ctx).Warn().Err(sendErr).Str("job", j.ID).Str("chat", chat.String()).Msg("scheduled send failed")
		} else {
			sent++
			if j.Pin {
				pin(ctx, b, ref)
			}
			if after != nil {
				if err := after(ref); err != nil {
					logger(ctx).Error().Err(err).Str("job", j.ID).Msg("recording a sent message failed")
				}
			}
		}
		if err := m.store.FinishDelivery(ctx, d); err != nil {
			return sent, failed, err
		}
	}
	return sent, failed, nil
}

// outgoing builds what a job posts in a chat, and what to do with each sent message.
func (m *Module) outgoing(ctx context.Context, b *bot.Bot, c *bot.Community, j Job, run time.Time) (func(bot.ChatRef) bot.Outgoing, func(bot.MessageRef) error, error) {
	lang := b.LangFor(c, "")
	switch j.Kind {
	case KindAnnounce:
		title := b.T(lang, "announce.title", bot.Args{"community": c.Name})
		return func(bot.ChatRef) bot.Outgoing { return bot.Outgoing{Title: title, Text: j.Text} }, nil, nil
	case KindPoll:
		return m.pollOutgoing(ctx, b, j, run)
	case KindEvent:
		e, ok, err := m.store.Event(ctx, j.Community, j.Ref)
		if err != nil || !ok {
			return nil, nil, errNotFound("event", j.Ref, err)
		}
		return func(bot.ChatRef) bot.Outgoing { return eventMessage(b, lang, c, e) }, nil, nil
	case KindSurvey:
		return m.surveyOutgoing(ctx, b, c, j, run)
	}
	return nil, nil, fmt.Errorf("unknown job kind %q", j.Kind)
}

// pin pins a sent message where the platform can.
func pin(ctx context.Context, b *bot.Bot, ref bot.MessageRef) {
	a, ok := b.Adapter(ref.Chat.Platform)
	if !ok {
		return
	}
	p, ok := a.(bot.Pinner)
	if !ok {
		logger(ctx).Info().Str("chat", ref.Chat.String()).Msg("platform cannot pin; announcement left unpinned")
		return
	}
	if err := p.Pin(ctx, ref); err != nil {
		logger(ctx).Warn().Err(err).Str("chat", ref.Chat.String()).Msg("pinning failed")
	}
}

// runNow creates a job due now and runs it at once, as the engine would.
func (m *Module) runNow(ctx context.Context, b *bot.Bot, j Job) (Job, []Delivery, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	j, err := m.store.CreateJob(ctx, j)
	if err != nil {
		return j, nil, err
	}
	if err := m.runJob(ctx, b, j, j.Next); err != nil {
		return j, nil, err
	}
	ds, err := m.store.Deliveries(ctx, j.Community, j.ID)
	return j, ds, err
}
