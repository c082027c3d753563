package faq_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/bottest"
	"github.com/cohortbot/cohort/bot/faq"
)

func TestAutoAnswer(t *testing.T) {
	f := newFixture(t, func(c *faq.Config) {
		c.AutoAnswer.Enabled = true
		c.AutoAnswer.Chats = map[string]bool{bottest.Channel.String(): false}
	})
	say := func(chat bot.ChatRef, from bot.Account, text string) string { return f.say(chat, from, text) }

	got := f.tb.Say(bottest.Group, bottest.Li, "请问怎么投资？")
	if len(got) != 1 || got[0].Msg.ReplyTo == "" {
		t.Fatalf("want one reply to the question, got %+v", got)
	}
	mustContain(t, got[0].Text(), "如何投资本项目", "自动回复")

	// The chat's cooldown holds back the next answer.
	if got := say(bottest.Group, bottest.Alice, "What is the minimum investment amount?"); got != "" {
		t.Fatalf("answered within the cooldown: %q", got)
	}
	f.tb.Clock.Advance(3 * time.Minute)
	mustContain(t, say(bottest.Group, bottest.Alice, "What is the minimum investment amount?"), "500 USD", "Automatic answer")

	// The same entry is not repeated soon in the same chat.
	f.tb.Clock.Advance(3 * time.Minute)
	if got := say(bottest.Group, bottest.Bob, "what's the minimum amount to invest?"); got != "" {
		t.Fatalf("repeated the same entry: %q", got)
	}
	f.tb.Clock.Advance(30 * time.Minute)
	mustContain(t, say(bottest.Group, bottest.Bob, "what's the minimum amount to invest?"), "500 USD")

	f.tb.Clock.Advance(time.Hour)
	for _, quiet := range []string{
		"I invested yesterday, the portal is great", // not a question
		"what's the weather like tomorrow?",         // no entry
		"kyc?",                                      // ambiguous: two entries are close
		"/faq",                                      // commands are not messages
	} {
		if got := f.tb.Say(bottest.Group, bottest.Alice, quiet); len(got) > 0 && quiet != "/faq" {
			t.Fatalf("%q answered: %q", quiet, bottest.Joined(got))
		}
	}
	// Switched off for the Discord channel; never in private.
	if got := say(bottest.Channel, bottest.Dan, "How do I invest in the project?"); got != "" {
		t.Fatalf("answered in a switched-off chat: %q", got)
	}
	if got := bottest.Joined(f.tb.SayPrivate(bottest.Alice, "How do I invest in the project?")); got != "" {
		t.Fatalf("answered in private: %q", got)
	}
	// A reply to someone is a conversation, not a question to the bot.
	ev := &bot.Event{Kind: bot.EventMessage, Chat: bottest.Group, From: bottest.Bob, Text: "How do I invest in the project?",
		ReplyTo: &bot.MessageRef{Chat: bottest.Group, ID: "m1"}, ReplyToFrom: &bottest.Alice}
	if got := f.tb.Handle(ev); len(got) != 0 {
		t.Fatalf("answered a reply: %q", bottest.Joined(got))
	}
}

func TestAutoAnswer_OffByDefault(t *testing.T) {
	f := newFixture(t, func(c *faq.Config) { c.AutoAnswer.Chats = map[string]bool{"discord:111": true} })
	if got := f.say(bottest.Group, bottest.Li, "怎么投资？"); got != "" {
		t.Fatalf("answered with auto_answer off: %q", got)
	}
	mustContain(t, f.say(bottest.Channel, bottest.Dan, "how do I invest in the project?"), "How do I invest in the project?")
}

func TestLooksLikeQuestion(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"how do I invest", true},
		{"What's the minimum", true},
		{"Does the token have voting rights", true},
		{"the portal is down?", true},
		{"这个怎么投资", true},
		{"最低投资金额是多少", true},
		{"可以退款吗", true},
		{"可以退款吗。", true},
		{"退款？", true},
		{"I invested yesterday", false},
		{"great news everyone!", false},
		{"今天天气不错", false},
		{"", false},
	}
	for _, tc := range tests {
		if got := faq.LooksLikeQuestion(tc.text); got != tc.want {
			t.Errorf("LooksLikeQuestion(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

func TestConfig_Validate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*faq.Config)
		want string
	}{
		{"defaults", func(*faq.Config) {}, ""},
		{"threshold", func(c *faq.Config) { c.Threshold = 1.5 }, "faq.threshold"},
		{"auto threshold", func(c *faq.Config) { c.AutoAnswer.Threshold = -1 }, "faq.auto_answer.threshold"},
		{"cooldown", func(c *faq.Config) { c.AutoAnswer.Cooldown = -time.Second }, "faq.auto_answer.cooldown"},
		{"chat", func(c *faq.Config) { c.AutoAnswer.Chats = map[string]bool{"irc:#x": true} }, "faq.auto_answer.chats"},
		{"page size", func(c *faq.Config) { c.PageSize = 50 }, "faq.page_size"},
		{"keep", func(c *faq.Config) { c.Unanswered.Keep = -1 }, "faq.unanswered.keep"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var c faq.Config
			c.Defaults()
			tc.edit(&c)
			err := c.Validate()
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Fatalf("Validate() = %v, want error naming %q", err, tc.want)
			}
		})
	}
}
