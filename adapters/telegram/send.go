package telegram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/cohortbot/cohort/bot"
)

// Send posts msg to a chat through the outbound queue and waits until
// Telegram has it. Text longer than a message allows is split at line
// boundaries into several messages; buttons, a poll or files come with the
// last one, and the returned reference points at that last message. Files
// carry the text as caption when it fits, otherwise the text goes first.
// Ephemeral is ignored: Telegram has no private replies in groups.
func (a *Adapter) Send(ctx context.Context, to bot.ChatRef, msg bot.Outgoing) (bot.MessageRef, error) {
	id, err := chatID(to)
	if err != nil {
		return bot.MessageRef{}, err
	}
	calls, err := a.buildCalls(to, msg)
	if err != nil {
		return bot.MessageRef{}, err
	}
	if len(calls) == 0 {
		return bot.MessageRef{}, errors.New("telegram: nothing to send")
	}
	msgs, sentTo, err := a.out.send(ctx, a.resolve(id), calls...)
	if err != nil {
		return bot.MessageRef{}, fmt.Errorf("telegram: send to %s: %w", to, a.scrub(err))
	}
	last := msgs[len(msgs)-1]
	ref := bot.MessageRef{Chat: to, ID: strconv.Itoa(last.ID)}
	if last.Poll != nil {
		a.polls.add(last.Poll.ID, bot.MessageRef{Chat: to, ID: ref.ID}, sentTo)
	}
	if msg.Pin {
		if _, err := a.api.PinChatMessage(ctx, &tgbot.PinChatMessageParams{ChatID: sentTo, MessageID: last.ID, DisableNotification: true}); err != nil {
			a.log.Warn().Err(a.scrub(err)).Str("chat", to.String()).Msg("telegram pin failed (is the bot an admin with pin rights?)")
		}
	}
	return ref, nil
}

// buildCalls turns an Outgoing into the Bot API calls that post it, in order.
func (a *Adapter) buildCalls(to bot.ChatRef, msg bot.Outgoing) ([]sendFunc, error) {
	markup, err := keyboard(msg.Buttons)
	if err != nil {
		return nil, err
	}
	thread := threadID(to)
	var reply *models.ReplyParameters
	if msg.ReplyTo != "" {
		if n, err := strconv.Atoi(msg.ReplyTo); err == nil {
			reply = &models.ReplyParameters{MessageID: n, AllowSendingWithoutReply: true}
		}
	}
	// Only the first message of a split text answers the original message;
	// only the last carries the buttons.
	replyOnce := func() *models.ReplyParameters { r := reply; reply = nil; return r }
	var calls []sendFunc
	textCall := func(html string, withMarkup bool) sendFunc {
		p := &tgbot.SendMessageParams{
			MessageThreadID: thread,
			Text:            html,
			ParseMode:       models.ParseModeHTML,
			ReplyParameters: replyOnce(),
			LinkPreviewOptions: &models.LinkPreviewOptions{
				IsDisabled: tgbot.True(),
			},
		}
		if withMarkup && markup != nil {
			p.ReplyMarkup = markup
		}
		return func(ctx context.Context, chat int64) (*models.Message, error) {
			q := *p
			q.ChatID = chat
			return a.api.SendMessage(ctx, &q)
		}
	}

	hasTail := msg.Poll != nil || len(msg.Files) > 0
	var caption string
	chunks := renderHTML(msg.Title, msg.Text, maxMessageLen)
	if len(msg.Files) > 0 && len(chunks) == 1 && utf16Len(chunks[0]) <= maxCaptionLen {
		caption, chunks = chunks[0], nil
	}
	for i, c := range chunks {
		calls = append(calls, textCall(c, !hasTail && i == len(chunks)-1))
	}

	for i, f := range msg.Files {
		f := f
		last := i == len(msg.Files)-1 && msg.Poll == nil
		capt := ""
		if i == 0 {
			capt = caption
		}
		var km models.ReplyMarkup
		if last && markup != nil {
			km = markup
		}
		rp := replyOnce()
		name := f.Name
		if name == "" {
			name = "file"
		}
		if strings.HasPrefix(f.MIME, "image/") {
			calls = append(calls, func(ctx context.Context, chat int64) (*models.Message, error) {
				p := &tgbot.SendPhotoParams{ChatID: chat, MessageThreadID: thread, Caption: capt, ReplyParameters: rp, ReplyMarkup: km,
					Photo: &models.InputFileUpload{Filename: name, Data: bytes.NewReader(f.Data)}}
				if capt != "" {
					p.ParseMode = models.ParseModeHTML
				}
				return a.api.SendPhoto(ctx, p)
			})
		} else {
			calls = append(calls, func(ctx context.Context, chat int64) (*models.Message, error) {
				p := &tgbot.SendDocumentParams{ChatID: chat, MessageThreadID: thread, Caption: capt, ReplyParameters: rp, ReplyMarkup: km,
					Document: &models.InputFileUpload{Filename: name, Data: bytes.NewReader(f.Data)}}
				if capt != "" {
					p.ParseMode = models.ParseModeHTML
				}
				return a.api.SendDocument(ctx, p)
			})
		}
	}

	if p := msg.Poll; p != nil {
		if len(p.Options) < 2 || len(p.Options) > 12 {
			return nil, fmt.Errorf("telegram: a poll needs 2 to 12 options, got %d", len(p.Options))
		}
		opts := make([]models.InputPollOption, len(p.Options))
		for i, o := range p.Options {
			opts[i] = models.InputPollOption{Text: o}
		}
		anon := p.Anonymous
		rp := replyOnce()
		var km models.ReplyMarkup
		if markup != nil {
			km = markup
		}
		calls = append(calls, func(ctx context.Context, chat int64) (*models.Message, error) {
			return a.api.SendPoll(ctx, &tgbot.SendPollParams{
				ChatID: chat, MessageThreadID: thread, Question: p.Question, Options: opts,
				IsAnonymous: &anon, AllowsMultipleAnswers: p.Multi, ReplyParameters: rp, ReplyMarkup: km,
			})
		})
	}
	return calls, nil
}

