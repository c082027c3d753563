package store

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/points"
	bolt "go.etcd.io/bbolt"
)

// Leaderboards. Every scope ("all", "w2026-W02", "m2026-01") has two parts:
//
//   - a count tree in bucketPtsBands: scope ‖ 0 ‖ level ‖ band → 16 child
//     counts (uint32 each). With u = inv(points), the level-1 record of
//     band u>>4 counts the members at each of its 16 exact values, the
//     level-2 record of band u>>8 counts the members in each of its 16
//     level-1 bands, and so on up to level bandLevels. A rank is then one
//     read per level plus the few top-level records above. Moving a
//     member by a few points changes two level-1 records and one above.
//   - the head of the board in bucketPtsBoard: scope ‖ 0 ‖ inv(points) ‖
//     len(id) ‖ id, one key per member, but only for the members that
//     rank first: the head is always a prefix of the board order, cut back
//     to headKeep keys when it grows past twice that (headMeta). Members
//     below it have no key, so an event of the many members outside the
//     head touches no per-member index page.
//
// inv(points) sorts larger points first; ties sort by member id (length,
// then bytes: numeric ids ascending). A member enters the head when it
// ranks above the head's last key (or the head is the whole board); a
// member in the head who falls below the last key leaves it. Only such
// falls (deductions) shorten the head between cuts.

// bandLevels is the number of count tree levels; the top level is summed
// from the start of the scope (one record for scores below 2^24).
const bandLevels = 6

// headKeep is how many members a board's head keeps after a cut.
const headKeep = 1000

// inverted encodes points so that larger values sort first.
func inverted(v int64) uint64 { return ^(uint64(v) ^ 1<<63) }

func uninverted(u uint64) int64 { return int64(^u ^ 1<<63) }

func scopePrefix(community, scope string) []byte { return ckey(community, scope+"\x00") }

// boardKey is a member's key in a board's head.
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

// bandRecord is a count tree record: the counts of its 16 children.
type bandRecord [16]uint32

func readBand(v []byte) (r bandRecord) {
	if len(v) == 64 {
		for i := range r {
			r[i] = binary.BigEndian.Uint32(v[4*i:])
		}
	}
	return r
}

func (r *bandRecord) total() (n uint64) {
	for _, c := range r {
		n += uint64(c)
	}
	return n
}

// move takes a member from old to cur points in a scope: had and has say
// whether the member was and is on the board (non-zero points).
func move(b ptsBuckets, community, scope string, id bot.MemberID, old, cur int64, had, has bool) error {
	if had == has && old == cur {
		return nil
	}
	if b.deltas == nil {
		return errNoDeltas
	}
	prefix := scopePrefix(community, scope)
	uo, uc := inverted(old), inverted(cur)
	for level := 1; level <= bandLevels; level++ {
		shift := uint(4 * level)
		bo, bc := uo>>shift, uc>>shift
		do, dc := (uo>>(shift-4))&0xF, (uc>>(shift-4))&0xF
		if had && has && bo == bc {
			if do != dc {
				b.deltas.band(bandKey(prefix, level, bo), do, -1)
				b.deltas.band(bandKey(prefix, level, bc), dc, 1)
			}
			break // the same record here and at every level above
		}
		if had {
			b.deltas.band(bandKey(prefix, level, bo), do, -1)
		}
		if has {
			b.deltas.band(bandKey(prefix, level, bc), dc, 1)
		}
	}
	return moveHead(b, prefix, id, uo, uc, had, has)
}

// moveHead keeps a board's head a prefix of the board order.
func moveHead(b ptsBuckets, prefix []byte, id bot.MemberID, uo, uc uint64, had, has bool) error {
	h, err := b.deltas.head(b, prefix)
	if err != nil {
		return err
	}
	oldKey, newKey := boardKey(prefix, uo, id), boardKey(prefix, uc, id)
	floor, err := h.last(b.board, prefix)
	if err != nil {
		return err
	}
	inOld := had && (h.complete || floor != nil && bytes.Compare(oldKey, floor) <= 0)
	inNew := has && (h.complete || floor != nil && bytes.Compare(newKey, floor) < 0 ||
		inOld && bytes.Compare(newKey, oldKey) <= 0)
	if inOld {
		if err := b.board.Delete(oldKey); err != nil {
			return err
		}
		h.n--
		if bytes.Equal(oldKey, floor) {
			h.floor = nil
		}
	}
	if inNew {
		if err := b.board.Put(newKey, nil); err != nil {
			return err
		}
		h.n++
		if floor == nil || bytes.Compare(newKey, floor) > 0 {
			h.floor = nil
		}
	}
	h.dirty = h.dirty || inOld || inNew
	if h.n > 2*headKeep {
		return h.cut(b.board, prefix)
	}
	return nil
}

