package main

import (
	"encoding/json"
	"strings"
	"testing"

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
