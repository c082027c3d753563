package loadtest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// postWindow is how long the bot must run after an announcement is due to
// be sure to have posted it: the schedule engine's 10 s tick plus sending.
const postWindow = 20 * time.Second

// CrashReport is what a crash run found.
type CrashReport struct {
	Options Options
	Kills   int
	Members int
	Events  int64
	// Acks counts /points replies; AcksBeforeKill those that preceded
	// at least one kill (so a restart had to keep them).
	Acks, AcksBeforeKill int
	// Lost counts members whose final balance is below one a reply
	// showed; Doubled members with more than their messages are worth.
	Lost, Doubled int
	// Unacked counts messages that earned nothing because the bot was
	// killed before handling them (never acknowledged, so allowed).
	Unacked int64
	// Announcements acknowledged by the bot, and how often they appeared.
	Announced, PostedOnce, NotPosted, PostedTwice int
	Problems                                      []string
}

// CrashDefaults sets the defaults of a crash run for zero options: a
// smaller community than the load run, more /points (each one is an
// acknowledgement to keep), relaxed outbound limits (rates are the load
// run's business) and announcements spread over three minutes.
func CrashDefaults(o *Options) {
	if o.TelegramGroups == 0 && o.DiscordChannels == 0 {
		o.TelegramGroups, o.DiscordChannels = 6, 2
	}
	if o.Members == 0 {
		o.Members = 20
	}
	if o.Rate == 0 {
		o.Rate = 100
	}
	if o.Duration == 0 {
		o.Duration = 3 * time.Minute
	}
	if o.PointsPerMinute == 0 {
		o.PointsPerMinute = 60
	}
	if o.Limits == (Limits{}) {
		o.Limits = Limits{PerSecond: 1000, PerChat: 10 * time.Millisecond, PerChatBurst: 100, GroupPerMinute: 6000}
	}
	if o.Announcements == 0 {
		o.Announcements = 10
	}
}

// interval is one life of the bot process.
type interval struct{ start, end time.Time } // end zero: still running

// Crash runs traffic while killing the bot with SIGKILL at random times and
// restarting it on the same data directory, then checks that no balance a
// /points reply showed was lost, no message paid twice, and no
// announcement was posted twice.
func Crash(ctx context.Context, opts Options) (*CrashReport, error) {
	CrashDefaults(&opts)
	opts.Defaults()
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	w, err := newWorld(opts)
	if err != nil {
		return nil, err
	}
	defer w.close()
	rng := rand.New(rand.NewPCG(uint64(opts.Seed), 0))
	kills := make([]time.Duration, opts.Kills)
	for i := range kills {
		kills[i] = 2*time.Second + time.Duration(rng.Int64N(int64(opts.Duration-5*time.Second)))
	}
	slices.Sort(kills)
	// Announcements are due a minute after they are scheduled: schedule
	// them early enough to fall due during the run.
	span := max(opts.Duration-75*time.Second, 0)
	anns := make([]time.Duration, opts.Announcements)
	for i := range anns {
		anns[i] = span * time.Duration(i) / time.Duration(max(len(anns), 1))
	}
	marker := fmt.Sprintf("LOADANN%d", uint64(opts.Seed)%1000000)

	if err := w.start(ctx); err != nil {
		return nil, err
	}
	progress(opts.Progress, "cohort ready: %d members, %.0f msg/s for %s, %d kills, %d announcements (seed %d)",
		len(w.members), opts.Rate, opts.Duration, opts.Kills, opts.Announcements, opts.Seed)
	tr := newTraffic(w, false)
	start := time.Now()
	lives := []interval{{start: start}}
	nextAnn := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		offer(ctx, tr, start, opts.Duration, opts.Rate, opts.PointsPerMinute, func(elapsed time.Duration) {
			for nextAnn < len(anns) && elapsed >= anns[nextAnn] {
				// Letters and digits only (markup escapes nothing), ended by a
				// letter so that N1 is not found inside N10.
				tr.schedule(fmt.Sprintf("%sN%dX", marker, nextAnn+1))
				nextAnn++
			}
		})
	}()
	r := &CrashReport{Options: opts, Members: len(w.members)}
	for i, at := range kills {
		wait := time.Until(start.Add(at))
		if last := lives[len(lives)-1].start; time.Until(last.Add(200*time.Millisecond)) > wait {
			wait = time.Until(last.Add(200 * time.Millisecond))
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		if err := w.kill(); err != nil {
			return nil, err
		}
		lives[len(lives)-1].end = time.Now()
		r.Kills++
		tr.collect()
		r.AcksBeforeKill = tr.answered()
		if err := w.start(ctx); err != nil {
			return nil, fmt.Errorf("restart after kill %d: %w", i+1, err)
		}
		lives = append(lives, interval{start: time.Now()})
		progress(opts.Progress, "kill %d/%d at %s; restarted, %d /points answered so far", i+1, len(kills), lives[len(lives)-2].end.Sub(start).Round(time.Millisecond), r.AcksBeforeKill)
	}
	<-done
	// Let every announcement fall due and be posted.
	if len(anns) > 0 {
		until := start.Add(anns[len(anns)-1] + time.Minute + postWindow + 5*time.Second)
		progress(opts.Progress, "waiting %s for the last announcement", time.Until(until).Round(time.Second))
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Until(until)):
		}
	}
	// The last word: every member asks for their balance once more.
	tr.collect()
	tr.forgetUnanswered()
	for _, m := range w.members {
		tr.points(m)
	}
	if _, err := waitFor(ctx, 2*time.Minute, func() bool { tr.collect(); return tr.unanswered() == 0 }); err != nil {
		r.Problems = append(r.Problems, fmt.Sprintf("%d final /points never answered", tr.unanswered()))
	}
	if err := w.stop(); err != nil {
		return nil, err
	}
	r.Events = tr.sent()
	r.Acks = tr.answered()
	r.Problems = append(r.Problems, tr.problems...)

	balances, err := w.balances(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range w.members {
		final, worth := balances[m], int64(MessagePoints*m.sent)
		switch {
		case final < tr.acked[m]:
			r.Lost++
			r.Problems = append(r.Problems, fmt.Sprintf("%s: %d points after the last restart, but a reply showed %d", m.key(), final, tr.acked[m]))
		case final > worth:
			r.Doubled++
			r.Problems = append(r.Problems, fmt.Sprintf("%s: %d points for %d messages worth %d", m.key(), final, m.sent, worth))
		default:
			r.Unacked += (worth - final) / MessagePoints
		}
	}
	r.checkAnnouncements(w, tr, lives)
	return r, nil
}

