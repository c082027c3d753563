package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/analytics"
	bolt "go.etcd.io/bbolt"
)

// Analytics buckets. Days are big-endian uint32 (analytics.Day), so keys of
// one community sort by day.
var (
	bucketCounts     = []byte("an_counts")      // community ‖ 0 ‖ day ‖ chat ‖ 0 ‖ counter → int64
	bucketDayActive  = []byte("an_day_active")  // community ‖ 0 ‖ day ‖ member → {}
	bucketChatActive = []byte("an_chat_active") // community ‖ 0 ‖ day ‖ chat ‖ 0 ‖ member → {}
	bucketFacts      = []byte("an_members")     // community ‖ 0 ‖ member → factsRecord (JSON)
	bucketJoins      = []byte("an_joins")       // community ‖ 0 ‖ first join day ‖ member → {}
	bucketLastSeen   = []byte("an_last_seen")   // community ‖ 0 ‖ day → int64 members last seen that day
	bucketReports    = []byte("an_reports")     // community ‖ 0 ‖ "weekly" → RFC 3339 time
)

var analyticsBuckets = [][]byte{bucketCounts, bucketDayActive, bucketChatActive, bucketFacts, bucketJoins, bucketLastSeen, bucketReports}

// factsRecord is analytics.MemberFacts as stored.
type factsRecord struct {
	Joined       analytics.Day `json:"j,omitempty"`
	FirstMessage analytics.Day `json:"f,omitempty"`
	LastActive   analytics.Day `json:"a,omitempty"`
	LastSeen     analytics.Day `json:"s,omitempty"`
	VIP          analytics.Day `json:"v,omitempty"`
	Left         analytics.Day `json:"l,omitempty"`
}

func (r factsRecord) facts(id bot.MemberID) analytics.MemberFacts {
	return analytics.MemberFacts{Member: id, Joined: r.Joined, FirstMessage: r.FirstMessage, LastActive: r.LastActive, LastSeen: r.LastSeen, VIP: r.VIP, Left: r.Left}
}

func dayBytes(d analytics.Day) []byte { return binary.BigEndian.AppendUint32(nil, uint32(d)) }

// dayKey is community ‖ 0 ‖ day ‖ rest.
func dayKey(community string, d analytics.Day, rest string) []byte {
	return ckey(community, string(dayBytes(d))+rest)
}

// Record applies one batch of analytics in a single group commit. It
// implements analytics.Store.
func (s *Store) Record(ctx context.Context, b analytics.Batch) error {
	return s.write(ctx, func(tx *bolt.Tx) error {
		bk, err := analyticsTx(tx)
		if err != nil {
			return err
		}
		for _, inc := range b.Counts {
			if err := bk.add(dayKey(inc.Community, inc.Day, inc.Chat+"\x00"+inc.Name), inc.N); err != nil {
				return err
			}
		}
		for _, a := range b.Activity {
			if err := bk.activity(a); err != nil {
				return err
			}
		}
		return nil
	})
}

// anBuckets are the analytics buckets of one write transaction.
type anBuckets struct {
	counts, dayActive, chatActive, facts, joins, lastSeen *bolt.Bucket
}

func analyticsTx(tx *bolt.Tx) (*anBuckets, error) {
	var bs [6]*bolt.Bucket
	for i, name := range analyticsBuckets[:6] {
		b, err := tx.CreateBucketIfNotExists(name)
		if err != nil {
			return nil, err
		}
		bs[i] = b
	}
	return &anBuckets{bs[0], bs[1], bs[2], bs[3], bs[4], bs[5]}, nil
}

// add adds n to an int64 counter in the counts bucket.
func (bk *anBuckets) add(key []byte, n int64) error { return addInt(bk.counts, key, n) }

func addInt(b *bolt.Bucket, key []byte, n int64) error {
	var v int64
	if old := b.Get(key); len(old) == 8 {
		v = int64(binary.BigEndian.Uint64(old))
	}
	return b.Put(key, binary.BigEndian.AppendUint64(nil, uint64(v+n)))
}

// count adds one to a community counter of a day (chat "" for the total).
func (bk *anBuckets) count(community string, d analytics.Day, chat, name string) error {
	return bk.add(dayKey(community, d, chat+"\x00"+name), 1)
}

