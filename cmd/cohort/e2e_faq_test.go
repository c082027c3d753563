package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cohortbot/cohort/adapters/discord/discordtest"
)

// faqFile is the example FAQ shipped with the faq package.
func faqFile(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs("../../faq.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Answers of the how-to-invest entry, in English and in Chinese.
const (
	investEN = "investor portal"
	investZH = "投资者平台"
)

func TestEndToEnd_FAQ_Telegram(t *testing.T) {
	w := startWorldWith(t, worldOptions{community: "    faq_file: " + faqFile(t) + "\n"})

	w.say(tgLi, "/faq 怎么投资")
	w.waitTelegram(t, tgGroup, investZH)
	w.say(tgAlice, "/faq how can I buy in")
	w.waitTelegram(t, tgGroup, investEN)

	w.say(tgBob, "/faq what colour is the moon rover")
	w.waitTelegram(t, tgGroup, "I have no answer to that yet")
	w.say(tgMod, "/faqadmin unanswered")
	list := w.waitTelegram(t, tgGroup, "without an answer")
	if !strings.Contains(list.Text, "moon rover") {
		t.Fatalf("/faqadmin unanswered = %q", list.Text)
	}
	t.Run("members cannot administer the FAQ", func(t *testing.T) {
		w.say(tgBob, "/faqadmin unanswered")
		w.waitTelegram(t, tgGroup, "Only a moderator can use /faqadmin")
	})
}

func TestEndToEnd_FAQ_Discord(t *testing.T) {
	w := startWorldWith(t, worldOptions{community: "    faq_file: " + faqFile(t) + "\n"})

	in := w.slash(discordtest.MemberID, "faq", discordtest.StringOption("question", "how can I buy in"))
	w.answered(t, in, investEN)
	w.dc.DispatchMessage(discordtest.ChannelID, discordtest.MemberID, "!faq 怎么投资")
	w.dcSaid(t, discordtest.ChannelID, investZH)

	in = w.slash(discordtest.MemberID, "faq", discordtest.StringOption("question", "what colour is the moon rover"))
	w.answered(t, in, "I have no answer to that yet")
	in = w.slash(discordtest.ModeratorID, "faqadmin", discordtest.StringOption("action", "unanswered"))
	w.answered(t, in, "moon rover")
}

func TestEndToEnd_FAQ_Console(t *testing.T) {
	dir := t.TempDir()
	cfg := writeConfig(t, `data_dir: `+dir+`
log: {level: warn}
communities:
  - id: acme
    name: ACME Solar
    faq_file: `+faqFile(t)+`
    chats:
      - {ref: "console:main"}
`)
	input := strings.Join([]string{
		"/faq how can I buy in",
		"/faq 怎么投资",
		"/faq what colour is the moon rover",
		"/as Mia mod",
		"/faqadmin unanswered",
	}, "\n") + "\n"
	code, out, errOut := runCohort(t, context.Background(), strings.NewReader(input), nil, "-config", cfg)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{investEN, investZH, "I have no answer to that yet", "without an answer", "moon rover"} {
		if !strings.Contains(out, want) {
			t.Errorf("console output lacks %q:\n%s", want, out)
		}
	}
}
