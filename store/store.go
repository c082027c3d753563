package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// FileName is the database file inside the data directory.
const FileName = "cohort.db"

// ErrInUse is returned by Open when another process holds the database.
var ErrInUse = errors.New("database is in use by another cohort process")

// Options configure Open.
type Options struct {
	// LockTimeout bounds the wait for the file lock; default 1 s.
	LockTimeout time.Duration
	// MaxBatch is the most operations one group commit takes; default
	// 2048 (a commit of 1,000 participation events takes about 80 ms on
	// the development machine; see BenchmarkParticipation).
	MaxBatch int
	// OnCommit, if set, is told the size and duration of every group commit.
	OnCommit func(ops int, took time.Duration)
	// NoSync skips fsync; only for benchmarks that measure the code path.
	NoSync bool
}

// Store is the open database.
type Store struct {
	path string
	bolt *bolt.Options
	w    *writer
	// deltas gathers board changes within a group commit; only the
	// writer goroutine uses it.
	deltas *boardDeltas

	// mu guards db: transactions hold it for reading; Compact swaps the
	// file under the write lock.
	mu sync.RWMutex
	db *bolt.DB
}

// Open opens (creating if needed) the database in dir, runs pending
// migrations and starts the group-commit writer.
func Open(dir string, opts Options) (*Store, error) {
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = time.Second
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 2048
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("data_dir %s: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	bopts := &bolt.Options{Timeout: opts.LockTimeout, NoSync: opts.NoSync}
	db, err := bolt.Open(path, 0o600, bopts)
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("%s: %w (lock held for more than %s; stop the other process or use another data_dir)", path, ErrInUse, opts.LockTimeout)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s := &Store{db: db, path: path, bolt: bopts, deltas: newBoardDeltas()}
	if err := s.migrate(); err != nil {
		db.Close()
		return nil, err
	}
	s.w = newWriter(s.update, opts.MaxBatch, opts.OnCommit, txHooks{begin: s.deltas.reset, end: s.deltas.flush})
	return s, nil
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Close waits for queued writes to commit, then closes the file.
func (s *Store) Close() error {
	s.w.close()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.db.Close()
}

// Backup writes a consistent copy of the database to w while the bot runs.
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}

// Ping checks that the store accepts writes.
func (s *Store) Ping(ctx context.Context) error {
	return s.write(ctx, func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		return b.Put([]byte("ping"), []byte(time.Now().UTC().Format(time.RFC3339)))
	})
}

// write runs fn in the next group commit and returns once it is durable.
func (s *Store) write(ctx context.Context, fn func(tx *bolt.Tx) error) error {
	return s.w.do(ctx, fn)
}

// view runs fn in a read-only transaction.
func (s *Store) view(fn func(tx *bolt.Tx) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.db.View(fn)
}

// update runs fn in a read-write transaction; only the writer and
// migrations call it.
func (s *Store) update(fn func(tx *bolt.Tx) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.db.Update(fn)
}

// Compact rewrites the database into a fresh file holding only live data and
// swaps it in, so deleted personal data leaves no bytes behind in free
// pages. Writes and reads wait while it runs.
func (s *Store) Compact() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	tmp := s.path + ".compact"
	_ = os.Remove(tmp)
	dst, err := bolt.Open(tmp, 0o600, s.bolt)
	if err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	if err := bolt.Compact(dst, s.db, 16<<20); err != nil {
		dst.Close()
		os.Remove(tmp)
		return fmt.Errorf("compact: %w", err)
	}
	if err := dst.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("compact: %w", err)
	}
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	if err := os.Rename(tmp, s.path); err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	if d, err := os.Open(filepath.Dir(s.path)); err == nil {
		_ = d.Sync()
		d.Close()
	}
	db, err := bolt.Open(s.path, 0o600, s.bolt)
	if err != nil {
		return fmt.Errorf("compact: reopen: %w", err)
	}
	s.db = db
	return nil
}
