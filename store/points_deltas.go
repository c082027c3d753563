package store

import (
	"encoding/binary"
	"errors"
	"slices"

	bolt "go.etcd.io/bbolt"
)

var bucketPtsHead = []byte("pts_head") // scope prefix → headMeta

// boardDeltas gathers the count tree changes of all the operations of
// one write transaction and writes each record once, before the commit:
// in a group commit many members move through the same records. It also
// keeps each touched board's headMeta for the transaction. Nothing in a
// write transaction reads the count tree, so deferring it changes no
// result. The writer resets it at the start of every attempt and flushes
// it at the end.
type boardDeltas struct {
	bands map[string]*[16]int64
	heads map[string]*headMeta
}

func newBoardDeltas() *boardDeltas {
	return &boardDeltas{bands: map[string]*[16]int64{}, heads: map[string]*headMeta{}}
}

func (d *boardDeltas) reset() {
	clear(d.bands)
	clear(d.heads)
}

// band adds n to one child count of a count tree record.
func (d *boardDeltas) band(key []byte, child uint64, n int64) {
	r := d.bands[string(key)]
	if r == nil {
		r = new([16]int64)
		d.bands[string(key)] = r
	}
	r[child] += n
}

var errNoDeltas = errors.New("store: board change outside a group commit")

// head returns the transaction's view of a board's head.
func (d *boardDeltas) head(b ptsBuckets, prefix []byte) (*headMeta, error) {
	if d == nil {
		return nil, errNoDeltas
	}
	if h := d.heads[string(prefix)]; h != nil {
		return h, nil
	}
	h, err := readHead(b.head.Get(prefix))
	if err != nil {
		return nil, err
	}
	d.heads[string(prefix)] = &h
	return &h, nil
}

// flush writes the gathered records in key order.
func (d *boardDeltas) flush(tx *bolt.Tx) error {
	if len(d.bands) == 0 && len(d.heads) == 0 {
		return nil
	}
	b, err := openPts(tx, nil)
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(d.bands))
	for k := range d.bands {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		r := readBand(b.bands.Get([]byte(k)))
		v := make([]byte, 64) // bbolt keeps the slice until the commit
		var total int64
		for i, n := range d.bands[k] {
			c := max(int64(r[i])+n, 0)
			r[i] = uint32(c)
			total += c
			binary.BigEndian.PutUint32(v[4*i:], r[i])
		}
		if total == 0 {
			err = b.bands.Delete([]byte(k))
		} else {
			err = b.bands.Put([]byte(k), v)
		}
		if err != nil {
			return err
		}
	}
	for k, h := range d.heads {
		if h.dirty {
			if err := b.head.Put([]byte(k), h.encode()); err != nil {
				return err
			}
		}
	}
	d.reset()
	return nil
}
