package store

import (
	"bytes"
	"encoding/binary"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/points"
	bolt "go.etcd.io/bbolt"
)

// Leaderboards. Every scope ("all", "w2026-W02", "m2026-01") has:
//
//   - exact counts in bucketPtsBoard, scope ‖ 0 ‖ inv(points) ‖ 0 → how many
//     members have exactly that many points. The all-time scope also keeps
//     one key per member right after its count, scope ‖ 0 ‖ inv(points) ‖
//     len(id) ‖ id, so moving a member and its counts touches neighbouring
//     keys: usually one page.
//   - band counts in bucketPtsBands, scope ‖ 0 ‖ level ‖ inv(points)>>(4·level)
//     for levels 1..bandLevels: a 16-ary count tree, so a rank is a few
//     short cursor reads however many members there are.
//   - for the week and month scopes, instead of per-member keys, a short
//     list of the leading members in bucketPtsTop (see topList): a window
//     board changes on almost every event, and this keeps its writes on a
//     handful of shared pages.
//
// inv(points) sorts larger points first; ties sort by member id (length,
// then bytes: numeric ids ascending).

// bandLevels is the number of band levels; the top level is summed from
// the start of the scope (at most a few keys for scores below 2^28).
const bandLevels = 6

// inverted encodes points so that larger values sort first.
func inverted(v int64) uint64 { return ^(uint64(v) ^ 1<<63) }

func uninverted(u uint64) int64 { return int64(^u ^ 1<<63) }

func scopePrefix(community, scope string) []byte { return ckey(community, scope+"\x00") }

// boardKey is a member's key (or, with id "", the exact count key) of a
// points value in a scope.
func boardKey(prefix []byte, u uint64, id bot.MemberID) []byte {
	k := make([]byte, 0, len(prefix)+9+len(id))
	k = binary.BigEndian.AppendUint64(append(k, prefix...), u)
	k = append(k, byte(len(id)))
	return append(k, id...)
}

func bandKey(prefix []byte, level int, band uint64) []byte {
	k := make([]byte, 0, len(prefix)+9)
	k = append(append(k, prefix...), byte(level))
	return binary.BigEndian.AppendUint64(k, band)
}

// move takes a member from old to cur points in a scope: had and has say
// whether the member was and is on the board (non-zero points).
func move(b ptsBuckets, community, scope string, id bot.MemberID, old, cur int64, had, has bool) error {
	if had == has && old == cur {
		return nil
	}
	prefix := scopePrefix(community, scope)
	all := scope == points.ScopeAll
	uo, uc := inverted(old), inverted(cur)
	if had {
		if all {
			if err := b.board.Delete(boardKey(prefix, uo, id)); err != nil {
				return err
			}
		}
		if err := b.count(tagBoard, boardKey(prefix, uo, ""), -1); err != nil {
			return err
		}
	}
	if has {
		if all {
			if err := b.board.Put(boardKey(prefix, uc, id), nil); err != nil {
				return err
			}
		}
		if err := b.count(tagBoard, boardKey(prefix, uc, ""), 1); err != nil {
			return err
		}
	}
	for level := 1; level <= bandLevels; level++ {
		shift := uint(4 * level)
		if had && has && uo>>shift == uc>>shift {
			break // the same band here and at every level above
		}
		if had {
			if err := b.count(tagBands, bandKey(prefix, level, uo>>shift), -1); err != nil {
				return err
			}
		}
		if has {
			if err := b.count(tagBands, bandKey(prefix, level, uc>>shift), 1); err != nil {
				return err
			}
		}
	}
	if all {
		return nil
	}
	key := ckey(community, scope)
	if b.deltas == nil {
		l, err := readTop(b.top.Get(key))
		if err != nil || !l.update(id, old, cur, has) {
			return err
		}
		return b.top.Put(key, l.encode())
	}
	l := b.deltas.tops[string(key)]
	if l == nil {
		read, err := readTop(b.top.Get(key))
		if err != nil {
			return err
		}
		l = &read
		b.deltas.tops[string(key)] = l
	}
	if l.update(id, old, cur, has) {
		b.deltas.dirty[string(key)] = true
	}
	return nil
}

// count adds n to a board count, now or (with deltas) at the end of the
// transaction.
func (b ptsBuckets) count(tag byte, k []byte, n int64) error {
	if b.deltas == nil {
		bk := b.board
		if tag == tagBands {
			bk = b.bands
		}
		return addCount(bk, k, n)
	}
	b.deltas.counts[string(tag)+string(k)] += n
	return nil
}

// addCount adds d to the count under k, deleting it at zero.
func addCount(bk *bolt.Bucket, k []byte, d int64) error {
	n := int64(getUint(bk, k)) + d
	if n <= 0 {
		return bk.Delete(k)
	}
	var v [8]byte
	binary.BigEndian.PutUint64(v[:], uint64(n))
	return bk.Put(k, v[:])
}

// rankIn is 1 + the number of members of a scope with more than v points:
// the exact counts of the up to 15 values above v in its level-1 band, the
// bands above v's inside each parent band, and every top-level band above.
func rankIn(tx *bolt.Tx, community, scope string, v int64) int {
	board, bands := tx.Bucket(bucketPtsBoard), tx.Bucket(bucketPtsBands)
	if board == nil || bands == nil {
		return 1
	}
	prefix := scopePrefix(community, scope)
	u := inverted(v)
	above := uint64(0)
	for x := u &^ 0xF; x < u; x++ {
		above += getUint(board, boardKey(prefix, x, ""))
	}
	c := bands.Cursor()
	for level := 1; level <= bandLevels; level++ {
		band := u >> uint(4*level)
		from := band &^ 0xF
		if level == bandLevels {
			from = 0
		}
		end := bandKey(prefix, level, band)
		for k, n := c.Seek(bandKey(prefix, level, from)); k != nil && bytes.Compare(k, end) < 0; k, n = c.Next() {
			if len(n) == 8 {
				above += binary.BigEndian.Uint64(n)
			}
		}
	}
	return int(above) + 1
}

// topIn returns the first n members of a scope.
func topIn(tx *bolt.Tx, community, scope string, n int) ([]points.Ranked, error) {
	out := make([]points.Ranked, 0, n)
	if scope != points.ScopeAll {
		bk := tx.Bucket(bucketPtsTop)
		if bk == nil {
			return out, nil
		}
		l, err := readTop(bk.Get(ckey(community, scope)))
		for _, e := range l.entries {
			if len(out) == n {
				break
			}
			out = append(out, points.Ranked{Member: bot.MemberID(e.id), Points: e.points})
		}
		return out, err
	}
	bk := tx.Bucket(bucketPtsBoard)
	if bk == nil {
		return out, nil
	}
	prefix := scopePrefix(community, scope)
	c := bk.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(out) < n; k, _ = c.Next() {
		rest := k[len(prefix):]
		if len(rest) < 9 || int(rest[8]) != len(rest)-9 {
			return out, errCorrupt
		}
		if rest[8] == 0 {
			continue // a count
		}
		out = append(out, points.Ranked{Member: bot.MemberID(rest[9:]), Points: uninverted(binary.BigEndian.Uint64(rest))})
	}
	return out, nil
}
