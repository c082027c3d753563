package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

// Helpers for features that keep JSON records under community-scoped keys.

// getJSON reads one record; a missing bucket or key is not found.
func getJSON[T any](tx *bolt.Tx, bucket, key []byte) (T, bool, error) {
	var v T
	b := tx.Bucket(bucket)
	if b == nil {
		return v, false, nil
	}
	data := b.Get(key)
	if data == nil {
		return v, false, nil
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return v, false, fmt.Errorf("%s %q: %w", bucket, key, err)
	}
	return v, true, nil
}

// putJSON writes one record, creating the bucket.
func putJSON(tx *bolt.Tx, bucket, key []byte, v any) error {
	b, err := tx.CreateBucketIfNotExists(bucket)
	if err != nil {
		return err
	}
	return putRecord(b, key, v)
}

// setFlag adds key to an index bucket when on, removes it otherwise.
func setFlag(tx *bolt.Tx, bucket, key []byte, on bool) error {
	b, err := tx.CreateBucketIfNotExists(bucket)
	if err != nil {
		return err
	}
	if on {
		return b.Put(key, nil)
	}
	return b.Delete(key)
}

// listJSON reads every record whose key starts with prefix.
func listJSON[T any](tx *bolt.Tx, bucket, prefix []byte) ([]T, error) {
	b := tx.Bucket(bucket)
	if b == nil {
		return nil, nil
	}
	var out []T
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var rec T
		if err := json.Unmarshal(v, &rec); err != nil {
			return nil, fmt.Errorf("%s %q: %w", bucket, k, err)
		}
		out = append(out, rec)
	}
	return out, nil
}

// indexedJSON reads the records named by the keys of an index bucket.
func indexedJSON[T any](tx *bolt.Tx, index, bucket []byte) ([]T, error) {
	ix := tx.Bucket(index)
	if ix == nil {
		return nil, nil
	}
	var out []T
	err := ix.ForEach(func(k, _ []byte) error {
		rec, ok, err := getJSON[T](tx, bucket, k)
		if ok {
			out = append(out, rec)
		}
		return err
	})
	return out, err
}

// nextID hands out the next numeric id of a bucket.
func nextID(tx *bolt.Tx, bucket []byte) (string, error) {
	b, err := tx.CreateBucketIfNotExists(bucket)
	if err != nil {
		return "", err
	}
	n, err := b.NextSequence()
	return strconv.FormatUint(n, 10), err
}

// updateJSON applies fn to a stored record and writes it back; found is
// false (and nothing is written) when the record does not exist. after runs
// in the same transaction, to maintain indexes.
func updateJSON[T any](s *Store, ctx context.Context, bucket, key []byte, fn func(*T) error, after func(tx *bolt.Tx, v *T) error) (T, bool, error) {
	var out T
	var found bool
	err := s.write(ctx, func(tx *bolt.Tx) error {
		v, ok, err := getJSON[T](tx, bucket, key)
		found = ok
		if err != nil || !ok {
			return err
		}
		if err := fn(&v); err != nil {
			return err
		}
		if err := putJSON(tx, bucket, key, v); err != nil {
			return err
		}
		if after != nil {
			if err := after(tx, &v); err != nil {
				return err
			}
		}
		out = v
		return nil
	})
	return out, found, err
}

// byNumericID sorts records by their numeric id.
func byNumericID[T any](recs []T, id func(T) string) {
	sort.Slice(recs, func(i, j int) bool {
		a, _ := strconv.ParseUint(id(recs[i]), 10, 64)
		b, _ := strconv.ParseUint(id(recs[j]), 10, 64)
		return a < b
	})
}

// latest returns the record with the highest numeric id.
func latest[T any](recs []T, id func(T) string) (T, bool) {
	var zero T
	if len(recs) == 0 {
		return zero, false
	}
	byNumericID(recs, id)
	return recs[len(recs)-1], true
}

// eachJSON calls fn with every record of b whose key starts with prefix,
// decoded, in key order; a nil bucket has none. The records are copied
// first (see prefixed), so fn may change the bucket.
func eachJSON[T any](b *bolt.Bucket, prefix []byte, fn func(k []byte, v T) error) error {
	for _, p := range prefixed(b, prefix) {
		var v T
		if err := json.Unmarshal(p.v, &v); err != nil {
			return err
		}
		if err := fn(p.k, v); err != nil {
			return err
		}
	}
	return nil
}
