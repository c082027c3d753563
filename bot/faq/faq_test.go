package faq_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/bottest"
	"github.com/cohortbot/cohort/bot/faq"
	"github.com/cohortbot/cohort/store"
	"github.com/cohortbot/cohort/store/storetest"
)

// fixture is a bot with the FAQ module on a real store.
type fixture struct {
	tb    *bottest.TestBot
	store *store.Store
	file  string
}

// newFixture starts a bot whose community "acme" uses a copy of the
// shipped faq.example.yaml as its faq_file.
func newFixture(t *testing.T, edit func(*faq.Config)) *fixture {
	t.Helper()
	file := copyFile(t, "../../faq.example.yaml")
	st := storetest.Open(t)
	return startFixture(t, st, file, edit)
}

func startFixture(t *testing.T, st *store.Store, file string, edit func(*faq.Config)) *fixture {
	t.Helper()
	cfg := faq.Config{File: file}
	if edit != nil {
		edit(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	m := faq.New(map[string]faq.Config{"acme": cfg}, faq.Config{}, st)
	tb := bottest.New(t, bottest.Options{Modules: []bot.Module{m}, Members: st})
	return &fixture{tb: tb, store: st, file: file}
}

func copyFile(t *testing.T, src string) string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "faq.yaml")
	if err := os.WriteFile(dst, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return dst
}

func (f *fixture) say(chat bot.ChatRef, from bot.Account, text string) string {
	return bottest.Joined(f.tb.Say(chat, from, text))
}

func mustContain(t *testing.T, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Fatalf("reply lacks %q:\n%s", w, got)
		}
	}
}

func mustNotContain(t *testing.T, got string, bad ...string) {
	t.Helper()
	for _, w := range bad {
		if strings.Contains(got, w) {
			t.Fatalf("reply has %q:\n%s", w, got)
		}
	}
}

