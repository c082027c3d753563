package telegram

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/cohortbot/cohort/bot"
)

// onUpdate is the library's default handler: every update comes here. The
// library calls it on one goroutine, in update order; events are handed to
// one worker per chat so a slow reply in one chat never holds up another,
// while each chat's events stay in order.
func (a *Adapter) onUpdate(ctx context.Context, _ *tgbot.Bot, upd *models.Update) {
	a.mu.RLock()
	h := a.handler
	a.mu.RUnlock()
	if h == nil || upd == nil {
		return
	}
	// Callback queries are answered at once, whatever happens next, so the
	// button stops spinning.
	if cq := upd.CallbackQuery; cq != nil {
		if err := a.call(ctx, 0, func(ctx context.Context, _ int64) error {
			_, err := a.api.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: cq.ID})
			return err
		}); err != nil && ctx.Err() == nil {
			a.log.Warn().Err(err).Msg("telegram answerCallbackQuery failed")
		}
	}
	for _, ev := range a.convert(upd) {
		ev := ev
		key := ev.Chat.WithoutThread().String()
		a.inbound.Do(key, func() { h(ctx, ev) })
	}
}

// convert turns an update into events. Updates the bot does not use give
// none.
func (a *Adapter) convert(upd *models.Update) []*bot.Event {
	switch {
	case upd.Message != nil:
		return a.fromMessage(upd.Message, false)
	case upd.EditedMessage != nil:
		return a.fromMessage(upd.EditedMessage, true)
	case upd.CallbackQuery != nil:
		return a.fromCallback(upd.CallbackQuery)
	case upd.PollAnswer != nil:
		return a.fromPollAnswer(upd.PollAnswer)
	case upd.ChatMember != nil:
		return a.fromChatMember(upd.ChatMember)
	case upd.MyChatMember != nil:
		m := upd.MyChatMember
		a.forgetAdmins(m.Chat.ID)
		a.log.Info().Str("chat", chatRef(m.Chat.ID, 0).String()).Str("status", string(m.NewChatMember.Type)).Msg("bot membership changed")
	}
	return nil
}

func account(u *models.User) bot.Account {
	name := strings.TrimSpace(u.FirstName + " " + u.LastName)
	return bot.Account{
		Platform: bot.Telegram,
		ID:       strconv.FormatInt(u.ID, 10),
		Name:     name,
		Username: u.Username,
		Lang:     u.LanguageCode,
		IsBot:    u.IsBot,
	}
}

func (a *Adapter) msgChat(m *models.Message) bot.ChatRef {
	thread := 0
	if m.IsTopicMessage {
		thread = m.MessageThreadID
	}
	return chatRef(a.reported(m.Chat.ID), thread)
}