// keyboard builds an inline keyboard. Telegram limits callback data to 64
// bytes: longer data is refused rather than cut.
func keyboard(rows [][]bot.Button) (*models.InlineKeyboardMarkup, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: make([][]models.InlineKeyboardButton, 0, len(rows))}
	for _, row := range rows {
		var r []models.InlineKeyboardButton
		for _, b := range row {
			switch {
			case b.URL != "":
				if !bot.SafeURL(b.URL) {
					return nil, fmt.Errorf("telegram: button %q: unsafe URL", b.Text)
				}
				r = append(r, models.InlineKeyboardButton{Text: b.Text, URL: b.URL})
			default:
				if len(b.Data) > maxCallback {
					return nil, fmt.Errorf("telegram: button %q: data is %d bytes, Telegram allows %d", b.Text, len(b.Data), maxCallback)
				}
				data := b.Data
				if data == "" {
					data = "-"
				}
				r = append(r, models.InlineKeyboardButton{Text: b.Text, CallbackData: data})
			}
		}
		if len(r) > 0 {
			kb.InlineKeyboard = append(kb.InlineKeyboard, r)
		}
	}
	return kb, nil
}

// SendDirect sends a private message to a user. When Telegram refuses
// (403: the user never started the bot or blocked it), the error matches
// bot.ErrCannotDM with errors.Is, and is also a *bot.UserError for
// "error.cannot_dm", so a handler that returns it shows the member the
// translated hint to start the bot in private first.
func (a *Adapter) SendDirect(ctx context.Context, userID string, msg bot.Outgoing) (bot.MessageRef, error) {
	if _, err := strconv.ParseInt(userID, 10, 64); err != nil {
		return bot.MessageRef{}, fmt.Errorf("telegram: %q is not a user id", userID)
	}
	ref, err := a.Send(ctx, bot.ChatRef{Platform: bot.Telegram, Space: userID, Chat: userID}, msg)
	if err != nil && (errors.Is(err, tgbot.ErrorForbidden) || (errors.Is(err, tgbot.ErrorBadRequest) && strings.Contains(err.Error(), "chat not found"))) {
		return bot.MessageRef{}, &dmRefusedError{cause: err}
	}
	return ref, err
}

// dmRefusedError is returned when Telegram will not deliver a DM.
type dmRefusedError struct{ cause error }

func (e *dmRefusedError) Error() string {
	return "telegram: direct message refused (the user has not started the bot): " + e.cause.Error()
}

func (e *dmRefusedError) Unwrap() []error {
	return []error{bot.ErrCannotDM, &bot.UserError{Key: "error.cannot_dm"}, e.cause}
}

func msgIDs(ref bot.MessageRef) (int64, int, error) {
	chat, err := chatID(ref.Chat)
	if err != nil {
		return 0, 0, err
	}
	id, err := strconv.Atoi(ref.ID)
	if err != nil {
		return 0, 0, fmt.Errorf("telegram: %q is not a message id", ref.ID)
	}
	return chat, id, nil
}