func TestFAQ_AnswersInTheLanguageAsked(t *testing.T) {
	f := newFixture(t, nil)
	tests := []struct {
		name string
		chat bot.ChatRef
		from bot.Account
		ask  string
		want []string
	}{
		{"chinese on telegram", bottest.Group, bottest.Li, "/faq 怎么投资", []string{"如何投资本项目", "投资者平台"}},
		{"english on telegram", bottest.Group, bottest.Alice, "/faq how can I buy in", []string{"How do I invest in the project?", "investor portal"}},
		{"english on discord", bottest.Channel, bottest.Dan, "/faq How can I buy in?", []string{"How do I invest in the project?"}},
		{"chinese from an english client", bottest.Channel, bottest.Dan, "/faq 怎么投资", []string{"如何投资本项目"}},
		{"mixed", bottest.Group, bottest.Li, "/faq KYC 要多久", []string{"KYC 审核需要多长时间"}},
		{"typo", bottest.Group, bottest.Alice, "/faq refnud policy", []string{"Can I get a refund?"}},
		{"by id", bottest.Group, bottest.Alice, "/faq lockup", []string{"Is there a lock-up period?"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mustContain(t, f.say(tc.chat, tc.from, tc.ask), tc.want...)
		})
	}
	entries, err := f.store.FAQEntries(t.Context(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.ID == "how-to-invest" && e.Hits != 4 {
			t.Fatalf("how-to-invest answered 4 times, hits = %d", e.Hits)
		}
	}
}

func TestFAQ_UnrelatedQuestionIsCountedAsUnanswered(t *testing.T) {
	f := newFixture(t, func(c *faq.Config) { c.Unanswered.Forward = true })
	got := f.say(bottest.Group, bottest.Alice, "/faq what's the weather like tomorrow?")
	mustContain(t, got, "no answer")
	got = f.say(bottest.Group, bottest.Bob, "/faq What is the weather like tomorrow")
	mustContain(t, got, "no answer")
	mustContain(t, f.say(bottest.Group, bottest.Li, "/faq 明天会下雨吗"), "暂时没有答案")

	qs, err := f.store.UnansweredFAQ(t.Context(), "acme", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 2 || qs[0].Count != 2 || qs[0].Text != "what's the weather like tomorrow?" {
		t.Fatalf("unanswered = %+v", qs)
	}
	list := f.say(bottest.Group, bottest.Mod, "/faqadmin unanswered")
	mustContain(t, list, "what's the weather like tomorrow? — asked 2 times", "明天会下雨吗 — asked once")

	var forwarded []string
	for _, s := range f.tb.Telegram.Sent() {
		if s.Ref.Chat == bottest.ModChat && strings.Contains(s.Text(), "unanswered FAQ question") {
			forwarded = append(forwarded, s.Text())
		}
	}
	if len(forwarded) != 2 || !strings.Contains(forwarded[0], "Alice") {
		t.Fatalf("mod chat got %q, want one notice per new question", forwarded)
	}

	mustContain(t, f.say(bottest.Group, bottest.Mod, "/faqadmin unanswered clear"), "cleared")
	mustContain(t, f.say(bottest.Group, bottest.Mod, "/faqadmin unanswered"), "No unanswered questions")
}

func TestFAQ_CloseEntriesAreOfferedAsDidYouMean(t *testing.T) {
	f := newFixture(t, nil)
	sent := f.tb.Say(bottest.Group, bottest.Alice, "/faq KYC status")
	if len(sent) != 1 {
		t.Fatalf("sent %d messages", len(sent))
	}
	mustContain(t, sent[0].Text(), "Why do I need KYC", "Did you mean")
	if b := sent[0].Msg.Buttons; len(b) == 0 || b[0][0].Data != "faq:a:kyc-time" {
		t.Fatalf("buttons = %+v, want the KYC timing entry offered", b)
	}
	mustContain(t, bottest.Joined(f.tb.Press(bottest.Group, bottest.Alice, "faq:a:kyc-time")), "How long does KYC verification take?")
}

func TestFAQ_TopicsArePaged(t *testing.T) {
	f := newFixture(t, nil)
	sent := f.tb.Say(bottest.Group, bottest.Alice, "/faq")
	mustContain(t, sent[0].Text(), "page 1 of 3", "How do I invest in the project?", "how-to-invest")
	rows := sent[0].Msg.Buttons
	if len(rows) != 9 || rows[0][0].Data != "faq:a:how-to-invest" || rows[8][0].Data != "faq:p:2" {
		t.Fatalf("buttons = %+v", rows)
	}
	mustContain(t, bottest.Joined(f.tb.Press(bottest.Group, bottest.Alice, "faq:p:2")), "page 2 of 3")
	mustContain(t, f.say(bottest.Group, bottest.Alice, "/faq page 3"), "page 3 of 3", "Can I sell or transfer my stake")
	mustContain(t, f.say(bottest.Group, bottest.Li, "/faq 第2页"), "第 2 页")
	mustContain(t, f.say(bottest.Group, bottest.Alice, "/faq page 9"), "There is no page 9")

	for _, forged := range []string{"faq:a:../../x", "faq:a:" + strings.Repeat("a", 50), "faq:p:-1", "faq:p:x", "faq:zz:1", "faq:a"} {
		if got := f.tb.Press(bottest.Group, bottest.Alice, forged); len(got) != 0 {
			t.Fatalf("forged %q answered %q", forged, bottest.Joined(got))
		}
	}
	mustContain(t, bottest.Joined(f.tb.Press(bottest.Group, bottest.Alice, "faq:a:gone")), "no FAQ entry gone")
}

func TestFAQ_EmptyFAQ(t *testing.T) {
	st := storetest.Open(t)
	f := startFixture(t, st, "", nil)
	mustContain(t, f.say(bottest.Group, bottest.Alice, "/faq"), "no FAQ yet")
	mustContain(t, f.say(bottest.Group, bottest.Alice, "/faq how do I invest"), "no FAQ yet")
	mustContain(t, f.say(bottest.Group, bottest.Mod, "/faqadmin import"), "No faq_file is configured")
}

func TestFAQ_MissingFileLeavesTheStoredFAQ(t *testing.T) {
	st := storetest.Open(t)
	f := startFixture(t, st, filepath.Join(t.TempDir(), "nope.yaml"), nil)
	mustContain(t, f.say(bottest.Group, bottest.Alice, "/faq"), "no FAQ yet")
	mustContain(t, f.say(bottest.Group, bottest.Mod, "/faqadmin import"), "could not be imported", "nope.yaml")
}

func TestFAQAdmin_IsForModerators(t *testing.T) {
	f := newFixture(t, nil)
	for _, cmd := range []string{"/faqadmin list", "/faqadmin add \"Q?\" A", "/faqadmin remove kyc", "/faqadmin export"} {
		mustContain(t, f.say(bottest.Group, bottest.Alice, cmd), "Only a moderator")
	}
	f.tb.Telegram.SetUserRole(bottest.Bob.ID, bot.RoleModerator)
	mustContain(t, f.say(bottest.Group, bottest.Bob, "/faqadmin list"), "FAQ entries: 24")
}

func TestFAQAdmin_AddEditRemoveAreLoggedWithTheirAuthor(t *testing.T) {
	f := newFixture(t, nil)
	mod := func(cmd string) string { return f.say(bottest.Group, bottest.Mod, cmd) }

	mustContain(t, mod(`/faqadmin add "When is the next AMA? | next ask me anything | AMA 什么时候" Every first Monday at 14:00 UTC, here in the group.`),
		"Added FAQ entry when-is-the-next-ama")
	mustContain(t, f.say(bottest.Group, bottest.Alice, "/faq when's the next AMA session"), "Every first Monday")
	mustContain(t, f.say(bottest.Group, bottest.Li, "/faq AMA 什么时候开"), "Every first Monday")

	mustContain(t, mod("/faqadmin add Office hours?\nWeekdays 9 to 5."), "Added FAQ entry office-hours")
	mustContain(t, mod("/faqadmin add Office hours?\nAgain."), "office-hours-2.")

	mustContain(t, mod("/faqadmin edit when-is-the-next-ama answer Every first *Tuesday*."), "Changed answer")
	mustContain(t, mod("/faqadmin edit when-is-the-next-ama answer.zh-CN 每月第一个周二。"), "Changed answer.zh-CN")
	mustContain(t, f.say(bottest.Group, bottest.Alice, "/faq next AMA"), "Every first Tuesday")
	mustContain(t, f.say(bottest.Group, bottest.Li, "/faq AMA 什么时候"), "每月第一个周二")

	mustContain(t, mod("/faqadmin edit nope answer x"), "no FAQ entry nope")
	mustContain(t, mod("/faqadmin edit kyc colour blue"), "Usage: /faqadmin edit")
	mustContain(t, mod("/faqadmin add just-one-word"), "Usage: /faqadmin add")
	mustContain(t, mod(`/faqadmin add "Q?" `+strings.Repeat("x", 4000)), "not valid", "longer than")
	mustContain(t, mod("/faqadmin frobnicate"), "Usage: /faqadmin add | edit")

	mustContain(t, mod("/faqadmin remove office-hours-2"), "Removed FAQ entry office-hours-2")
	mustContain(t, mod("/faqadmin remove office-hours-2"), "no FAQ entry office-hours-2")

	log := mod("/faqadmin log")
	mustContain(t, log, "Mia Mod remove office-hours-2", "Mia Mod edit when-is-the-next-ama: answer", "Mia Mod add: when-is-the-next-ama", "faq_file import: 24 entries: 24 new")
	changes, err := f.store.FAQChanges(t.Context(), "acme", 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 7 || changes[0].Actor != bottest.Mod.Key() {
		t.Fatalf("changes = %+v", changes)
	}
}

func TestFAQAdmin_AddAnswersWhatWasUnanswered(t *testing.T) {
	f := newFixture(t, nil)
	mustContain(t, f.say(bottest.Group, bottest.Alice, "/faq is there a discord server?"), "no answer")
	mustContain(t, f.say(bottest.Group, bottest.Mod, `/faqadmin add "Is there a Discord server?" Yes: https://discord.example`), "Added")
	mustContain(t, f.say(bottest.Group, bottest.Mod, "/faqadmin unanswered"), "No unanswered questions")
}

func TestFAQAdmin_ImportReplacesFileEntriesAndKeepsChatEntries(t *testing.T) {
	f := newFixture(t, nil)
	mod := func(cmd string) string { return f.say(bottest.Group, bottest.Mod, cmd) }
	mustContain(t, mod(`/faqadmin add "Is there a Discord server?" Yes.`), "Added")
	mustContain(t, mod("/faqadmin import"), "Imported 24 entries: 0 new, 0 changed, 0 removed; 1 added in chat kept.")

	next := "- id: how-to-invest\n  question: How do I invest?\n  answer: Use the new portal.\n- question: Where is the office?\n  answer: Tallinn.\n"
	if err := os.WriteFile(f.file, []byte(next), 0o600); err != nil {
		t.Fatal(err)
	}
	mustContain(t, mod("/faqadmin import"), "Imported 2 entries: 1 new, 1 changed, 23 removed; 1 added in chat kept.")
	mustContain(t, f.say(bottest.Group, bottest.Alice, "/faq how do I invest"), "Use the new portal.")
	mustContain(t, f.say(bottest.Group, bottest.Alice, "/faq discord server?"), "Yes.")
	mustContain(t, f.say(bottest.Group, bottest.Alice, "/faq"), "page 1 of 1")

	mustContain(t, mod("/faqadmin import ```yaml\n- question: Pasted?\n  answer: Pasted answer.\n```"), "Imported 1 entries: 1 new, 0 changed, 2 removed")
	mustContain(t, mod("/faqadmin import - question: [unclosed"), "could not be imported")
	mustContain(t, mod("/faqadmin import - question: No answer"), "answer is empty")
	mustContain(t, f.say(bottest.Group, bottest.Alice, "/faq pasted"), "Pasted answer.")
}

func TestFAQ_RestartKeepsChatEditsUntilTheFileChanges(t *testing.T) {
	file := copyFile(t, "../../faq.example.yaml")
	st := storetest.Open(t)
	f := startFixture(t, st, file, nil)
	mustContain(t, f.say(bottest.Group, bottest.Mod, "/faqadmin edit kyc answer Edited in chat."), "Changed")
	// A second bot on the same store, as after a restart, reads the same
	// unchanged file: the edit stays.
	f2 := startFixture(t, st, file, nil)
	mustContain(t, f2.say(bottest.Group, bottest.Alice, "/faq is kyc mandatory"), "Edited in chat.")
	// Once the file changes, the next start imports it.
	data, _ := os.ReadFile(file)
	if err := os.WriteFile(file, append(data, '\n'), 0o600); err != nil {
		t.Fatal(err)
	}
	f3 := startFixture(t, st, file, nil)
	mustContain(t, f3.say(bottest.Group, bottest.Alice, "/faq is kyc mandatory"), "required by law")
}

func TestFAQAdmin_ExportRoundTrips(t *testing.T) {
	f := newFixture(t, nil)
	mustContain(t, f.say(bottest.Group, bottest.Mod, `/faqadmin add "Is there a Discord server?" Yes.`), "Added")
	sent := f.tb.Say(bottest.Group, bottest.Mod, "/faqadmin export")
	if len(sent) != 1 || len(sent[0].Msg.Files) != 1 {
		t.Fatalf("export sent %+v", sent)
	}
	file := sent[0].Msg.Files[0]
	if file.Name != "faq-acme.yaml" || file.MIME != "application/yaml" {
		t.Fatalf("file %s %s", file.Name, file.MIME)
	}
	mustContain(t, sent[0].Text(), "25 entries")
	entries, err := faq.ParseFile(file.Data, "x", time.Now())
	if err != nil {
		t.Fatalf("exported file does not parse: %v\n%s", err, file.Data)
	}
	if len(entries) != 25 || entries[0].ID != "how-to-invest" || entries[0].Translations["zh-CN"].Question != "如何投资本项目？" || entries[24].ID != "is-there-a-discord-server" {
		t.Fatalf("exported entries: %d, first %+v", len(entries), entries[0])
	}
	if !strings.Contains(entries[0].Answer, "\n2. Complete KYC") {
		t.Fatalf("multi-line answer lost: %q", entries[0].Answer)
	}
}

func TestFAQ_ExampleFileAnswersTheDoneQueries(t *testing.T) {
	st := storetest.Open(t)
	f := startFixture(t, st, copyFile(t, "../../faq.example.yaml"), nil)
	mustContain(t, f.say(bottest.Group, bottest.Li, "/faq 怎么投资"), "如何投资本项目")
	mustContain(t, f.say(bottest.Group, bottest.Alice, "/faq how can I buy in"), "How do I invest in the project?")
	mustContain(t, f.say(bottest.Group, bottest.Alice, "/faq best pizza in town?"), "no answer")
}

func TestCatalog(t *testing.T) {
	m := faq.New(nil, faq.Config{}, nil)
	if err := bot.CheckCatalog(m.Locales()); err != nil {
		t.Fatal(err)
	}
}
