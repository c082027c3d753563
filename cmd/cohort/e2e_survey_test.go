package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/cohortbot/cohort/adapters/discord/discordtest"
	"github.com/cohortbot/cohort/adapters/telegram/telegramtest"
)

// buttonsOf returns the callback data of a Telegram message's inline keyboard.
func buttonsOf(t *testing.T, m telegramtest.Message) []string {
	t.Helper()
	if len(m.Markup) == 0 {
		return nil
	}
	var kb struct {
		Rows [][]struct {
			Data string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal(m.Markup, &kb); err != nil {
		t.Fatalf("reply_markup %s: %v", m.Markup, err)
	}
	var out []string
	for _, row := range kb.Rows {
		for _, b := range row {
			out = append(out, b.Data)
		}
	}
	return out
}

// TestEndToEnd_Survey_Telegram: the satisfaction survey is posted in the
// group, a member takes it in private chat by buttons and text, and the
// moderators see the result.
func TestEndToEnd_Survey_Telegram(t *testing.T) {
	w := startWorldWith(t, worldOptions{})
	w.tg.Start(tgAlice.ID)
	w.say(tgMod, "/survey csat")
	post := w.waitTelegram(t, tgGroup, "Community satisfaction survey")
	take := buttonsOf(t, post)
	if len(take) != 1 || !strings.HasPrefix(take[0], "survey:") {
		t.Fatalf("survey post buttons %q", take)
	}
	w.tg.AddUpdate(telegramtest.CallbackQuery(tgGroup, post.ID, tgAlice, take[0]))
	w.waitTelegram(t, tgAlice.ID, "question 1 of 3")

	// Question 1 (1–5) and 2 (0–10) by buttons, question 3 by text.
	for n, pick := range []string{1: ":5", 2: ":9"} {
		if n == 0 {
			continue
		}
		msgs := w.tg.Messages(tgAlice.ID)
		q := msgs[len(msgs)-1]
		pressed := false
		for _, data := range buttonsOf(t, q) {
			if strings.HasSuffix(data, pick) {
				w.tg.AddUpdate(telegramtest.CallbackQuery(tgAlice.ID, q.ID, tgAlice, data))
				pressed = true
				break
			}
		}
		if !pressed {
			t.Fatalf("question %d has no %s button: %q", n, pick, buttonsOf(t, q))
		}
		w.waitTelegram(t, tgAlice.ID, "question "+string(rune('1'+n))+" of 3")
	}
	w.sayPrivate(tgAlice, "More roadshows in Asia, please")
	w.waitTelegram(t, tgAlice.ID, "Thank you for answering")

	w.say(tgMod, "/survey results")
	res := w.waitTelegram(t, tgGroup, "1 responses, 1 complete")
	for _, want := range []string{"CSAT: 100%", "NPS: 100", "More roadshows in Asia"} {
		if !strings.Contains(res.Text, want) {
			t.Errorf("results lack %q: %q", want, res.Text)
		}
	}
}

// customIDs returns the custom ids of a Discord message's buttons.
func customIDs(m map[string]any) []string {
	raw, _ := json.Marshal(m)
	var msg struct {
		Rows []struct {
			Components []struct {
				CustomID string `json:"custom_id"`
			} `json:"components"`
		} `json:"components"`
	}
	_ = json.Unmarshal(raw, &msg)
	var out []string
	for _, row := range msg.Rows {
		for _, c := range row.Components {
			if c.CustomID != "" {
				out = append(out, c.CustomID)
			}
		}
	}
	return out
}

// TestEndToEnd_Survey_Discord: the same survey taken on Discord, where the
// questions come by direct message and are answered with their buttons.
func TestEndToEnd_Survey_Discord(t *testing.T) {
	w := startWorldWith(t, worldOptions{})
	w.say(tgMod, "/survey csat")
	post := w.dcSaid(t, discordtest.ChannelID, "Community satisfaction survey")
	var postID string
	for _, m := range w.dc.ChannelMessages(discordtest.ChannelID) {
		if strings.Contains(texts(mustJSON(m)), "Community satisfaction survey") {
			postID, _ = m["id"].(string)
		}
	}
	take := customIDs(post.JSON())
	if postID == "" || len(take) != 1 {
		t.Fatalf("survey post %q buttons %q", postID, take)
	}
	in := w.dc.DispatchButton(discordtest.Click{ChannelID: discordtest.ChannelID, UserID: discordtest.MemberID, MessageID: postID, CustomID: take[0]})
	w.dc.WaitCallback(t, in)
	first := w.dcDM(t, "question 1 of 3")
	dm := strings.Split(first.Path, "/")[4]
	msgs := w.dc.ChannelMessages(dm)
	q1 := msgs[len(msgs)-1]
	q1ID, _ := q1["id"].(string)
	// Answers to buttons come back as the interaction's answer: the next
	// question, with its own buttons.
	press := func(msgID string, ids []string, suffix, next string) map[string]any {
		t.Helper()
		for _, id := range ids {
			if strings.HasSuffix(id, suffix) {
				in := w.dc.DispatchButton(discordtest.Click{ChannelID: dm, UserID: discordtest.MemberID, MessageID: msgID, CustomID: id})
				w.answered(t, in, next)
				data, _ := w.dc.WaitCallback(t, in)["data"].(map[string]any)
				return data
			}
		}
		t.Fatalf("no button ending in %s among %q", suffix, ids)
		return nil
	}
	q2 := press(q1ID, customIDs(q1), ":4", "question 2 of 3")
	press(q1ID, customIDs(q2), ":6", "question 3 of 3")
	w.dc.DispatchMessage(dm, discordtest.MemberID, "Keep the weekly AMAs")
	w.dcDM(t, "Thank you for answering")
	w.say(tgMod, "/survey results")
	res := w.waitTelegram(t, tgGroup, "1 responses, 1 complete")
	if !strings.Contains(res.Text, "Keep the weekly AMAs") || !strings.Contains(res.Text, "CSAT: 100%") {
		t.Fatalf("results = %q", res.Text)
	}
}
