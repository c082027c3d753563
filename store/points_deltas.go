package store

import (
	"slices"

	bolt "go.etcd.io/bbolt"
)

// boardDeltas gathers the board changes of all the operations of one
// write transaction and applies them once, before the commit: in a group
// commit many members move through the same band counts, window counts
// and window lists, so each of those keys is read and written once per
// transaction instead of once per event. Nothing in a write transaction
// reads these keys, so deferring them changes no result. The writer
// resets it at the start of every attempt and flushes it at the end.
type boardDeltas struct {
	counts map[string]int64    // bucket tag ‖ key → change
	tops   map[string]*topList // key in bucketPtsTop → list
	dirty  map[string]bool
}

// Bucket tags of boardDeltas.counts.
const (
	tagBoard = 'b'
	tagBands = 'n'
)

func newBoardDeltas() *boardDeltas {
	return &boardDeltas{counts: map[string]int64{}, tops: map[string]*topList{}, dirty: map[string]bool{}}
}

func (d *boardDeltas) reset() {
	clear(d.counts)
	clear(d.tops)
	clear(d.dirty)
}

// flush applies the gathered changes in key order.
func (d *boardDeltas) flush(tx *bolt.Tx) error {
	if len(d.counts) == 0 && len(d.dirty) == 0 {
		return nil
	}
	b, err := openPts(tx, nil)
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(d.counts))
	for k, n := range d.counts {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		bk := b.board
		if k[0] == tagBands {
			bk = b.bands
		}
		if err := addCount(bk, []byte(k[1:]), d.counts[k]); err != nil {
			return err
		}
	}
	for k := range d.dirty {
		if err := b.top.Put([]byte(k), d.tops[k].encode()); err != nil {
			return err
		}
	}
	d.reset()
	return nil
}
