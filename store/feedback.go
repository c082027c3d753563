package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/feedback"
	bolt "go.etcd.io/bbolt"
)

var (
	bucketTickets       = []byte("tickets")        // community ‖ 0 ‖ be64 id → feedback.Ticket (JSON)
	bucketTicketSeq     = []byte("ticket_seq")     // community → be64 last id
	bucketTicketRelays  = []byte("ticket_relays")  // community ‖ 0 ‖ chat ‖ 0 ‖ message id → be64 id
	bucketTicketMembers = []byte("ticket_members") // community ‖ 0 ‖ member ‖ 0 ‖ be64 id → empty
	bucketTicketOpen    = []byte("ticket_open")    // community ‖ 0 ‖ be64 id → empty, for open tickets
)

var ticketBuckets = [][]byte{bucketTickets, bucketTicketSeq, bucketTicketRelays, bucketTicketMembers, bucketTicketOpen}

func be64(n uint64) string { return string(binary.BigEndian.AppendUint64(nil, n)) }

func relayKey(community string, ref bot.MessageRef) []byte {
	return ckey(community, ref.Chat.WithoutThread().String()+"\x00"+ref.ID)
}

func createTicketBuckets(tx *bolt.Tx) error {
	for _, b := range ticketBuckets {
		if _, err := tx.CreateBucketIfNotExists(b); err != nil {
			return err
		}
	}
	return nil
}

func getTicket(tx *bolt.Tx, community string, id uint64) (feedback.Ticket, bool, error) {
	var t feedback.Ticket
	b := tx.Bucket(bucketTickets)
	if b == nil {
		return t, false, nil
	}
	v := b.Get(ckey(community, be64(id)))
	if v == nil {
		return t, false, nil
	}
	if err := json.Unmarshal(v, &t); err != nil {
		return t, false, fmt.Errorf("ticket %s/%d: %w", community, id, err)
	}
	return t, true, nil
}

// putTicket saves a ticket and keeps its indexes current.
func putTicket(tx *bolt.Tx, t feedback.Ticket) error {
	v, err := json.Marshal(t)
	if err != nil {
		return err
	}
	id := be64(t.ID)
	if err := tx.Bucket(bucketTickets).Put(ckey(t.Community, id), v); err != nil {
		return err
	}
	if err := tx.Bucket(bucketTicketMembers).Put(ckey(t.Community, string(t.Member)+"\x00"+id), nil); err != nil {
		return err
	}
	open := tx.Bucket(bucketTicketOpen)
	if t.State == feedback.StateOpen {
		err = open.Put(ckey(t.Community, id), nil)
	} else {
		err = open.Delete(ckey(t.Community, id))
	}
	if err != nil {
		return err
	}
	relays := tx.Bucket(bucketTicketRelays)
	for _, r := range t.Relays {
		if err := relays.Put(relayKey(t.Community, r), []byte(id)); err != nil {
			return err
		}
	}
	return nil
}

// CreateTicket saves a new ticket under the next id of its community,
// refusing with feedback.ErrTooManyOpen when the member already has maxOpen
// unresolved tickets.
func (s *Store) CreateTicket(ctx context.Context, t feedback.Ticket, maxOpen int) (feedback.Ticket, error) {
	var out feedback.Ticket
	err := s.write(ctx, func(tx *bolt.Tx) error {
		out = feedback.Ticket{}
		if err := createTicketBuckets(tx); err != nil {
			return err
		}
		n := 0
		prefix := ckey(t.Community, string(t.Member)+"\x00")
		c := tx.Bucket(bucketTicketMembers).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			old, ok, err := getTicket(tx, t.Community, binary.BigEndian.Uint64(k[len(prefix):]))
			if err != nil {
				return err
			}
			if ok && t.OriginMsg != "" && old.Origin == t.Origin && old.OriginMsg == t.OriginMsg {
				out = old
				return feedback.ErrDuplicate
			}
			if ok && (old.State == feedback.StateDraft || old.Pending()) {
				n++
			}
		}
		if n >= maxOpen {
			return feedback.ErrTooManyOpen
		}
		seq := tx.Bucket(bucketTicketSeq)
		var last uint64
		if v := seq.Get([]byte(t.Community)); len(v) == 8 {
			last = binary.BigEndian.Uint64(v)
		}
		out = t
		out.ID = last + 1
		if err := seq.Put([]byte(t.Community), []byte(be64(out.ID))); err != nil {
			return err
		}
		return putTicket(tx, out)
	})
	return out, err
}

