package telegramtest

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// User is a Telegram user for building updates.
type User struct {
	ID           int64
	FirstName    string
	LastName     string
	Username     string
	LanguageCode string
	IsBot        bool
}

func (u User) json() map[string]any {
	j := map[string]any{"id": u.ID, "is_bot": u.IsBot, "first_name": u.FirstName}
	if u.FirstName == "" {
		j["first_name"] = fmt.Sprintf("User %d", u.ID)
	}
	if u.LastName != "" {
		j["last_name"] = u.LastName
	}
	if u.Username != "" {
		j["username"] = u.Username
	}
	if u.LanguageCode != "" {
		j["language_code"] = u.LanguageCode
	}
	return j
}

// Update is one Bot API update as JSON fields. update_id is set by
// AddUpdate.
type Update map[string]any

// JSON encodes the update as Telegram posts it to a webhook.
func (u Update) JSON() []byte {
	b, _ := json.Marshal(map[string]any(u))
	return b
}

// TextOptions tune a text message built by Text.
type TextOptions struct {
	Thread  int // forum topic (message_thread_id with is_topic_message)
	ReplyTo int // id of the message this one answers
	Edited  bool
	ID      int // message id; 0 lets AddUpdate assign the chat's next id
}

// Text builds a message (or edited_message) update: user from writes text
// in chat (negative ids are groups, positive ids private chats with that
// user). Commands get their bot_command entity as Telegram sends it.
func Text(chatID int64, from User, text string, opt TextOptions) Update {
	msg := map[string]any{
		"message_id": opt.ID,
		"from":       from.json(),
		"date":       time.Now().Unix(),
		"text":       text,
	}
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(text, " ")
		msg["entities"] = []Entity{{Type: "bot_command", Offset: 0, Length: UTF16Len(cmd)}}
	}
	if opt.Thread != 0 {
		msg["message_thread_id"] = opt.Thread
		msg["is_topic_message"] = true
	}
	if opt.ReplyTo != 0 {
		msg["reply_to_message"] = map[string]any{"message_id": opt.ReplyTo, "date": time.Now().Unix(), "chat": map[string]any{"id": chatID, "type": chatType(chatID)}}
	}
	key := "message"
	if opt.Edited {
		key = "edited_message"
		msg["edit_date"] = time.Now().Unix()
	}
	return Update{key: msg, "_chat": chatID}
}

// GroupText builds a message from a user in a group.
func GroupText(chatID int64, from User, text string) Update {
	return Text(chatID, from, text, TextOptions{})
}

// PrivateText builds a private message from a user to the bot.
func PrivateText(from User, text string) Update {
	return Text(from.ID, from, text, TextOptions{})
}

// CallbackQuery builds a press on an inline button of the bot's message
// msgID in chat, with the button's callback data. The query id is assigned
// by AddUpdate; read it back with Server.Calls("answerCallbackQuery") or
// check it with Server.Answered(QueryID(u)).
func CallbackQuery(chatID int64, msgID int, from User, data string) Update {
	return Update{"callback_query": map[string]any{
		"from":          from.json(),
		"chat_instance": fmt.Sprintf("inst%d", chatID),
		"data":          data,
		"message":       map[string]any{"message_id": msgID, "date": time.Now().Unix(), "chat": map[string]any{"id": chatID, "type": chatType(chatID)}, "text": "…"},
	}, "_chat": chatID}
}

// QueryID is the callback query id of an update added with AddUpdate.
func QueryID(u Update) string {
	if cq, ok := u["callback_query"].(map[string]any); ok {
		id, _ := cq["id"].(string)
		return id
	}
	return ""
}

// PollAnswer builds a vote of user in a non-anonymous poll; no options
// means the vote was withdrawn.
func PollAnswer(pollID string, from User, options ...int) Update {
	if options == nil {
		options = []int{}
	}
	return Update{"poll_answer": map[string]any{"poll_id": pollID, "user": from.json(), "option_ids": options}}
}

