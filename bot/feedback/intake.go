package feedback

import (
	"context"
	"errors"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cohortbot/cohort/bot"
	"github.com/rs/zerolog"
)

// categoryWords maps what members type onto categories, in both languages.
var categoryWords = map[string]string{
	"suggestion": CatSuggestion, "suggest": CatSuggestion, "idea": CatSuggestion, "建议": CatSuggestion,
	"question": CatQuestion, "q": CatQuestion, "问题": CatQuestion, "提问": CatQuestion,
	"complaint": CatComplaint, "complain": CatComplaint, "投诉": CatComplaint,
	"bug": CatBug, "错误": CatBug, "故障": CatBug,
	"appeal": CatAppeal, "申诉": CatAppeal,
}

// anonWords mark a ticket as anonymous.
var anonWords = []string{"--anon", "-anon", "--anonymous", "anon", "anonymous", "匿名"}

// feedbackRequest is a parsed /feedback line.
type feedbackRequest struct {
	category  string
	anonymous bool
	text      string
}

// parseFeedback reads "[CATEGORY] [--anon] TEXT" (category and flag in any
// order) from the raw argument line, keeping the text as typed.
func parseFeedback(raw string) feedbackRequest {
	var fr feedbackRequest
	rest := strings.TrimSpace(raw)
	for rest != "" {
		word, after := rest, ""
		if i := strings.IndexFunc(rest, unicode.IsSpace); i >= 0 {
			word, after = rest[:i], rest[i:]
		}
		lw := strings.ToLower(word)
		switch {
		case !fr.anonymous && slices.Contains(anonWords, lw):
			fr.anonymous = true
		case fr.category == "" && categoryWords[lw] != "":
			fr.category = categoryWords[lw]
		default:
			fr.text = rest
			return fr
		}
		rest = strings.TrimSpace(after)
	}
	return fr
}

// checkText validates ticket or answer text.
func checkText(text string) error {
	if strings.TrimSpace(text) == "" {
		return bot.Errorf("feedback.usage", nil)
	}
	if n := utf8.RuneCountInString(text); n > MaxText {
		return bot.Errorf("feedback.too_long", bot.Args{"max": MaxText, "count": n})
	}
	return nil
}

// runFeedback is /feedback [CATEGORY] [--anon] TEXT.
func (m *Module) runFeedback(ctx context.Context, req *bot.Request) error {
	fr := parseFeedback(req.RawArgs)
	if strings.TrimSpace(fr.text) == "" {
		if f, ok := req.Event.Responder.(bot.FormResponder); ok {
			return m.openForm(ctx, req, f, fr)
		}
	}
	if err := checkText(fr.text); err != nil {
		return err
	}
	t := m.newTicket(req, fr)
	if fr.category == "" {
		return m.saveDraft(ctx, req, t)
	}
	t, err := m.create(ctx, req, t)
	if err != nil {
		return err
	}
	return m.confirmOpened(ctx, req, t)
}

func (m *Module) newTicket(req *bot.Request, fr feedbackRequest) Ticket {
	ev := req.Event
	state := StateOpen
	if fr.category == "" {
		state = StateDraft
	}
	return Ticket{
		Community: req.Community.ID, Member: req.Member, Account: ev.From,
		Category: fr.category, Origin: ev.Chat, OriginMsg: ev.MessageID, Private: ev.Private,
		Text: strings.TrimSpace(fr.text), Anonymous: fr.anonymous, Lang: req.Lang,
		State: state, Created: req.Now(),
	}
}

// create saves a ticket, enforcing the per-member cap, and relays it when
// it is open.
func (m *Module) create(ctx context.Context, req *bot.Request, t Ticket) (Ticket, error) {
	cfg := m.settings.For(req.Community.ID)
	t, err := m.store.CreateTicket(ctx, t, cfg.MaxOpen)
	if errors.Is(err, ErrDuplicate) {
		return t, nil // already opened and relayed when the message first came
	}
	if errors.Is(err, ErrTooManyOpen) {
		return t, bot.Errorf("feedback.too_many", bot.Args{"max": cfg.MaxOpen})
	}
	if err != nil {
		return t, err
	}
	if t.State == StateOpen {
		t = m.opened(ctx, req.Bot, t)
	}
	return t, nil
}

// opened counts a newly open ticket and relays it to moderators; a failed
// relay is retried by Tick.
func (m *Module) opened(ctx context.Context, b *bot.Bot, t Ticket) Ticket {
	b.Count(ctx, t.Community, t.Origin, bot.CountTicketsOpened, 1)
	nt, err := m.announce(ctx, b, t, false)
	if err != nil {
		zerolog.Ctx(ctx).Error().Err(err).Uint64("ticket", t.ID).Msg("relaying ticket to moderators failed")
		return t
	}
	return nt
}

