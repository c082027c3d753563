package schedule

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cohortbot/cohort/bot"
)

const (
	// TemplateCSAT is the ready satisfaction survey: CSAT (1–5), NPS (0–10)
	// and one open question.
	TemplateCSAT = "csat"
	maxQuestions = 20
	maxAnswer    = 1000
	maxChoices   = 10
)

// runSurvey handles /survey csat|create|schedule|results.
func (m *Module) runSurvey(ctx context.Context, req *bot.Request) error {
	usage := bot.Errorf("error.usage", bot.Args{"usage": req.T("survey.usage", nil)})
	if len(req.Args) == 0 {
		return usage
	}
	r := newArgReader(req.RawArgs)
	sub := strings.ToLower(r.next(1))
	switch sub {
	case "results":
		return m.surveyResults(ctx, req)
	case "csat", "create", "schedule":
	default:
		return usage
	}
	var to, spec string
	var next time.Time
	if sub == "schedule" {
		toks := r.peek(7)
		if len(toks) == 0 {
			return usage
		}
		sp, sched, err := parseSpec(r.next(specWords(toks)), req.Community.Location, req.Now(), m.settings.For(req.Community.ID).MinInterval)
		if err != nil {
			return err
		}
		spec, next = sp, sched.Next(req.Now())
	}
	for f := r.flag(); f != ""; f = r.flag() {
		r.next(1)
		if f != "to" {
			return bot.Errorf("schedule.unknown_flag", bot.Args{"flag": f, "usage": req.T("survey.usage", nil)})
		}
		var err error
		if to, err = readTo(r, req); err != nil {
			return err
		}
	}
	ref := TemplateCSAT
	if sub == "create" {
		s, err := parseSurvey(r.remainder())
		if err != nil {
			return err
		}
		s.Community, s.Creator, s.Created = req.Community.ID, req.Member, req.Now()
		if s, err = m.store.CreateSurvey(ctx, s); err != nil {
			return err
		}
		ref = s.ID
	} else if r.remainder() != "" {
		return bot.Errorf("schedule.unexpected", bot.Args{"text": r.remainder(), "usage": req.T("survey.usage", nil)})
	}
	j := Job{Community: req.Community.ID, Kind: KindSurvey, State: StateActive, Creator: req.Member, Created: req.Now(), To: to, Ref: ref, Spec: spec, Next: next}
	if spec != "" {
		j, err := m.store.CreateJob(ctx, j)
		if err != nil {
			return err
		}
		return req.ReplyText(ctx, "survey.scheduled", bot.Args{"id": j.ID, "spec": spec, "time": formatTime(j.Next, req.Community.Location), "target": targetLabel(req, to)})
	}
	j.Next = req.Now()
	_, ds, err := m.runNow(ctx, req.Bot, j)
	if err != nil {
		return err
	}
	return replyDeliveries(ctx, req, ds)
}

// parseSurvey reads "TITLE" "QUESTION" ...: each question is free text,
// "scale:QUESTION" (1–5), "nps:QUESTION" (0–10), "text:QUESTION" or
// "choice:QUESTION|OPTION|OPTION...".
func parseSurvey(raw string) (Survey, error) {
	parts, err := bot.SplitArgs(raw)
	if err != nil {
		return Survey{}, bot.Errorf("error.unbalanced_quotes", nil)
	}
	if len(parts) < 2 || len(parts) > maxQuestions+1 {
		return Survey{}, bot.Errorf("survey.bad_questions", bot.Args{"max": maxQuestions})
	}
	s := Survey{Title: strings.TrimSpace(parts[0])}
	if s.Title == "" || utf8.RuneCountInString(s.Title) > maxTitle {
		return s, bot.Errorf("event.bad_title", bot.Args{"max": maxTitle})
	}
	for _, p := range parts[1:] {
		q := Question{Kind: QuestionText, Text: p}
		if kind, rest, ok := strings.Cut(p, ":"); ok {
			switch strings.ToLower(kind) {
			case QuestionScale, QuestionNPS, QuestionText:
				q = Question{Kind: strings.ToLower(kind), Text: rest}
			case QuestionChoice:
				fields := strings.Split(rest, "|")
				q = Question{Kind: QuestionChoice, Text: fields[0]}
				for _, o := range fields[1:] {
					if o = strings.TrimSpace(o); o != "" {
						q.Options = append(q.Options, o)
					}
				}
				if len(q.Options) < 2 || len(q.Options) > maxChoices {
					return s, bot.Errorf("survey.bad_choice", bot.Args{"question": q.Text, "max": maxChoices})
				}
			}
		}
		q.Text = strings.TrimSpace(q.Text)
		if q.Text == "" || utf8.RuneCountInString(q.Text) > maxQuestion {
			return s, bot.Errorf("poll.bad_question", bot.Args{"max": maxQuestion})
		}
		s.Questions = append(s.Questions, q)
	}
	return s, nil
}

