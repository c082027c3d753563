package schedule_test

import (
	"testing"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/bottest"
)

// surveyButton returns the "Take the survey" data posted in a chat.
func surveyButton(t *testing.T, sent []bottest.Sent, chat bot.ChatRef) string {
	t.Helper()
	for _, s := range in(sent, chat) {
		if len(s.Msg.Buttons) > 0 {
			return s.Msg.Buttons[0][0].Data
		}
	}
	t.Fatalf("no survey button in %s: %v", chat, bottest.Texts(sent))
	return ""
}

func TestSurvey_CSATAnsweredInPrivateChat(t *testing.T) {
	r := newRig(t, rigOptions{})
	sent := r.Say(bottest.Group, bottest.Mod, "/survey csat --to general")
	data := surveyButton(t, sent, bottest.Group)
	if data != "survey:1" || surveyButton(t, sent, bottest.Channel) != data {
		t.Fatalf("button data %q", data)
	}

	started := r.Press(bottest.Group, bottest.Alice, data)
	q1 := dms(started, bottest.Alice.ID)
	if len(q1) != 1 || len(q1[0].Msg.Buttons[0]) != 5 {
		t.Fatalf("first question: %v", bottest.Texts(started))
	}
	mustContain(t, q1[0].Text(), "question 1 of 3")
	mustContain(t, bottest.Joined(started), "I sent you the first question in a private message.")

	ach := bot.ChatRef{Platform: bot.Telegram, Space: bottest.Alice.ID, Chat: bottest.Alice.ID}
	q2 := r.Press(ach, bottest.Alice, "sv:1:0:4")
	mustContain(t, bottest.Joined(q2), "question 2 of 3")
	mustContain(t, bottest.Joined(r.Press(ach, bottest.Alice, "sv:1:0:5")), "no longer open")
	mustContain(t, bottest.Joined(r.SayPrivate(bottest.Alice, "11")), "a number from 0 to 10")
	mustContain(t, bottest.Joined(r.SayPrivate(bottest.Alice, "9")), "question 3 of 3")
	mustContain(t, bottest.Joined(r.SayPrivate(bottest.Alice, "More AMAs in *Chinese*")), "Thank you for answering Community satisfaction survey! +5 points.")
	if got := r.SayPrivate(bottest.Alice, "hello again"); len(got) != 0 {
		t.Fatalf("finished survey still listening: %v", bottest.Texts(got))
	}
	mustContain(t, bottest.Joined(r.Press(bottest.Group, bottest.Alice, data)), "already answered")

	// Dan answers on Discord and skips the open question.
	dch := bot.ChatRef{Platform: bot.Discord, Space: bottest.Dan.ID, Chat: bottest.Dan.ID}
	r.Press(bottest.Channel, bottest.Dan, data)
	r.Press(dch, bottest.Dan, "sv:1:0:2")
	r.Press(dch, bottest.Dan, "sv:1:1:3")
	r.Press(dch, bottest.Dan, "sv:1:2:skip")

	res := bottest.Joined(r.Say(bottest.Group, bottest.Mod, "/survey results"))
	for _, want := range []string{
		"Survey #1: Community satisfaction survey — 2 responses, 2 complete",
		"Average 3.0 of 5 (2 answers)", "CSAT: 50% satisfied",
		"NPS: 0", "• More AMAs in *Chinese*",
	} {
		mustContain(t, res, want)
	}
	if paid := r.rewards.times(bot.RuleSurvey, "survey:1"); len(paid) != 2 {
		t.Fatalf("survey rewards %v", paid)
	}
}

func TestSurvey_CustomAndBlockedDM(t *testing.T) {
	r := newRig(t, rigOptions{})
	sent := r.Say(bottest.Group, bottest.Mod, `/survey create --to investors "Roadmap check" "choice:Which first?|Mobile app|Staking" "scale:How clear is the roadmap?"`)
	data := surveyButton(t, sent, investors)
	r.Telegram.BlockDM(bottest.Bob.ID)
	mustContain(t, bottest.Joined(r.Press(investors, bottest.Bob, data)), "I can't send you a private message yet")

	q := dms(r.Press(investors, bottest.Alice, data), bottest.Alice.ID)
	if len(q) != 1 || len(q[0].Msg.Buttons) != 2 || q[0].Msg.Buttons[1][0].Text != "Staking" {
		t.Fatalf("choice question %+v", q)
	}
	mustContain(t, bottest.Joined(r.SayPrivate(bottest.Alice, "staking")), "question 2 of 2")
	r.SayPrivate(bottest.Alice, "5")
	res := bottest.Joined(r.Say(bottest.Group, bottest.Mod, "/survey results 1"))
	mustContain(t, res, "Staking: 1")
	mustContain(t, res, "CSAT: 100% satisfied")
}

func TestSurvey_ScheduledMonthly(t *testing.T) {
	r := newRig(t, rigOptions{start: at(0, 9, 0)})
	mustContain(t, bottest.Joined(r.Say(bottest.Group, bottest.Mod, `/survey schedule "@monthly" --to general`)), "first run 2026-02-01 00:00 Asia/Shanghai")
	mustContain(t, bottest.Joined(r.Say(bottest.Group, bottest.Mod, "/schedule list")), "survey")
	sent := r.advanceTo(t, at(27, 0, 0)) // 2026-02-01
	if surveyButton(t, sent, bottest.Group) != "survey:1" {
		t.Fatal("first monthly survey")
	}
	sent = r.advanceTo(t, at(55, 0, 0)) // 2026-03-01
	if surveyButton(t, sent, bottest.Channel) != "survey:2" {
		t.Fatal("each month gets its own survey")
	}
	mustContain(t, bottest.Joined(r.Say(bottest.Group, bottest.Alice, "/survey results")), "Only a moderator can use /survey.")
	mustContain(t, bottest.Joined(r.Say(bottest.Group, bottest.Mod, `/survey schedule "@every 5m"`)), "runs too often")
}
