package store

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
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
//	go test ./store -run '^$' -bench Participation -benchtime 1x -timeout 30m
//
// Workload: -members members in the database with random scores; events
// are messages from -active members drawn uniformly at random from them,
// -concurrency at a time, each member at most once per phase, a cooldown
// apart, so every message earns and is a write. Each of -rounds rounds
// runs the raw reference and then the whole path on the same members in
// the same order.
var (
	benchMembers     = flag.Int("members", 1_000_000, "members in the database")
	benchActive      = flag.Int("active", 100_000, "members sending messages, drawn at random from all members")
	benchEvents      = flag.Int("events", 50_000, "messages per measured phase (at most -active)")
	benchRounds      = flag.Int("rounds", 2, "rounds of (raw reference, whole path)")
	benchConcurrency = flag.Int("concurrency", 2048, "messages in flight at a time")
	benchMaxBatch    = flag.Int("maxbatch", 2048, "most events in one group commit (store.Options.MaxBatch, and the raw loop's)")
	benchTopCalls    = flag.Int("topcalls", 1000, "/top calls timed")
)

// BenchmarkParticipation reports, in one run: durable participation
// events/s through the whole path (decoded bot.Event → bot dispatch →
// points rules → group commit) and its ratio to a raw bbolt group-commit
// loop doing the same record work on the same members in the same file;
// /top latency (the store read, and the whole command) as p50 and p99;
// and the Go heap with every member stored.
func BenchmarkParticipation(b *testing.B) {
	cfg := benchConfig{members: *benchMembers, active: *benchActive, events: *benchEvents, rounds: *benchRounds,
		concurrency: *benchConcurrency, maxBatch: *benchMaxBatch, topCalls: *benchTopCalls}
	for range b.N {
		r := runParticipationBench(b, b.TempDir(), cfg)
		b.ReportMetric(r.fullRate, "events/s")
		b.ReportMetric(r.rawRate, "raw-events/s")
		b.ReportMetric(r.fullRate/r.rawRate, "ratio")
		b.ReportMetric(us(r.topStore.p50), "top-store-p50-µs")
		b.ReportMetric(us(r.topCommand.p50), "top-cmd-p50-µs")
		b.ReportMetric(us(r.topCommand.p99), "top-cmd-p99-µs")
		b.ReportMetric(float64(r.heap)/(1<<20), "heap-MiB")
		b.Logf("%d members, %d active, %d messages in flight, every message earns:", cfg.members, cfg.active, cfg.concurrency)
		b.Logf("  %.0f durable events/s through the bot; raw bbolt group-commit loop %.0f/s; ratio %.2f", r.fullRate, r.rawRate, r.fullRate/r.rawRate)
		b.Logf("  /top: store read p50 %.1f µs p99 %.1f µs; whole command p50 %.1f µs p99 %.1f µs (%d calls each)",
			us(r.topStore.p50), us(r.topStore.p99), us(r.topCommand.p50), us(r.topCommand.p99), cfg.topCalls)
		b.Logf("  Go heap in use after GC: %.1f MiB", float64(r.heap)/(1<<20))
	}
}

// TestParticipationBench runs the benchmark's whole path on a small
// community and checks that every message earned exactly once.
func TestParticipationBench(t *testing.T) {
	cfg := benchConfig{members: 3000, active: 1000, events: 800, rounds: 2, concurrency: 32, maxBatch: 64, topCalls: 20}
	r := runParticipationBench(t, t.TempDir(), cfg)
	if r.fullRate <= 0 || r.rawRate <= 0 || r.topCommand.p50 <= 0 {
		t.Fatalf("bench figures %+v", r)
	}
	if r.checked < cfg.events || r.topLines != 12 {
		t.Fatalf("checked %d members (want at least %d), /top had %d lines (want 12)", r.checked, cfg.events, r.topLines)
	}
}

type benchConfig struct {
	members, active, events, rounds int
	concurrency, maxBatch, topCalls int
}

