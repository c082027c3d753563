package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/moderation"
	bolt "go.etcd.io/bbolt"
)

var (
	bucketModActions = []byte("mod_actions") // community ‖ 0 ‖ member ‖ 0 ‖ be64 unix nanos ‖ be64 id → moderation.Action (JSON)
	bucketModSeq     = []byte("mod_seq")     // community → be64 last action id
)

func timeKey(t time.Time) string {
	if t.IsZero() || t.Before(time.Unix(0, 0)) {
		return be64(0)
	}
	return be64(uint64(t.UnixNano()))
}

// RecordAction saves a moderation action under the next id of its community.
func (s *Store) RecordAction(ctx context.Context, a moderation.Action) (moderation.Action, error) {
	var out moderation.Action
	err := s.write(ctx, func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketModActions)
		if err != nil {
			return err
		}
		seq, err := tx.CreateBucketIfNotExists(bucketModSeq)
		if err != nil {
			return err
		}
		var last uint64
		if v := seq.Get([]byte(a.Community)); len(v) == 8 {
			last = binary.BigEndian.Uint64(v)
		}
		out = a
		out.ID = last + 1
		if err := seq.Put([]byte(a.Community), []byte(be64(out.ID))); err != nil {
			return err
		}
		v, err := json.Marshal(out)
		if err != nil {
			return err
		}
		return b.Put(ckey(a.Community, string(a.Member)+"\x00"+timeKey(a.At)+be64(out.ID)), v)
	})
	return out, err
}

// MemberActions returns a member's actions at or after since, oldest first.
func (s *Store) MemberActions(_ context.Context, community string, member bot.MemberID, since time.Time) ([]moderation.Action, error) {
	var out []moderation.Action
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketModActions)
		if b == nil {
			return nil
		}
		prefix := ckey(community, string(member)+"\x00")
		c := b.Cursor()
		for k, v := c.Seek(append(bytes.Clone(prefix), timeKey(since)...)); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var a moderation.Action
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("moderation action %q: %w", k, err)
			}
			out = append(out, a)
		}
		return nil
	})
	return out, err
}

var _ moderation.Store = (*Store)(nil)
