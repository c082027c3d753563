package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/points"
	bolt "go.etcd.io/bbolt"
)

// Buckets of the points ledger. Keys start with ckey(community, ...).
var (
	bucketPtsState  = []byte("pts_state")  // member id → points.State (JSON)
	bucketPtsLedger = []byte("pts_ledger") // seq (8 bytes) → points.Entry (JSON), append-only
	bucketPtsRefs   = []byte("pts_refs")   // member id ‖ 0 ‖ rule ‖ 0 ‖ ref → ""
	bucketPtsRank   = []byte("pts_rank")   // scope ‖ 0 ‖ inverted points ‖ len(id) ‖ id → ""
	bucketPtsCount  = []byte("pts_count")  // scope ‖ 0 ‖ level ‖ inverted value → member count (8 bytes)
	bucketMerged    = []byte("merged")     // retired member id → the member it was merged into
)

// bandShift groups points into bands of 1024 for the coarse rank counts:
// a rank costs at most one read per band above plus one per distinct
// value inside the member's band.
const bandShift = 10

// ptsBuckets are the ledger's buckets inside one write transaction.
type ptsBuckets struct {
	state, ledger, refs, rank, count *bolt.Bucket
}

func openPts(tx *bolt.Tx) (ptsBuckets, error) {
	var b ptsBuckets
	for _, x := range []struct {
		dst  **bolt.Bucket
		name []byte
	}{{&b.state, bucketPtsState}, {&b.ledger, bucketPtsLedger}, {&b.refs, bucketPtsRefs}, {&b.rank, bucketPtsRank}, {&b.count, bucketPtsCount}} {
		bk, err := tx.CreateBucketIfNotExists(x.name)
		if err != nil {
			return b, err
		}
		*x.dst = bk
	}
	return b, nil
}

// Apply runs a points rule on a member's state and persists the result in
// one group commit. It implements points.Store.
func (s *Store) Apply(ctx context.Context, community string, member bot.MemberID, fn func(st *points.State, seen func(rule, ref string) bool) error) (points.State, error) {
	var out points.State
	err := s.write(ctx, func(tx *bolt.Tx) error {
		b, err := openPts(tx)
		if err != nil {
			return err
		}
		out, err = applyTx(tx, b, community, followMerged(tx, community, member), fn)
		return err
	})
	return out, err
}

// applyTx loads the state, runs fn and saves the change.
func applyTx(tx *bolt.Tx, b ptsBuckets, community string, id bot.MemberID, fn func(st *points.State, seen func(rule, ref string) bool) error) (points.State, error) {
	st, err := loadState(b.state, community, id)
	if err != nil {
		return st, err
	}
	old := st
	seen := func(rule, ref string) bool { return b.refs.Get(refKey(community, id, rule, ref)) != nil }
	if err := fn(&st, seen); err != nil {
		return st, err
	}
	return st, saveChange(b, community, id, old, &st)
}

func loadState(bk *bolt.Bucket, community string, id bot.MemberID) (points.State, error) {
	var st points.State
	if bk == nil {
		return st, nil
	}
	v := bk.Get(ckey(community, string(id)))
	if v == nil {
		return st, nil
	}
	if err := json.Unmarshal(v, &st); err != nil {
		return st, fmt.Errorf("points state %s/%s: %w", community, id, err)
	}
	return st, nil
}

// saveChange writes the entries fn posted, moves the rank indexes and
// stores the state.
func saveChange(b ptsBuckets, community string, id bot.MemberID, old points.State, st *points.State) error {
	if st.Balance < 0 {
		return points.ErrNegative
	}
	for i := range st.Pending {
		e := &st.Pending[i]
		seq, err := b.ledger.NextSequence()
		if err != nil {
			return err
		}
		e.Seq, e.Member = seq, id
		v, err := json.Marshal(e)
		if err != nil {
			return err
		}
		if err := b.ledger.Put(ledgerKey(community, seq), v); err != nil {
			return err
		}
		st.Recent = append(st.Recent, seq)
		if len(st.Recent) > recentEntries {
			st.Recent = st.Recent[len(st.Recent)-recentEntries:]
		}
		if e.Rule != "" && e.Ref != "" {
			if err := b.refs.Put(refKey(community, id, e.Rule, e.Ref), nil); err != nil {
				return err
			}
		}
	}
	if err := reindex(b, community, points.ScopeAll, id, old.Score, st.Score, old.Score != 0, st.Score != 0); err != nil {
		return err
	}
	if err := reindexWindow(b, community, "w", id, old.Week, st.Week); err != nil {
		return err
	}
	if err := reindexWindow(b, community, "m", id, old.Month, st.Month); err != nil {
		return err
	}
	pending := st.Pending
	st.Pending = nil
	v, err := json.Marshal(st)
	st.Pending = pending
	if err != nil {
		return err
	}
	return b.state.Put(ckey(community, string(id)), v)
}

// reindexWindow moves a member in a week or month board. When the period
// rolled over, the old board keeps the final score as history; a window
// cleared by a merge leaves its board.
func reindexWindow(b ptsBuckets, community, kind string, id bot.MemberID, old, cur points.Window) error {
	if old.Period == cur.Period {
		if cur.Period == "" {
			return nil
		}
		return reindex(b, community, kind+cur.Period, id, old.Points, cur.Points, old.Points != 0, cur.Points != 0)
	}
	if cur.Period == "" && old.Period != "" {
		return reindex(b, community, kind+old.Period, id, old.Points, 0, old.Points != 0, false)
	}
	return reindex(b, community, kind+cur.Period, id, 0, cur.Points, false, cur.Points != 0)
}

