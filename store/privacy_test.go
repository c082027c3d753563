package store_test

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/faq"
	"github.com/cohortbot/cohort/bot/feedback"
	"github.com/cohortbot/cohort/bot/moderation"
	"github.com/cohortbot/cohort/bot/points"
	"github.com/cohortbot/cohort/bot/sentinel"
	"github.com/cohortbot/cohort/store"
	"github.com/cohortbot/cohort/store/storetest"
)

func mustNot(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// fileHas reports whether the database file contains s.
func fileHas(t *testing.T, s *store.Store, trace string) bool {
	t.Helper()
	raw, err := os.ReadFile(s.Path())
	mustNot(t, err)
	return bytes.Contains(raw, []byte(trace))
}

func TestForgetMember_ModeratorLeavesNoNameInOthersRecords(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	mod := bot.Account{Platform: bot.Telegram, ID: "77123", Name: "Ottilie Moderatrix", Username: "ottmod"}
	modMember, err := s.Resolve(ctx, "acme", mod, now)
	mustNot(t, err)
	bob, err := s.Resolve(ctx, "acme", bot.Account{Platform: bot.Telegram, ID: "1002", Name: "Bob"}, now)
	mustNot(t, err)

	tk, err := s.CreateTicket(ctx, feedback.Ticket{Community: "acme", Member: bob.ID, Category: feedback.CatBug, Text: "bob's crash", State: feedback.StateOpen, Created: now}, 3)
	mustNot(t, err)
	_, err = s.UpdateTicket(ctx, "acme", tk.ID, func(t *feedback.Ticket) error { t.State, t.ClaimedBy = feedback.StateClaimed, mod.Name; return nil })
	mustNot(t, err)
	_, err = s.RecordAction(ctx, moderation.Action{Community: "acme", Member: bob.ID, Kind: "warn", Rule: "manual", Reason: "spam", Actor: mod.Key(), At: now})
	mustNot(t, err)
	mustNot(t, s.UpdateFAQ(ctx, "acme", faq.Update{Change: faq.Change{At: now, Actor: mod.Key(), Name: mod.Name, Action: "add", ID: "ama"},
		Apply: func(cur []faq.Entry) ([]faq.Entry, string, error) {
			return append(cur, faq.Entry{ID: "ama", Question: "When is the AMA?", Answer: "Mondays."}), "", nil
		}}))

	mustNot(t, s.ForgetMember(ctx, "acme", modMember.ID))
	for _, trace := range []string{"Ottilie", "ottmod", mod.Key(), mod.ID} {
		if fileHas(t, s, trace) {
			t.Errorf("file still holds %q", trace)
		}
	}
	got, _, err := s.Ticket(ctx, "acme", tk.ID)
	mustNot(t, err)
	if got.Text != "bob's crash" || got.Member != bob.ID || got.State != feedback.StateClaimed || got.ClaimedBy != "" {
		t.Errorf("Bob's ticket: %+v", got)
	}
	acts, err := s.MemberActions(ctx, "acme", bob.ID, time.Time{})
	mustNot(t, err)
	if len(acts) != 1 || acts[0].Reason != "spam" || acts[0].Actor != "" {
		t.Errorf("Bob's warning: %+v", acts)
	}
	changes, err := s.FAQChanges(ctx, "acme", 10)
	mustNot(t, err)
	if len(changes) != 1 || changes[0].Actor != "" || changes[0].Name != "" || changes[0].ID != "ama" {
		t.Errorf("FAQ change log: %+v", changes)
	}
}

func TestForgetMember_CoversIDsMergedByLinking(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	tg := bot.Account{Platform: bot.Telegram, ID: "1001", Name: "Alice"}
	dc := bot.Account{Platform: bot.Discord, ID: "5001", Name: "alice_d"}
	a, err := s.Resolve(ctx, "acme", tg, now)
	mustNot(t, err)
	d, err := s.Resolve(ctx, "acme", dc, now)
	mustNot(t, err)
	// A ticket and a flag filed from Discord before the accounts were linked.
	_, err = s.CreateTicket(ctx, feedback.Ticket{Community: "acme", Member: d.ID, Category: feedback.CatBug, Text: "discord-era-ticket", State: feedback.StateOpen, Created: now}, 3)
	mustNot(t, err)
	mustNot(t, s.Flag(ctx, sentinel.Flagged{Community: "acme", At: now, Member: d.ID, Author: "alice_d (discord:5001)", Text: "discord-era-flag"}))
	mustNot(t, s.SaveLinkCode(ctx, "acme", "K1", a.ID, now.Add(time.Hour)))
	_, err = s.Link(ctx, "acme", "K1", dc, func(into, from *points.State) {}, now)
	mustNot(t, err)

	data, err := s.ExportMember(ctx, "acme", a.ID)
	mustNot(t, err)
	if data["feedback"] == nil || data["sentinel"] == nil {
		t.Errorf("export misses the merged member's records: %v", data)
	}
	mustNot(t, s.ForgetMember(ctx, "acme", a.ID))
	for _, trace := range []string{"discord-era-ticket", "discord-era-flag", "alice_d", "Alice"} {
		if fileHas(t, s, trace) {
			t.Errorf("file still holds %q", trace)
		}
	}
	flags, err := s.FlaggedSince(ctx, "acme", time.Time{})
	mustNot(t, err)
	if len(flags) != 1 || flags[0].Member != "" {
		t.Errorf("flag count for the report: %+v", flags)
	}
}

func TestPurgeBefore_PerCommunityCutoff(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	at := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	for _, c := range []string{"acme", "beta"} {
		mustNot(t, s.Flag(ctx, sentinel.Flagged{Community: c, At: at, Text: c + "-flagged-text"}))
	}
	purged, err := s.PurgeBefore(ctx, func(community string) time.Time {
		if community == "acme" {
			return at.Add(time.Second)
		}
		return at
	})
	mustNot(t, err)
	if purged["flagged_messages"] != 1 || purged.Total() != 1 {
		t.Errorf("purged %v", purged)
	}
	if fileHas(t, s, "acme-flagged-text") || !fileHas(t, s, "beta-flagged-text") {
		t.Error("the wrong community's flag was purged")
	}
	// Later runs take what has passed its cutoff since; an empty run reports nothing.
	if again, err := s.PurgeBefore(ctx, func(string) time.Time { return at.Add(time.Second) }); err != nil || again.Total() != 1 {
		t.Errorf("beta's flag, now past its cutoff: %v, %v", again, err)
	}
	if again, err := s.PurgeBefore(ctx, func(string) time.Time { return at.Add(time.Hour) }); err != nil || again.Total() != 0 {
		t.Errorf("empty run: %v, %v", again, err)
	}
}
