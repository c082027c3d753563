package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot/faq"
	"github.com/cohortbot/cohort/store/storetest"
)

func TestFAQ_UpdateDeletesHitsWithTheEntryAndBoundsTheLog(t *testing.T) {
	s := storetest.Open(t)
	ctx := t.Context()
	put := func(ids ...string) {
		t.Helper()
		err := s.UpdateFAQ(ctx, "acme", faq.Update{Change: faq.Change{Actor: "telegram:1900", Action: "import"}, KeepChanges: 3, FileHash: "h1",
			Apply: func([]faq.Entry) ([]faq.Entry, string, error) {
				var out []faq.Entry
				for _, id := range ids {
					out = append(out, faq.Entry{ID: id, Question: id + "?", Answer: "a"})
				}
				return out, fmt.Sprint(len(ids)), nil
			}})
		if err != nil {
			t.Fatal(err)
		}
	}
	put("a", "b")
	if err := s.CountFAQHit(ctx, "acme", "a"); err != nil {
		t.Fatal(err)
	}
	put("b")
	put("a", "b")
	put("a")
	entries, err := s.FAQEntries(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].ID != "a" || entries[0].Hits != 0 {
		t.Fatalf("entries = %+v, want a with its old hits gone", entries)
	}
	if other, _ := s.FAQEntries(ctx, "other"); len(other) != 0 {
		t.Fatalf("another community sees %+v", other)
	}
	changes, err := s.FAQChanges(ctx, "acme", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 3 || changes[0].Detail != "1" || changes[2].Detail != "1" {
		t.Fatalf("changes = %+v, want the newest three, newest first", changes)
	}
	if h, _ := s.FAQFileHash(ctx, "acme"); h != "h1" {
		t.Fatalf("file hash = %q", h)
	}
	err = s.UpdateFAQ(ctx, "acme", faq.Update{Apply: func(cur []faq.Entry) ([]faq.Entry, string, error) {
		return append(cur, cur...), "", nil
	}})
	if err == nil {
		t.Fatal("repeated ids were stored")
	}
}

func TestFAQ_UnansweredIsCountedAndBounded(t *testing.T) {
	s := storetest.Open(t)
	ctx := t.Context()
	at := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	record := func(key string) faq.Unanswered {
		t.Helper()
		at = at.Add(time.Minute)
		q, err := s.RecordUnanswered(ctx, "acme", faq.Unanswered{Key: key, Text: "text " + key, First: at, Last: at}, 3)
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	record("a")
	if q := record("a"); q.Count != 2 || q.Text != "text a" {
		t.Fatalf("second ask = %+v", q)
	}
	record("b")
	record("b")
	record("b")
	record("c")
	record("d") // over the bound: c, the least asked, goes
	qs, err := s.UnansweredFAQ(ctx, "acme", 10)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, q := range qs {
		keys = append(keys, fmt.Sprintf("%s=%d", q.Key, q.Count))
	}
	if fmt.Sprint(keys) != "[b=3 a=2 d=1]" {
		t.Fatalf("unanswered = %v", keys)
	}
	if err := s.ClearUnanswered(ctx, "acme", []string{"a"}); err != nil {
		t.Fatal(err)
	}
	if qs, _ := s.UnansweredFAQ(ctx, "acme", 10); len(qs) != 2 {
		t.Fatalf("after clearing a: %+v", qs)
	}
	if err := s.ClearUnanswered(ctx, "acme", nil); err != nil {
		t.Fatal(err)
	}
	if qs, _ := s.UnansweredFAQ(ctx, "acme", 10); len(qs) != 0 {
		t.Fatalf("after clearing all: %+v", qs)
	}
}

func TestFAQ_ReadsOfAnEmptyStore(t *testing.T) {
	s := storetest.Open(t)
	ctx := t.Context()
	if e, err := s.FAQEntries(ctx, "acme"); err != nil || len(e) != 0 {
		t.Fatalf("entries %v %v", e, err)
	}
	if c, err := s.FAQChanges(ctx, "acme", 5); err != nil || len(c) != 0 {
		t.Fatalf("changes %v %v", c, err)
	}
	if q, err := s.UnansweredFAQ(ctx, "acme", 5); err != nil || len(q) != 0 {
		t.Fatalf("unanswered %v %v", q, err)
	}
	if err := s.ClearUnanswered(ctx, "acme", nil); err != nil {
		t.Fatal(err)
	}
}
