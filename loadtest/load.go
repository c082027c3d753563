package loadtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/cohortbot/cohort/store"
)

// LoadReport is what a load run measured.
type LoadReport struct {
	Options Options
	// Events is what the fakes offered (chat messages and /points);
	// Offered is their rate over the sending time.
	Events  int64
	Offered float64
	// Ingested is events handled per second, from the first event offered
	// to the last one handled; Backlog is how many were still unhandled
	// when sending stopped.
	Ingested float64
	Backlog  int64
	// Latency of /points: from the update being available at the fake to
	// the reply being recorded by the fake.
	Replies  int
	P50, P99 time.Duration
	Max      time.Duration
	Outbound Outbound
	// PeakRSS is the bot's VmHWM in bytes; CPU the CPU time it used.
	PeakRSS int64
	CPU     time.Duration
	// Members checked, and how many of them had the wrong total.
	Members, Wrong int
	// Problems lists every check that failed; empty means the run passed.
	Problems []string
}

// Load runs steady traffic against a fresh bot, then checks every member's
// total in the store after the bot stopped.
func Load(ctx context.Context, opts Options) (*LoadReport, error) {
	opts.Defaults()
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	w, err := newWorld(opts)
	if err != nil {
		return nil, err
	}
	defer w.close()
	if err := w.start(ctx); err != nil {
		return nil, err
	}
	progress(opts.Progress, "cohort ready: %d telegram groups, %d discord channels, %d members, %.0f msg/s for %s",
		opts.TelegramGroups, opts.DiscordChannels, len(w.members), opts.Rate, opts.Duration)
	tr := newTraffic(w, true)
	r := &LoadReport{Options: opts, Members: len(w.members)}

	start := time.Now()
	offer(ctx, tr, start, opts.Duration, opts.Rate, opts.PointsPerMinute, nil)
	sendEnd := time.Now()
	r.Events = tr.sent()
	r.Offered = float64(r.Events) / sendEnd.Sub(start).Seconds()
	if n, err := w.handled(); err == nil {
		r.Backlog = r.Events - n
	}
	progress(opts.Progress, "offered %d events in %s; %d not handled yet", r.Events, sendEnd.Sub(start).Round(time.Millisecond), r.Backlog)

	// Drain: every offered event handled, every /points answered.
	drained, err := waitFor(ctx, 5*time.Minute, func() bool {
		n, err := w.handled()
		return err == nil && n >= r.Events
	})
	if err != nil {
		return nil, fmt.Errorf("the bot did not handle every event: %w", err)
	}
	r.Ingested = float64(r.Events) / drained.Sub(start).Seconds()
	if _, err := waitFor(ctx, 5*time.Minute, func() bool { tr.collect(); return tr.unanswered() == 0 }); err != nil {
		r.Problems = append(r.Problems, fmt.Sprintf("%d /points commands never answered", tr.unanswered()))
	}
	if r.PeakRSS, err = w.peakMemory(); err != nil {
		return nil, err
	}
	if r.CPU, err = w.cpuTime(); err != nil {
		return nil, err
	}
	if err := w.stop(); err != nil {
		return nil, err
	}
	r.Outbound = w.outbound()
	if broke := r.Outbound.withinLimits(opts.Limits); broke != "" {
		r.Problems = append(r.Problems, fmt.Sprintf("outbound broke telegram.limits.%s: %+v", broke, r.Outbound))
	}
	lat := sortDurations(tr.latencies)
	r.Replies, r.P50, r.P99 = len(lat), percentile(lat, 50), percentile(lat, 99)
	if len(lat) > 0 {
		r.Max = lat[len(lat)-1]
	}
	r.Problems = append(r.Problems, tr.problems...)

	balances, err := w.balances(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range w.members {
		if got, want := balances[m], int64(MessagePoints*m.sent); got != want {
			r.Wrong++
			if r.Wrong <= 10 {
				r.Problems = append(r.Problems, fmt.Sprintf("%s: %d points after %d messages, want %d", m.key(), got, m.sent, want))
			}
		}
	}
	return r, nil
}

// offer sends messages at rate and /points at perMinute per chat until d
// has passed since start; each tick calls also (if set) first.
func offer(ctx context.Context, tr *traffic, start time.Time, d time.Duration, rate float64, perMinute int, also func(elapsed time.Duration)) {
	const tick = 10 * time.Millisecond
	t := time.NewTicker(tick)
	defer t.Stop()
	var msgs float64
	cmdEvery := time.Minute / time.Duration(max(perMinute, 1))
	nextCmd := make([]time.Duration, len(tr.w.chats))
	cmdMember := make([]int, len(tr.w.chats))
	for i := range nextCmd {
		// Spread the chats' commands over the first interval.
		nextCmd[i] = cmdEvery * time.Duration(i) / time.Duration(len(nextCmd))
	}
	sent := 0
	lastCollect := time.Time{}
	for {
		now := time.Now()
		elapsed := now.Sub(start)
		if elapsed >= d || ctx.Err() != nil {
			return
		}
		if also != nil {
			also(elapsed)
		}
		for msgs = rate * elapsed.Seconds(); float64(sent) < msgs; sent++ {
			tr.message()
		}
		if perMinute > 0 {
			for i, c := range tr.w.chats {
				if elapsed >= nextCmd[i] {
					nextCmd[i] += cmdEvery
					tr.points(c.members[cmdMember[i]%len(c.members)])
					cmdMember[i]++
				}
			}
		}
		if now.Sub(lastCollect) > 250*time.Millisecond {
			tr.collect()
			lastCollect = now
		}
		select {
		case <-ctx.Done():
		case <-t.C:
		}
	}
}

// waitFor polls cond until it holds and returns when it did.
func waitFor(ctx context.Context, limit time.Duration, cond func() bool) (time.Time, error) {
	deadline := time.Now().Add(limit)
	for {
		if cond() {
			return time.Now(), nil
		}
		if time.Now().After(deadline) {
			return time.Time{}, errors.New("timed out")
		}
		select {
		case <-ctx.Done():
			return time.Time{}, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// balances reads every member's balance from the store of a stopped bot.
func (w *world) balances(ctx context.Context) (map[*member]int64, error) {
	st, err := store.Open(w.dataDir, store.Options{})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	out := map[*member]int64{}
	for _, m := range w.members {
		mem, ok, err := st.FindMember(ctx, Community, m.key())
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		s, err := st.State(ctx, Community, mem.ID)
		if err != nil {
			return nil, err
		}
		out[m] = s.Balance
	}
	return out, nil
}

func progress(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}