// Joined builds a chat_member update: user joined chat, through
// inviteLink when it is not empty.
func Joined(chatID int64, u User, inviteLink string) Update {
	cm := map[string]any{
		"chat":            map[string]any{"id": chatID, "type": chatType(chatID), "title": fmt.Sprintf("Chat %d", chatID)},
		"from":            u.json(),
		"date":            time.Now().Unix(),
		"old_chat_member": map[string]any{"status": "left", "user": u.json()},
		"new_chat_member": map[string]any{"status": "member", "user": u.json()},
	}
	if inviteLink != "" {
		cm["invite_link"] = map[string]any{"invite_link": inviteLink, "creator": map[string]any{"id": BotID, "is_bot": true, "first_name": "Cohort Test"},
			"creates_join_request": false, "is_primary": false, "is_revoked": false}
	}
	return Update{"chat_member": cm}
}

// Left builds a chat_member update: user left chat.
func Left(chatID int64, u User) Update {
	return Update{"chat_member": map[string]any{
		"chat":            map[string]any{"id": chatID, "type": chatType(chatID), "title": fmt.Sprintf("Chat %d", chatID)},
		"from":            u.json(),
		"date":            time.Now().Unix(),
		"old_chat_member": map[string]any{"status": "member", "user": u.json()},
		"new_chat_member": map[string]any{"status": "left", "user": u.json()},
	}}
}

// NewChatMembers builds the service message Telegram posts when users join
// a group (seen by bots without admin rights too).
func NewChatMembers(chatID int64, users ...User) Update {
	var list []map[string]any
	for _, u := range users {
		list = append(list, u.json())
	}
	return Update{"message": map[string]any{"message_id": 0, "from": users[0].json(), "date": time.Now().Unix(), "new_chat_members": list}, "_chat": chatID}
}

// LeftChatMember builds the service message posted when a user leaves.
func LeftChatMember(chatID int64, u User) Update {
	return Update{"message": map[string]any{"message_id": 0, "from": u.json(), "date": time.Now().Unix(), "left_chat_member": u.json()}, "_chat": chatID}
}

// MessageID is the message id of a message update added with AddUpdate.
func MessageID(u Update) int {
	for _, key := range []string{"message", "edited_message"} {
		if msg, ok := u[key].(map[string]any); ok {
			id, _ := msg["message_id"].(int)
			return id
		}
	}
	return 0
}

// AddUpdate queues an update for getUpdates and returns its update_id.
// Messages get the chat's next message id (unless set) and the chat object;
// private messages mark the user as having started the bot; callback
// queries get a fresh query id.
func (s *Server) AddUpdate(u Update) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	chatID, _ := u["_chat"].(int64)
	delete(u, "_chat")
	for _, key := range []string{"message", "edited_message"} {
		msg, ok := u[key].(map[string]any)
		if !ok {
			continue
		}
		ch := s.chat(chatID)
		msg["chat"] = s.chatJSON(ch)
		id, _ := msg["message_id"].(int)
		m := &Message{ID: id, Kind: "text", Time: time.Now()}
		if t, ok := msg["text"].(string); ok {
			m.Text = t
		}
		if from, ok := msg["from"].(map[string]any); ok {
			m.FromID, _ = from["id"].(int64)
			if chatID > 0 {
				s.started[m.FromID] = true
			}
		}
		if th, ok := msg["message_thread_id"].(int); ok {
			m.Thread = th
		}
		if existing, ok := ch.msgs[id]; ok && id != 0 {
			existing.Text = m.Text
		} else {
			ch.add(m)
		}
		msg["message_id"] = m.ID
	}
	if cq, ok := u["callback_query"].(map[string]any); ok {
		s.nextQuery++
		id := fmt.Sprintf("cq%d", s.nextQuery)
		cq["id"] = id
		s.queries[id] = false
		if msg, ok := cq["message"].(map[string]any); ok {
			msg["chat"] = s.chatJSON(s.chat(chatID))
		}
	}
	s.nextUpd++
	u["update_id"] = s.nextUpd
	s.updates = append(s.updates, map[string]any(u))
	s.notify()
	return s.nextUpd
}
