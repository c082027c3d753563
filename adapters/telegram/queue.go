package telegram

import (
	"context"
	"errors"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cohortbot/cohort/bot"
	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"
)

// clock is the time source of the outbound queue, injectable in tests.
type clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// window allows at most n events in any period of length per. It remembers
// the times of the last n events.
type window struct {
	n     int
	per   time.Duration
	times []time.Time
}

func newWindow(n int, per time.Duration) *window {
	if n < 1 || per <= 0 {
		return nil
	}
	return &window{n: n, per: per}
}

// wait is how long to wait at now before one more event fits.
func (w *window) wait(now time.Time) time.Duration {
	if w == nil || len(w.times) < w.n {
		return 0
	}
	d := w.times[0].Add(w.per).Sub(now)
	if d < 0 {
		return 0
	}
	return d
}

// add records an event at t.
func (w *window) add(t time.Time) {
	if w == nil {
		return
	}
	w.times = append(w.times, t)
	if len(w.times) > w.n {
		copy(w.times, w.times[len(w.times)-w.n:])
		w.times = w.times[:w.n]
	}
}

// idle reports whether the window no longer restricts anything at now.
func (w *window) idle(now time.Time) bool {
	return w == nil || len(w.times) == 0 || !now.Before(w.times[len(w.times)-1].Add(w.per))
}

// sendFunc performs one Bot API call that posts a message to chatID.
type sendFunc func(ctx context.Context, chatID int64) (*models.Message, error)

type sendResult struct {
	msg    *models.Message
	chatID int64
	err    error
}

type sendJob struct {
	ctx  context.Context
	call sendFunc
	done chan sendResult
	// skip is set when an earlier part of the same message failed.
	skip atomic.Bool
}

// lane is the queue of one chat: its pending jobs and its rate windows.
type lane struct {
	jobs    []*sendJob
	running bool
	chat    *window // per-chat gap with a small burst
	group   *window // per-group messages per minute (negative chat ids)
}

// outbox is the outbound queue. Every message the adapter posts goes
// through it: one worker per busy chat sends that chat's messages in order,
// each waiting for the chat's, the group's and the global rate windows.
// 429 answers are waited out (retry_after) and retried without limit;
// network and server errors are retried with backoff (doubling up to
// maxBackoff, about four minutes in all) to ride out platform outages.
// Nothing is dropped silently: every job ends with its message sent or an
// error returned to the caller.
type outbox struct {
	limits Limits
	clock  clock
	log    zerolog.Logger
	// migrated is told when a chat moved to a new id; it returns the id to use.
	migrated func(from, to int64)

	mu       sync.Mutex
	lanes    map[int64]*lane
	global   *window
	pruneCnt int
	wg       sync.WaitGroup

	maxAttempts int
	backoff     time.Duration

	metrics bot.OutboundMetrics // optional
	pending atomic.Int64
}

// maxBackoff caps the wait between retries of a failed send.
const maxBackoff = 30 * time.Second

func newOutbox(l Limits, c clock, log zerolog.Logger) *outbox {
	o := &outbox{limits: l, clock: c, log: log, lanes: map[int64]*lane{}, maxAttempts: 12, backoff: 500 * time.Millisecond}
	if l.PerSecond > 0 {
		n := int(math.Max(1, math.Floor(l.PerSecond)))
		o.global = newWindow(n, time.Duration(float64(n)/l.PerSecond*float64(time.Second)))
	}
	return o
}

func (o *outbox) newLane(chatID int64) *lane {
	ln := &lane{}
	burst := max(o.limits.PerChatBurst, 1)
	if o.limits.PerChat > 0 {
		ln.chat = newWindow(burst, time.Duration(burst)*o.limits.PerChat)
	}
	if chatID < 0 && o.limits.GroupPerMinute > 0 {
		ln.group = newWindow(o.limits.GroupPerMinute, time.Minute)
	}
	return ln
}

// send queues calls for chatID, in order, and waits until all of them are
// sent (or ctx is done). It returns the messages and the chat id they went
// to (which differs from chatID after a group became a supergroup).
func (o *outbox) send(ctx context.Context, chatID int64, calls ...sendFunc) ([]*models.Message, int64, error) {
	if o.metrics != nil {
		o.metrics.QueueDepth(bot.Telegram, int(o.pending.Add(int64(len(calls)))))
		defer func() { o.metrics.QueueDepth(bot.Telegram, int(o.pending.Add(-int64(len(calls))))) }()
	}
	jobs := make([]*sendJob, len(calls))
	for i, c := range calls {
		jobs[i] = &sendJob{ctx: ctx, call: c, done: make(chan sendResult, 1)}
	}
	o.mu.Lock()
	ln, ok := o.lanes[chatID]
	if !ok {
		ln = o.newLane(chatID)
		o.lanes[chatID] = ln
	}
	ln.jobs = append(ln.jobs, jobs...)
	if !ln.running {
		ln.running = true
		o.wg.Add(1)
		go o.work(chatID, ln)
	}
	o.pruneLocked()
	o.mu.Unlock()

	var msgs []*models.Message
	to := chatID
	for i, j := range jobs {
		var r sendResult
		select {
		case r = <-j.done:
		case <-ctx.Done():
			return msgs, to, ctx.Err()
		}
		if r.err != nil {
			// Later parts would arrive out of context: cancel them.
			for _, rest := range jobs[i+1:] {
				rest.skip.Store(true)
			}
			return msgs, to, r.err
		}
		msgs = append(msgs, r.msg)
		to = r.chatID
	}
	return msgs, to, nil
}

