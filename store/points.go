package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/points"
	bolt "go.etcd.io/bbolt"
)

// Buckets of the points ledger. Keys start with ckey(community, ...).
var (
	bucketPtsState  = []byte("pts_state")  // member id → points.State (binary, see points_codec.go)
	bucketPtsLedger = []byte("pts_ledger") // seq (8 bytes) → points.Entry (binary), append-only
	bucketPtsRefs   = []byte("pts_refs")   // member id ‖ 0 ‖ rule ‖ 0 ‖ ref → ""
	bucketPtsBoard  = []byte("pts_board")  // leaderboard heads: scope ‖ 0 ‖ inv(points) ‖ len(id) ‖ id (points_board.go)
	bucketPtsBands  = []byte("pts_bands")  // leaderboard count trees
	bucketMerged    = []byte("merged")     // retired member id → the member it was merged into
)

// ptsBuckets are the ledger's buckets inside one write transaction.
type ptsBuckets struct {
	state, ledger, refs, board, bands, head *bolt.Bucket
	// deltas gathers the board changes; without it (nil) the buckets
	// are only good for work that moves no member on a board.
	deltas *boardDeltas
}

// openPts opens the ledger's buckets; board changes go through d, which
// must be flushed before the commit.
func openPts(tx *bolt.Tx, d *boardDeltas) (ptsBuckets, error) {
	b := ptsBuckets{deltas: d}
	rebuild := d != nil && tx.Bucket(bucketPtsBands) == nil && tx.Bucket(bucketPtsState) != nil
	for _, x := range []struct {
		dst  **bolt.Bucket
		name []byte
	}{{&b.state, bucketPtsState}, {&b.ledger, bucketPtsLedger}, {&b.refs, bucketPtsRefs}, {&b.board, bucketPtsBoard}, {&b.bands, bucketPtsBands}, {&b.head, bucketPtsHead}} {
		bk, err := tx.CreateBucketIfNotExists(x.name)
		if err != nil {
			return b, err
		}
		*x.dst = bk
	}
	// The ledger only grows at its end: full pages instead of half-empty
	// ones after each split.
	b.ledger.FillPercent = 1
	if rebuild {
		return b, rebuildBoards(tx, b)
	}
	return b, nil
}

// rebuildBoards builds the boards from the members' states, once, for a
// database written before the boards had their present layout (whose
// rank buckets it drops).
func rebuildBoards(tx *bolt.Tx, b ptsBuckets) error {
	for _, old := range [][]byte{[]byte("pts_rank"), []byte("pts_count")} {
		if tx.Bucket(old) != nil {
			if err := tx.DeleteBucket(old); err != nil {
				return err
			}
		}
	}
	type member struct {
		community string
		id        bot.MemberID
		st        points.State
	}
	var all []member
	err := b.state.ForEach(func(k, v []byte) error {
		community, id, ok := bytes.Cut(k, []byte{0})
		if !ok {
			return nil
		}
		m := member{community: string(community), id: bot.MemberID(id)}
		if err := decodeState(v, &m.st); err != nil {
			return fmt.Errorf("points state %q: %w", k, err)
		}
		all = append(all, m)
		return nil
	})
	if err != nil {
		return err
	}
	for _, m := range all {
		if err := move(b, m.community, points.ScopeAll, m.id, 0, m.st.Score, false, m.st.Score != 0); err != nil {
			return err
		}
		if err := moveWindow(b, m.community, "w", m.id, points.Window{}, m.st.Week); err != nil {
			return err
		}
		if err := moveWindow(b, m.community, "m", m.id, points.Window{}, m.st.Month); err != nil {
			return err
		}
	}
	return nil
}

