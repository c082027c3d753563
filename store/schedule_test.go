package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/schedule"
)

func TestSchedule_JobsIndexAndOrder(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := range 11 {
		state := schedule.StateActive
		if i == 3 {
			state = schedule.StatePaused
		}
		if _, err := s.CreateJob(ctx, schedule.Job{Community: "acme", Kind: schedule.KindAnnounce, State: state, Next: time.Unix(int64(i), 0)}); err != nil {
			t.Fatal(err)
		}
	}
	s.CreateJob(ctx, schedule.Job{Community: "other", State: schedule.StateActive})
	if _, _, err := s.UpdateJob(ctx, "acme", "2", func(j *schedule.Job) error { j.State = schedule.StateDone; return nil }); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if _, _, err := s.UpdateJob(ctx, "acme", "5", func(j *schedule.Job) error { j.State = schedule.StateCancelled; return boom }); !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if _, ok, err := s.UpdateJob(ctx, "acme", "99", func(*schedule.Job) error { return nil }); ok || err != nil {
		t.Fatal("updated a missing job", ok, err)
	}
	s.Close()

	s, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	jobs, err := s.Jobs(ctx, "acme")
	var ids []string
	for _, j := range jobs {
		ids = append(ids, j.ID)
	}
	if err != nil || !slices.Equal(ids, []string{"1", "3", "4", "5", "6", "7", "8", "9", "10", "11"}) {
		t.Fatalf("Jobs = %v %v", ids, err)
	}
	active, _ := s.ActiveJobs(ctx)
	if len(active) != 10 { // 11 in acme - done - paused + 1 in other
		t.Fatalf("ActiveJobs = %d", len(active))
	}
	if j, ok, _ := s.Job(ctx, "acme", "5"); !ok || j.State != schedule.StateActive {
		t.Fatalf("failed update was written: %+v", j)
	}
}

func TestSchedule_DeliveryKeyIsIdempotent(t *testing.T) {
	s, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	chat := bot.ChatRef{Platform: bot.Discord, Space: "1", Chat: "2"}
	d := schedule.Delivery{Community: "acme", Job: "1", Run: time.Date(2026, 1, 5, 2, 0, 0, 0, time.UTC), Chat: chat, Status: schedule.DeliverySending}
	if ok, err := s.BeginDelivery(ctx, d); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if ok, _ := s.BeginDelivery(ctx, d); ok {
		t.Fatal("began the same delivery twice")
	}
	d.Status, d.Message = schedule.DeliverySent, "42"
	if err := s.FinishDelivery(ctx, d); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.BeginDelivery(ctx, d); ok {
		t.Fatal("began a finished delivery")
	}
	other := d
	other.Job = "11"
	if ok, _ := s.BeginDelivery(ctx, other); !ok {
		t.Fatal("job 11 blocked by job 1")
	}
	ds, _ := s.Deliveries(ctx, "acme", "1")
	if len(ds) != 1 || ds[0].Message != "42" || ds[0].Chat != chat {
		t.Fatalf("Deliveries = %+v", ds)
	}
}

func TestPolls_VotesAndIndex(t *testing.T) {
	s, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	p1, _ := s.CreatePoll(ctx, schedule.Poll{Community: "acme", Options: []string{"a", "b"}})
	for range 9 {
		s.CreatePoll(ctx, schedule.Poll{Community: "acme"})
	}
	p10, _ := s.CreatePoll(ctx, schedule.Poll{Community: "acme", Options: []string{"x", "y"}})
	set := func(id string, m bot.MemberID, choice []int) ([]int, []int) {
		before, after, err := s.UpdateVote(ctx, "acme", id, m, func(schedule.Poll, []int) ([]int, error) { return choice, nil })
		if err != nil {
			t.Fatal(err)
		}
		return before, after
	}
	set(p1.ID, "7", []int{0})
	set(p10.ID, "7", []int{1})
	if before, after := set(p1.ID, "7", []int{1}); !slices.Equal(before, []int{0}) || !slices.Equal(after, []int{1}) {
		t.Fatal(before, after)
	}
	set(p1.ID, "8", []int{0})
	set(p1.ID, "8", nil) // withdrawn
	votes, _ := s.Votes(ctx, "acme", p1.ID)
	if len(votes) != 1 || !slices.Equal(votes["7"], []int{1}) {
		t.Fatalf("Votes(1) = %v", votes)
	}
	if latest, ok, _ := s.LatestPoll(ctx, "acme"); !ok || latest.ID != p10.ID {
		t.Fatalf("LatestPoll = %v", latest.ID)
	}
	s.IndexPoll(ctx, "pid:telegram:abc", "acme", p10.ID)
	if c, id, ok, _ := s.FindPoll(ctx, "pid:telegram:abc"); !ok || c != "acme" || id != p10.ID {
		t.Fatal(c, id, ok)
	}
	if _, _, ok, _ := s.FindPoll(ctx, "pid:discord:abc"); ok {
		t.Fatal("found an unknown key")
	}
	s.UpdatePoll(ctx, "acme", p1.ID, func(p *schedule.Poll) error { p.Closed = true; return nil })
	open, _ := s.OpenPolls(ctx)
	if len(open) != 10 {
		t.Fatalf("OpenPolls = %d", len(open))
	}
}

func TestSurveys_OriginMakesCreationIdempotent(t *testing.T) {
	s, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	a, _ := s.CreateSurvey(ctx, schedule.Survey{Community: "acme", Title: "CSAT", Origin: "3@100"})
	b, _ := s.CreateSurvey(ctx, schedule.Survey{Community: "acme", Title: "CSAT", Origin: "3@100"})
	c, _ := s.CreateSurvey(ctx, schedule.Survey{Community: "acme", Title: "CSAT", Origin: "3@200"})
	if a.ID != b.ID || a.ID == c.ID {
		t.Fatalf("ids %s %s %s", a.ID, b.ID, c.ID)
	}
	s.SetSession(ctx, "telegram:1", &schedule.Session{Community: "acme", Survey: a.ID, Question: 1})
	if sess, ok, _ := s.Session(ctx, "telegram:1"); !ok || sess.Question != 1 {
		t.Fatal(sess, ok)
	}
	s.SetSession(ctx, "telegram:1", nil)
	if _, ok, _ := s.Session(ctx, "telegram:1"); ok {
		t.Fatal("session not ended")
	}
}