// saveDraft stores a ticket without category and asks for one; pressing a
// category opens it. An earlier unconfirmed draft of the member is dropped.
func (m *Module) saveDraft(ctx context.Context, req *bot.Request, t Ticket) error {
	old, err := m.store.MemberTickets(ctx, req.Community.ID, req.Member)
	if err != nil {
		return err
	}
	for _, o := range old {
		if o.State != StateDraft {
			continue
		}
		if _, err := m.store.UpdateTicket(ctx, o.Community, o.ID, func(x *Ticket) error {
			if x.State == StateDraft {
				x.State = StateDropped
			}
			return nil
		}); err != nil {
			return err
		}
	}
	t, err = m.create(ctx, req, t)
	if err != nil {
		return err
	}
	var row []bot.Button
	var rows [][]bot.Button
	for i, c := range Categories {
		row = append(row, bot.Button{Text: req.T("feedback.cat."+c, nil), Data: buttonData(prefixCategory, t.ID, c)})
		if i%3 == 2 {
			rows, row = append(rows, row), nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	_, err = req.Reply(ctx, bot.Outgoing{Text: req.T("feedback.pick_category", bot.Args{"id": t.ID}), Buttons: rows, Ephemeral: true})
	return err
}

// pressCategory opens a draft in the chosen category.
func (m *Module) pressCategory(ctx context.Context, req *bot.Request) error {
	if len(req.Args) != 2 || !slices.Contains(Categories, req.Args[1]) {
		return nil // forged or stale data: nothing to do
	}
	id, ok := parseID(req.Args[0])
	if !ok {
		return nil
	}
	t, found, err := m.store.Ticket(ctx, req.Community.ID, id)
	if err != nil || !found || t.Member != req.Member {
		return err
	}
	if t.State != StateDraft {
		return bot.Errorf("feedback.already_sent", bot.Args{"id": t.ID})
	}
	t, err = m.store.UpdateTicket(ctx, t.Community, t.ID, func(x *Ticket) error {
		if x.State != StateDraft {
			return errAlreadySent
		}
		x.Category, x.State, x.Created = req.Args[1], StateOpen, req.Now()
		return nil
	})
	if errors.Is(err, errAlreadySent) {
		return bot.Errorf("feedback.already_sent", bot.Args{"id": id})
	}
	if err != nil {
		return err
	}
	t = m.opened(ctx, req.Bot, t)
	return m.confirmOpened(ctx, req, t)
}

var errAlreadySent = errors.New("ticket already sent")

// confirmOpened tells the member their ticket is with the moderators. An
// anonymous ticket filed in a group has its command message removed and is
// confirmed privately where possible, so the group does not learn who wrote.
func (m *Module) confirmOpened(ctx context.Context, req *bot.Request, t Ticket) error {
	key := "feedback.opened"
	if t.Anonymous {
		key = "feedback.opened_anon"
	}
	out := bot.Outgoing{Text: req.T(key, bot.Args{"id": t.ID, "category": req.T("feedback.cat."+t.Category, nil)}), Ephemeral: true}
	if t.Anonymous && !req.Event.Private && req.Event.Kind == bot.EventCommand && req.Event.Responder == nil {
		if a, ok := req.Bot.Adapter(req.Event.Chat.Platform); ok {
			if d, ok := a.(bot.Deleter); ok && req.Event.MessageID != "" {
				if err := d.Delete(ctx, bot.MessageRef{Chat: req.Event.Chat, ID: req.Event.MessageID}); err != nil {
					zerolog.Ctx(ctx).Warn().Err(err).Msg("removing an anonymous ticket's command failed")
				}
			}
		}
		if mem, ok, err := req.Bot.Members().Member(ctx, t.Community, t.Member); err == nil && ok {
			if _, err := req.Bot.SendMember(ctx, mem, out); err == nil {
				return nil
			}
		}
	}
	_, err := req.Reply(ctx, out)
	return err
}

// observePrivate takes a private message as the comment on a freshly rated
// ticket, or else offers to open a ticket with it.
func (m *Module) observePrivate(ctx context.Context, req *bot.Request) error {
	text := strings.TrimSpace(req.Event.Text)
	if text == "" || req.Claimed() {
		return nil
	}
	cfg := m.settings.For(req.Community.ID)
	done, err := m.takeComment(ctx, req, text, cfg)
	if err != nil || done || !cfg.PrivateIntake {
		return err
	}
	if utf8.RuneCountInString(text) > MaxText {
		return req.ReplyText(ctx, "feedback.too_long", bot.Args{"max": MaxText, "count": utf8.RuneCountInString(text)})
	}
	err = m.saveDraft(ctx, req, m.newTicket(req, feedbackRequest{text: text}))
	var ue *bot.UserError
	if errors.As(err, &ue) {
		return req.ReplyText(ctx, ue.Key, ue.Data)
	}
	return err
}

// openForm asks for the ticket text in a form (a Discord modal) when
// /feedback came without text; the submission comes back as /feedback with
// the same category and flags followed by the text.
func (m *Module) openForm(ctx context.Context, req *bot.Request, f bot.FormResponder, fr feedbackRequest) error {
	line := "/feedback"
	if fr.category != "" {
		line += " " + fr.category
	}
	if fr.anonymous {
		line += " --anon"
	}
	return f.OpenForm(ctx, bot.Form{
		ID:    line,
		Title: req.T("feedback.form.title", nil),
		Fields: []bot.FormField{{
			ID: "text", Label: req.T("feedback.form.label", nil), Placeholder: req.T("feedback.form.placeholder", nil),
			Long: true, Required: true, MaxLength: MaxText,
		}},
	})
}
