package schedule

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cohortbot/cohort/bot"
)

// maxAnnouncement bounds announcement text (Telegram's message limit).
const maxAnnouncement = 4000

// when is a parsed --at / --every pair.
type when struct {
	at   time.Time
	spec string
	next time.Time
}

// readWhen consumes the value of --at or --every.
func (m *Module) readWhen(r *argReader, flag string, req *bot.Request, w *when) error {
	if !w.at.IsZero() || w.spec != "" {
		return bot.Errorf("schedule.at_and_every", nil)
	}
	loc := req.Community.Location
	switch flag {
	case "at":
		toks := r.peek(2)
		if len(toks) == 0 {
			return bot.Errorf("schedule.bad_time", bot.Args{"value": "", "examples": timeExamples})
		}
		n := timeWords(toks)
		t, err := parseWhen(r.next(n), req.Now(), loc)
		if err != nil {
			return err
		}
		w.at, w.next = t, t
	case "every":
		toks := r.peek(7)
		spec, s, err := parseSpec(r.next(specWords(toks)), loc, req.Now(), m.settings.For(req.Community.ID).MinInterval)
		if err != nil {
			return err
		}
		w.spec, w.next = spec, s.Next(req.Now())
	}
	return nil
}

// readTo consumes the value of --to and checks it.
func readTo(r *argReader, req *bot.Request) (string, error) {
	to := r.next(1)
	if to == "" {
		return "", bot.Errorf("error.usage", bot.Args{"usage": "--to SEGMENT|CHAT"})
	}
	_, err := resolveTarget(req.Community, to)
	return to, err
}

// runAnnounce handles /announce [--at TIME | --every CRON] [--to TARGET] [--pin] [--preview] TEXT.
func (m *Module) runAnnounce(ctx context.Context, req *bot.Request) error {
	r := newArgReader(req.RawArgs)
	var w when
	var to string
	var pinIt, preview bool
	for f := r.flag(); f != ""; f = r.flag() {
		r.next(1)
		var err error
		switch f {
		case "at", "every":
			err = m.readWhen(r, f, req, &w)
		case "to":
			to, err = readTo(r, req)
		case "pin":
			pinIt = true
		case "preview":
			preview = true
		default:
			err = bot.Errorf("schedule.unknown_flag", bot.Args{"flag": f, "usage": req.T("announce.usage", nil)})
		}
		if err != nil {
			return err
		}
	}
	text := r.remainder()
	switch {
	case text == "":
		return bot.Errorf("error.usage", bot.Args{"usage": req.T("announce.usage", nil)})
	case utf8.RuneCountInString(text) > maxAnnouncement:
		return bot.Errorf("announce.too_long", bot.Args{"max": maxAnnouncement})
	}
	targets, err := resolveTarget(req.Community, to)
	if err != nil {
		return err
	}
	if preview {
		return m.preview(ctx, req, text, w, to, len(targets))
	}
	j := Job{Community: req.Community.ID, Kind: KindAnnounce, State: StateActive, Creator: req.Member, Created: req.Now(),
		Spec: w.spec, Next: w.next, To: to, Text: text, Pin: pinIt, Origin: origin(req)}
	if w.next.IsZero() {
		j.Next = req.Now()
		_, ds, err := m.runNow(ctx, req.Bot, j)
		if err != nil {
			return err
		}
		return replyDeliveries(ctx, req, ds)
	}
	j, err = m.store.CreateJob(ctx, j)
	if err != nil {
		return err
	}
	return req.ReplyText(ctx, "announce.scheduled", bot.Args{"id": j.ID, "time": formatTime(j.Next, req.Community.Location),
		"target": targetLabel(req, to), "recurring": j.Recurring(), "spec": j.Spec})
}

// replyDeliveries tells the moderator where a post went.
func replyDeliveries(ctx context.Context, req *bot.Request, ds []Delivery) error {
	var sent, failed []string
	for _, d := range ds {
		if d.Status == DeliverySent {
			sent = append(sent, d.Chat.String())
		} else {
			failed = append(failed, d.Chat.String())
		}
	}
	text := req.T("announce.sent", bot.Args{"count": len(sent), "chats": strings.Join(sent, ", ")})
	if len(failed) > 0 {
		text += "\n" + req.T("announce.failed", bot.Args{"count": len(failed), "chats": strings.Join(failed, ", ")})
	}
	_, err := req.Reply(ctx, bot.Outgoing{Text: text, Ephemeral: true})
	return err
}

// preview shows the moderator the message as members will see it, and
// where and when it would go, without scheduling anything.
func (m *Module) preview(ctx context.Context, req *bot.Request, text string, w when, to string, chats int) error {
	info := req.T("announce.preview_now", bot.Args{"target": targetLabel(req, to), "count": chats})
	if !w.next.IsZero() {
		info = req.T("announce.preview_at", bot.Args{"target": targetLabel(req, to), "count": chats, "time": formatTime(w.next, req.Community.Location)})
	}
	return req.ReplyPrivately(ctx, bot.Outgoing{Text: info + "\n\n" + text}, "schedule.sent_privately")
}

// origin names the command message a job comes from, or "" when the
// platform gave it no id (slash commands).
func origin(req *bot.Request) string {
	if req.Event.MessageID == "" {
		return ""
	}
	return req.Event.Chat.String() + "#" + req.Event.MessageID
}
