package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/points"
)

// The points state and ledger entries are stored in a compact binary form:
// a version byte, then the fields in a fixed order as varints,
// length-prefixed strings and times. It keeps JSON out of the hot path and
// a member's record near 100 bytes. Records written as JSON by earlier
// versions (they start with '{') are still read.

const (
	stateV1 = 1
	entryV1 = 1
)

var errCorrupt = errors.New("corrupt record")

// enc appends binary fields.
type enc struct{ b []byte }

func (e *enc) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *enc) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *enc) str(s string)  { e.uint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *enc) bool(v bool)   { e.b = append(e.b, boolByte(v)) }
func (e *enc) u64(v uint64)  { e.b = binary.BigEndian.AppendUint64(e.b, v) }
func (e *enc) strs(s []string) {
	e.uint(uint64(len(s)))
	for _, x := range s {
		e.str(x)
	}
}

// time writes 0 for the zero time, else 1+nanoseconds then the seconds.
func (e *enc) time(t time.Time) {
	if t.IsZero() {
		e.uint(0)
		return
	}
	e.uint(uint64(t.Nanosecond()) + 1)
	e.int(t.Unix())
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// dec reads binary fields; the first error sticks and later reads return
// zero values.
type dec struct {
	b   []byte
	err error
}

func (d *dec) fail() { d.err, d.b = errCorrupt, nil }

func (d *dec) int() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) uint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) str() string {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.fail()
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *dec) bool() bool {
	if len(d.b) < 1 {
		d.fail()
		return false
	}
	v := d.b[0] == 1
	d.b = d.b[1:]
	return v
}

func (d *dec) u64() uint64 {
	if len(d.b) < 8 {
		d.fail()
		return 0
	}
	v := binary.BigEndian.Uint64(d.b)
	d.b = d.b[8:]
	return v
}

// count reads a slice length, refusing lengths the record cannot hold.
func (d *dec) count() int {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *dec) strs() []string {
	n := d.count()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (d *dec) time() time.Time {
	ns := d.uint()
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(d.int(), int64(ns-1)).UTC()
}

// encodeState is the stored form of a member's points state (Pending is
// not stored).
func encodeState(st *points.State) []byte {
	e := enc{b: make([]byte, 0, 128)}
	e.b = append(e.b, stateV1)
	e.int(st.Balance)
	e.int(st.Score)
	e.str(st.Week.Period)
	e.int(st.Week.Points)
	e.str(st.Month.Period)
	e.int(st.Month.Points)
	e.time(st.LastEarn)
	e.int(int64(st.Day))
	e.int(st.DayPoints)
	e.uint(uint64(len(st.Hashes)))
	for _, h := range st.Hashes {
		e.u64(h)
	}
	e.int(st.Messages)
	e.int(int64(st.ActiveDays))
	e.int(int64(st.LastDay))
	e.int(int64(st.Streak))
	e.time(st.FirstSeen)
	e.time(st.LastActive)
	e.str(st.Tier)
	e.str(st.ManualTier)
	e.strs(st.Badges)
	e.str(st.ReferredBy)
	e.bool(st.ReferralPaid)
	e.int(int64(st.Invited))
	e.int(int64(st.Referrals))
	e.uint(uint64(len(st.Recent)))
	for _, s := range st.Recent {
		e.uint(s)
	}
	e.bool(st.ReachedVIP)
	return e.b
}

// decodeState reads a stored state, binary or JSON.
func decodeState(v []byte, st *points.State) error {
	if len(v) > 0 && v[0] == '{' {
		return json.Unmarshal(v, st)
	}
	if len(v) == 0 || v[0] != stateV1 {
		return errCorrupt
	}
	d := dec{b: v[1:]}
	st.Balance = d.int()
	st.Score = d.int()
	st.Week.Period = d.str()
	st.Week.Points = d.int()
	st.Month.Period = d.str()
	st.Month.Points = d.int()
	st.LastEarn = d.time()
	st.Day = int(d.int())
	st.DayPoints = d.int()
	if n := d.count(); n > 0 {
		st.Hashes = make([]uint64, n)
		for i := range st.Hashes {
			st.Hashes[i] = d.u64()
		}
	}
	st.Messages = d.int()
	st.ActiveDays = int(d.int())
	st.LastDay = int(d.int())
	st.Streak = int(d.int())
	st.FirstSeen = d.time()
	st.LastActive = d.time()
	st.Tier = d.str()
	st.ManualTier = d.str()
	st.Badges = d.strs()
	st.ReferredBy = d.str()
	st.ReferralPaid = d.bool()
	st.Invited = int(d.int())
	st.Referrals = int(d.int())
	if n := d.count(); n > 0 {
		st.Recent = make([]uint64, n)
		for i := range st.Recent {
			st.Recent[i] = d.uint()
		}
	}
	st.ReachedVIP = d.bool()
	return d.err
}

// encodeEntry is the stored form of a ledger entry; the sequence number
// is the key.
func encodeEntry(en *points.Entry) []byte {
	e := enc{b: make([]byte, 0, 48+len(en.Reason))}
	e.b = append(e.b, entryV1)
	e.str(string(en.Member))
	e.time(en.Time)
	e.int(en.Delta)
	e.int(en.Score)
	e.str(en.Reason)
	e.str(en.Actor)
	e.str(en.Rule)
	e.str(en.Ref)
	return e.b
}

// decodeEntry reads a stored entry, binary or JSON.
func decodeEntry(v []byte, seq uint64) (points.Entry, error) {
	var en points.Entry
	if len(v) > 0 && v[0] == '{' {
		err := json.Unmarshal(v, &en)
		return en, err
	}
	if len(v) == 0 || v[0] != entryV1 {
		return en, errCorrupt
	}
	d := dec{b: v[1:]}
	en.Seq = seq
	en.Member = bot.MemberID(d.str())
	en.Time = d.time()
	en.Delta = d.int()
	en.Score = d.int()
	en.Reason = d.str()
	en.Actor = d.str()
	en.Rule = d.str()
	en.Ref = d.str()
	return en, d.err
}
