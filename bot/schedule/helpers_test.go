package schedule_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/bottest"
	"github.com/cohortbot/cohort/bot/schedule"
	"github.com/cohortbot/cohort/store"
	"github.com/cohortbot/cohort/store/storetest"
)

var shanghai = mustLoad("Asia/Shanghai")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at is a time on 2026-01-05 (a Monday) in Shanghai, plus days.
func at(days, hour, minute int) time.Time {
	return time.Date(2026, 1, 5+days, hour, minute, 0, 0, shanghai)
}

// rig is a running bot with the schedule module on a real store.
type rig struct {
	*bottest.TestBot
	m       *schedule.Module
	st      *store.Store
	rewards *rewards
}

type rigOptions struct {
	dir     string
	start   time.Time
	members func(*store.Store) bot.MemberDirectory
	config  schedule.Config
}

func newRig(t *testing.T, o rigOptions) *rig {
	t.Helper()
	if o.dir == "" {
		o.dir = t.TempDir()
	}
	if o.start.IsZero() {
		o.start = at(0, 9, 0)
	}
	if o.config.GracePeriod == 0 {
		o.config = schedule.Defaults()
	}
	st := storetest.OpenDir(t, o.dir)
	var members bot.MemberDirectory = st
	if o.members != nil {
		members = o.members(st)
	}
	m, err := schedule.New(st, o.config, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := bottest.Community()
	c.Location = shanghai
	c.Chats = append(c.Chats, bot.CommunityChat{Ref: investors, Segment: "investors"})
	rw := &rewards{paid: map[string]int{}}
	tb := bottest.New(t, bottest.Options{Modules: []bot.Module{m}, Members: members, Start: o.start,
		Communities: []*bot.Community{c}, Rewards: rw, ManualRunners: true})
	return &rig{TestBot: tb, m: m, st: st, rewards: rw}
}

// investors is a second Telegram group in the "investors" segment.
var investors = bot.ChatRef{Platform: bot.Telegram, Space: "-100101", Chat: "-100101"}

// tick runs the engine at the current fake time and returns what it sent.
func (r *rig) tick(t *testing.T) []bottest.Sent {
	t.Helper()
	ntg, ndc := len(r.Telegram.Sent()), len(r.Discord.Sent())
	if err := r.m.Tick(context.Background(), r.Bot); err != nil {
		t.Fatalf("Tick: %v", err)
	}
	return append(r.Telegram.Sent()[ntg:], r.Discord.Sent()[ndc:]...)
}

// advanceTo moves the clock to t and ticks.
func (r *rig) advanceTo(t *testing.T, to time.Time) []bottest.Sent {
	t.Helper()
	r.Clock.Set(to)
	return r.tick(t)
}

// in returns the messages sent to a chat (not DMs).
func in(sent []bottest.Sent, chat bot.ChatRef) []bottest.Sent {
	var out []bottest.Sent
	for _, s := range sent {
		if s.Direct == "" && !s.Response && s.Ref.Chat == chat {
			out = append(out, s)
		}
	}
	return out
}

// dms returns the direct messages sent to a user id.
func dms(sent []bottest.Sent, userID string) []bottest.Sent {
	var out []bottest.Sent
	for _, s := range sent {
		if s.Direct == userID {
			out = append(out, s)
		}
	}
	return out
}

func all(r *rig) []bottest.Sent { return append(r.Telegram.Sent(), r.Discord.Sent()...) }

func mustContain(t *testing.T, got, want string) {
	t.Helper()
	if !strings.Contains(got, want) {
		t.Fatalf("got %q, want it to contain %q", got, want)
	}
}

// rewards is a points ledger that pays 5 per (member, rule, ref), once.
type rewards struct {
	mu   sync.Mutex
	paid map[string]int
}

func (r *rewards) Reward(_ context.Context, community string, member bot.MemberID, rule, ref string) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	k := community + "|" + string(member) + "|" + rule + "|" + ref
	r.paid[k]++
	if r.paid[k] > 1 {
		return 0, nil
	}
	return 5, nil
}

// times reports how often a (member, rule, ref) reward was asked for.
func (r *rewards) times(rule, ref string) map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]int{}
	for k, n := range r.paid {
		parts := strings.Split(k, "|")
		if parts[2] == rule && parts[3] == ref {
			out[parts[1]] = n
		}
	}
	return out
}

// linked is a member directory in which some accounts belong to the member
// of another account, as after /link.
type linked struct {
	*store.Store
	alias map[string]bot.Account
}

func (l linked) Resolve(ctx context.Context, community string, acct bot.Account, t time.Time) (bot.Member, error) {
	if a, ok := l.alias[acct.Key()]; ok {
		acct = a
	}
	return l.Store.Resolve(ctx, community, acct, t)
}
