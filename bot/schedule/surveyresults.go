package schedule

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/cohortbot/cohort/bot"
)

// maxTextAnswersShown bounds the free-text answers shown in results.
const maxTextAnswersShown = 10

// surveyResults handles /survey results [ID]: the aggregated answers.
func (m *Module) surveyResults(ctx context.Context, req *bot.Request) error {
	var s Survey
	var ok bool
	var err error
	if len(req.Args) >= 2 {
		id := strings.TrimPrefix(req.Args[1], "#")
		if validID(id) {
			s, ok, err = m.store.Survey(ctx, req.Community.ID, id)
		}
	} else {
		s, ok, err = m.store.LatestSurvey(ctx, req.Community.ID)
	}
	if err != nil {
		return err
	}
	if !ok {
		return bot.Errorf("survey.unknown", nil)
	}
	resps, err := m.store.Responses(ctx, s.Community, s.ID)
	if err != nil {
		return err
	}
	_, err = req.Reply(ctx, bot.Outgoing{Text: surveySummary(req, s, resps), Ephemeral: true})
	return err
}

// surveySummary aggregates responses: distribution and average for
// scales, CSAT (share of 4 and 5), NPS (promoters minus detractors),
// counts for choices and the latest free-text answers.
func surveySummary(req *bot.Request, s Survey, resps []Response) string {
	done := 0
	for _, r := range resps {
		if r.Done {
			done++
		}
	}
	lines := []string{req.T("survey.results_header", bot.Args{"id": s.ID, "title": s.Title, "count": len(resps), "done": done})}
	for qi, q := range s.Questions {
		var answers []string
		for _, r := range resps {
			if qi < len(r.Answers) && r.Answers[qi] != "" && r.Answers[qi] != "-" {
				answers = append(answers, r.Answers[qi])
			}
		}
		lines = append(lines, "", fmt.Sprintf("*%d. %s*", qi+1, bot.Escape(q.Text)))
		if len(answers) == 0 {
			lines = append(lines, req.T("survey.no_answers", nil))
			continue
		}
		switch q.Kind {
		case QuestionScale, QuestionNPS:
			lines = append(lines, scaleSummary(req, q, answers)...)
		case QuestionChoice:
			counts := make([]int, len(q.Options))
			for _, a := range answers {
				if n, err := strconv.Atoi(a); err == nil && n >= 0 && n < len(counts) {
					counts[n]++
				}
			}
			for i, o := range q.Options {
				lines = append(lines, fmt.Sprintf("%s: %d", bot.Escape(o), counts[i]))
			}
		default:
			from := max(0, len(answers)-maxTextAnswersShown)
			for _, a := range answers[from:] {
				lines = append(lines, "• "+bot.Escape(clip(a, 200)))
			}
		}
	}
	return strings.Join(lines, "\n")
}

func scaleSummary(req *bot.Request, q Question, answers []string) []string {
	lo, hi := 1, 5
	if q.Kind == QuestionNPS {
		lo, hi = 0, 10
	}
	dist := make([]int, hi+1)
	sum, n, promoters, detractors, satisfied := 0, 0, 0, 0, 0
	for _, a := range answers {
		v, err := strconv.Atoi(a)
		if err != nil || v < lo || v > hi {
			continue
		}
		dist[v]++
		sum += v
		n++
		switch {
		case q.Kind == QuestionNPS && v >= 9:
			promoters++
		case q.Kind == QuestionNPS && v <= 6:
			detractors++
		case q.Kind == QuestionScale && v >= 4:
			satisfied++
		}
	}
	if n == 0 {
		return []string{req.T("survey.no_answers", nil)}
	}
	var parts []string
	for v := lo; v <= hi; v++ {
		parts = append(parts, fmt.Sprintf("%d×%d", v, dist[v]))
	}
	avg := fmt.Sprintf("%.1f", float64(sum)/float64(n))
	out := []string{req.T("survey.average", bot.Args{"avg": avg, "max": hi, "count": n}), strings.Join(parts, "  ")}
	if q.Kind == QuestionNPS {
		out = append(out, req.T("survey.nps", bot.Args{"score": (promoters - detractors) * 100 / n}))
	} else {
		out = append(out, req.T("survey.csat", bot.Args{"score": satisfied * 100 / n}))
	}
	return out
}
