package privacy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/analytics"
	"github.com/cohortbot/cohort/bot/bottest"
	"github.com/cohortbot/cohort/bot/faq"
	"github.com/cohortbot/cohort/bot/feedback"
	"github.com/cohortbot/cohort/bot/moderation"
	"github.com/cohortbot/cohort/bot/points"
	"github.com/cohortbot/cohort/bot/privacy"
	"github.com/cohortbot/cohort/bot/schedule"
	"github.com/cohortbot/cohort/bot/sentinel"
	"github.com/cohortbot/cohort/store"
	"github.com/cohortbot/cohort/store/storetest"
)

// zelda is the member who asks to be forgotten: every name of hers is
// distinctive, so a scan of the database file finds any trace.
var zelda = bot.Account{Platform: bot.Telegram, ID: "90417", Name: "Zelda Quixote", Username: "zquix", Lang: "en"}

var zeldaPM = bot.ChatRef{Platform: bot.Telegram, Space: zelda.ID, Chat: zelda.ID}

// community is a bot with every feature module, wired as cmd/cohort does.
type community struct {
	*bottest.TestBot
	st      *store.Store
	an      *analytics.Module
	privacy *privacy.Module
}

func newCommunity(t *testing.T) *community {
	t.Helper()
	st := storetest.Open(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	mod, err := moderation.New(st, nil, moderation.Defaults())
	must(err)
	var pc points.Config
	pc.Defaults()
	pts, err := points.New(nil, pc, st)
	must(err)
	sched, err := schedule.New(st, schedule.Defaults(), nil)
	must(err)
	fb, err := feedback.New(st, nil, feedback.Defaults())
	must(err)
	var fc faq.Config
	fc.Defaults()
	sen, err := sentinel.New(st, nil, sentinel.Defaults())
	must(err)
	an, err := analytics.New(nil, analytics.Defaults(), st, analytics.Options{FlushEvery: time.Hour})
	must(err)
	priv := newPrivacy(t, st)
	tb := bottest.New(t, bottest.Options{
		Modules: []bot.Module{mod, pts, sched, fb, faq.New(nil, fc, st), sen, an, priv},
		Members: st, Rewards: pts, Tally: an,
	})
	return &community{TestBot: tb, st: st, an: an, privacy: priv}
}

// totals are the community figures /forgetme must not change.
type totals struct {
	Counters   map[string]int64 // by counter name, community total over the days
	Active     int
	Votes      map[int]int // poll 1: voters by option
	Going      int
	Tickets    []string // category of every ticket
	Flags      int
	Sentiment  int
	Surveys    int
	SurveyDone int
}

func (c *community) totals(t *testing.T) totals {
	t.Helper()
	ctx := context.Background()
	if err := c.an.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	today := analytics.DayOf(c.Clock.Now(), time.UTC)
	var out totals
	counters, err := c.st.Counters(ctx, "acme", today-30, today)
	if err != nil {
		t.Fatal(err)
	}
	out.Counters = map[string]int64{}
	for k, n := range counters {
		if k.Chat == "" && k.Name != bot.CountCommands {
			out.Counters[k.Name] += n
		}
	}
	if out.Active, err = c.st.ActiveMembers(ctx, "acme", today-29, today); err != nil {
		t.Fatal(err)
	}
	votes, err := c.st.Votes(ctx, "acme", "1")
	if err != nil {
		t.Fatal(err)
	}
	out.Votes = map[int]int{}
	for _, choice := range votes {
		for _, o := range choice {
			out.Votes[o]++
		}
	}
	ev, _, err := c.st.Event(ctx, "acme", "1")
	if err != nil {
		t.Fatal(err)
	}
	out.Going = len(ev.Going)
	tickets, err := c.st.Tickets(ctx, "acme", 100, func(feedback.Ticket) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range tickets {
		out.Tickets = append(out.Tickets, tk.Category)
	}
	flags, err := c.st.FlaggedSince(ctx, "acme", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	out.Flags = len(flags)
	hours, err := c.st.Hours(ctx, "acme", time.Time{}, c.Clock.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hours {
		out.Sentiment += h.Total
	}
	resps, err := c.st.Responses(ctx, "acme", "1")
	if err != nil {
		t.Fatal(err)
	}
	out.Surveys = len(resps)
	for _, r := range resps {
		if r.Done {
			out.SurveyDone++
		}
	}
	return out
}

// pollIn returns the native poll message the bot posted in chat.
func pollIn(t *testing.T, sent []bottest.Sent, chat bot.ChatRef) bot.MessageRef {
	t.Helper()
	for _, s := range sent {
		if s.Msg.Poll != nil && s.Ref.Chat == chat {
			return s.Ref
		}
	}
	t.Fatalf("no poll in %s: %v", chat, bottest.Texts(sent))
	return bot.MessageRef{}
}

// say runs a line (in private when chat is nil) and fails the test unless
// the reply contains want.
func (c *community) say(t *testing.T, chat *bot.ChatRef, from bot.Account, text, want string) {
	t.Helper()
	c.Clock.Advance(time.Minute)
	var sent []bottest.Sent
	if chat == nil {
		sent = c.SayPrivate(from, text)
	} else {
		sent = c.Say(*chat, from, text)
	}
	got := bottest.Joined(sent)
	if !strings.Contains(got, want) {
		t.Fatalf("%s %q: got %q, want %q", from.Name, text, got, want)
	}
}

func TestForgetMe_WholeCommunity(t *testing.T) {
	c := newCommunity(t)
	bob := bottest.Bob

	// Zelda and Bob take part in everything the community offers.
	c.say(t, &bottest.Group, zelda, "Morning all, quasar-teapot plans today", "")
	c.say(t, &bottest.Group, bob, "hi from bob", "")
	c.say(t, &bottest.Group, zelda, "/feedback suggestion --anon marmalade-lighthouse rewards for testers", "#1")
	c.say(t, &bottest.Group, zelda, "/feedback bug the wallet page shows periwinkle-avalanche errors", "#2")
	c.say(t, &bottest.Group, bob, "/feedback question where is the bob-roadmap-question?", "#3")
	c.Press(bottest.ModChat, bottest.Mod, "fbm:resolve:2")
	c.Handle(&bot.Event{Kind: bot.EventButton, Chat: zeldaPM, Private: true, From: zelda, Data: "fbr:2:4"})
	c.say(t, nil, zelda, "thistle-gramophone fast fix", "comment was added")
	c.say(t, &bottest.Group, bottest.Mod, "/warn @zquix Zelda Quixote kept posting tangerine-cathedral links", "")
	c.say(t, &bottest.Group, zelda, "is this a rug pull? saffron-kaleidoscope", "")
	c.say(t, &bottest.Group, bob, "seriously, is this a rug pull bob-flagged-words", "")

	c.Clock.Advance(time.Minute)
	poll := pollIn(t, c.Say(bottest.Group, bottest.Mod, `/poll --to general "Best AMA day?" Monday Tuesday`), bottest.Group)
	for _, v := range []struct {
		who bot.Account
		opt int
	}{{zelda, 0}, {bob, 1}} {
		c.Handle(&bot.Event{Kind: bot.EventPollVote, Chat: bottest.Group, From: v.who, Poll: &bot.PollVote{Message: poll, Options: []int{v.opt}}})
	}
	c.say(t, &bottest.Group, bottest.Mod, `/event create "Launch party" 2026-01-20 20:00 --duration 2h`, "#1")
	c.say(t, &bottest.Group, zelda, "/rsvp 1", "going")
	c.say(t, &bottest.Group, bob, "/rsvp 1", "going")
	c.say(t, &bottest.Group, bottest.Mod, `/survey create --to general "Next steps" "text:What should we build next?" "scale:How clear is the roadmap?"`, "")
	for _, who := range []struct {
		acct   bot.Account
		answer string
	}{{zelda, "a juniper-hovercraft for everyone"}, {bob, "bob-survey-answer please"}} {
		c.Press(bottest.Group, who.acct, "survey:1")
		c.say(t, nil, who.acct, who.answer, "question 2 of 2")
		c.say(t, nil, who.acct, "4", "Thank you")
	}

	// /mydata: one JSON file in private with her part of every feature.
	if err := c.an.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	c.Clock.Advance(time.Minute)
	var file []byte
	for _, s := range c.Say(bottest.Group, zelda, "/mydata") {
		if s.Direct == zelda.ID && len(s.Msg.Files) == 1 {
			file = s.Msg.Files[0].Data
		}
	}
	var export struct {
		Data map[string]json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(file, &export); err != nil {
		t.Fatalf("export %s: %v", file, err)
	}
	for feature, wants := range map[string][]string{
		"member":     {"Zelda Quixote", "zquix"},
		"feedback":   {"marmalade-lighthouse", "periwinkle-avalanche", "thistle-gramophone"},
		"moderation": {"tangerine-cathedral", `"kind": "warn"`},
		"sentinel":   {"saffron-kaleidoscope"},
		"schedule":   {`"Best AMA day?"`, `"Monday"`, `"Launch party"`, `"going"`, "juniper-hovercraft", `"4"`},
		"analytics":  {`"first_message": "2026-01-05"`},
	} {
		got, _ := json.MarshalIndent(export.Data[feature], "", "  ")
		for _, want := range wants {
			if !strings.Contains(string(got), want) {
				t.Errorf("/mydata %s: no %s in %s", feature, want, got)
			}
		}
	}
	if strings.Contains(string(file), "bob") {
		t.Errorf("/mydata shows another member's data: %s", file)
	}

	// /forgetme and confirm.
	c.Clock.Advance(time.Minute)
	sent := c.Say(bottest.Group, zelda, "/forgetme")
	if len(sent) != 1 || len(sent[0].Msg.Buttons) != 1 {
		t.Fatalf("no confirmation: %v", bottest.Texts(sent))
	}
	before := c.totals(t)
	texts := []string{"marmalade-lighthouse", "periwinkle-avalanche", "thistle-gramophone", "tangerine-cathedral", "saffron-kaleidoscope", "juniper-hovercraft"}
	raw, err := os.ReadFile(c.st.Path())
	if err != nil {
		t.Fatal(err)
	}
	for _, trace := range append([]string{"Zelda Quixote", "zquix", zelda.Key()}, texts...) {
		if !bytes.Contains(raw, []byte(trace)) {
			t.Errorf("the test is blind: %q is not in the file before /forgetme", trace)
		}
	}
	if bytes.Contains(raw, []byte("quasar-teapot")) {
		t.Error("a plain chat message was stored")
	}
	if got := bottest.Joined(c.Press(bottest.Group, zelda, sent[0].Msg.Buttons[0][0].Data)); !strings.Contains(got, "deleted") {
		t.Fatalf("confirm: %q", got)
	}
	after := c.totals(t)
	if !equalTotals(before, after) {
		t.Errorf("community totals changed:\nbefore %+v\nafter  %+v", before, after)
	}
	if before.Counters[bot.CountMessages] == 0 || before.Counters[bot.CountTicketsOpened] != 3 || before.Votes[0] != 1 || before.Going != 2 || before.Flags != 2 || before.SurveyDone != 2 {
		t.Errorf("the community did less than the test did: %+v", before)
	}

	if raw, err = os.ReadFile(c.st.Path()); err != nil {
		t.Fatal(err)
	}
	for _, trace := range append([]string{"Zelda", "Quixote", "zquix", zelda.Key(), zelda.ID, "quasar-teapot"}, texts...) {
		if bytes.Contains(raw, []byte(trace)) {
			t.Errorf("database file still contains %q", trace)
		}
	}
	for _, kept := range []string{"Bob", "bob-roadmap-question", "bob-flagged-words", "bob-survey-answer"} {
		if !bytes.Contains(raw, []byte(kept)) {
			t.Errorf("Bob's %q was erased too", kept)
		}
	}
	// Her open ticket left the desk (nobody is left to answer); Bob's stays.
	if got := bottest.Joined(c.Say(bottest.ModChat, bottest.Mod, "/tickets")); !strings.Contains(got, "#3") || strings.Contains(got, "#1 ") {
		t.Errorf("open tickets after /forgetme: %q", got)
	}
}

func equalTotals(a, b totals) bool {
	return maps.Equal(a.Counters, b.Counters) && a.Active == b.Active && maps.Equal(a.Votes, b.Votes) &&
		a.Going == b.Going && slices.Equal(a.Tickets, b.Tickets) && a.Flags == b.Flags &&
		a.Sentiment == b.Sentiment && a.Surveys == b.Surveys && a.SurveyDone == b.SurveyDone
}