type latency struct{ p50, p99 time.Duration }

type benchResult struct {
	fullRate, rawRate    float64
	topStore, topCommand latency
	heap                 uint64
	checked, topLines    int
}

func us(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 }

const benchCommunity = "bench"

var benchChat = bot.ChatRef{Platform: bot.Telegram, Space: "-100777", Chat: "-100777"}

func benchAccount(i int) bot.Account {
	return bot.Account{Platform: bot.Telegram, ID: strconv.Itoa(10_000_000 + i), Name: fmt.Sprintf("Member %d", i), Username: fmt.Sprintf("m%d", i)}
}

// benchText is a distinct message per event: the duplicate check compares
// letters, so the event number is spelled in letters.
func benchText(n int) string {
	word := []byte{}
	for n++; n > 0; n /= 26 {
		word = append(word, byte('a'+n%26))
	}
	return "progress update " + string(word) + " looks good to me"
}

func runParticipationBench(tb testing.TB, dir string, cfg benchConfig) benchResult {
	ctx := context.Background()
	cfg.active = min(cfg.active, cfg.members)
	cfg.events = min(cfg.events, cfg.active)
	start := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	scores := seed(tb, dir, cfg.members, start)
	rng := rand.New(rand.NewPCG(11, 13))
	active := rng.Perm(cfg.members)[:cfg.active]

	var commits, committed atomic.Int64
	s, err := Open(dir, Options{MaxBatch: cfg.maxBatch, OnCommit: func(ops int, _ time.Duration) {
		commits.Add(1)
		committed.Add(int64(ops))
	}})
	if err != nil {
		tb.Fatal(err)
	}
	defer s.Close()
	mod, err := points.New(nil, points.Config{}, s)
	if err != nil {
		tb.Fatal(err)
	}
	pcfg := points.Config{}
	pcfg.Defaults()
	community := &bot.Community{ID: benchCommunity, Name: "Bench", Locale: "en", Location: time.UTC, Chats: []bot.CommunityChat{{Ref: benchChat, Segment: "general"}}}
	var clock atomic.Int64
	clock.Store(start.UnixNano())
	b, err := bot.New(bot.Options{
		Adapters:    []bot.Adapter{discard{}},
		Modules:     []bot.Module{mod},
		Communities: bot.NewCommunities([]*bot.Community{community}, "en", time.UTC),
		Members:     s,
		Locale:      "en",
		Log:         zerolog.Nop(),
		Now:         func() time.Time { return time.Unix(0, clock.Load()).UTC() },
		CommandRate: bot.Rate{Burst: 1 << 30, Per: time.Second},
		Rewards:     mod,
	})
	if err != nil {
		tb.Fatal(err)
	}
	h := b.Handler()

	// Each round: the raw reference on a random order of the active
	// members, then the whole path on the same members in the same order,
	// each phase one cooldown after the last so every message earns.
	earned := map[int]int64{}
	var rawTime, fullTime time.Duration
	var seq atomic.Int64
	for round := range cfg.rounds {
		order := slices.Clone(active)
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		order = order[:cfg.events]
		for _, who := range order {
			earned[who] += 2 * pcfg.MessagePoints
		}

		at := start.Add(time.Duration(2*round+1) * pcfg.Cooldown)
		raw, stop := rawLoop(s.db, at, cfg.maxBatch)
		rawTime += measure(len(order), cfg.concurrency, func(i int) { raw(order[i]) })
		stop()

		at = at.Add(pcfg.Cooldown)
		clock.Store(at.UnixNano())
		fullTime += measure(len(order), cfg.concurrency, func(i int) {
			n := int(seq.Add(1))
			h(ctx, &bot.Event{Kind: bot.EventMessage, Chat: benchChat, From: benchAccount(order[i]), Time: at,
				MessageID: strconv.Itoa(n), Text: benchText(n)})
		})
	}
	total := float64(cfg.rounds * cfg.events)
	if n := commits.Load(); n > 0 {
		tb.Logf("whole path: %d group commits, %.0f events each on average", n, float64(committed.Load())/float64(n))
	}

	// Every active member holds its seeded score plus what each message earned.
	checked := 0
	if err := s.view(func(tx *bolt.Tx) error {
		for who, want := range earned {
			id := bot.MemberID(tx.Bucket(bucketAccount).Get(ckey(benchCommunity, benchAccount(who).Key())))
			st, err := loadState(tx.Bucket(bucketPtsState), benchCommunity, id)
			if err != nil {
				return err
			}
			if st.Score != scores[who]+want || st.Balance != st.Score {
				return fmt.Errorf("member %d: score %d balance %d, want %d", who, st.Score, st.Balance, scores[who]+want)
			}
			checked++
		}
		return nil
	}); err != nil {
		tb.Fatal(err)
	}

	// /top from a member outside the top 10, so the reply also carries
	// their own rank.
	caller := benchAccount(active[0])
	callerID := memberIDOf(tb, s, active[0])
	runtime.GC() // the garbage of the write phases is not /top's
	topStore := timeCalls(cfg.topCalls, func() {
		if _, err := s.Board(ctx, benchCommunity, points.ScopeAll, 10, callerID, func(st *points.State) int64 { return st.Score }); err != nil {
			tb.Fatal(err)
		}
	})
	replies := &counting{}
	b2, err := bot.New(bot.Options{Adapters: []bot.Adapter{replies}, Modules: []bot.Module{mod}, Communities: bot.NewCommunities([]*bot.Community{community}, "en", time.UTC),
		Members: s, Locale: "en", Log: zerolog.Nop(), Now: func() time.Time { return time.Unix(0, clock.Load()).UTC() },
		CommandRate: bot.Rate{Burst: 1 << 30, Per: time.Second}, Rewards: mod})
	if err != nil {
		tb.Fatal(err)
	}
	h2 := b2.Handler()
	topCommand := timeCalls(cfg.topCalls, func() {
		inv := bot.Invocation{Name: "top"}
		h2(ctx, &bot.Event{Kind: bot.EventCommand, Chat: benchChat, From: caller, Time: time.Unix(0, clock.Load()), MessageID: "t", Command: &inv})
	})

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return benchResult{fullRate: total / fullTime.Seconds(), rawRate: total / rawTime.Seconds(), topStore: topStore, topCommand: topCommand,
		heap: ms.HeapAlloc, checked: checked, topLines: replies.lines()}
}

