package telegram

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/cohortbot/cohort/adapters/telegram/telegramtest"
	"github.com/cohortbot/cohort/bot"
)

// fuzzBotName is the username of the bot in the conversion fuzz targets.
const fuzzBotName = "cohort_test_bot"

// fuzzAdapter is an adapter that never talks to Telegram: the fuzz targets
// call its update conversion directly, as if getMe had named it
// fuzzBotName.
func fuzzAdapter(f *testing.F) *Adapter {
	f.Helper()
	a, err := New(Config{Token: "1:fuzz", APIURL: "http://127.0.0.1:1"}, zerolog.Nop())
	if err != nil {
		f.Fatal(err)
	}
	a.me = &models.User{ID: 42, IsBot: true, FirstName: "Cohort", Username: fuzzBotName}
	return a
}

// addressedElsewhere reports whether a command's first word names another
// bot ("/help@OtherBot").
func addressedElsewhere(text string) bool {
	head := strings.Fields(text)
	if len(head) == 0 {
		return false
	}
	_, target, ok := strings.Cut(head[0], "@")
	return ok && !strings.EqualFold(target, fuzzBotName)
}

// checkEvents holds for every event an update converts to.
func checkEvents(t *testing.T, upd *models.Update, evs []*bot.Event) {
	t.Helper()
	for _, ev := range evs {
		// A vote on a poll the adapter does not remember carries only the
		// poll id (see pollBook): its chat is empty on purpose.
		unknownPoll := ev.Kind == bot.EventPollVote && ev.Chat == (bot.ChatRef{})
		if (ev.Chat.Platform != bot.Telegram && !unknownPoll) || ev.From.Platform != bot.Telegram {
			t.Fatalf("event not from telegram: %+v", ev)
		}
		if ev.From.IsBot {
			t.Fatalf("event from a bot: %+v", ev)
		}
		if ev.Kind != bot.EventCommand {
			continue
		}
		if ev.Command == nil || ev.Edited {
			t.Fatalf("bad command event %+v", ev)
		}
		if n := ev.Command.Name; n == "" || n != strings.ToLower(n) || strings.ContainsAny(n, " \t\n@/") {
			t.Fatalf("%q gave the command name %q", ev.Text, n)
		}
		if addressedElsewhere(ev.Text) {
			t.Fatalf("%q is addressed to another bot but became a command", ev.Text)
		}
	}
}