// pruneLocked forgets idle lanes now and then, so the map does not grow
// with every chat the bot ever wrote to.
func (o *outbox) pruneLocked() {
	o.pruneCnt++
	if o.pruneCnt%256 != 0 {
		return
	}
	now := o.clock.Now()
	for id, ln := range o.lanes {
		if !ln.running && ln.chat.idle(now) && ln.group.idle(now) {
			delete(o.lanes, id)
		}
	}
}

func (o *outbox) work(chatID int64, ln *lane) {
	defer o.wg.Done()
	for {
		o.mu.Lock()
		if len(ln.jobs) == 0 {
			ln.running = false
			o.mu.Unlock()
			return
		}
		j := ln.jobs[0]
		ln.jobs[0] = nil
		ln.jobs = ln.jobs[1:]
		o.mu.Unlock()
		o.run(chatID, ln, j)
	}
}

// run sends one job, waiting for the rate windows and retrying as needed.
func (o *outbox) run(chatID int64, ln *lane, j *sendJob) {
	ctx := j.ctx
	if j.skip.Load() {
		j.done <- sendResult{err: context.Canceled}
		return
	}
	target := chatID
	attempt := 0
	for {
		if err := ctx.Err(); err != nil {
			j.done <- sendResult{err: err}
			return
		}
		if err := o.waitTurn(ctx, ln); err != nil {
			j.done <- sendResult{err: err}
			return
		}
		msg, err := j.call(ctx, target)
		// Record the time the call finished: Telegram has seen the message
		// by then, so gaps measured on its side are never shorter than ours.
		now := o.clock.Now()
		o.mu.Lock()
		ln.chat.add(now)
		ln.group.add(now)
		o.mu.Unlock()
		if err == nil {
			j.done <- sendResult{msg: msg, chatID: target}
			return
		}
		var tooMany *tgbot.TooManyRequestsError
		var migrate *tgbot.MigrateError
		switch {
		case errors.As(err, &tooMany):
			wait := time.Duration(max(tooMany.RetryAfter, 1)) * time.Second
			if o.metrics != nil {
				o.metrics.RateLimited(bot.Telegram)
			}
			o.log.Warn().Int64("chat", target).Dur("retry_after", wait).Msg("telegram asked to slow down; waiting before resending")
			if !o.sleep(ctx, wait) {
				j.done <- sendResult{err: ctx.Err()}
				return
			}
		case errors.As(err, &migrate) && migrate.MigrateToChatID != 0 && int64(migrate.MigrateToChatID) != target:
			to := int64(migrate.MigrateToChatID)
			if o.migrated != nil {
				o.migrated(target, to)
			}
			target = to
		case retryable(err) && attempt+1 < o.maxAttempts:
			d := min(o.backoff<<attempt, maxBackoff)
			attempt++
			o.log.Warn().Err(err).Int64("chat", target).Int("attempt", attempt).Msg("sending failed; retrying")
			if !o.sleep(ctx, d) {
				j.done <- sendResult{err: ctx.Err()}
				return
			}
		default:
			j.done <- sendResult{err: err}
			return
		}
	}
}

// waitTurn blocks until the chat, group and global windows all allow one
// more message, and takes the global slot.
func (o *outbox) waitTurn(ctx context.Context, ln *lane) error {
	for {
		now := o.clock.Now()
		o.mu.Lock()
		d := max(ln.chat.wait(now), ln.group.wait(now))
		if d == 0 {
			d = o.global.wait(now)
			if d == 0 {
				o.global.add(now)
			}
		}
		o.mu.Unlock()
		if d == 0 {
			return nil
		}
		if !o.sleep(ctx, d) {
			return ctx.Err()
		}
	}
}

func (o *outbox) sleep(ctx context.Context, d time.Duration) bool {
	select {
	case <-o.clock.After(d):
		return true
	case <-ctx.Done():
		return false
	}
}

// wait blocks until every worker has finished.
func (o *outbox) wait() { o.wg.Wait() }

// retryable reports whether an error may go away by itself: network
// failures, server errors, unreadable answers. Answers the Bot API gives on
// purpose (bad request, forbidden, not found...) are final.
func retryable(err error) bool {
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, tgbot.ErrorBadRequest), errors.Is(err, tgbot.ErrorForbidden),
		errors.Is(err, tgbot.ErrorUnauthorized), errors.Is(err, tgbot.ErrorNotFound),
		errors.Is(err, tgbot.ErrorConflict):
		return false
	}
	return true
}
