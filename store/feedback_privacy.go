package store

import (
	"encoding/binary"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/feedback"
	bolt "go.etcd.io/bbolt"
)

// ticketExport is a member's ticket as /mydata shows it.
type ticketExport struct {
	ID        uint64    `json:"id"`
	Category  string    `json:"category,omitempty"`
	State     string    `json:"state"`
	Text      string    `json:"text"`
	Anonymous bool      `json:"anonymous,omitempty"`
	Created   time.Time `json:"created"`
	Resolved  time.Time `json:"resolved,omitzero"`
	Replies   int       `json:"moderator_replies,omitempty"`
	Accepted  bool      `json:"accepted,omitempty"`
	Rating    int       `json:"rating,omitempty"`
	Comment   string    `json:"rating_comment,omitempty"`
}

// feedbackPart exports a member's tickets; forgetting erases their texts,
// comments and the link to the member but keeps category, state, times
// and rating for the desk's counts. Pending tickets are closed.
func feedbackPart() personalPart {
	return personalPart{
		name: "feedback",
		export: func(tx *bolt.Tx, community string, member bot.MemberID) (any, error) {
			sub, err := subjectOf(tx, community, member)
			if err != nil {
				return nil, err
			}
			var out []ticketExport
			err = eachMemberTicket(tx, community, sub, func(_ []byte, t feedback.Ticket) error {
				out = append(out, ticketExport{ID: t.ID, Category: t.Category, State: t.State, Text: t.Text, Anonymous: t.Anonymous,
					Created: t.Created, Resolved: t.Resolved, Replies: t.Replies, Accepted: t.Accepted, Rating: t.Rating, Comment: t.Comment})
				return nil
			})
			if len(out) == 0 {
				return nil, err
			}
			return out, err
		},
		forget: forgetTickets,
	}
}

// eachMemberTicket calls fn with the member-index key and the ticket of
// every ticket filed under one of the member's ids.
func eachMemberTicket(tx *bolt.Tx, community string, sub subject, fn func(indexKey []byte, t feedback.Ticket) error) error {
	for _, id := range sub.ids {
		prefix := ckey(community, string(id)+"\x00")
		for _, p := range prefixed(tx.Bucket(bucketTicketMembers), prefix) {
			if len(p.k) != len(prefix)+8 {
				continue
			}
			t, ok, err := getTicket(tx, community, binary.BigEndian.Uint64(p.k[len(prefix):]))
			if err != nil {
				return err
			}
			if ok {
				if err := fn(p.k, t); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func forgetTickets(tx *bolt.Tx, community string, member bot.MemberID) error {
	tickets := tx.Bucket(bucketTickets)
	if tickets == nil {
		return nil
	}
	sub, err := subjectOf(tx, community, member)
	if err != nil {
		return err
	}
	err = eachMemberTicket(tx, community, sub, func(indexKey []byte, t feedback.Ticket) error {
		relays := tx.Bucket(bucketTicketRelays)
		for _, r := range t.Relays {
			if err := relays.Delete(relayKey(community, r)); err != nil {
				return err
			}
		}
		if err := tx.Bucket(bucketTicketOpen).Delete(ckey(community, be64(t.ID))); err != nil {
			return err
		}
		if err := tx.Bucket(bucketTicketMembers).Delete(indexKey); err != nil {
			return err
		}
		switch {
		case t.Pending():
			t.State = feedback.StateResolved
		case t.State == feedback.StateDraft:
			t.State = feedback.StateDropped
		}
		t.Member, t.Account, t.Origin, t.OriginMsg, t.Lang, t.Relays = "", bot.Account{}, bot.ChatRef{}, "", "", nil
		t.Text, t.Comment, t.Anonymous = "", "", true
		return putRecord(tickets, ckey(community, be64(t.ID)), t)
	})
	if err != nil {
		return err
	}
	// Tickets the member claimed as a moderator keep no name of theirs.
	return eachJSON(tickets, ckey(community, ""), func(k []byte, t feedback.Ticket) error {
		if t.ClaimedBy == "" || !sub.names[t.ClaimedBy] {
			return nil
		}
		t.ClaimedBy = ""
		return putRecord(tickets, k, t)
	})
}

// purgeTickets empties the texts and rating comments of closed tickets
// whose last change is older than their community's cutoff.
func purgeTickets(tx *bolt.Tx, cut *cutoffs, purged map[string]int) error {
	tickets := tx.Bucket(bucketTickets)
	return eachJSON(tickets, nil, func(k []byte, t feedback.Ticket) error {
		last := t.Created
		for _, at := range []time.Time{t.Resolved, t.RatedAt} {
			if at.After(last) {
				last = at
			}
		}
		if t.Pending() || (t.Text == "" && t.Comment == "") || !last.Before(cut.of(communityOf(k))) {
			return nil
		}
		if t.State == feedback.StateDraft {
			t.State = feedback.StateDropped
		}
		t.Text, t.Comment = "", ""
		if err := putRecord(tickets, k, t); err != nil {
			return err
		}
		purged["ticket_texts"]++
		return nil
	})
}
