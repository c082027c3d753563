package store

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/points"
	bolt "go.etcd.io/bbolt"
)

var (
	bucketLinkCodes    = []byte("link_codes")    // code → linkCode (JSON)
	bucketLinkAttempts = []byte("link_attempts") // account key → linkAttempts (JSON)
)

// Link attempt limits: this many wrong codes per account per window.
const (
	maxLinkFailures = 5
	linkWindow      = time.Hour
)

type linkCode struct {
	Member  bot.MemberID `json:"member"`
	Expires time.Time    `json:"expires"`
}

type linkAttempts struct {
	Since time.Time `json:"since"`
	Fails int       `json:"fails"`
}

// followMerged returns the member a retired id was merged into (following
// chains), or id itself.
func followMerged(tx *bolt.Tx, community string, id bot.MemberID) bot.MemberID {
	bk := tx.Bucket(bucketMerged)
	for range 8 {
		if bk == nil {
			return id
		}
		next := bk.Get(ckey(community, string(id)))
		if next == nil {
			return id
		}
		id = bot.MemberID(next)
	}
	return id
}

// SaveLinkCode stores a one-time link code.
func (s *Store) SaveLinkCode(ctx context.Context, community, code string, member bot.MemberID, expires time.Time) error {
	return s.write(ctx, func(tx *bolt.Tx) error {
		bk, err := tx.CreateBucketIfNotExists(bucketLinkCodes)
		if err != nil {
			return err
		}
		v, err := json.Marshal(linkCode{Member: member, Expires: expires.UTC()})
		if err != nil {
			return err
		}
		return bk.Put(ckey(community, code), v)
	})
}

// Link uses a code for acct and merges acct's member into the member who
// asked for the code, in one transaction.
func (s *Store) Link(ctx context.Context, community, code string, acct bot.Account, merge func(into, from *points.State), at time.Time) (bot.Member, error) {
	var result bot.Member
	var refusal error
	err := s.write(ctx, func(tx *bolt.Tx) error {
		refusal = nil
		codes, err := tx.CreateBucketIfNotExists(bucketLinkCodes)
		if err != nil {
			return err
		}
		attempts, err := tx.CreateBucketIfNotExists(bucketLinkAttempts)
		if err != nil {
			return err
		}
		akey := ckey(community, acct.Key())
		var tries linkAttempts
		if v := attempts.Get(akey); v != nil {
			_ = json.Unmarshal(v, &tries)
		}
		if at.Sub(tries.Since) >= linkWindow {
			tries = linkAttempts{Since: at.UTC()}
		}
		if tries.Fails >= maxLinkFailures {
			refusal = points.ErrTooManyAttempts
			return nil
		}
		ck := ckey(community, code)
		var lc linkCode
		v := codes.Get(ck)
		if v != nil {
			if err := json.Unmarshal(v, &lc); err != nil {
				return err
			}
		}
		if v == nil || !at.Before(lc.Expires) {
			if v != nil {
				if err := codes.Delete(ck); err != nil {
					return err
				}
			}
			tries.Fails++
			refusal = points.ErrBadCode
			tv, err := json.Marshal(tries)
			if err != nil {
				return err
			}
			return attempts.Put(akey, tv)
		}
		if err := codes.Delete(ck); err != nil {
			return err
		}
		result, refusal, err = mergeMembers(tx, s.deltas, community, followMerged(tx, community, lc.Member), acct, merge, at)
		return err
	})
	if err == nil {
		err = refusal
	}
	return result, err
}