// csatSurvey is the ready satisfaction survey, in the community's language.
func csatSurvey(b *bot.Bot, lang string) Survey {
	return Survey{
		Title: b.T(lang, "survey.csat_title", nil),
		Questions: []Question{
			{Kind: QuestionScale, Text: b.T(lang, "survey.csat_q", nil)},
			{Kind: QuestionNPS, Text: b.T(lang, "survey.nps_q", nil)},
			{Kind: QuestionText, Text: b.T(lang, "survey.open_q", nil)},
		},
	}
}

// surveyOutgoing posts a survey with its "Take the survey" button. A
// template job creates a new survey for each run (once per run).
func (m *Module) surveyOutgoing(ctx context.Context, b *bot.Bot, c *bot.Community, j Job, run time.Time) (func(bot.ChatRef) bot.Outgoing, func(bot.MessageRef) error, error) {
	lang := b.LangFor(c, "")
	var s Survey
	var err error
	if validID(j.Ref) {
		var ok bool
		if s, ok, err = m.store.Survey(ctx, j.Community, j.Ref); err != nil || !ok {
			return nil, nil, errNotFound("survey", j.Ref, err)
		}
	} else {
		s = csatSurvey(b, lang)
		s.Community, s.Creator, s.Created = j.Community, j.Creator, run
		s.Origin = j.ID + "@" + strconv.FormatInt(run.Unix(), 10)
		if s, err = m.store.CreateSurvey(ctx, s); err != nil {
			return nil, nil, err
		}
	}
	msg := bot.Outgoing{
		Text:    b.T(lang, "survey.post", bot.Args{"title": s.Title, "count": len(s.Questions)}),
		Buttons: [][]bot.Button{{{Text: b.T(lang, "survey.button_take", nil), Data: "survey:" + s.ID}}},
	}
	return func(bot.ChatRef) bot.Outgoing { return msg }, nil, nil
}

// pressTakeSurvey starts the survey in the member's private chat.
func (m *Module) pressTakeSurvey(ctx context.Context, req *bot.Request) error {
	if len(req.Args) != 1 || !validID(req.Args[0]) {
		return nil
	}
	s, ok, err := m.store.Survey(ctx, req.Community.ID, req.Args[0])
	if err != nil || !ok {
		return err
	}
	resp, err := m.store.UpdateResponse(ctx, s.Community, s.ID, req.Member, func(r *Response) error {
		if r.Done {
			return bot.Errorf("survey.already_done", bot.Args{"title": s.Title})
		}
		if len(r.Answers) != len(s.Questions) {
			r.Answers = make([]string, len(s.Questions))
		}
		return nil
	})
	if err != nil {
		return err
	}
	q := 0
	for q < len(resp.Answers)-1 && resp.Answers[q] != "" {
		q++
	}
	// The session is saved before the question goes out, so an answer that
	// comes back at once finds it.
	sess := Session{Community: s.Community, Survey: s.ID, Member: req.Member, Question: q}
	if err := m.store.SetSession(ctx, req.Event.From.Key(), &sess); err != nil {
		return err
	}
	if _, err := req.Bot.SendDirect(ctx, req.Event.From, questionMessage(req.Bot, req.Lang, s, q)); err != nil {
		_ = m.store.SetSession(ctx, req.Event.From.Key(), nil)
		if errors.Is(err, bot.ErrCannotDM) || errors.Is(err, bot.ErrUnsupported) {
			return bot.Errorf("error.cannot_dm", nil)
		}
		return err
	}
	if req.Event.Private {
		return nil
	}
	_, err = req.Reply(ctx, bot.Outgoing{Text: req.T("survey.check_dm", nil), Ephemeral: true})
	return err
}

// questionMessage asks question q, with buttons for closed questions.
func questionMessage(b *bot.Bot, lang string, s Survey, q int) bot.Outgoing {
	qu := s.Questions[q]
	data := func(v string) string { return "sv:" + s.ID + ":" + strconv.Itoa(q) + ":" + v }
	var rows [][]bot.Button
	var hint string
	switch qu.Kind {
	case QuestionScale:
		var row []bot.Button
		for v := 1; v <= 5; v++ {
			row = append(row, bot.Button{Text: strconv.Itoa(v), Data: data(strconv.Itoa(v))})
		}
		rows, hint = [][]bot.Button{row}, b.T(lang, "survey.hint_scale", nil)
	case QuestionNPS:
		var lo, hi []bot.Button
		for v := 0; v <= 10; v++ {
			btn := bot.Button{Text: strconv.Itoa(v), Data: data(strconv.Itoa(v))}
			if v <= 5 {
				lo = append(lo, btn)
			} else {
				hi = append(hi, btn)
			}
		}
		rows, hint = [][]bot.Button{lo, hi}, b.T(lang, "survey.hint_nps", nil)
	case QuestionChoice:
		for i, o := range qu.Options {
			rows = append(rows, []bot.Button{{Text: o, Data: data(strconv.Itoa(i))}})
		}
	default:
		rows, hint = [][]bot.Button{{{Text: b.T(lang, "survey.skip", nil), Data: data("skip")}}}, b.T(lang, "survey.hint_text", nil)
	}
	text := b.T(lang, "survey.question", bot.Args{"n": q + 1, "total": len(s.Questions), "title": s.Title, "question": qu.Text})
	if hint != "" {
		text += "\n" + hint
	}
	return bot.Outgoing{Text: text, Buttons: rows}
}

