package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/cohortbot/cohort/bot/faq"
	bolt "go.etcd.io/bbolt"
)

var (
	bucketFAQ           = []byte("faq_entries")    // community ‖ 0 ‖ entry id → faq.Entry (JSON)
	bucketFAQHits       = []byte("faq_hits")       // community ‖ 0 ‖ entry id → uint64 hits
	bucketFAQMeta       = []byte("faq_meta")       // community ‖ 0 ‖ "file_hash" → digest of the last imported faq_file
	bucketFAQUnanswered = []byte("faq_unanswered") // community ‖ 0 ‖ normalized question → faq.Unanswered (JSON)
	bucketFAQChanges    = []byte("faq_changes")    // community ‖ 0 ‖ uint64 sequence → faq.Change (JSON)
)

// FAQEntries returns a community's FAQ entries with their hit counts.
func (s *Store) FAQEntries(_ context.Context, community string) ([]faq.Entry, error) {
	var out []faq.Entry
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		out, err = faqEntries(tx, community)
		return err
	})
	return out, err
}

func faqEntries(tx *bolt.Tx, community string) ([]faq.Entry, error) {
	var out []faq.Entry
	hits := tx.Bucket(bucketFAQHits)
	err := eachPrefix(tx.Bucket(bucketFAQ), community, func(k, v []byte) error {
		var e faq.Entry
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("faq entry %q: %w", k, err)
		}
		if hits != nil {
			if h := hits.Get(k); len(h) == 8 {
				e.Hits = int64(binary.BigEndian.Uint64(h))
			}
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

// UpdateFAQ applies a change to a community's FAQ entries in one
// transaction and records it in the change log.
func (s *Store) UpdateFAQ(ctx context.Context, community string, u faq.Update) error {
	return s.write(ctx, func(tx *bolt.Tx) error {
		entries, err := tx.CreateBucketIfNotExists(bucketFAQ)
		if err != nil {
			return err
		}
		hits, err := tx.CreateBucketIfNotExists(bucketFAQHits)
		if err != nil {
			return err
		}
		current, err := faqEntries(tx, community)
		if err != nil {
			return err
		}
		next, detail, err := u.Apply(current)
		if err != nil {
			return err
		}
		keep := make(map[string]bool, len(next))
		for _, e := range next {
			if e.ID == "" || keep[e.ID] {
				return fmt.Errorf("faq update: empty or repeated entry id %q", e.ID)
			}
			keep[e.ID] = true
			v, err := json.Marshal(e)
			if err != nil {
				return err
			}
			k := ckey(community, e.ID)
			if old := entries.Get(k); old != nil && bytes.Equal(old, v) {
				continue
			}
			if err := entries.Put(k, v); err != nil {
				return err
			}
		}
		for _, e := range current {
			if keep[e.ID] {
				continue
			}
			if err := entries.Delete(ckey(community, e.ID)); err != nil {
				return err
			}
			if err := hits.Delete(ckey(community, e.ID)); err != nil {
				return err
			}
		}
		if u.FileHash != "" {
			meta, err := tx.CreateBucketIfNotExists(bucketFAQMeta)
			if err != nil {
				return err
			}
			if err := meta.Put(ckey(community, "file_hash"), []byte(u.FileHash)); err != nil {
				return err
			}
		}
		c := u.Change
		if detail != "" {
			c.Detail = detail
		}
		return appendFAQChange(tx, community, c, u.KeepChanges)
	})
}

// appendFAQChange adds a change to the log, dropping the oldest beyond keep.
func appendFAQChange(tx *bolt.Tx, community string, c faq.Change, keep int) error {
	b, err := tx.CreateBucketIfNotExists(bucketFAQChanges)
	if err != nil {
		return err
	}
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	v, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if err := b.Put(ckey(community, string(binary.BigEndian.AppendUint64(nil, seq))), v); err != nil {
		return err
	}
	if keep <= 0 {
		return nil
	}
	var keys [][]byte
	if err := eachPrefix(b, community, func(k, _ []byte) error {
		keys = append(keys, append([]byte(nil), k...))
		return nil
	}); err != nil {
		return err
	}
	for len(keys) > keep {
		if err := b.Delete(keys[0]); err != nil {
			return err
		}
		keys = keys[1:]
	}
	return nil
}

// FAQFileHash is the digest recorded by the community's last file import.
func (s *Store) FAQFileHash(_ context.Context, community string) (string, error) {
	var h string
	err := s.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketFAQMeta); b != nil {
			h = string(b.Get(ckey(community, "file_hash")))
		}
		return nil
	})
	return h, err
}

