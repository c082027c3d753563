package store

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

var (
	bucketMeta    = []byte("meta")
	keySchema     = []byte("schema_version")
	bucketMembers = []byte("members")  // community ‖ 0 ‖ member id → memberRecord (JSON)
	bucketAccount = []byte("accounts") // community ‖ 0 ‖ account key → member id
	bucketNames   = []byte("names")    // community ‖ 0 ‖ lower-case username → member id
)

// migration upgrades the schema by one version.
type migration struct {
	version int
	name    string
	up      func(tx *bolt.Tx) error
}

// migrations run in order at Open; each runs once, in the same transaction
// that records its version. Append only.
var migrations = []migration{
	{1, "create core buckets", func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketMembers, bucketAccount, bucketNames} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	}},
}

// SchemaVersion is the schema version this build writes.
func SchemaVersion() int { return migrations[len(migrations)-1].version }

func (s *Store) migrate() error {
	return s.update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		current := 0
		if v := meta.Get(keySchema); len(v) == 8 {
			current = int(binary.BigEndian.Uint64(v))
		}
		if current > SchemaVersion() {
			return fmt.Errorf("database schema version %d is newer than this cohort (%d): upgrade cohort", current, SchemaVersion())
		}
		for _, m := range migrations {
			if m.version <= current {
				continue
			}
			if err := m.up(tx); err != nil {
				return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
			}
			current = m.version
		}
		return meta.Put(keySchema, binary.BigEndian.AppendUint64(nil, uint64(current)))
	})
}

// Version reads the stored schema version.
func (s *Store) Version() (int, error) {
	var v int
	err := s.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketMeta).Get(keySchema); len(b) == 8 {
			v = int(binary.BigEndian.Uint64(b))
		}
		return nil
	})
	return v, err
}
