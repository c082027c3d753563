package store

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/points"
	"github.com/rs/zerolog"
	bolt "go.etcd.io/bbolt"
)

// The participation benchmark (see README):
//
//	go test ./store -run '^$' -bench Participation -benchtime 1x -args -members 1000000
var (
	benchMembers     = flag.Int("members", 1_000_000, "members seeded for the participation benchmark")
	benchEvents      = flag.Int("events", 20_000, "participation events per measured phase")
	benchConcurrency = flag.Int("concurrency", 256, "members sending at the same time")
)

// BenchmarkParticipation reports, in one run: durable participation
// events/s through the whole path (decoded bot.Event → bot dispatch →
// points rules → group commit) and its ratio to a raw bbolt group-commit
// loop doing the same record work on the same file; /top latency; and the
// Go heap with every member stored.
func BenchmarkParticipation(b *testing.B) {
	for range b.N {
		r := runParticipationBench(b, b.TempDir(), *benchMembers, *benchEvents, *benchConcurrency)
		b.ReportMetric(r.fullRate, "events/s")
		b.ReportMetric(r.rawRate, "raw-events/s")
		b.ReportMetric(r.fullRate/r.rawRate, "ratio")
		b.ReportMetric(float64(r.topStore.Nanoseconds())/1e3, "top-store-µs")
		b.ReportMetric(float64(r.topCommand.Nanoseconds())/1e3, "top-command-µs")
		b.ReportMetric(float64(r.heap)/(1<<20), "heap-MiB")
		b.Logf("%d members: %.0f durable events/s through the bot (raw bbolt loop %.0f/s, ratio %.2f); /top %.1f µs in the store, %.1f µs as a whole command; heap %.1f MiB",
			r.members, r.fullRate, r.rawRate, r.fullRate/r.rawRate, float64(r.topStore.Nanoseconds())/1e3, float64(r.topCommand.Nanoseconds())/1e3, float64(r.heap)/(1<<20))
	}
}

// TestParticipationBench runs the benchmark's whole path on a tiny
// community so it keeps working.
func TestParticipationBench(t *testing.T) {
	r := runParticipationBench(t, t.TempDir(), 2000, 400, 16)
	if r.fullRate <= 0 || r.rawRate <= 0 || r.topCommand <= 0 || r.awarded != 400 {
		t.Fatalf("bench figures %+v", r)
	}
}

type benchResult struct {
	members              int
	fullRate, rawRate    float64
	topStore, topCommand time.Duration
	heap                 uint64
	awarded              int64
}

const benchCommunity = "bench"

var benchChat = bot.ChatRef{Platform: bot.Telegram, Space: "-100777", Chat: "-100777"}

func benchAccount(i int) bot.Account {
	return bot.Account{Platform: bot.Telegram, ID: fmt.Sprint(10_000_000 + i), Name: fmt.Sprintf("Member %d", i), Username: fmt.Sprintf("m%d", i)}
}

func runParticipationBench(tb testing.TB, dir string, members, events, concurrency int) benchResult {
	ctx := context.Background()
	if events*2 > members {
		members = events * 2
	}
	start := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	seed(tb, dir, members, start)

	var commits, commitOps atomic.Int64
	var commitTime atomic.Int64
	s, err := Open(dir, Options{OnCommit: func(ops int, took time.Duration) {
		commits.Add(1)
		commitOps.Add(int64(ops))
		commitTime.Add(int64(took))
	}})
	if err != nil {
		tb.Fatal(err)
	}
	defer s.Close()
	mod, err := points.New(nil, points.Config{}, s)
	if err != nil {
		tb.Fatal(err)
	}
	community := &bot.Community{ID: benchCommunity, Name: "Bench", Locale: "en", Location: time.UTC, Chats: []bot.CommunityChat{{Ref: benchChat, Segment: "general"}}}
	clock := start.Add(time.Hour)
	b, err := bot.New(bot.Options{
		Adapters:    []bot.Adapter{discard{}},
		Modules:     []bot.Module{mod},
		Communities: bot.NewCommunities([]*bot.Community{community}, "en", time.UTC),
		Members:     s,
		Locale:      "en",
		Log:         zerolog.Nop(),
		Now:         func() time.Time { return clock },
		CommandRate: bot.Rate{Burst: 1 << 30, Per: time.Second},
		Rewards:     mod,
	})
	if err != nil {
		tb.Fatal(err)
	}
	h := b.Handler()

	// Raw reference: a bare bbolt group-commit loop on the same file doing
	// the same record work (state read and write, ledger entry, rank
	// indexes and counts in every scope) for the second half of the members.
	raw, stop := rawLoop(s.db, start.Add(time.Hour), members/2)
	rawRate := measure(events, concurrency, raw)
	stop()
	if n := rawCommits.Load(); n > 0 {
		tb.Logf("raw loop: %d commits, %.1f events per commit, %.2f ms per commit", n, float64(rawOps.Load())/float64(n), float64(rawTime.Load())/float64(n)/1e6)
	}
	// Whole path: decoded events through the bot for the first half.
	var seq atomic.Int64
	fullRate := measure(events, concurrency, func(i int) {
		ev := &bot.Event{Kind: bot.EventMessage, Chat: benchChat, From: benchAccount(i), Time: clock,
			MessageID: fmt.Sprint(seq.Add(1)), Text: fmt.Sprintf("progress update number %d looks good", i)}
		h(ctx, ev)
	})
	if n := commits.Load(); n > 0 {
		tb.Logf("whole path: %d commits, %.1f events per commit, %.2f ms per commit", n, float64(commitOps.Load())/float64(n), float64(commitTime.Load())/float64(n)/1e6)
	}
	var awarded int64
	for i := range events {
		st, err := s.State(ctx, benchCommunity, memberIDOf(tb, s, i))
		if err != nil {
			tb.Fatal(err)
		}
		if len(st.Badges) > 0 && st.LastEarn.Equal(clock) {
			awarded++
		}
	}

	// /top: the store query, and the whole command from a member outside
	// the top 10 (so the reply also carries their own rank).
	const topRuns = 2000
	t0 := time.Now()
	for range topRuns {
		if _, err := s.Top(ctx, benchCommunity, points.ScopeAll, 10); err != nil {
			tb.Fatal(err)
		}
	}
	topStore := time.Since(t0) / topRuns
	caller := benchAccount(members - 1)
	t0 = time.Now()
	for range topRuns {
		inv := bot.Invocation{Name: "top"}
		h(ctx, &bot.Event{Kind: bot.EventCommand, Chat: benchChat, From: caller, Time: clock, MessageID: "t", Command: &inv})
	}
	topCommand := time.Since(t0) / topRuns

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return benchResult{members: members, fullRate: fullRate, rawRate: rawRate, topStore: topStore, topCommand: topCommand, heap: ms.HeapAlloc, awarded: awarded}
}

