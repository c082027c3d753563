package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/cohortbot/cohort/bot/sentinel"
	bolt "go.etcd.io/bbolt"
)

var (
	bucketSentimentHours = []byte("sentiment_hours") // community ‖ 0 ‖ be64 unix nanos of the hour → sentinel.Hour (JSON)
	bucketFlagged        = []byte("flagged")         // community ‖ 0 ‖ be64 unix nanos ‖ be64 seq → sentinel.Flagged (JSON)
)

// AddHour adds counts to a community's hour.
func (s *Store) AddHour(ctx context.Context, community string, h sentinel.Hour) error {
	start := h.Start.Truncate(time.Hour).UTC()
	return s.write(ctx, func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketSentimentHours)
		if err != nil {
			return err
		}
		k := ckey(community, timeKey(start))
		cur := sentinel.Hour{Start: start}
		if v := b.Get(k); v != nil {
			if err := json.Unmarshal(v, &cur); err != nil {
				return fmt.Errorf("sentiment hour %s/%s: %w", community, start, err)
			}
		}
		cur.Total += h.Total
		cur.Negative += h.Negative
		v, err := json.Marshal(cur)
		if err != nil {
			return err
		}
		return b.Put(k, v)
	})
}

// Hours returns a community's hours in [from, to), oldest first.
func (s *Store) Hours(_ context.Context, community string, from, to time.Time) ([]sentinel.Hour, error) {
	var out []sentinel.Hour
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSentimentHours)
		if b == nil {
			return nil
		}
		end := ckey(community, timeKey(to))
		prefix := ckey(community, "")
		c := b.Cursor()
		for k, v := c.Seek(ckey(community, timeKey(from))); k != nil && bytes.HasPrefix(k, prefix) && bytes.Compare(k, end) < 0; k, v = c.Next() {
			var h sentinel.Hour
			if err := json.Unmarshal(v, &h); err != nil {
				return fmt.Errorf("sentiment hour %q: %w", k, err)
			}
			out = append(out, h)
		}
		return nil
	})
	return out, err
}

// Flag records a flagged message.
func (s *Store) Flag(ctx context.Context, f sentinel.Flagged) error {
	return s.write(ctx, func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketFlagged)
		if err != nil {
			return err
		}
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		v, err := json.Marshal(f)
		if err != nil {
			return err
		}
		return b.Put(ckey(f.Community, timeKey(f.At)+be64(seq)), v)
	})
}

// FlaggedSince returns a community's flagged messages since t, oldest first.
func (s *Store) FlaggedSince(_ context.Context, community string, t time.Time) ([]sentinel.Flagged, error) {
	var out []sentinel.Flagged
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFlagged)
		if b == nil {
			return nil
		}
		prefix := ckey(community, "")
		c := b.Cursor()
		for k, v := c.Seek(ckey(community, timeKey(t))); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var f sentinel.Flagged
			if err := json.Unmarshal(v, &f); err != nil {
				return fmt.Errorf("flagged message %q: %w", k, err)
			}
			out = append(out, f)
		}
		return nil
	})
	return out, err
}

var _ sentinel.Store = (*Store)(nil)
