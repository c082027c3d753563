package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/feedback"
	"github.com/cohortbot/cohort/store/storetest"
)

func TestTickets_IDsPerCommunity_CapRelaysAndReopen(t *testing.T) {
	dir := t.TempDir()
	s := storetest.OpenDir(t, dir)
	ctx := context.Background()
	now := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	mk := func(community string, member bot.MemberID, state string) (feedback.Ticket, error) {
		return s.CreateTicket(ctx, feedback.Ticket{Community: community, Member: member, Category: feedback.CatBug, Text: "t", State: state, Created: now}, 2)
	}
	a1, _ := mk("acme", "1", feedback.StateOpen)
	a2, _ := mk("acme", "1", feedback.StateDraft)
	b1, _ := mk("beta", "1", feedback.StateOpen)
	if a1.ID != 1 || a2.ID != 2 || b1.ID != 1 {
		t.Fatalf("ids %d %d %d", a1.ID, a2.ID, b1.ID)
	}
	if _, err := mk("acme", "1", feedback.StateOpen); !errors.Is(err, feedback.ErrTooManyOpen) {
		t.Fatalf("cap: %v", err)
	}
	relay := bot.MessageRef{Chat: bot.ChatRef{Platform: bot.Discord, Space: "111", Chat: "999"}, ID: "42"}
	if _, err := s.UpdateTicket(ctx, "acme", 1, func(tk *feedback.Ticket) error {
		tk.Relays = append(tk.Relays, relay)
		tk.Announced = now
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateTicket(ctx, "acme", 9, func(*feedback.Ticket) error { return nil }); !errors.Is(err, feedback.ErrNotFound) {
		t.Fatalf("unknown ticket: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = storetest.OpenDir(t, dir)
	if tk, ok, err := s.TicketByRelay(ctx, "acme", relay); err != nil || !ok || tk.ID != 1 {
		t.Fatalf("relay lookup after reopen: %v %v %v", tk.ID, ok, err)
	}
	if _, ok, _ := s.TicketByRelay(ctx, "beta", relay); ok {
		t.Fatal("relay found in another community")
	}
	all, err := s.Tickets(ctx, "acme", 10, func(feedback.Ticket) bool { return true })
	if err != nil || len(all) != 2 || all[0].ID != 2 || all[1].ID != 1 {
		t.Fatalf("acme tickets newest first: %+v %v", all, err)
	}
	if beta, _ := s.Tickets(ctx, "beta", 10, func(feedback.Ticket) bool { return true }); len(beta) != 1 || beta[0].Community != "beta" {
		t.Fatalf("beta tickets: %+v", beta)
	}
	stale, err := s.UnclaimedBefore(ctx, now.Add(time.Minute))
	if err != nil || len(stale) != 2 {
		t.Fatalf("unclaimed: %+v %v", stale, err)
	}
	if _, err := s.UpdateTicket(ctx, "beta", 1, func(tk *feedback.Ticket) error { tk.State = feedback.StateClaimed; return nil }); err != nil {
		t.Fatal(err)
	}
	if stale, _ := s.UnclaimedBefore(ctx, now.Add(time.Minute)); len(stale) != 1 || stale[0].Community != "acme" {
		t.Fatalf("claimed ticket still unclaimed: %+v", stale)
	}
	mine, _ := s.MemberTickets(ctx, "acme", "1")
	if len(mine) != 2 || mine[0].ID != 2 {
		t.Fatalf("member tickets: %+v", mine)
	}
}