func memberIDOf(tb testing.TB, s *Store, i int) bot.MemberID {
	m, ok, err := s.FindMember(context.Background(), benchCommunity, benchAccount(i).Key())
	if err != nil || !ok {
		tb.Fatalf("member %d: %v %v", i, ok, err)
	}
	return m.ID
}

// seed creates the members with random scores, without fsync, in large
// transactions.
func seed(tb testing.TB, dir string, members int, at time.Time) {
	s, err := Open(dir, Options{NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer s.Close()
	r := rand.New(rand.NewPCG(7, 7))
	const chunk = 5000
	for from := 0; from < members; from += chunk {
		scores := make([]int64, min(chunk, members-from))
		for i := range scores {
			scores[i] = r.Int64N(100_000)
		}
		err := s.db.Update(func(tx *bolt.Tx) error {
			b, err := openPts(tx)
			if err != nil {
				return err
			}
			for i, n := range scores {
				rec, err := upsertAccount(tx, benchCommunity, benchAccount(from+i), at)
				if err != nil {
					return err
				}
				if _, err := applyTx(tx, b, benchCommunity, rec.ID, func(st *points.State, _ func(rule, ref string) bool) error {
					st.Balance, st.Score = n, n
					st.FirstSeen, st.LastActive = at, at
					st.Pending = append(st.Pending, points.Entry{Time: at, Delta: n, Score: n, Reason: "seed"})
					return nil
				}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

var rawCommits, rawOps, rawTime atomic.Int64

// measure runs n calls of fn over concurrency goroutines and returns calls/s.
func measure(n, concurrency int, fn func(i int)) float64 {
	var next atomic.Int64
	var wg sync.WaitGroup
	t0 := time.Now()
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
	return float64(n) / time.Since(t0).Seconds()
}

// rawLoop is the reference: one goroutine drains a channel into db.Update
// and acknowledges after the commit; each op does the record work of a
// participation event for member offset+i.
func rawLoop(db *bolt.DB, at time.Time, offset int) (fn func(i int), stop func()) {
	type rawOp struct {
		id   bot.MemberID
		done chan error
	}
	ops := make(chan rawOp, 2048)
	go func() {
		batch := make([]rawOp, 0, 512)
		for first := range ops {
			batch = append(batch[:0], first)
		drain:
			for len(batch) < cap(batch) {
				select {
				case o := <-ops:
					batch = append(batch, o)
				default:
					break drain
				}
			}
			t0 := time.Now()
			err := db.Update(func(tx *bolt.Tx) error {
				b, err := openPts(tx)
				if err != nil {
					return err
				}
				for _, o := range batch {
					st, err := loadState(b.state, benchCommunity, o.id)
					if err != nil {
						return err
					}
					old := st
					st.Balance += 20
					st.Score += 20
					st.Week = points.Window{Period: "2026-W02", Points: st.Week.Points + 20}
					st.Month = points.Window{Period: "2026-01", Points: st.Month.Points + 20}
					st.LastEarn, st.LastActive = at, at
					st.Messages++
					st.Pending = []points.Entry{{Time: at, Delta: 20, Score: 20, Reason: points.ReasonMessage}}
					if err := saveChange(b, benchCommunity, o.id, old, &st); err != nil {
						return err
					}
				}
				return nil
			})
			rawCommits.Add(1)
			rawOps.Add(int64(len(batch)))
			rawTime.Add(int64(time.Since(t0)))
			for _, o := range batch {
				o.done <- err
			}
		}
	}()
	return func(i int) {
		var id bot.MemberID
		if err := db.View(func(tx *bolt.Tx) error {
			id = bot.MemberID(tx.Bucket(bucketAccount).Get(ckey(benchCommunity, benchAccount(offset+i).Key())))
			return nil
		}); err != nil {
			panic(err)
		}
		done := make(chan error, 1)
		ops <- rawOp{id: id, done: done}
		if err := <-done; err != nil {
			panic(err)
		}
	}, func() { close(ops) }
}

// discard is an adapter that drops what the bot sends.
type discard struct{}

func (discard) Platform() string { return bot.Telegram }

func (discard) Run(ctx context.Context, _ bot.Handler) error { <-ctx.Done(); return nil }

func (discard) Send(context.Context, bot.ChatRef, bot.Outgoing) (bot.MessageRef, error) {
	return bot.MessageRef{ID: "1"}, nil
}
