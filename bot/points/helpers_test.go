package points_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/bottest"
	"github.com/cohortbot/cohort/bot/points"
	"github.com/cohortbot/cohort/store"
	"github.com/cohortbot/cohort/store/storetest"
)

type env struct {
	t  *testing.T
	tb *bottest.TestBot
	m  *points.Module
	st *store.Store
}

func newEnv(t *testing.T, cfg points.Config) *env {
	t.Helper()
	st := storetest.Open(t)
	m, err := points.New(map[string]points.Config{"acme": cfg}, points.Config{}, st)
	if err != nil {
		t.Fatal(err)
	}
	tb := bottest.New(t, bottest.Options{Modules: []bot.Module{m}, Members: st, Rewards: m})
	return &env{t: t, tb: tb, m: m, st: st}
}

// state returns the committed points state of an account's member.
func (e *env) state(acct bot.Account) points.State {
	e.t.Helper()
	ctx := context.Background()
	mem, ok, err := e.st.FindMember(ctx, "acme", acct.Key())
	if err != nil || !ok {
		e.t.Fatalf("member %s: %v %v", acct.Key(), ok, err)
	}
	s, err := e.st.State(ctx, "acme", mem.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

func (e *env) balance(acct bot.Account) int64 { e.t.Helper(); return e.state(acct).Balance }

func (e *env) member(acct bot.Account) bot.Member {
	e.t.Helper()
	mem, ok, err := e.st.FindMember(context.Background(), "acme", acct.Key())
	if err != nil || !ok {
		e.t.Fatalf("member %s: %v %v", acct.Key(), ok, err)
	}
	return mem
}

func mustContain(t *testing.T, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Fatalf("reply %q does not contain %q", got, w)
		}
	}
}