// pressAnswer takes a button answer: sv:<survey>:<question>:<value>.
func (m *Module) pressAnswer(ctx context.Context, req *bot.Request) error {
	if len(req.Args) != 3 {
		return nil
	}
	sess, ok, err := m.store.Session(ctx, req.Event.From.Key())
	if err != nil {
		return err
	}
	if !ok || sess.Survey != req.Args[0] || strconv.Itoa(sess.Question) != req.Args[1] {
		return bot.Errorf("survey.stale", nil)
	}
	return m.answer(ctx, req, sess, req.Args[2], true)
}

// observeAnswer takes a typed answer in private chat while a survey is open.
func (m *Module) observeAnswer(ctx context.Context, req *bot.Request) error {
	sess, ok, err := m.store.Session(ctx, req.Event.From.Key())
	if err != nil || !ok {
		return err
	}
	req.Claim()
	err = m.answer(ctx, req, sess, strings.TrimSpace(req.Event.Text), false)
	var ue *bot.UserError
	if errors.As(err, &ue) {
		_, err = req.Reply(ctx, bot.Outgoing{Text: req.T(ue.Key, ue.Data)})
	}
	return err
}

// answer validates and records one answer, then asks the next question or
// thanks the member and pays the survey reward.
func (m *Module) answer(ctx context.Context, req *bot.Request, sess Session, value string, button bool) error {
	s, ok, err := m.store.Survey(ctx, sess.Community, sess.Survey)
	if err != nil || !ok || sess.Question >= len(s.Questions) {
		_ = m.store.SetSession(ctx, req.Event.From.Key(), nil)
		return err
	}
	v, err := validAnswer(s.Questions[sess.Question], value, button)
	if err != nil {
		return err
	}
	resp, err := m.store.UpdateResponse(ctx, s.Community, s.ID, sess.Member, func(r *Response) error {
		if len(r.Answers) != len(s.Questions) {
			r.Answers = append(r.Answers, make([]string, len(s.Questions))...)[:len(s.Questions)]
		}
		r.Answers[sess.Question] = v
		r.Updated = req.Now()
		r.Done = sess.Question == len(s.Questions)-1
		return nil
	})
	if err != nil {
		return err
	}
	if !resp.Done {
		sess.Question++
		if err := m.store.SetSession(ctx, req.Event.From.Key(), &sess); err != nil {
			return err
		}
		_, err := req.Reply(ctx, questionMessage(req.Bot, req.Lang, s, sess.Question))
		return err
	}
	if err := m.store.SetSession(ctx, req.Event.From.Key(), nil); err != nil {
		return err
	}
	pts, err := req.Bot.Reward(ctx, s.Community, sess.Member, bot.RuleSurvey, "survey:"+s.ID)
	if err != nil {
		logger(ctx).Warn().Err(err).Str("survey", s.ID).Msg("survey reward failed")
	}
	return req.ReplyText(ctx, "survey.thanks", bot.Args{"title": s.Title, "points": pts})
}

// validAnswer checks an answer against the question; "skip" (from the
// button) leaves a free-text question unanswered, recorded as "-".
func validAnswer(q Question, v string, button bool) (string, error) {
	switch q.Kind {
	case QuestionScale, QuestionNPS:
		lo, hi := 1, 5
		if q.Kind == QuestionNPS {
			lo, hi = 0, 10
		}
		if n, err := strconv.Atoi(v); err == nil && n >= lo && n <= hi {
			return strconv.Itoa(n), nil
		}
		return "", bot.Errorf("survey.bad_number", bot.Args{"min": lo, "max": hi})
	case QuestionChoice:
		n, err := strconv.Atoi(v)
		if !button && err == nil {
			n-- // typed answers count from 1
		}
		if err == nil && n >= 0 && n < len(q.Options) {
			return strconv.Itoa(n), nil
		}
		for i, o := range q.Options {
			if strings.EqualFold(o, v) {
				return strconv.Itoa(i), nil
			}
		}
		return "", bot.Errorf("survey.bad_choice_answer", bot.Args{"max": len(q.Options)})
	}
	if button && v == "skip" {
		return "-", nil
	}
	if v == "" || button {
		return "", bot.Errorf("survey.bad_text", bot.Args{"max": maxAnswer})
	}
	if utf8.RuneCountInString(v) > maxAnswer {
		return "", bot.Errorf("survey.bad_text", bot.Args{"max": maxAnswer})
	}
	return v, nil
}