// call runs a Bot API call that is not a new message (edit, delete, mute...)
// right away, waiting out 429s and following chat migrations.
func (a *Adapter) call(ctx context.Context, chat int64, fn func(ctx context.Context, chat int64) error) error {
	chat = a.resolve(chat)
	for attempt := 0; ; attempt++ {
		err := fn(ctx, chat)
		var tooMany *tgbot.TooManyRequestsError
		var migrate *tgbot.MigrateError
		switch {
		case err == nil:
			return nil
		case errors.As(err, &tooMany) && attempt < 10:
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-a.clock.After(time.Duration(max(tooMany.RetryAfter, 1)) * time.Second):
			}
		case errors.As(err, &migrate) && migrate.MigrateToChatID != 0 && int64(migrate.MigrateToChatID) != chat && attempt < 3:
			a.noteMigration(chat, int64(migrate.MigrateToChatID))
			chat = int64(migrate.MigrateToChatID)
		default:
			return a.scrub(err)
		}
	}
}

// Edit replaces the text and buttons of a message the bot sent.
func (a *Adapter) Edit(ctx context.Context, msg bot.MessageRef, out bot.Outgoing) error {
	chat, id, err := msgIDs(msg)
	if err != nil {
		return err
	}
	markup, err := keyboard(out.Buttons)
	if err != nil {
		return err
	}
	chunks := renderHTML(out.Title, out.Text, maxMessageLen)
	if len(chunks) != 1 {
		return fmt.Errorf("telegram: edited text must fit in one message (%d characters)", maxMessageLen)
	}
	return a.call(ctx, chat, func(ctx context.Context, chat int64) error {
		p := &tgbot.EditMessageTextParams{ChatID: chat, MessageID: id, Text: chunks[0], ParseMode: models.ParseModeHTML,
			LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()}}
		if markup != nil {
			p.ReplyMarkup = markup
		}
		_, err := a.api.EditMessageText(ctx, p)
		return err
	})
}

// Delete deletes a message (the bot needs the "delete messages" admin
// right for other people's messages).
func (a *Adapter) Delete(ctx context.Context, msg bot.MessageRef) error {
	return a.onMessage(ctx, msg, func(ctx context.Context, chat int64, id int) error {
		_, err := a.api.DeleteMessage(ctx, &tgbot.DeleteMessageParams{ChatID: chat, MessageID: id})
		return err
	})
}

// Pin pins a message without notifying everyone.
func (a *Adapter) Pin(ctx context.Context, msg bot.MessageRef) error {
	return a.onMessage(ctx, msg, func(ctx context.Context, chat int64, id int) error {
		_, err := a.api.PinChatMessage(ctx, &tgbot.PinChatMessageParams{ChatID: chat, MessageID: id, DisableNotification: true})
		return err
	})
}

// ClosePoll stops a poll the bot sent.
func (a *Adapter) ClosePoll(ctx context.Context, msg bot.MessageRef) error {
	return a.onMessage(ctx, msg, func(ctx context.Context, chat int64, id int) error {
		_, err := a.api.StopPoll(ctx, &tgbot.StopPollParams{ChatID: chat, MessageID: id})
		return err
	})
}

// onMessage runs an API call about one message through call (429s waited
// out, chat migrations followed).
func (a *Adapter) onMessage(ctx context.Context, msg bot.MessageRef, fn func(ctx context.Context, chat int64, id int) error) error {
	chat, id, err := msgIDs(msg)
	if err != nil {
		return err
	}
	return a.call(ctx, chat, func(ctx context.Context, chat int64) error { return fn(ctx, chat, id) })
}

func userID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("telegram: %q is not a user id", s)
	}
	return id, nil
}

// Mute stops a user from writing in a chat until a time; a zero time lifts
// the restriction. Telegram treats restrictions shorter than 30 seconds or
// longer than 366 days as permanent.
func (a *Adapter) Mute(ctx context.Context, chat bot.ChatRef, user string, until time.Time) error {
	if until.IsZero() {
		return a.Unmute(ctx, chat, user)
	}
	return a.restrict(ctx, chat, user, &models.ChatPermissions{}, int(until.Unix()))
}

// Unmute gives a user back the right to write in a chat.
func (a *Adapter) Unmute(ctx context.Context, chat bot.ChatRef, user string) error {
	return a.restrict(ctx, chat, user, &models.ChatPermissions{
		CanSendMessages: true, CanSendAudios: true, CanSendDocuments: true, CanSendPhotos: true,
		CanSendVideos: true, CanSendVideoNotes: true, CanSendVoiceNotes: true, CanSendPolls: true,
		CanSendOtherMessages: true, CanAddWebPagePreviews: true, CanInviteUsers: true,
	}, 0)
}

