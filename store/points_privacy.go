package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/points"
	bolt "go.etcd.io/bbolt"
)

// pointsExport is a member's share of the points data.
type pointsExport struct {
	State       points.State        `json:"state"`
	Ledger      []points.Entry      `json:"ledger,omitempty"`
	Redemptions []points.Redemption `json:"redemptions,omitempty"`
	Invites     []memberInvite      `json:"invites,omitempty"`
}

type memberInvite struct {
	Chat string `json:"chat"`
	Link string `json:"link"`
}

// pointsPart exports a member's points data: the state (balance, score,
// tier, badges, streak, referral counts), every ledger entry, redemptions
// and invite links. Forgetting keeps the member's balance, score and the
// amounts, times and reason codes of the ledger, so community totals and
// boards do not change, and erases the rest: free-text reasons (moderators'
// words, which may name people), actors and refs of the entries, manual
// tier and badges, message fingerprints, who referred the member, the
// paid-reward refs, invite links and codes, pending link codes and the
// link attempts of the member's accounts. It must run before membersPart,
// which deletes the accounts.
func pointsPart() personalPart {
	return personalPart{name: "points", export: exportPoints, forget: forgetPoints}
}

func exportPoints(tx *bolt.Tx, community string, member bot.MemberID) (any, error) {
	var out pointsExport
	var err error
	if out.State, err = loadState(tx.Bucket(bucketPtsState), community, member); err != nil {
		return nil, err
	}
	err = eachEntry(tx, community, member, func(_ []byte, e points.Entry) error {
		out.Ledger = append(out.Ledger, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if bk := tx.Bucket(bucketRedemptions); bk != nil {
		prefix := ckey(community, "")
		c := bk.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var r points.Redemption
			if err := json.Unmarshal(v, &r); err != nil {
				return nil, fmt.Errorf("redemption %x: %w", k, err)
			}
			if r.Member == member {
				out.Redemptions = append(out.Redemptions, r)
			}
		}
	}
	if bk := tx.Bucket(bucketInvites); bk != nil {
		prefix := ckey(community, "m"+string(member)+"\x00")
		c := bk.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			out.Invites = append(out.Invites, memberInvite{Chat: string(k[len(prefix):]), Link: string(v)})
		}
	}
	if out.State.Balance == 0 && out.State.Score == 0 && out.State.FirstSeen.IsZero() && len(out.Ledger) == 0 && len(out.Redemptions) == 0 && len(out.Invites) == 0 {
		return nil, nil
	}
	return out, nil
}

// eachEntry calls fn for every ledger entry of a member, in order. It
// reads the whole ledger of the community: exports and erasure are rare.
func eachEntry(tx *bolt.Tx, community string, member bot.MemberID, fn func(k []byte, e points.Entry) error) error {
	bk := tx.Bucket(bucketPtsLedger)
	if bk == nil {
		return nil
	}
	prefix := ckey(community, "")
	var keys [][]byte
	var entries []points.Entry
	c := bk.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if len(k) != len(prefix)+8 {
			continue
		}
		e, err := decodeEntry(v, 0)
		if err != nil {
			return fmt.Errorf("ledger entry %x: %w", k, err)
		}
		if e.Member != member {
			continue
		}
		e.Seq = binary.BigEndian.Uint64(k[len(prefix):])
		keys, entries = append(keys, append([]byte(nil), k...)), append(entries, e)
	}
	for i := range keys {
		if err := fn(keys[i], entries[i]); err != nil {
			return err
		}
	}
	return nil
}

func forgetPoints(tx *bolt.Tx, community string, member bot.MemberID) error {
	b, err := openPts(tx, nil)
	if err != nil {
		return err
	}
	// The ledger keeps amounts, times and reason codes.
	err = eachEntry(tx, community, member, func(k []byte, e points.Entry) error {
		kept := points.Entry{Member: e.Member, Time: e.Time, Delta: e.Delta, Score: e.Score, Reason: e.Reason}
		if e.Rule == points.ReasonAward || e.Rule == points.ReasonDeduct {
			kept.Reason, kept.Rule = e.Rule, e.Rule // the moderator's words go
		}
		return b.ledger.Put(k, encodeEntry(&kept))
	})
	if err != nil {
		return err
	}
	st, err := loadState(b.state, community, member)
	if err != nil {
		return err
	}
	if st.ReachedVIP || st.Score != 0 || st.Balance != 0 || !st.FirstSeen.IsZero() {
		st.ManualTier, st.Badges, st.Hashes, st.ReferredBy = "", nil, nil, ""
		if err := b.state.Put(ckey(community, string(member)), encodeState(&st)); err != nil {
			return err
		}
	}
	if err := deletePrefix(b.refs, ckey(community, string(member)+"\x00")); err != nil {
		return err
	}
	if err := forgetInvites(tx, community, member); err != nil {
		return err
	}
	return forgetLinks(tx, community, member)
}

// forgetInvites deletes the member's invite links and codes.
func forgetInvites(tx *bolt.Tx, community string, member bot.MemberID) error {
	bk := tx.Bucket(bucketInvites)
	if bk == nil {
		return nil
	}
	if err := deletePrefix(bk, ckey(community, "m"+string(member)+"\x00")); err != nil {
		return err
	}
	return deleteWhere(bk, ckey(community, "c"), func(v []byte) bool { return string(v) == string(member) })
}

// forgetLinks deletes the member's pending link codes and the link
// attempts of its accounts.
func forgetLinks(tx *bolt.Tx, community string, member bot.MemberID) error {
	if bk := tx.Bucket(bucketLinkCodes); bk != nil {
		err := deleteWhere(bk, ckey(community, ""), func(v []byte) bool {
			var lc linkCode
			return json.Unmarshal(v, &lc) == nil && lc.Member == member
		})
		if err != nil {
			return err
		}
	}
	attempts := tx.Bucket(bucketLinkAttempts)
	rec, found, err := getMember(tx, community, member)
	if attempts == nil || !found || err != nil {
		return err
	}
	for _, a := range rec.Accounts {
		if err := attempts.Delete(ckey(community, a.Key())); err != nil {
			return err
		}
	}
	return nil
}

// deletePrefix deletes every key of a bucket starting with prefix.
func deletePrefix(bk *bolt.Bucket, prefix []byte) error {
	return deleteWhere(bk, prefix, func([]byte) bool { return true })
}

// deleteWhere deletes the keys starting with prefix whose value matches.
func deleteWhere(bk *bolt.Bucket, prefix []byte, match func(v []byte) bool) error {
	var keys [][]byte
	c := bk.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if match(v) {
			keys = append(keys, append([]byte(nil), k...))
		}
	}
	for _, k := range keys {
		if err := bk.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