// headMeta is what a write transaction knows of a board's head: its size,
// whether it is the whole board, and its last key (nil: not known yet).
type headMeta struct {
	n        uint64
	complete bool
	floor    []byte
	dirty    bool
}

const headV1 = 1

func readHead(v []byte) (headMeta, error) {
	if v == nil {
		return headMeta{complete: true}, nil
	}
	d := dec{b: v}
	if len(v) < 2 || v[0] != headV1 {
		return headMeta{}, errCorrupt
	}
	h := headMeta{complete: v[1] == 1}
	d.b = v[2:]
	h.n = d.uint()
	return h, d.err
}

func (h *headMeta) encode() []byte {
	e := enc{b: []byte{headV1, boolByte(h.complete)}}
	e.uint(h.n)
	return e.b
}

// last returns the head's last key (nil for an empty head).
func (h *headMeta) last(bk *bolt.Bucket, prefix []byte) ([]byte, error) {
	if h.floor != nil || h.n == 0 {
		return h.floor, nil
	}
	c := bk.Cursor()
	k, _ := c.Seek(append(prefix[:len(prefix)-1:len(prefix)-1], 1)) // just past the scope
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	if k == nil || !bytes.HasPrefix(k, prefix) {
		// A cursor can miss keys next to nodes emptied by deletes earlier
		// in the same transaction: walk the head forwards instead.
		k = nil
		for x, _ := c.Seek(prefix); x != nil && bytes.HasPrefix(x, prefix); x, _ = c.Next() {
			k = x
		}
	}
	if k == nil {
		return nil, fmt.Errorf("board head %q counts %d members but has none: %w", prefix, h.n, errCorrupt)
	}
	h.floor = append([]byte(nil), k...)
	return h.floor, nil
}

// cut deletes the head's keys after the first headKeep.
func (h *headMeta) cut(bk *bolt.Bucket, prefix []byte) error {
	var drop [][]byte
	var floor []byte
	c := bk.Cursor()
	i := uint64(0)
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		switch i++; {
		case i == headKeep:
			floor = append([]byte(nil), k...)
		case i > headKeep:
			drop = append(drop, append([]byte(nil), k...))
		}
	}
	for _, k := range drop {
		if err := bk.Delete(k); err != nil {
			return err
		}
	}
	h.n, h.complete, h.floor, h.dirty = min(i, headKeep), false, floor, true
	return nil
}

// rankIn is 1 + the number of members of a scope with more than v points:
// at every level, the counts of the siblings that sort before v's branch,
// and every top-level record before it.
func rankIn(tx *bolt.Tx, community, scope string, v int64) int {
	bands := tx.Bucket(bucketPtsBands)
	if bands == nil {
		return 1
	}
	prefix := scopePrefix(community, scope)
	u := inverted(v)
	above := uint64(0)
	for level := 1; level <= bandLevels; level++ {
		shift := uint(4 * level)
		r := readBand(bands.Get(bandKey(prefix, level, u>>shift)))
		for j := range (u >> (shift - 4)) & 0xF {
			above += uint64(r[j])
		}
	}
	c := bands.Cursor()
	end := bandKey(prefix, bandLevels, u>>(4*bandLevels))
	for k, v := c.Seek(bandKey(prefix, bandLevels, 0)); k != nil && bytes.Compare(k, end) < 0; k, v = c.Next() {
		r := readBand(v)
		above += r.total()
	}
	return int(above) + 1
}

// topIn returns the first n members of a scope from its head.
func topIn(tx *bolt.Tx, community, scope string, n int) ([]points.Ranked, error) {
	out := make([]points.Ranked, 0, n)
	bk := tx.Bucket(bucketPtsBoard)
	if bk == nil {
		return out, nil
	}
	prefix := scopePrefix(community, scope)
	c := bk.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(out) < n; k, _ = c.Next() {
		rest := k[len(prefix):]
		if len(rest) < 10 || int(rest[8]) != len(rest)-9 {
			return out, errCorrupt
		}
		out = append(out, points.Ranked{Member: bot.MemberID(rest[9:]), Points: uninverted(binary.BigEndian.Uint64(rest))})
	}
	return out, nil
}