// checkAnnouncements counts each announcement's posts on both platforms.
// Every one may appear at most once; one the bot acknowledged must appear
// exactly once when the first bot process alive after its time ran long
// enough to post it (a kill between recording and sending a delivery loses
// it: deliveries are at most once).
func (r *CrashReport) checkAnnouncements(w *world, tr *traffic, lives []interval) {
	var tgTexts []string
	for _, m := range w.tg.Messages(newsChatID) {
		tgTexts = append(tgTexts, m.Text)
	}
	var dcTexts []string
	for _, req := range w.dc.Requests("POST", "/api/v9/channels/"+w.newsDC+"/messages") {
		dcTexts = append(dcTexts, string(req.Body))
	}
	count := func(texts []string, marker string) int {
		n := 0
		for _, t := range texts {
			if strings.Contains(t, marker) {
				n++
			}
		}
		return n
	}
	for _, a := range tr.announcements() {
		nt, nd := count(tgTexts, a.marker), count(dcTexts, a.marker)
		if nt > 1 || nd > 1 {
			r.PostedTwice++
			r.Problems = append(r.Problems, fmt.Sprintf("announcement %s posted %d times on telegram and %d on discord", a.marker, nt, nd))
			continue
		}
		if a.acked.IsZero() {
			continue
		}
		r.Announced++
		switch {
		case nt == 1 && nd == 1:
			r.PostedOnce++
		case mustPost(a, lives):
			r.Problems = append(r.Problems, fmt.Sprintf("announcement %s (scheduled %s) posted %d times on telegram and %d on discord though the bot ran %s after its time",
				a.marker, a.acked.Format("15:04:05.000"), nt, nd, postWindow))
		default:
			r.NotPosted++
		}
	}
}

// mustPost reports whether the first bot process alive when the
// announcement fell due ran at least postWindow after that.
func mustPost(a *announcement, lives []interval) bool {
	dueLo, dueHi := a.at.Add(time.Minute), a.acked.Add(time.Minute)
	for _, l := range lives {
		if !l.end.IsZero() && !l.end.After(dueLo) {
			continue
		}
		from := dueHi
		if l.start.After(from) {
			from = l.start
		}
		return l.end.IsZero() || l.end.Sub(from) >= postWindow
	}
	return false
}