// CountFAQHit adds one to an entry's hit count.
func (s *Store) CountFAQHit(ctx context.Context, community, id string) error {
	return s.write(ctx, func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketFAQHits)
		if err != nil {
			return err
		}
		k := ckey(community, id)
		var n uint64
		if v := b.Get(k); len(v) == 8 {
			n = binary.BigEndian.Uint64(v)
		}
		return b.Put(k, binary.BigEndian.AppendUint64(nil, n+1))
	})
}

// RecordUnanswered counts an unanswered question, forgetting the least
// asked when more than keep are stored.
func (s *Store) RecordUnanswered(ctx context.Context, community string, q faq.Unanswered, keep int) (faq.Unanswered, error) {
	var stored faq.Unanswered
	err := s.write(ctx, func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketFAQUnanswered)
		if err != nil {
			return err
		}
		k := ckey(community, q.Key)
		stored = q
		stored.Count = 1
		if v := b.Get(k); v != nil {
			var old faq.Unanswered
			if err := json.Unmarshal(v, &old); err != nil {
				return fmt.Errorf("faq unanswered %q: %w", k, err)
			}
			stored.Text, stored.First, stored.Count = old.Text, old.First, old.Count+1
		}
		v, err := json.Marshal(stored)
		if err != nil {
			return err
		}
		if err := b.Put(k, v); err != nil {
			return err
		}
		if stored.Count > 1 || keep <= 0 {
			return nil
		}
		all, err := unanswered(b, community)
		if err != nil {
			return err
		}
		for i := len(all) - 1; i >= 0 && len(all) > keep; i-- {
			if all[i].Key == q.Key {
				continue
			}
			if err := b.Delete(ckey(community, all[i].Key)); err != nil {
				return err
			}
			all = append(all[:i], all[i+1:]...)
		}
		return nil
	})
	return stored, err
}

// unanswered reads a community's unanswered questions, most asked first,
// then most recent.
func unanswered(b *bolt.Bucket, community string) ([]faq.Unanswered, error) {
	var out []faq.Unanswered
	prefix := len(ckey(community, ""))
	err := eachPrefix(b, community, func(k, v []byte) error {
		var q faq.Unanswered
		if err := json.Unmarshal(v, &q); err != nil {
			return fmt.Errorf("faq unanswered %q: %w", k, err)
		}
		q.Key = string(k[prefix:])
		out = append(out, q)
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Last.After(out[j].Last)
	})
	return out, err
}

// UnansweredFAQ returns up to limit unanswered questions, most asked first.
func (s *Store) UnansweredFAQ(_ context.Context, community string, limit int) ([]faq.Unanswered, error) {
	var out []faq.Unanswered
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFAQUnanswered)
		if b == nil {
			return nil
		}
		var err error
		out, err = unanswered(b, community)
		return err
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, err
}

// ClearUnanswered forgets the given questions, or all of the community's.
func (s *Store) ClearUnanswered(ctx context.Context, community string, keys []string) error {
	return s.write(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFAQUnanswered)
		if b == nil {
			return nil
		}
		if keys == nil {
			var all [][]byte
			if err := eachPrefix(b, community, func(k, _ []byte) error {
				all = append(all, append([]byte(nil), k...))
				return nil
			}); err != nil {
				return err
			}
			for _, k := range all {
				if err := b.Delete(k); err != nil {
					return err
				}
			}
			return nil
		}
		for _, k := range keys {
			if err := b.Delete(ckey(community, k)); err != nil {
				return err
			}
		}
		return nil
	})
}

// FAQChanges returns up to limit changes of a community's FAQ, newest first.
func (s *Store) FAQChanges(_ context.Context, community string, limit int) ([]faq.Change, error) {
	var out []faq.Change
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFAQChanges)
		if b == nil {
			return nil
		}
		prefix := ckey(community, "")
		c := b.Cursor()
		// Walk back from the end of the community's key range.
		k, v := c.Seek(append(append([]byte(nil), prefix[:len(prefix)-1]...), 1))
		if k == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
		for ; k != nil && bytes.HasPrefix(k, prefix) && len(out) < limit; k, v = c.Prev() {
			var ch faq.Change
			if err := json.Unmarshal(v, &ch); err != nil {
				return fmt.Errorf("faq change %q: %w", k, err)
			}
			out = append(out, ch)
		}
		return nil
	})
	return out, err
}

// eachPrefix calls fn for every key of a community in b (nil b: none).
func eachPrefix(b *bolt.Bucket, community string, fn func(k, v []byte) error) error {
	if b == nil {
		return nil
	}
	prefix := ckey(community, "")
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

var _ faq.Store = (*Store)(nil)
