package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/points"
	bolt "go.etcd.io/bbolt"
)

var (
	bucketShopTaken   = []byte("shop_taken")  // item id → units taken (8 bytes)
	bucketRedemptions = []byte("redemptions") // id (8 bytes) → points.Redemption (JSON)
	bucketInvites     = []byte("invites")     // "m" member ‖ 0 ‖ chat → link; "c" code → member
)

// Redeem takes a unit of an item and charges the member in one transaction.
func (s *Store) Redeem(ctx context.Context, community string, member bot.MemberID, item string, stock int, fn func(st *points.State, seen func(rule, ref string) bool) error, at time.Time) (points.Redemption, points.State, error) {
	var r points.Redemption
	var st points.State
	err := s.write(ctx, func(tx *bolt.Tx) error {
		taken, err := tx.CreateBucketIfNotExists(bucketShopTaken)
		if err != nil {
			return err
		}
		reds, err := tx.CreateBucketIfNotExists(bucketRedemptions)
		if err != nil {
			return err
		}
		b, err := openPts(tx, s.deltas)
		if err != nil {
			return err
		}
		tk := ckey(community, item)
		n := getUint(taken, tk)
		if stock >= 0 && n >= uint64(stock) {
			return points.ErrOutOfStock
		}
		id := followMerged(tx, community, member)
		before, err := loadState(b.state, community, id)
		if err != nil {
			return err
		}
		if st, err = applyTx(tx, b, community, id, fn); err != nil {
			return err
		}
		if err := taken.Put(tk, binary.BigEndian.AppendUint64(nil, n+1)); err != nil {
			return err
		}
		seq, err := reds.NextSequence()
		if err != nil {
			return err
		}
		r = points.Redemption{ID: seq, Member: id, Item: item, Cost: before.Balance - st.Balance, Status: points.StatusOpen, Opened: at.UTC()}
		return putRecord(reds, redemptionKey(community, seq), r)
	})
	return r, st, err
}

// Settle fulfils or refunds an open redemption.
func (s *Store) Settle(ctx context.Context, community string, id uint64, fulfil bool, actor string, refund func(r points.Redemption, st *points.State), at time.Time) (points.Redemption, error) {
	var r points.Redemption
	err := s.write(ctx, func(tx *bolt.Tx) error {
		reds, err := tx.CreateBucketIfNotExists(bucketRedemptions)
		if err != nil {
			return err
		}
		v := reds.Get(redemptionKey(community, id))
		if v == nil {
			return points.ErrNoRedemption
		}
		r = points.Redemption{}
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("redemption %d: %w", id, err)
		}
		if r.Status != points.StatusOpen {
			return points.ErrSettled
		}
		r.Status, r.Closed, r.ClosedBy = points.StatusFulfilled, at.UTC(), actor
		if !fulfil {
			r.Status = points.StatusRefunded
			taken, err := tx.CreateBucketIfNotExists(bucketShopTaken)
			if err != nil {
				return err
			}
			tk := ckey(community, r.Item)
			if n := getUint(taken, tk); n > 0 {
				if err := taken.Put(tk, binary.BigEndian.AppendUint64(nil, n-1)); err != nil {
					return err
				}
			}
			b, err := openPts(tx, s.deltas)
			if err != nil {
				return err
			}
			if _, err := applyTx(tx, b, community, followMerged(tx, community, r.Member), func(st *points.State, _ func(rule, ref string) bool) error {
				refund(r, st)
				return nil
			}); err != nil {
				return err
			}
		}
		return putRecord(reds, redemptionKey(community, id), r)
	})
	return r, err
}

// Redeemed is how many units of an item are taken.
func (s *Store) Redeemed(_ context.Context, community, item string) (int, error) {
	var n uint64
	err := s.view(func(tx *bolt.Tx) error {
		n = getUint(tx.Bucket(bucketShopTaken), ckey(community, item))
		return nil
	})
	return int(n), err
}

// SaveInvite remembers a member's invite link for a chat and its code.
func (s *Store) SaveInvite(ctx context.Context, community string, member bot.MemberID, chat, link, code string) error {
	return s.write(ctx, func(tx *bolt.Tx) error {
		bk, err := tx.CreateBucketIfNotExists(bucketInvites)
		if err != nil {
			return err
		}
		if err := bk.Put(ckey(community, "m"+string(member)+"\x00"+chat), []byte(link)); err != nil {
			return err
		}
		return bk.Put(ckey(community, "c"+code), []byte(member))
	})
}

// InviteFor returns a member's invite link for a chat.
func (s *Store) InviteFor(_ context.Context, community string, member bot.MemberID, chat string) (string, bool, error) {
	var link string
	err := s.view(func(tx *bolt.Tx) error {
		if bk := tx.Bucket(bucketInvites); bk != nil {
			link = string(bk.Get(ckey(community, "m"+string(member)+"\x00"+chat)))
		}
		return nil
	})
	return link, link != "", err
}

// InviteOwner returns the member an invite code belongs to.
func (s *Store) InviteOwner(_ context.Context, community, code string) (bot.MemberID, bool, error) {
	var id bot.MemberID
	err := s.view(func(tx *bolt.Tx) error {
		if bk := tx.Bucket(bucketInvites); bk != nil {
			if v := bk.Get(ckey(community, "c"+code)); v != nil {
				id = followMerged(tx, community, bot.MemberID(v))
			}
		}
		return nil
	})
	return id, id != "", err
}

func redemptionKey(community string, id uint64) []byte {
	return binary.BigEndian.AppendUint64(ckey(community, ""), id)
}

func getUint(bk *bolt.Bucket, k []byte) uint64 {
	if bk == nil {
		return 0
	}
	if v := bk.Get(k); len(v) == 8 {
		return binary.BigEndian.Uint64(v)
	}
	return 0
}

// putRecord writes v as JSON under k.
func putRecord(bk *bolt.Bucket, k []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return bk.Put(k, data)
}