func (a *Adapter) restrict(ctx context.Context, chat bot.ChatRef, user string, perms *models.ChatPermissions, until int) error {
	cid, err := chatID(chat)
	if err != nil {
		return err
	}
	uid, err := userID(user)
	if err != nil {
		return err
	}
	return a.call(ctx, cid, func(ctx context.Context, c int64) error {
		_, err := a.api.RestrictChatMember(ctx, &tgbot.RestrictChatMemberParams{ChatID: c, UserID: uid, Permissions: perms, UntilDate: until})
		return err
	})
}

// Ban removes a user from a chat for good. The reason is only logged:
// Telegram has no ban reasons.
func (a *Adapter) Ban(ctx context.Context, chat bot.ChatRef, user string, reason string) error {
	cid, err := chatID(chat)
	if err != nil {
		return err
	}
	uid, err := userID(user)
	if err != nil {
		return err
	}
	a.log.Info().Str("chat", chat.String()).Str("user", user).Str("reason", reason).Msg("banning user")
	return a.call(ctx, cid, func(ctx context.Context, c int64) error {
		_, err := a.api.BanChatMember(ctx, &tgbot.BanChatMemberParams{ChatID: c, UserID: uid})
		return err
	})
}

// Unban lets a banned user join the chat again.
func (a *Adapter) Unban(ctx context.Context, chat bot.ChatRef, user string) error {
	cid, err := chatID(chat)
	if err != nil {
		return err
	}
	uid, err := userID(user)
	if err != nil {
		return err
	}
	return a.call(ctx, cid, func(ctx context.Context, c int64) error {
		_, err := a.api.UnbanChatMember(ctx, &tgbot.UnbanChatMemberParams{ChatID: c, UserID: uid, OnlyIfBanned: true})
		return err
	})
}

// CreateInvite creates a named invite link; joins through it carry the link
// in EventMemberJoined.Invite.
func (a *Adapter) CreateInvite(ctx context.Context, chat bot.ChatRef, name string) (string, error) {
	cid, err := chatID(chat)
	if err != nil {
		return "", err
	}
	if r := []rune(name); len(r) > 32 {
		name = string(r[:32])
	}
	var link string
	err = a.call(ctx, cid, func(ctx context.Context, c int64) error {
		l, err := a.api.CreateChatInviteLink(ctx, &tgbot.CreateChatInviteLinkParams{ChatID: c, Name: name})
		if err == nil {
			link = l.InviteLink
		}
		return err
	})
	return link, err
}

// RoleOf reports a user's role in a chat from its administrator list:
// RoleOwner for the creator, RoleModerator for administrators. The list is
// cached for a while and refreshed when chat_member updates change it.
func (a *Adapter) RoleOf(ctx context.Context, chat bot.ChatRef, user string) (bot.Role, error) {
	cid, err := chatID(chat)
	if err != nil {
		return bot.RoleMember, err
	}
	uid, err := userID(user)
	if err != nil {
		return bot.RoleMember, err
	}
	if cid > 0 {
		return bot.RoleMember, nil // a private chat has no administrators
	}
	cid = a.resolve(cid)
	now := a.clock.Now()
	a.mu.RLock()
	e, ok := a.admins[cid]
	a.mu.RUnlock()
	if !ok || now.Sub(e.fetched) > adminTTL {
		var list []models.ChatMember
		err := a.call(ctx, cid, func(ctx context.Context, c int64) error {
			var err error
			list, err = a.api.GetChatAdministrators(ctx, &tgbot.GetChatAdministratorsParams{ChatID: c})
			return err
		})
		if err != nil {
			return bot.RoleMember, err
		}
		e = adminEntry{roles: map[int64]bot.Role{}, fetched: now}
		for _, m := range list {
			switch {
			case m.Owner != nil && m.Owner.User != nil:
				e.roles[m.Owner.User.ID] = bot.RoleOwner
			case m.Administrator != nil:
				e.roles[m.Administrator.User.ID] = bot.RoleModerator
			}
		}
		a.mu.Lock()
		a.admins[cid] = e
		a.mu.Unlock()
	}
	if r, ok := e.roles[uid]; ok {
		return r, nil
	}
	return bot.RoleMember, nil
}

// forgetAdmins drops the cached administrator list of a chat.
func (a *Adapter) forgetAdmins(chat int64) {
	a.mu.Lock()
	delete(a.admins, chat)
	a.mu.Unlock()
}