// reindex moves a member from old to cur points in a scope's rank index and
// counts.
func reindex(b ptsBuckets, community, scope string, id bot.MemberID, old, cur int64, had, has bool) error {
	if had == has && old == cur {
		return nil
	}
	if had {
		if err := b.rank.Delete(rankKey(community, scope, old, id)); err != nil {
			return err
		}
		if err := addCount(b.count, community, scope, old, -1); err != nil {
			return err
		}
	}
	if has {
		if err := b.rank.Put(rankKey(community, scope, cur, id), nil); err != nil {
			return err
		}
		if err := addCount(b.count, community, scope, cur, 1); err != nil {
			return err
		}
	}
	return nil
}

// addCount adjusts the exact (level 0) and band (level 1) member counts.
func addCount(bk *bolt.Bucket, community, scope string, v int64, d int64) error {
	for level := byte(0); level < 2; level++ {
		k := countKey(community, scope, level, v)
		n := int64(0)
		if cur := bk.Get(k); len(cur) == 8 {
			n = int64(binary.BigEndian.Uint64(cur))
		}
		n += d
		var err error
		if n <= 0 {
			err = bk.Delete(k)
		} else {
			err = bk.Put(k, binary.BigEndian.AppendUint64(nil, uint64(n)))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// inverted encodes points so that larger values sort first.
func inverted(v int64) uint64 { return ^(uint64(v) ^ 1<<63) }

func uninverted(u uint64) int64 { return int64(^u ^ 1<<63) }

func scopePrefix(community, scope string) []byte { return ckey(community, scope+"\x00") }

func rankKey(community, scope string, v int64, id bot.MemberID) []byte {
	k := binary.BigEndian.AppendUint64(scopePrefix(community, scope), inverted(v))
	k = append(k, byte(len(id)))
	return append(k, id...)
}

func countKey(community, scope string, level byte, v int64) []byte {
	if level == 1 {
		v >>= bandShift
	}
	return binary.BigEndian.AppendUint64(append(scopePrefix(community, scope), level), inverted(v))
}

// ledgerKey keys entries by community and sequence, so appends touch the
// last pages of the bucket only.
func ledgerKey(community string, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(ckey(community, ""), seq)
}

// recentEntries is how many entry numbers a state keeps for /points.
const recentEntries = 5

func refKey(community string, id bot.MemberID, rule, ref string) []byte {
	return ckey(community, string(id)+"\x00"+rule+"\x00"+ref)
}

// State returns a member's committed points state.
func (s *Store) State(_ context.Context, community string, member bot.MemberID) (points.State, error) {
	var st points.State
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		st, err = loadState(tx.Bucket(bucketPtsState), community, followMerged(tx, community, member))
		return err
	})
	return st, err
}

// Entries returns a member's last n (at most 5) ledger entries, newest first.
func (s *Store) Entries(_ context.Context, community string, member bot.MemberID, n int) ([]points.Entry, error) {
	var out []points.Entry
	err := s.view(func(tx *bolt.Tx) error {
		id := followMerged(tx, community, member)
		st, err := loadState(tx.Bucket(bucketPtsState), community, id)
		if err != nil {
			return err
		}
		bk := tx.Bucket(bucketPtsLedger)
		for i := len(st.Recent) - 1; i >= 0 && len(out) < n && bk != nil; i-- {
			v := bk.Get(ledgerKey(community, st.Recent[i]))
			if v == nil {
				continue
			}
			var e points.Entry
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("ledger entry %d: %w", st.Recent[i], err)
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// Top returns the first n members of a leaderboard scope; it reads n keys
// of the rank index and never scans members.
func (s *Store) Top(_ context.Context, community, scope string, n int) ([]points.Ranked, error) {
	out := make([]points.Ranked, 0, n)
	err := s.view(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bucketPtsRank)
		if bk == nil {
			return nil
		}
		prefix := scopePrefix(community, scope)
		c := bk.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(out) < n; k, _ = c.Next() {
			rest := k[len(prefix):]
			if len(rest) < 9 || int(rest[8]) != len(rest)-9 {
				return fmt.Errorf("malformed rank key %x", k)
			}
			out = append(out, points.Ranked{Member: bot.MemberID(rest[9:]), Points: uninverted(binary.BigEndian.Uint64(rest))})
		}
		return nil
	})
	return out, err
}

// Rank is 1 + the number of members of a scope with more than v points,
// summed from the band counts above v's band and the exact counts inside it.
func (s *Store) Rank(_ context.Context, community, scope string, v int64) (int, error) {
	above := 0
	err := s.view(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bucketPtsCount)
		if bk == nil {
			return nil
		}
		c := bk.Cursor()
		sum := func(from, to []byte) {
			for k, n := c.Seek(from); k != nil && bytes.Compare(k, to) < 0; k, n = c.Next() {
				if len(n) == 8 {
					above += int(binary.BigEndian.Uint64(n))
				}
			}
		}
		prefix := scopePrefix(community, scope)
		sum(append(append([]byte{}, prefix...), 1), countKey(community, scope, 1, v))
		bandTop := (v>>bandShift+1)<<bandShift - 1
		sum(countKey(community, scope, 0, bandTop), countKey(community, scope, 0, v))
		return nil
	})
	return above + 1, err
}

var _ points.Store = (*Store)(nil)
