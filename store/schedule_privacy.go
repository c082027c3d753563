package store

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/schedule"
	bolt "go.etcd.io/bbolt"
)

// scheduleExport is a member's part of polls, events and surveys as
// /mydata shows it.
type scheduleExport struct {
	Votes   []voteExport   `json:"poll_votes,omitempty"`
	Events  []rsvpExport   `json:"events,omitempty"`
	Surveys []surveyExport `json:"surveys,omitempty"`
}

type voteExport struct {
	Poll    string   `json:"poll"`
	Choices []string `json:"choices"`
}

type rsvpExport struct {
	Event     string    `json:"event"`
	Start     time.Time `json:"start"`
	RSVP      string    `json:"rsvp"` // going or waitlist
	CheckedIn bool      `json:"checked_in,omitempty"`
}

type surveyExport struct {
	Survey  string         `json:"survey"`
	Answers []answerExport `json:"answers"`
	Done    bool           `json:"done"`
	Updated time.Time      `json:"updated,omitzero"`
}

type answerExport struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// schedulePart exports the member's poll votes, RSVPs and survey answers.
// Forgetting erases their free-text survey answers, survey sessions and
// event reminders; votes, RSVPs and closed answers stay under the member's
// bare id (a number that names nobody once the member is gone) so tallies
// and seat counts do not change.
func schedulePart() personalPart {
	return personalPart{
		name: "schedule",
		export: func(tx *bolt.Tx, community string, member bot.MemberID) (any, error) {
			sub, err := subjectOf(tx, community, member)
			if err != nil {
				return nil, err
			}
			var out scheduleExport
			if out.Votes, err = exportVotes(tx, community, sub); err != nil {
				return nil, err
			}
			if out.Events, err = exportRSVPs(tx, community, sub); err != nil {
				return nil, err
			}
			if out.Surveys, err = exportSurveys(tx, community, sub); err != nil {
				return nil, err
			}
			if len(out.Votes)+len(out.Events)+len(out.Surveys) == 0 {
				return nil, nil
			}
			return out, nil
		},
		forget: forgetSchedule,
	}
}

// splitMemberKey splits "id ‖ 0 ‖ member" after a community prefix.
func splitMemberKey(k []byte, prefixLen int) (id string, member bot.MemberID, ok bool) {
	id, m, ok := strings.Cut(string(k[prefixLen:]), "\x00")
	return id, bot.MemberID(m), ok
}

func exportVotes(tx *bolt.Tx, community string, sub subject) ([]voteExport, error) {
	var out []voteExport
	prefix := ckey(community, "")
	for _, p := range prefixed(tx.Bucket(bucketPollVotes), prefix) {
		id, m, ok := splitMemberKey(p.k, len(prefix))
		if !ok || !sub.has(m) {
			continue
		}
		var choice []int
		if err := json.Unmarshal(p.v, &choice); err != nil {
			return nil, err
		}
		poll, _, err := getJSON[schedule.Poll](tx, bucketPolls, ckey(community, id))
		if err != nil {
			return nil, err
		}
		v := voteExport{Poll: poll.Question}
		for _, c := range choice {
			if c >= 0 && c < len(poll.Options) {
				v.Choices = append(v.Choices, poll.Options[c])
			}
		}
		out = append(out, v)
	}
	return out, nil
}

func exportRSVPs(tx *bolt.Tx, community string, sub subject) ([]rsvpExport, error) {
	events, err := listJSON[schedule.Event](tx, bucketEvents, ckey(community, ""))
	if err != nil {
		return nil, err
	}
	var out []rsvpExport
	for _, e := range events {
		r := rsvpExport{Event: e.Title, Start: e.Start, CheckedIn: slices.ContainsFunc(e.CheckedIn, sub.has)}
		switch {
		case slices.ContainsFunc(e.Going, sub.has):
			r.RSVP = "going"
		case slices.ContainsFunc(e.Waitlist, sub.has):
			r.RSVP = "waitlist"
		}
		if r.RSVP != "" || r.CheckedIn {
			out = append(out, r)
		}
	}
	return out, nil
}