// activity updates the member's facts and the indexes for one activity.
func (bk *anBuckets) activity(a analytics.Activity) error {
	fkey := ckey(a.Community, string(a.Member))
	var f factsRecord
	if v := bk.facts.Get(fkey); v != nil {
		if err := json.Unmarshal(v, &f); err != nil {
			return fmt.Errorf("analytics facts %s/%s: %w", a.Community, a.Member, err)
		}
	}
	seen := false
	switch a.Kind {
	case analytics.Joined:
		seen = true
		if f.Joined == 0 || a.Day < f.Joined {
			if f.Joined != 0 {
				if err := bk.joins.Delete(dayKey(a.Community, f.Joined, string(a.Member))); err != nil {
					return err
				}
				if err := bk.add(dayKey(a.Community, f.Joined, "\x00"+analytics.CountNew), -1); err != nil {
					return err
				}
			}
			f.Joined = a.Day
			if err := bk.joins.Put(dayKey(a.Community, a.Day, string(a.Member)), nil); err != nil {
				return err
			}
			if err := bk.count(a.Community, a.Day, "", analytics.CountNew); err != nil {
				return err
			}
		}
	case analytics.Left:
		f.Left = max(f.Left, a.Day)
	case analytics.Wrote, analytics.Acted:
		seen = true
		if err := bk.markActive(a); err != nil {
			return err
		}
		f.LastActive = max(f.LastActive, a.Day)
		if a.Kind == analytics.Wrote && (f.FirstMessage == 0 || a.Day < f.FirstMessage) {
			f.FirstMessage = a.Day
		}
	case analytics.ReachedVIP:
		if f.VIP == 0 {
			f.VIP = a.Day
			if err := bk.count(a.Community, a.Day, "", bot.CountVIP); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("analytics: unknown activity kind %d", a.Kind)
	}
	if seen && a.Day > f.LastSeen {
		if f.LastSeen != 0 {
			if err := addInt(bk.lastSeen, dayKey(a.Community, f.LastSeen, ""), -1); err != nil {
				return err
			}
		}
		if err := addInt(bk.lastSeen, dayKey(a.Community, a.Day, ""), 1); err != nil {
			return err
		}
		f.LastSeen = a.Day
	}
	v, err := json.Marshal(f)
	if err != nil {
		return err
	}
	return bk.facts.Put(fkey, v)
}

// markActive adds the member to the day's active set (and the chat's),
// counting them the first time.
func (bk *anBuckets) markActive(a analytics.Activity) error {
	k := dayKey(a.Community, a.Day, string(a.Member))
	if bk.dayActive.Get(k) == nil {
		if err := bk.dayActive.Put(k, nil); err != nil {
			return err
		}
		if err := bk.count(a.Community, a.Day, "", analytics.CountActive); err != nil {
			return err
		}
	}
	if a.Chat == "" {
		return nil
	}
	k = dayKey(a.Community, a.Day, a.Chat+"\x00"+string(a.Member))
	if bk.chatActive.Get(k) != nil {
		return nil
	}
	if err := bk.chatActive.Put(k, nil); err != nil {
		return err
	}
	return bk.count(a.Community, a.Day, a.Chat, analytics.CountActive)
}

// scanDays calls fn with the day and the rest of every key of the
// community from day from to day to in a bucket; a missing bucket is empty.
func scanDays(tx *bolt.Tx, bucket []byte, community string, from, to analytics.Day, fn func(d analytics.Day, rest, v []byte) error) error {
	b := tx.Bucket(bucket)
	if b == nil || from > to {
		return nil
	}
	prefix := ckey(community, "")
	end := dayKey(community, to+1, "")
	c := b.Cursor()
	for k, v := c.Seek(dayKey(community, from, "")); k != nil && string(k) < string(end); k, v = c.Next() {
		if len(k) < len(prefix)+4 {
			continue
		}
		d := analytics.Day(binary.BigEndian.Uint32(k[len(prefix):]))
		if err := fn(d, k[len(prefix)+4:], v); err != nil {
			return err
		}
	}
	return nil
}

// Counters returns the community's counters for the days from..to.
func (s *Store) Counters(_ context.Context, community string, from, to analytics.Day) (map[analytics.CounterKey]int64, error) {
	out := map[analytics.CounterKey]int64{}
	err := s.view(func(tx *bolt.Tx) error {
		return scanDays(tx, bucketCounts, community, from, to, func(d analytics.Day, rest, v []byte) error {
			i := indexZero(rest)
			if i < 0 || len(v) != 8 {
				return nil
			}
			out[analytics.CounterKey{Day: d, Chat: string(rest[:i]), Name: string(rest[i+1:])}] = int64(binary.BigEndian.Uint64(v))
			return nil
		})
	})
	return out, err
}

func indexZero(b []byte) int {
	for i, c := range b {
		if c == 0 {
			return i
		}
	}
	return -1
}

// ActiveMembers counts the distinct members active from..to, from the
// per-day sets.
func (s *Store) ActiveMembers(_ context.Context, community string, from, to analytics.Day) (int, error) {
	seen := map[string]struct{}{}
	err := s.view(func(tx *bolt.Tx) error {
		return scanDays(tx, bucketDayActive, community, from, to, func(_ analytics.Day, member, _ []byte) error {
			seen[string(member)] = struct{}{}
			return nil
		})
	})
	return len(seen), err
}

// Joiners returns the facts of the members who first joined from..to.
func (s *Store) Joiners(_ context.Context, community string, from, to analytics.Day) ([]analytics.MemberFacts, error) {
	var out []analytics.MemberFacts
	err := s.view(func(tx *bolt.Tx) error {
		facts := tx.Bucket(bucketFacts)
		return scanDays(tx, bucketJoins, community, from, to, func(_ analytics.Day, member, _ []byte) error {
			id := bot.MemberID(member)
			var f factsRecord
			if v := facts.Get(ckey(community, string(id))); v != nil {
				if err := json.Unmarshal(v, &f); err != nil {
					return fmt.Errorf("analytics facts %s/%s: %w", community, id, err)
				}
			}
			out = append(out, f.facts(id))
			return nil
		})
	})
	return out, err
}

// LastSeen returns how many members were last seen on each day.
func (s *Store) LastSeen(_ context.Context, community string) (map[analytics.Day]int64, error) {
	out := map[analytics.Day]int64{}
	err := s.view(func(tx *bolt.Tx) error {
		return scanDays(tx, bucketLastSeen, community, 0, analytics.Day(1<<31-2), func(d analytics.Day, _, v []byte) error {
			if len(v) == 8 && binary.BigEndian.Uint64(v) != 0 {
				out[d] = int64(binary.BigEndian.Uint64(v))
			}
			return nil
		})
	})
	return out, err
}

// EachMember calls fn with every member's analytics facts.
func (s *Store) EachMember(_ context.Context, community string, fn func(analytics.MemberFacts) error) error {
	var all []analytics.MemberFacts
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFacts)
		if b == nil {
			return nil
		}
		prefix := ckey(community, "")
		c := b.Cursor()
		for k, v := c.Seek(prefix); k != nil && len(k) >= len(prefix) && string(k[:len(prefix)]) == string(prefix); k, v = c.Next() {
			var f factsRecord
			if err := json.Unmarshal(v, &f); err != nil {
				return fmt.Errorf("analytics facts %q: %w", k, err)
			}
			all = append(all, f.facts(bot.MemberID(k[len(prefix):])))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, f := range all {
		if err := fn(f); err != nil {
			return err
		}
	}
	return nil
}

// LastReport returns when the community's weekly report last ran.
func (s *Store) LastReport(_ context.Context, community string) (time.Time, error) {
	var at time.Time
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketReports)
		if b == nil {
			return nil
		}
		if v := b.Get(ckey(community, "weekly")); v != nil {
			return at.UnmarshalText(v)
		}
		return nil
	})
	return at, err
}

// SetLastReport records when the community's weekly report ran.
func (s *Store) SetLastReport(ctx context.Context, community string, at time.Time) error {
	v, err := at.UTC().MarshalText()
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketReports)
		if err != nil {
			return err
		}
		return b.Put(ckey(community, "weekly"), v)
	})
}

var _ analytics.Store = (*Store)(nil)