func memberIDOf(tb testing.TB, s *Store, i int) bot.MemberID {
	m, ok, err := s.FindMember(context.Background(), benchCommunity, benchAccount(i).Key())
	if err != nil || !ok {
		tb.Fatalf("member %d: %v %v", i, ok, err)
	}
	return m.ID
}

// timeCalls runs fn n times and returns the median and 99th percentile.
func timeCalls(n int, fn func()) latency {
	took := make([]time.Duration, n)
	for i := range took {
		t0 := time.Now()
		fn()
		took[i] = time.Since(t0)
	}
	slices.Sort(took)
	return latency{p50: took[n/2], p99: took[n*99/100]}
}

// seed creates the members with random scores, without fsync, in large
// transactions, and returns the scores.
func seed(tb testing.TB, dir string, members int, at time.Time) []int64 {
	s, err := Open(dir, Options{NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer s.Close()
	r := rand.New(rand.NewPCG(7, 7))
	scores := make([]int64, members)
	for i := range scores {
		scores[i] = r.Int64N(100_000) + 1
	}
	const chunk = 20_000
	d := newBoardDeltas()
	for from := 0; from < members; from += chunk {
		err := s.db.Update(func(tx *bolt.Tx) error {
			d.reset()
			b, err := openPts(tx, d)
			if err != nil {
				return err
			}
			for i := from; i < min(from+chunk, members); i++ {
				rec, err := upsertAccount(tx, benchCommunity, benchAccount(i), at)
				if err != nil {
					return err
				}
				if _, err := applyTx(tx, b, benchCommunity, rec.ID, func(st *points.State, _ func(rule, ref string) bool) error {
					st.Balance, st.Score = scores[i], scores[i]
					st.FirstSeen, st.LastActive = at, at
					st.Pending = append(st.Pending, points.Entry{Time: at, Delta: scores[i], Score: scores[i], Reason: points.ReasonAward, Rule: points.ReasonAward})
					return nil
				}); err != nil {
					return err
				}
			}
			return d.flush(tx)
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	return scores
}

// measure runs fn(0..n-1) over concurrency goroutines and returns the time.
func measure(n, concurrency int, fn func(i int)) time.Duration {
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
	return time.Since(t0)
}

// rawLoop is the reference: one goroutine drains a channel into db.Update
// and acknowledges after the commit. Each call looks up the member of an
// account in a read transaction, then does the record work of an earning
// message: the state read and written, a ledger entry, the all-time,
// week and month boards.
func rawLoop(db *bolt.DB, at time.Time, maxBatch int) (fn func(who int), stop func()) {
	type rawOp struct {
		id   bot.MemberID
		done chan error
	}
	cfg := points.Config{}
	cfg.Defaults()
	y, w := at.ISOWeek()
	week, month := fmt.Sprintf("%04d-W%02d", y, w), at.Format("2006-01")
	day := int(at.Unix() / 86400)
	ops := make(chan rawOp, maxBatch)
	d := newBoardDeltas()
	go func() {
		batch := make([]rawOp, 0, maxBatch)
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
			err := db.Update(func(tx *bolt.Tx) error {
				d.reset()
				b, err := openPts(tx, d)
				if err != nil {
					return err
				}
				for _, o := range batch {
					st, err := loadState(b.state, benchCommunity, o.id)
					if err != nil {
						return err
					}
					old := st
					if st.Week.Period != week {
						st.Week = points.Window{Period: week}
					}
					if st.Month.Period != month {
						st.Month = points.Window{Period: month}
					}
					n := cfg.MessagePoints
					st.Balance, st.Score, st.Week.Points, st.Month.Points = st.Balance+n, st.Score+n, st.Week.Points+n, st.Month.Points+n
					st.LastEarn, st.LastActive, st.Day, st.DayPoints = at, at, day, st.DayPoints+n
					st.Messages++
					st.Hashes = append(st.Hashes, uint64(st.Messages))
					if len(st.Hashes) > 5 {
						st.Hashes = st.Hashes[len(st.Hashes)-5:]
					}
					st.Pending = []points.Entry{{Time: at, Delta: n, Score: n, Reason: points.ReasonMessage}}
					if err := saveChange(b, benchCommunity, o.id, old, &st); err != nil {
						return err
					}
				}
				return d.flush(tx)
			})
			for _, o := range batch {
				o.done <- err
			}
		}
	}()
	return func(who int) {
		var id bot.MemberID
		if err := db.View(func(tx *bolt.Tx) error {
			id = bot.MemberID(tx.Bucket(bucketAccount).Get(ckey(benchCommunity, benchAccount(who).Key())))
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

// counting is an adapter that keeps the line count of the last message.
type counting struct {
	mu   sync.Mutex
	last string
}

func (*counting) Platform() string { return bot.Telegram }

func (*counting) Run(ctx context.Context, _ bot.Handler) error { <-ctx.Done(); return nil }

func (c *counting) Send(_ context.Context, _ bot.ChatRef, msg bot.Outgoing) (bot.MessageRef, error) {
	c.mu.Lock()
	c.last = msg.Text
	c.mu.Unlock()
	return bot.MessageRef{ID: "1"}, nil
}

func (c *counting) lines() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, l := range []byte(c.last) {
		if l == '\n' {
			n++
		}
	}
	return n + 1
}
