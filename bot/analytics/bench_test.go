package analytics_test

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/analytics"
	"github.com/cohortbot/cohort/bot/bottest"
	"github.com/cohortbot/cohort/store/storetest"
)

// BenchmarkCount compares the two ways of getting a message's counters
// into the store, from many handlers at once: buffering in memory with a
// flush per second's worth of events (what the module does), and one
// group-commit write per event. Compare the ns/op of the two.
func BenchmarkCount(b *testing.B) {
	b.Run("buffered", func(b *testing.B) {
		s := storetest.Open(b)
		m, err := analytics.New(nil, analytics.Defaults(), s, analytics.Options{MaxPending: 1 << 30})
		if err != nil {
			b.Fatal(err)
		}
		community, at := bottest.Community(), time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
		var n atomic.Int64
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				i := n.Add(1)
				req := &bot.Request{Community: community, Member: bot.MemberID(strconv.FormatInt(i%500, 10)),
					Event: &bot.Event{Kind: bot.EventMessage, Chat: bottest.Group, Time: at}}
				if err := m.Observe(context.Background(), req); err != nil {
					b.Error(err)
				}
				if i%2000 == 0 { // a flush per ~2000 events, as a busy second would have
					if err := m.Flush(context.Background()); err != nil {
						b.Error(err)
					}
				}
			}
		})
		if err := m.Flush(context.Background()); err != nil {
			b.Fatal(err)
		}
	})
	b.Run("write_per_event", func(b *testing.B) {
		s := storetest.Open(b)
		var n atomic.Int64
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				i := n.Add(1)
				err := s.Record(context.Background(), analytics.Batch{
					Counts:   []analytics.Increment{{Community: "acme", Day: 20000, Name: bot.CountMessages, N: 1}},
					Activity: []analytics.Activity{{Community: "acme", Member: bot.MemberID(strconv.FormatInt(i%500, 10)), Day: 20000, Kind: analytics.Wrote}},
				})
				if err != nil {
					b.Error(err)
				}
			}
		})
	})
}
