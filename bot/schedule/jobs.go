package schedule

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/cohortbot/cohort/bot"
	"github.com/robfig/cron/v3"
)

// runSchedule handles /schedule list|cancel ID|pause ID|resume ID.
func (m *Module) runSchedule(ctx context.Context, req *bot.Request) error {
	action := "list"
	if len(req.Args) > 0 {
		action = strings.ToLower(req.Args[0])
	}
	if action == "list" {
		return m.listJobs(ctx, req)
	}
	if len(req.Args) != 2 || !validID(req.Args[1]) {
		return bot.Errorf("error.usage", bot.Args{"usage": req.T("schedule.usage", nil)})
	}
	id := req.Args[1]
	var fn func(*Job) error
	switch action {
	case "cancel":
		fn = func(j *Job) error {
			if j.State != StateActive && j.State != StatePaused {
				return bot.Errorf("schedule.not_pending", bot.Args{"id": id})
			}
			j.State = StateCancelled
			return nil
		}
	case "pause":
		fn = func(j *Job) error {
			if j.State != StateActive {
				return bot.Errorf("schedule.not_active", bot.Args{"id": id})
			}
			j.State = StatePaused
			return nil
		}
	case "resume":
		now := req.Now()
		fn = func(j *Job) error {
			if j.State != StatePaused {
				return bot.Errorf("schedule.not_paused", bot.Args{"id": id})
			}
			if j.Recurring() {
				s, err := cron.ParseStandard(j.Spec)
				if err != nil {
					return err
				}
				j.Next = s.Next(now)
			}
			j.State = StateActive
			return nil
		}
	default:
		return bot.Errorf("error.usage", bot.Args{"usage": req.T("schedule.usage", nil)})
	}
	j, ok, err := m.store.UpdateJob(ctx, req.Community.ID, id, fn)
	if err != nil {
		return err
	}
	if !ok {
		return bot.Errorf("schedule.unknown_job", bot.Args{"id": id})
	}
	return req.ReplyText(ctx, "schedule.done_"+action, bot.Args{"id": j.ID, "time": formatTime(j.Next, req.Community.Location)})
}

// listJobs shows the community's pending jobs.
func (m *Module) listJobs(ctx context.Context, req *bot.Request) error {
	jobs, err := m.store.Jobs(ctx, req.Community.ID)
	if err != nil {
		return err
	}
	if len(jobs) == 0 {
		return req.ReplyText(ctx, "schedule.empty", nil)
	}
	lines := []string{req.T("schedule.list_header", bot.Args{"count": len(jobs)})}
	for _, j := range jobs {
		when := formatTime(j.Next, req.Community.Location)
		if j.Recurring() {
			when = "`" + bot.Escape(j.Spec) + "` → " + when
		}
		lines = append(lines, req.T("schedule.list_line", bot.Args{
			"id": j.ID, "kind": req.T("kind."+j.Kind, nil), "when": bot.Raw(when), "target": targetLabel(req, j.To),
			"paused": j.State == StatePaused, "text": clip(bot.PlainText(j.Text), 60),
		}))
	}
	_, err = req.Reply(ctx, bot.Outgoing{Text: strings.Join(lines, "\n"), Ephemeral: true})
	return err
}

// clip shortens plain text s to n runes on one line.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// validID accepts the numeric ids the store hands out.
func validID(s string) bool {
	if s == "" || len(s) > 12 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