func (a *Adapter) fromMessage(m *models.Message, edited bool) []*bot.Event {
	if m.MigrateToChatID != 0 {
		a.noteMigration(m.Chat.ID, m.MigrateToChatID)
		return nil
	}
	if m.MigrateFromChatID != 0 {
		a.noteMigration(m.MigrateFromChatID, m.Chat.ID)
		return nil
	}
	ref := a.msgChat(m)
	private := m.Chat.Type == models.ChatTypePrivate
	at := time.Unix(int64(m.Date), 0)
	if edited && m.EditDate != 0 {
		at = time.Unix(int64(m.EditDate), 0)
	}
	var evs []*bot.Event
	for i := range m.NewChatMembers {
		u := &m.NewChatMembers[i]
		if u.IsBot || !a.recent.first("join:"+ref.String()+":"+strconv.FormatInt(u.ID, 10), a.clock.Now()) {
			continue
		}
		a.recent.forget("left:" + ref.String() + ":" + strconv.FormatInt(u.ID, 10))
		evs = append(evs, &bot.Event{Kind: bot.EventMemberJoined, Chat: ref, From: account(u), Time: at, MessageID: strconv.Itoa(m.ID)})
	}
	if u := m.LeftChatMember; u != nil && !u.IsBot && a.recent.first("left:"+ref.String()+":"+strconv.FormatInt(u.ID, 10), a.clock.Now()) {
		a.recent.forget("join:" + ref.String() + ":" + strconv.FormatInt(u.ID, 10))
		evs = append(evs, &bot.Event{Kind: bot.EventMemberLeft, Chat: ref, From: account(u), Time: at, MessageID: strconv.Itoa(m.ID)})
	}
	if len(m.NewChatMembers) > 0 || m.LeftChatMember != nil {
		return evs
	}
	if m.From == nil || m.From.IsBot || m.ViaBot != nil {
		return nil // channel posts, anonymous admins, other bots
	}
	text := m.Text
	if text == "" {
		text = m.Caption
	}
	ev := &bot.Event{
		Kind:      bot.EventMessage,
		Chat:      ref,
		Private:   private,
		From:      account(m.From),
		MessageID: strconv.Itoa(m.ID),
		Text:      text,
		Time:      at,
		Edited:    edited,
	}
	if r := m.ReplyToMessage; r != nil && !(m.IsTopicMessage && r.ID == m.MessageThreadID) {
		ev.ReplyTo = &bot.MessageRef{Chat: ref, ID: strconv.Itoa(r.ID)}
		if r.From != nil {
			acct := account(r.From)
			ev.ReplyToFrom = &acct
		}
	}
	ents := m.Entities
	if m.Text == "" {
		ents = m.CaptionEntities
	}
	for _, e := range ents {
		if e.Type == models.MessageEntityTypeTextMention && e.User != nil {
			ev.Mentions = append(ev.Mentions, account(e.User))
		}
	}
	if !edited {
		if inv, ok := bot.ParseCommand(text, "/", a.Username()); ok {
			ev.Kind = bot.EventCommand
			ev.Command = &inv
		} else if strings.HasPrefix(strings.TrimSpace(text), "/") && isCommandForOtherBot(text) {
			return nil // "/help@OtherBot": not ours, and not chat either
		}
	}
	return []*bot.Event{ev}
}

// isCommandForOtherBot reports whether text starts with "/name@someone".
func isCommandForOtherBot(text string) bool {
	head := strings.Fields(text)
	if len(head) == 0 {
		return false
	}
	_, target, ok := strings.Cut(head[0], "@")
	return ok && target != ""
}

func (a *Adapter) fromCallback(cq *models.CallbackQuery) []*bot.Event {
	if cq.From.IsBot {
		return nil
	}
	var ref bot.ChatRef
	var msgID string
	private := false
	switch {
	case cq.Message.Message != nil:
		m := cq.Message.Message
		ref = a.msgChat(m)
		msgID = strconv.Itoa(m.ID)
		private = m.Chat.Type == models.ChatTypePrivate
	case cq.Message.InaccessibleMessage != nil:
		m := cq.Message.InaccessibleMessage
		ref = chatRef(a.reported(m.Chat.ID), 0)
		msgID = strconv.Itoa(m.MessageID)
		private = m.Chat.Type == models.ChatTypePrivate
	default:
		ref = chatRef(cq.From.ID, 0) // a button on an inline message: answer in private
		private = true
	}
	return []*bot.Event{{
		Kind:      bot.EventButton,
		Chat:      ref,
		Private:   private,
		From:      account(&cq.From),
		MessageID: msgID,
		Data:      cq.Data,
		Time:      a.clock.Now(),
		Responder: chatResponder{a: a, chat: ref},
	}}
}

// chatResponder answers a button press with a message in the chat of the
// button (Telegram has no in-place replies to callback queries beyond a
// short toast).
type chatResponder struct {
	a    *Adapter
	chat bot.ChatRef
}

// Respond sends msg to the chat the button was pressed in.
func (r chatResponder) Respond(ctx context.Context, msg bot.Outgoing) (bot.MessageRef, error) {
	return r.a.Send(ctx, r.chat, msg)
}

func (a *Adapter) fromPollAnswer(pa *models.PollAnswer) []*bot.Event {
	if pa.User == nil || pa.User.IsBot {
		return nil // a vote on behalf of a chat (anonymous admin)
	}
	ref, _ := a.polls.get(pa.PollID)
	opts := append([]int{}, pa.OptionIDs...)
	return []*bot.Event{{
		Kind: bot.EventPollVote,
		Chat: ref.Chat,
		From: account(pa.User),
		Time: a.clock.Now(),
		Poll: &bot.PollVote{PollID: pa.PollID, Message: ref, Options: opts},
	}}
}