// Apply runs a points rule on a member's state and persists the result in
// one group commit. It implements points.Store.
func (s *Store) Apply(ctx context.Context, community string, member bot.MemberID, fn func(st *points.State, seen func(rule, ref string) bool) error) (points.State, error) {
	var out points.State
	err := s.write(ctx, func(tx *bolt.Tx) error {
		b, err := openPts(tx, s.deltas)
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
	if err := decodeState(v, &st); err != nil {
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
		if err := b.ledger.Put(ledgerKey(community, seq), encodeEntry(e)); err != nil {
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
	if err := move(b, community, points.ScopeAll, id, old.Score, st.Score, old.Score != 0, st.Score != 0); err != nil {
		return err
	}
	if err := moveWindow(b, community, "w", id, old.Week, st.Week); err != nil {
		return err
	}
	if err := moveWindow(b, community, "m", id, old.Month, st.Month); err != nil {
		return err
	}
	return b.state.Put(ckey(community, string(id)), encodeState(st))
}

// moveWindow moves a member in a week or month board. When the period
// rolled over, the old board keeps the final score as history; a window
// cleared by a merge leaves its board.
func moveWindow(b ptsBuckets, community, kind string, id bot.MemberID, old, cur points.Window) error {
	if old.Period == cur.Period {
		if cur.Period == "" {
			return nil
		}
		return move(b, community, kind+cur.Period, id, old.Points, cur.Points, old.Points != 0, cur.Points != 0)
	}
	if cur.Period == "" && old.Period != "" {
		return move(b, community, kind+old.Period, id, old.Points, 0, old.Points != 0, false)
	}
	return move(b, community, kind+cur.Period, id, 0, cur.Points, false, cur.Points != 0)
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
			e, err := decodeEntry(v, st.Recent[i])
			if err != nil {
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
	var out []points.Ranked
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		out, err = topIn(tx, community, scope, n)
		return err
	})
	return out, err
}

// Board reads the head of a leaderboard with the members' names and the
// standing of one member in one read transaction.
func (s *Store) Board(_ context.Context, community, scope string, n int, member bot.MemberID, standing func(st *points.State) int64) (points.Board, error) {
	var out points.Board
	err := s.view(func(tx *bolt.Tx) error {
		top, err := topIn(tx, community, scope, n)
		if err != nil {
			return err
		}
		members := tx.Bucket(bucketMembers)
		for i := range top {
			var rec memberRecord
			if v := members.Get(ckey(community, string(top[i].Member))); v != nil && decodeMember(v, &rec) == nil {
				top[i].Name = rec.Name
			}
		}
		out.Top = top
		id := followMerged(tx, community, member)
		st, err := loadState(tx.Bucket(bucketPtsState), community, id)
		if err != nil {
			return err
		}
		if out.Points = standing(&st); out.Points == 0 {
			return nil
		}
		for i, r := range top {
			if r.Member == id {
				out.Rank = i + 1
				for out.Rank > 1 && top[out.Rank-2].Points == r.Points {
					out.Rank--
				}
				return nil
			}
		}
		out.Rank = rankIn(tx, community, scope, out.Points)
		return nil
	})
	return out, err
}

// Rank is 1 + the number of members of a scope with more than v points,
// read from the board's counts.
func (s *Store) Rank(_ context.Context, community, scope string, v int64) (int, error) {
	rank := 1
	err := s.view(func(tx *bolt.Tx) error {
		rank = rankIn(tx, community, scope, v)
		return nil
	})
	return rank, err
}

// Ledger calls fn with every ledger entry of the community, oldest first,
// in one read transaction.
func (s *Store) Ledger(_ context.Context, community string, fn func(points.Entry) error) error {
	return s.view(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bucketPtsLedger)
		if bk == nil {
			return nil
		}
		prefix := ckey(community, "")
		c := bk.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(k) == len(prefix)+8; k, v = c.Next() {
			seq := binary.BigEndian.Uint64(k[len(prefix):])
			e, err := decodeEntry(v, seq)
			if err != nil {
				return fmt.Errorf("ledger entry %d: %w", seq, err)
			}
			if err := fn(e); err != nil {
				return err
			}
		}
		return nil
	})
}

var _ points.Store = (*Store)(nil)
