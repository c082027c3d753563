package store

import (
	"slices"

	"github.com/cohortbot/cohort/bot"
)

// topKeep is how many leading members a window board keeps.
const topKeep = 50

// topList is the head of a week or month board, in board order (points
// descending, member id ascending). It is always a prefix of the full
// order: every member not in the list ranks below its last entry.
// complete says the list is the whole board. A list is kept a prefix as
// members move: a member enters when it ranks above the last entry (or
// the list is complete); a listed member who falls below the last entry
// (a deduction) leaves it, which shortens an incomplete list. Only
// deductions shorten it, and a new period starts a new list.
type topList struct {
	complete bool
	entries  []topEntry
}

type topEntry struct {
	points int64
	id     []byte
}

// before reports whether a ranks above b.
func (a topEntry) before(b topEntry) bool {
	if a.points != b.points {
		return a.points > b.points
	}
	if len(a.id) != len(b.id) {
		return len(a.id) < len(b.id)
	}
	return string(a.id) < string(b.id)
}

const topV1 = 1

// readTop decodes a stored list; a missing one is an empty, complete board.
// The entries do not share memory with v.
func readTop(v []byte) (topList, error) {
	if v == nil {
		return topList{complete: true}, nil
	}
	if len(v) < 2 || v[0] != topV1 {
		return topList{}, errCorrupt
	}
	d := dec{b: append([]byte(nil), v[2:]...)}
	l := topList{complete: v[1] == 1}
	n := d.count()
	l.entries = make([]topEntry, 0, n+1)
	for range n {
		p := d.int()
		k := d.count()
		if d.err != nil || k > len(d.b) {
			return topList{}, errCorrupt
		}
		l.entries = append(l.entries, topEntry{points: p, id: d.b[:k:k]})
		d.b = d.b[k:]
	}
	return l, d.err
}

func (l topList) encode() []byte {
	e := enc{b: make([]byte, 0, 2+len(l.entries)*12)}
	e.b = append(e.b, topV1, boolByte(l.complete))
	e.uint(uint64(len(l.entries)))
	for _, x := range l.entries {
		e.int(x.points)
		e.uint(uint64(len(x.id)))
		e.b = append(e.b, x.id...)
	}
	return e.b
}

// update moves a member in the list; it reports whether the list changed.
func (l *topList) update(id bot.MemberID, old, cur int64, has bool) bool {
	e := topEntry{points: cur, id: []byte(id)}
	i := slices.IndexFunc(l.entries, func(x topEntry) bool { return string(x.id) == string(id) })
	if i < 0 && (!has || !l.complete && (len(l.entries) == 0 || !e.before(l.entries[len(l.entries)-1]))) {
		return false // ranks below the list
	}
	if i >= 0 {
		l.entries = slices.Delete(l.entries, i, i+1)
	}
	// A listed member who moved up stays; one who moved down stays only
	// while it still ranks above the last entry (or the list is whole).
	keep := has && (l.complete || i >= 0 && cur >= old ||
		len(l.entries) > 0 && e.before(l.entries[len(l.entries)-1]))
	if keep {
		at, _ := slices.BinarySearchFunc(l.entries, e, func(x, t topEntry) int {
			if x.before(t) {
				return -1
			}
			return 1
		})
		l.entries = slices.Insert(l.entries, at, e)
	}
	if len(l.entries) > topKeep {
		l.entries, l.complete = l.entries[:topKeep], false
	}
	return true
}