func isIn(m models.ChatMember) bool {
	switch m.Type {
	case models.ChatMemberTypeOwner, models.ChatMemberTypeAdministrator, models.ChatMemberTypeMember:
		return true
	case models.ChatMemberTypeRestricted:
		return m.Restricted != nil && m.Restricted.IsMember
	}
	return false
}

func isAdmin(m models.ChatMember) bool {
	return m.Type == models.ChatMemberTypeOwner || m.Type == models.ChatMemberTypeAdministrator
}

func memberUser(m models.ChatMember) *models.User {
	switch {
	case m.Owner != nil:
		return m.Owner.User
	case m.Administrator != nil:
		return &m.Administrator.User
	case m.Member != nil:
		return m.Member.User
	case m.Restricted != nil:
		return m.Restricted.User
	case m.Left != nil:
		return m.Left.User
	case m.Banned != nil:
		return m.Banned.User
	}
	return nil
}

func (a *Adapter) fromChatMember(cm *models.ChatMemberUpdated) []*bot.Event {
	if isAdmin(cm.OldChatMember) != isAdmin(cm.NewChatMember) {
		a.forgetAdmins(cm.Chat.ID)
	}
	u := memberUser(cm.NewChatMember)
	if u == nil || u.IsBot {
		return nil
	}
	ref := chatRef(a.reported(cm.Chat.ID), 0)
	was, is := isIn(cm.OldChatMember), isIn(cm.NewChatMember)
	ev := &bot.Event{Chat: ref, From: account(u), Time: time.Unix(int64(cm.Date), 0)}
	switch {
	case !was && is:
		ev.Kind = bot.EventMemberJoined
		if cm.InviteLink != nil {
			ev.Invite = cm.InviteLink.InviteLink
		}
		if !a.recent.first("join:"+ref.String()+":"+ev.From.ID, a.clock.Now()) {
			return nil
		}
		a.recent.forget("left:" + ref.String() + ":" + ev.From.ID)
	case was && !is:
		ev.Kind = bot.EventMemberLeft
		if !a.recent.first("left:"+ref.String()+":"+ev.From.ID, a.clock.Now()) {
			return nil
		}
		a.recent.forget("join:" + ref.String() + ":" + ev.From.ID)
	default:
		return nil
	}
	return []*bot.Event{ev}
}

// pollBook remembers which message each poll the bot sent lives in, so
// poll_answer updates (which carry only the poll id) can point at it. It
// keeps the last n polls in memory and is lost on restart: votes on older
// polls arrive with only PollVote.PollID set, and features that must count
// them across restarts store the poll id themselves.
type pollBook struct {
	mu    sync.Mutex
	n     int
	order []string
	refs  map[string]bot.MessageRef
}

func newPollBook(n int) *pollBook { return &pollBook{n: n, refs: map[string]bot.MessageRef{}} }

func (p *pollBook) add(id string, ref bot.MessageRef, _ int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.refs[id]; !ok {
		p.order = append(p.order, id)
	}
	p.refs[id] = ref
	for len(p.order) > p.n {
		delete(p.refs, p.order[0])
		p.order = p.order[1:]
	}
}

func (p *pollBook) get(id string) (bot.MessageRef, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r, ok := p.refs[id]
	return r, ok
}

// recentSet remembers keys for a while, to report a join seen both as a
// service message and as a chat_member update only once.
type recentSet struct {
	mu   sync.Mutex
	n    int
	ttl  time.Duration
	seen map[string]time.Time
}

func newRecentSet(n int, ttl time.Duration) *recentSet {
	return &recentSet{n: n, ttl: ttl, seen: map[string]time.Time{}}
}

// first reports whether key was not seen within the TTL, and records it.
func (r *recentSet) first(key string, now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if t, ok := r.seen[key]; ok && now.Sub(t) < r.ttl {
		return false
	}
	if len(r.seen) >= r.n {
		for k, t := range r.seen {
			if now.Sub(t) >= r.ttl {
				delete(r.seen, k)
			}
		}
		if len(r.seen) >= r.n {
			r.seen = map[string]time.Time{}
		}
	}
	r.seen[key] = now
	return true
}

// forget drops key, so the next first(key) is true.
func (r *recentSet) forget(key string) {
	r.mu.Lock()
	delete(r.seen, key)
	r.mu.Unlock()
}