func exportSurveys(tx *bolt.Tx, community string, sub subject) ([]surveyExport, error) {
	var out []surveyExport
	prefix := ckey(community, "")
	for _, p := range prefixed(tx.Bucket(bucketSurveyResponses), prefix) {
		id, m, ok := splitMemberKey(p.k, len(prefix))
		if !ok || !sub.has(m) {
			continue
		}
		var r schedule.Response
		if err := json.Unmarshal(p.v, &r); err != nil {
			return nil, err
		}
		sv, _, err := getJSON[schedule.Survey](tx, bucketSurveys, ckey(community, id))
		if err != nil {
			return nil, err
		}
		e := surveyExport{Survey: sv.Title, Done: r.Done, Updated: r.Updated}
		for i, a := range r.Answers {
			if i >= len(sv.Questions) || a == "" {
				continue
			}
			q := sv.Questions[i]
			if n, err := strconv.Atoi(a); err == nil && q.Kind == schedule.QuestionChoice && n >= 0 && n < len(q.Options) {
				a = q.Options[n]
			}
			e.Answers = append(e.Answers, answerExport{Question: q.Text, Answer: a})
		}
		out = append(out, e)
	}
	return out, nil
}

func forgetSchedule(tx *bolt.Tx, community string, member bot.MemberID) error {
	sub, err := subjectOf(tx, community, member)
	if err != nil {
		return err
	}
	prefix := ckey(community, "")
	surveys := map[string]schedule.Survey{}
	for _, p := range prefixed(tx.Bucket(bucketSurveyResponses), prefix) {
		id, m, ok := splitMemberKey(p.k, len(prefix))
		if !ok || !sub.has(m) {
			continue
		}
		if _, err := eraseTextAnswers(tx, p, community, id, surveys); err != nil {
			return err
		}
	}
	if b := tx.Bucket(bucketSurveySessions); b != nil {
		err := eachJSON(b, nil, func(k []byte, sess schedule.Session) error {
			if sess.Community != community || !(sub.accounts[string(k)] || sub.has(sess.Member)) {
				return nil
			}
			return b.Delete(k)
		})
		if err != nil {
			return err
		}
	}
	return eachJSON(tx.Bucket(bucketEvents), prefix, func(k []byte, e schedule.Event) error {
		n := len(e.Reminded)
		for _, id := range sub.ids {
			delete(e.Reminded, id)
		}
		if len(e.Reminded) == n {
			return nil
		}
		return putRecord(tx.Bucket(bucketEvents), k, e)
	})
}

// eraseTextAnswers replaces the free-text answers of a stored response
// (p, of survey id) with "-", as if skipped, and reports whether any
// changed. surveys caches the surveys read, by key.
func eraseTextAnswers(tx *bolt.Tx, p kv, community, id string, surveys map[string]schedule.Survey) (bool, error) {
	sk := string(ckey(community, id))
	sv, ok := surveys[sk]
	if !ok {
		var err error
		if sv, _, err = getJSON[schedule.Survey](tx, bucketSurveys, []byte(sk)); err != nil {
			return false, err
		}
		surveys[sk] = sv
	}
	var r schedule.Response
	if err := json.Unmarshal(p.v, &r); err != nil {
		return false, err
	}
	changed := false
	for i, a := range r.Answers {
		if i < len(sv.Questions) && sv.Questions[i].Kind == schedule.QuestionText && a != "" && a != "-" {
			r.Answers[i] = "-"
			changed = true
		}
	}
	if !changed {
		return false, nil
	}
	return true, putRecord(tx.Bucket(bucketSurveyResponses), p.k, r)
}

// purgeSurveyAnswers erases the free-text answers of responses last
// changed before their community's cutoff.
func purgeSurveyAnswers(tx *bolt.Tx, cut *cutoffs, purged map[string]int) error {
	surveys := map[string]schedule.Survey{}
	for _, p := range prefixed(tx.Bucket(bucketSurveyResponses), nil) {
		community := communityOf(p.k)
		var r schedule.Response
		if err := json.Unmarshal(p.v, &r); err != nil {
			return err
		}
		if !r.Updated.Before(cut.of(community)) {
			continue
		}
		id, _, ok := splitMemberKey(p.k, len(community)+1)
		if !ok {
			continue
		}
		changed, err := eraseTextAnswers(tx, p, community, id, surveys)
		if err != nil {
			return err
		}
		if changed {
			purged["survey_answers"]++
		}
	}
	return nil
}