// mergeMembers moves acct's member into the member into.
func mergeMembers(tx *bolt.Tx, d *boardDeltas, community string, into bot.MemberID, acct bot.Account, merge func(into, from *points.State), at time.Time) (bot.Member, error, error) {
	fromRec, found, err := memberByAccount(tx, community, acct.Key())
	if err != nil {
		return bot.Member{}, nil, err
	}
	if !found {
		if fromRec, err = upsertAccount(tx, community, acct, at); err != nil {
			return bot.Member{}, nil, err
		}
	}
	intoRec, found, err := getMember(tx, community, into)
	if err != nil || !found {
		return bot.Member{}, points.ErrBadCode, err
	}
	if fromRec.ID == intoRec.ID {
		return intoRec.member(community), points.ErrAlreadyLinked, nil
	}
	for _, a := range fromRec.Accounts {
		if slices.ContainsFunc(intoRec.Accounts, func(b bot.Account) bool { return b.Platform == a.Platform }) {
			return bot.Member{}, points.ErrSamePlatform, nil
		}
	}
	for _, a := range fromRec.Accounts {
		if err := tx.Bucket(bucketAccount).Put(ckey(community, a.Key()), []byte(intoRec.ID)); err != nil {
			return bot.Member{}, nil, err
		}
		if a.Username != "" {
			if err := tx.Bucket(bucketNames).Put(ckey(community, strings.ToLower(a.Username)), []byte(intoRec.ID)); err != nil {
				return bot.Member{}, nil, err
			}
		}
		intoRec.Accounts = append(intoRec.Accounts, a)
	}
	if !fromRec.Joined.IsZero() && fromRec.Joined.Before(intoRec.Joined) {
		intoRec.Joined = fromRec.Joined
	}
	if intoRec.Lang == "" {
		intoRec.Lang = fromRec.Lang
	}
	if err := putMember(tx, community, intoRec); err != nil {
		return bot.Member{}, nil, err
	}
	if err := tx.Bucket(bucketMembers).Delete(ckey(community, string(fromRec.ID))); err != nil {
		return bot.Member{}, nil, err
	}
	merged, err := tx.CreateBucketIfNotExists(bucketMerged)
	if err != nil {
		return bot.Member{}, nil, err
	}
	if err := merged.Put(ckey(community, string(fromRec.ID)), []byte(intoRec.ID)); err != nil {
		return bot.Member{}, nil, err
	}
	b, err := openPts(tx, d)
	if err != nil {
		return bot.Member{}, nil, err
	}
	if err := copyRefs(b.refs, community, fromRec.ID, intoRec.ID); err != nil {
		return bot.Member{}, nil, err
	}
	intoSt, err := loadState(b.state, community, intoRec.ID)
	if err != nil {
		return bot.Member{}, nil, err
	}
	fromSt, err := loadState(b.state, community, fromRec.ID)
	if err != nil {
		return bot.Member{}, nil, err
	}
	oldInto, oldFrom := intoSt, fromSt
	merge(&intoSt, &fromSt)
	if err := saveChange(b, community, fromRec.ID, oldFrom, &fromSt); err != nil {
		return bot.Member{}, nil, err
	}
	if err := saveChange(b, community, intoRec.ID, oldInto, &intoSt); err != nil {
		return bot.Member{}, nil, err
	}
	return intoRec.member(community), nil, nil
}

// copyRefs gives the surviving member the paid refs of the retired one, so
// a reward paid to either is not paid again.
func copyRefs(bk *bolt.Bucket, community string, from, into bot.MemberID) error {
	prefix := ckey(community, string(from)+"\x00")
	var keys [][]byte
	c := bk.Cursor()
	for k, _ := c.Seek(prefix); k != nil && strings.HasPrefix(string(k), string(prefix)); k, _ = c.Next() {
		keys = append(keys, append(ckey(community, string(into)+"\x00"), k[len(prefix):]...))
	}
	for _, k := range keys {
		if err := bk.Put(k, nil); err != nil {
			return err
		}
	}
	return nil
}

// Unlink detaches an account into a new member of its own.
func (s *Store) Unlink(ctx context.Context, community, accountKey string, at time.Time) (bot.Member, error) {
	var result bot.Member
	err := s.write(ctx, func(tx *bolt.Tx) error {
		rec, found, err := memberByAccount(tx, community, accountKey)
		if err != nil {
			return err
		}
		if !found {
			return points.ErrUnknownAccount
		}
		if len(rec.Accounts) < 2 {
			return points.ErrLastAccount
		}
		i := slices.IndexFunc(rec.Accounts, func(a bot.Account) bool { return a.Key() == accountKey })
		if i < 0 {
			return points.ErrUnknownAccount
		}
		acct := rec.Accounts[i]
		rec.Accounts = slices.Delete(rec.Accounts, i, i+1)
		rec.Name = rec.Accounts[0].Display()
		if err := putMember(tx, community, rec); err != nil {
			return err
		}
		seq, err := tx.Bucket(bucketMembers).NextSequence()
		if err != nil {
			return err
		}
		alone := memberRecord{ID: bot.MemberID(strconv.FormatUint(seq, 10)), Accounts: []bot.Account{acct}, Name: acct.Display(), Lang: acct.Lang, Joined: at.UTC()}
		if err := putMember(tx, community, alone); err != nil {
			return err
		}
		if err := tx.Bucket(bucketAccount).Put(ckey(community, acct.Key()), []byte(alone.ID)); err != nil {
			return err
		}
		if acct.Username != "" {
			if err := tx.Bucket(bucketNames).Put(ckey(community, strings.ToLower(acct.Username)), []byte(alone.ID)); err != nil {
				return err
			}
		}
		result = rec.member(community)
		return nil
	})
	return result, err
}
