package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cohortbot/cohort/bot"
	bolt "go.etcd.io/bbolt"
)

// memberRecord is a member as stored.
type memberRecord struct {
	ID       bot.MemberID  `json:"id"`
	Accounts []bot.Account `json:"accounts"`
	Name     string        `json:"name"`
	Lang     string        `json:"lang,omitempty"`
	Joined   time.Time     `json:"joined"`
}

func (r memberRecord) member(community string) bot.Member {
	return bot.Member{ID: r.ID, Community: community, Accounts: r.Accounts, Name: r.Name, Lang: r.Lang, Joined: r.Joined}
}

// ckey builds a community-scoped key: community ‖ 0 ‖ rest.
func ckey(community, rest string) []byte {
	k := make([]byte, 0, len(community)+1+len(rest))
	k = append(k, community...)
	k = append(k, 0)
	return append(k, rest...)
}

// Resolve returns the member owning acct, creating it on first sight and
// keeping its names current. It implements bot.MemberDirectory.
func (s *Store) Resolve(ctx context.Context, community string, acct bot.Account, at time.Time) (bot.Member, error) {
	var rec memberRecord
	var found, stale bool
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		rec, found, err = memberByAccount(tx, community, acct.Key())
		if found {
			stale = accountChanged(rec, acct)
		}
		return err
	})
	if err != nil || (found && !stale) {
		return rec.member(community), err
	}
	err = s.write(ctx, func(tx *bolt.Tx) error {
		var err error
		rec, err = upsertAccount(tx, community, acct, at)
		return err
	})
	return rec.member(community), err
}

func accountChanged(rec memberRecord, acct bot.Account) bool {
	for _, a := range rec.Accounts {
		if a.Key() == acct.Key() {
			return a.Name != acct.Name || a.Username != acct.Username || (acct.Lang != "" && a.Lang != acct.Lang)
		}
	}
	return true
}

func memberByAccount(tx *bolt.Tx, community, accountKey string) (memberRecord, bool, error) {
	id := tx.Bucket(bucketAccount).Get(ckey(community, accountKey))
	if id == nil {
		return memberRecord{}, false, nil
	}
	return getMember(tx, community, bot.MemberID(id))
}

func getMember(tx *bolt.Tx, community string, id bot.MemberID) (memberRecord, bool, error) {
	v := tx.Bucket(bucketMembers).Get(ckey(community, string(id)))
	if v == nil {
		return memberRecord{}, false, nil
	}
	var rec memberRecord
	if err := decodeMember(v, &rec); err != nil {
		return rec, false, fmt.Errorf("member %s/%s: %w", community, id, err)
	}
	return rec, true, nil
}

func putMember(tx *bolt.Tx, community string, rec memberRecord) error {
	return tx.Bucket(bucketMembers).Put(ckey(community, string(rec.ID)), encodeMember(&rec))
}

// upsertAccount records acct for its member, creating the member if new.
func upsertAccount(tx *bolt.Tx, community string, acct bot.Account, at time.Time) (memberRecord, error) {
	rec, found, err := memberByAccount(tx, community, acct.Key())
	if err != nil {
		return rec, err
	}
	if !found {
		seq, err := tx.Bucket(bucketMembers).NextSequence()
		if err != nil {
			return rec, err
		}
		rec = memberRecord{ID: bot.MemberID(strconv.FormatUint(seq, 10)), Joined: at.UTC()}
		if err := tx.Bucket(bucketAccount).Put(ckey(community, acct.Key()), []byte(rec.ID)); err != nil {
			return rec, err
		}
	}
	replaced := false
	for i, a := range rec.Accounts {
		if a.Key() == acct.Key() {
			if a.Username != "" && !strings.EqualFold(a.Username, acct.Username) {
				_ = tx.Bucket(bucketNames).Delete(ckey(community, strings.ToLower(a.Username)))
			}
			if acct.Lang == "" {
				acct.Lang = a.Lang
			}
			rec.Accounts[i] = acct
			replaced = true
		}
	}
	if !replaced {
		rec.Accounts = append(rec.Accounts, acct)
	}
	rec.Name = acct.Display()
	if acct.Username != "" {
		if err := tx.Bucket(bucketNames).Put(ckey(community, strings.ToLower(acct.Username)), []byte(rec.ID)); err != nil {
			return rec, err
		}
	}
	return rec, putMember(tx, community, rec)
}

// Member returns a member by id; the id of a member merged into another
// by account linking finds the surviving member.
func (s *Store) Member(_ context.Context, community string, id bot.MemberID) (bot.Member, bool, error) {
	var rec memberRecord
	var found bool
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		rec, found, err = getMember(tx, community, followMerged(tx, community, id))
		return err
	})
	return rec.member(community), found, err
}

// FindMember finds a member by how a moderator names them: "@alice",
// "alice", a Discord mention "<@5001>", or an account key "telegram:1001".
func (s *Store) FindMember(_ context.Context, community, query string) (bot.Member, bool, error) {
	q := strings.TrimSpace(query)
	var keys []string
	switch {
	case strings.HasPrefix(q, "<@") && strings.HasSuffix(q, ">"):
		keys = append(keys, bot.Discord+":"+strings.TrimPrefix(strings.TrimSuffix(q[2:], ">"), "!"))
	case strings.Contains(q, ":"):
		keys = append(keys, q)
	}
	var rec memberRecord
	var found bool
	err := s.view(func(tx *bolt.Tx) error {
		for _, k := range keys {
			r, ok, err := memberByAccount(tx, community, k)
			if err != nil || ok {
				rec, found = r, ok
				return err
			}
		}
		name := strings.ToLower(strings.TrimPrefix(q, "@"))
		if name == "" {
			return nil
		}
		if id := tx.Bucket(bucketNames).Get(ckey(community, name)); id != nil {
			var err error
			rec, found, err = getMember(tx, community, bot.MemberID(id))
			return err
		}
		return nil
	})
	return rec.member(community), found, err
}

var _ bot.MemberDirectory = (*Store)(nil)