// FuzzConvertUpdate feeds arbitrary Bot API updates to the adapter's
// update → event conversion: it never panics, never reports a bot's
// message, and a command becomes a command event only when addressed to
// us (no "@bot" or "@cohort_test_bot").
func FuzzConvertUpdate(f *testing.F) {
	a := fuzzAdapter(f)
	for _, u := range []telegramtest.Update{
		telegramtest.GroupText(-100100, telegramtest.User{ID: 1001, FirstName: "Alice"}, "/points"),
		telegramtest.GroupText(-100100, telegramtest.User{ID: 1001}, "/points@"+fuzzBotName+" @bob"),
		telegramtest.GroupText(-100100, telegramtest.User{ID: 1001}, "/points@other_bot"),
		telegramtest.GroupText(-100100, telegramtest.User{ID: 1001, IsBot: true}, "/ban @alice"),
		telegramtest.PrivateText(telegramtest.User{ID: 1002, LanguageCode: "zh-hans"}, "/feedback 太慢了"),
		telegramtest.Text(-100100, telegramtest.User{ID: 1001}, "/award @bob 10", telegramtest.TextOptions{Edited: true, Thread: 5, ReplyTo: 3}),
		telegramtest.CallbackQuery(-100100, 7, telegramtest.User{ID: 1003}, "forget:yes:m1"),
		telegramtest.PollAnswer("5000", telegramtest.User{ID: 1003}, 0, 2),
		telegramtest.PollAnswer("5000", telegramtest.User{ID: 1003}),
		telegramtest.Joined(-100100, telegramtest.User{ID: 1004}, "https://t.me/+abc"),
		telegramtest.Left(-100100, telegramtest.User{ID: 1004}),
		telegramtest.NewChatMembers(-100100, telegramtest.User{ID: 1005}, telegramtest.User{ID: 1006, IsBot: true}),
		telegramtest.LeftChatMember(-100100, telegramtest.User{ID: 1005}),
	} {
		f.Add(u.JSON())
	}
	for _, s := range []string{
		`{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":-1,"type":"group"},"migrate_to_chat_id":-1001}}`,
		`{"update_id":2,"message":{"message_id":1,"date":1,"chat":{"id":-1,"type":"group"},"from":{"id":5,"first_name":"x"},"caption":"/top","caption_entities":[{"type":"text_mention","offset":0,"length":4,"user":{"id":9,"first_name":"y"}}]}}`,
		`{"update_id":3,"callback_query":{"id":"q","from":{"id":5,"first_name":"x"},"message":{"message_id":4,"date":0,"chat":{"id":-1,"type":"supergroup"}},"data":"x"}}`,
		`{"update_id":4,"callback_query":{"id":"q","from":{"id":5,"first_name":"x"},"inline_message_id":"abc","data":"faq:p:1"}}`,
		`{"update_id":5,"my_chat_member":{"chat":{"id":-1,"type":"group"},"from":{"id":1},"date":1,"old_chat_member":{"status":"left","user":{"id":42}},"new_chat_member":{"status":"administrator","user":{"id":42}}}}`,
		`{"update_id":6,"chat_member":{"chat":{"id":-1,"type":"group"},"date":1,"old_chat_member":{"status":"restricted","is_member":false,"user":{"id":8}},"new_chat_member":{"status":"kicked","user":{"id":8}}}}`,
		`{"update_id":7,"message":{"message_id":1,"date":1,"chat":{"id":-1,"type":"supergroup","is_forum":true},"from":{"id":5},"is_topic_message":true,"message_thread_id":9,"reply_to_message":{"message_id":9,"date":1,"chat":{"id":-1,"type":"supergroup"}},"text":"/help@COHORT_TEST_BOT"}}`,
		`{"update_id":8,"poll_answer":{"poll_id":"p","voter_chat":{"id":-1,"type":"group"},"option_ids":[]}}`,
		`{}`, `{"update_id":9}`, `null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var upd models.Update
		if err := json.Unmarshal(raw, &upd); err != nil {
			return
		}
		checkEvents(t, &upd, a.convert(&upd))
	})
}

// FuzzConvertMessage builds text messages from arbitrary field values:
// a message from a person becomes exactly one event, a command only when
// it is addressed to us, and an edited command is never run again.
func FuzzConvertMessage(f *testing.F) {
	a := fuzzAdapter(f)
	f.Add("/points", int64(-100100), int64(1001), false, false, "")
	f.Add("/points@"+fuzzBotName, int64(-100100), int64(1001), false, false, "")
	f.Add("/Points@Other_Bot x", int64(-100100), int64(1001), false, false, "")
	f.Add("/award @bob 10 \"unclosed", int64(1001), int64(1001), false, true, "")
	f.Add("hello", int64(-100100), int64(1001), true, false, "")
	f.Add("", int64(-100100), int64(1001), false, false, "/top caption")
	f.Add("/@", int64(0), int64(0), false, false, "")
	f.Fuzz(func(t *testing.T, text string, chat, from int64, fromBot, edited bool, caption string) {
		kind := models.ChatTypeSupergroup
		if chat > 0 {
			kind = models.ChatTypePrivate
		}
		m := &models.Message{ID: 1, Date: 1, Chat: models.Chat{ID: chat, Type: kind}, From: &models.User{ID: from, IsBot: fromBot, FirstName: "x"}, Text: text, Caption: caption}
		upd := &models.Update{Message: m}
		if edited {
			upd = &models.Update{EditedMessage: m}
		}
		evs := a.convert(upd)
		checkEvents(t, upd, evs)
		if fromBot && len(evs) > 0 {
			t.Fatalf("a bot's message became %d events", len(evs))
		}
		if len(evs) > 1 {
			t.Fatalf("one message became %d events", len(evs))
		}
		body := text
		if body == "" {
			body = caption
		}
		if len(evs) == 1 && edited && evs[0].Kind != bot.EventMessage {
			t.Fatalf("edited %q became a %s event", body, evs[0].Kind)
		}
		if len(evs) == 0 && !fromBot && !addressedElsewhere(body) {
			t.Fatalf("message %q from a person was dropped", body)
		}
	})
}

// visible is what a member reads: the text without any whitespace, which
// chunking may move or trim.
func visible(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// FuzzRenderHTML renders neutral markup (and, escaped, arbitrary user text)
// to Telegram HTML: every chunk is HTML that Telegram's parser (as
// telegramtest implements it) accepts, chunks of escaped text fit the
// limit, and the visible text of escaped text is exactly the input.
func FuzzRenderHTML(f *testing.F) {
	for _, s := range []string{"*bold* _it_ `code` [link](https://example.com/?a=1&b=\"2\")", "<b>not a tag</b> & &amp; &#x41;", "*_both_*", "line\n\nline\n",
		"[x](javascript:alert(1))", "`<pre>`", "中文 *粗体*", "\\*not bold\\*", "a\u00a0b\u2028c", "😀😀😀"} {
		f.Add("", s, uint16(0), false)
		f.Add("Title & <co>", s, uint16(60), true)
	}
	f.Add("", strings.Repeat("&<>\"", 300), uint16(1), true)
	f.Fuzz(func(t *testing.T, title, text string, limitSel uint16, escaped bool) {
		if !utf8.ValidString(title) || !utf8.ValidString(text) {
			return
		}
		limit := maxMessageLen
		if limitSel%2 == 1 {
			limit = 64 + int(limitSel)%4033
		}
		markup := text
		if escaped {
			markup = bot.Escape(text)
		}
		chunks := renderHTML(title, markup, limit)
		var seen strings.Builder
		for _, c := range chunks {
			plain, _, err := telegramtest.ParseHTML(c)
			if err != nil {
				t.Fatalf("chunk %q of %q does not parse: %v", c, markup, err)
			}
			if strings.TrimSpace(plain) == "" {
				t.Fatalf("chunk %q of %q is blank", c, markup)
			}
			if escaped && utf16Len(c) > limit {
				t.Fatalf("chunk of %d units over the limit %d: %q", utf16Len(c), limit, c)
			}
			seen.WriteString(plain)
		}
		if escaped {
			if got, want := visible(seen.String()), visible(title+text); got != want {
				t.Fatalf("visible text %q, want %q (from %q)", got, want, text)
			}
		}
	})
}