// Ticket returns a ticket of a community.
func (s *Store) Ticket(_ context.Context, community string, id uint64) (feedback.Ticket, bool, error) {
	var t feedback.Ticket
	var ok bool
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		t, ok, err = getTicket(tx, community, id)
		return err
	})
	return t, ok, err
}

// UpdateTicket applies fn to a stored ticket and saves it with its indexes.
func (s *Store) UpdateTicket(ctx context.Context, community string, id uint64, fn func(*feedback.Ticket) error) (feedback.Ticket, error) {
	var out feedback.Ticket
	err := s.write(ctx, func(tx *bolt.Tx) error {
		if err := createTicketBuckets(tx); err != nil {
			return err
		}
		t, ok, err := getTicket(tx, community, id)
		if err != nil {
			return err
		}
		if !ok {
			return feedback.ErrNotFound
		}
		if err := fn(&t); err != nil {
			return err
		}
		t.ID, t.Community = id, community
		out = t
		return putTicket(tx, t)
	})
	return out, err
}

// TicketByRelay finds the ticket a message in the moderator chat relays.
func (s *Store) TicketByRelay(_ context.Context, community string, msg bot.MessageRef) (feedback.Ticket, bool, error) {
	var t feedback.Ticket
	var ok bool
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTicketRelays)
		if b == nil {
			return nil
		}
		v := b.Get(relayKey(community, msg))
		if len(v) != 8 {
			return nil
		}
		var err error
		t, ok, err = getTicket(tx, community, binary.BigEndian.Uint64(v))
		return err
	})
	return t, ok, err
}

// Tickets returns up to limit tickets of a community, newest first, that
// keep accepts.
func (s *Store) Tickets(_ context.Context, community string, limit int, keep func(feedback.Ticket) bool) ([]feedback.Ticket, error) {
	var out []feedback.Ticket
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTickets)
		if b == nil {
			return nil
		}
		prefix := ckey(community, "")
		c := b.Cursor()
		k, v := c.Seek(ckey(community, be64(^uint64(0))))
		if k == nil {
			k, v = c.Last()
		} else if !bytes.HasPrefix(k, prefix) {
			k, v = c.Prev()
		}
		for ; k != nil && bytes.HasPrefix(k, prefix) && len(out) < limit; k, v = c.Prev() {
			var t feedback.Ticket
			if err := json.Unmarshal(v, &t); err != nil {
				return fmt.Errorf("ticket %q: %w", k, err)
			}
			if keep(t) {
				out = append(out, t)
			}
		}
		return nil
	})
	return out, err
}

// MemberTickets returns a member's tickets, newest first.
func (s *Store) MemberTickets(_ context.Context, community string, member bot.MemberID) ([]feedback.Ticket, error) {
	var out []feedback.Ticket
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTicketMembers)
		if b == nil {
			return nil
		}
		prefix := ckey(community, string(member)+"\x00")
		c := b.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			t, ok, err := getTicket(tx, community, binary.BigEndian.Uint64(k[len(prefix):]))
			if err != nil {
				return err
			}
			if ok {
				out = append([]feedback.Ticket{t}, out...)
			}
		}
		return nil
	})
	return out, err
}

// UnclaimedBefore returns the open tickets of every community that were
// last announced before t (or never).
func (s *Store) UnclaimedBefore(_ context.Context, t time.Time) ([]feedback.Ticket, error) {
	var out []feedback.Ticket
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTicketOpen)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, _ []byte) error {
			i := bytes.IndexByte(k, 0)
			if i < 0 || len(k) != i+9 {
				return nil
			}
			tk, ok, err := getTicket(tx, string(k[:i]), binary.BigEndian.Uint64(k[i+1:]))
			if err != nil || !ok || tk.State != feedback.StateOpen {
				return err
			}
			if tk.Announced.Before(t) {
				out = append(out, tk)
			}
			return nil
		})
	})
	return out, err
}

var _ feedback.Store = (*Store)(nil)
