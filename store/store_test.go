package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	bolt "go.etcd.io/bbolt"
)

var testBucket = []byte("test")

func put(s *Store, key string) error {
	return s.write(context.Background(), func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(testBucket)
		if err != nil {
			return err
		}
		return b.Put([]byte(key), []byte("v"))
	})
}

func keys(t *testing.T, s *Store) map[string]bool {
	t.Helper()
	got := map[string]bool{}
	if err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(testBucket)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, _ []byte) error { got[string(k)] = true; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestWriter_AcknowledgedWritesSurviveReopen(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{MaxBatch: 16})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	acked := map[string]bool{}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				k := fmt.Sprintf("%d-%d", g, i)
				if put(s, k) == nil {
					mu.Lock()
					acked[k] = true
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got := keys(t, s)
	if len(acked) != 1600 {
		t.Fatalf("only %d of 1600 writes acknowledged", len(acked))
	}
	for k := range acked {
		if !got[k] {
			t.Fatalf("acknowledged write %s lost after reopen", k)
		}
	}
}

func TestWriter_FailingOpDoesNotPoisonBatch(t *testing.T) {
	s, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Hold the writer inside a transaction so the next operations queue up
	// and commit together.
	release := make(chan struct{})
	started := make(chan struct{})
	go s.write(context.Background(), func(tx *bolt.Tx) error { close(started); <-release; return nil })
	<-started
	boom := errors.New("boom")
	results := make([]error, 30)
	var wg sync.WaitGroup
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = s.write(context.Background(), func(tx *bolt.Tx) error {
				b, err := tx.CreateBucketIfNotExists(testBucket)
				if err != nil {
					return err
				}
				if err := b.Put([]byte(strconv.Itoa(i)), []byte("v")); err != nil {
					return err
				}
				switch i % 10 {
				case 3:
					return boom
				case 7:
					panic("bad op")
				}
				return nil
			})
		}()
	}
	for len(s.w.ops) < len(results) {
		time.Sleep(time.Millisecond) // wait until all are queued behind the held transaction
	}
	close(release)
	wg.Wait()
	got := keys(t, s)
	for i, err := range results {
		switch i % 10 {
		case 3:
			if !errors.Is(err, boom) || got[strconv.Itoa(i)] {
				t.Errorf("op %d: err %v, stored %v; want boom and nothing stored", i, err, got[strconv.Itoa(i)])
			}
		case 7:
			if err == nil || got[strconv.Itoa(i)] {
				t.Errorf("op %d panicked: err %v, stored %v", i, err, got[strconv.Itoa(i)])
			}
		default:
			if err != nil || !got[strconv.Itoa(i)] {
				t.Errorf("op %d: err %v, stored %v; want stored", i, err, got[strconv.Itoa(i)])
			}
		}
	}
}

func TestOpen_SecondOpenFailsWithInUse(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	_, err = Open(dir, Options{LockTimeout: 200 * time.Millisecond})
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("second open: %v, want ErrInUse", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Fatalf("second open took %s", time.Since(start))
	}
}

func TestWriter_AfterCloseFails(t *testing.T) {
	s, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := put(s, "x"); !errors.Is(err, ErrClosed) {
		t.Fatalf("write after close: %v", err)
	}
}

func TestMigrate_RecordsVersion(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.Version()
	if err != nil || v != SchemaVersion() {
		t.Fatalf("version %d %v, want %d", v, err, SchemaVersion())
	}
	s.Close()
	if s, err = Open(dir, Options{}); err != nil {
		t.Fatalf("reopen: %v", err)
	}
	s.Close()
}

func TestMembers_ResolveAndFind(t *testing.T) {
	s, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	alice := bot.Account{Platform: bot.Telegram, ID: "1001", Name: "Alice", Username: "alice", Lang: "en"}
	m1, err := s.Resolve(ctx, "acme", alice, time.Unix(100, 0))
	if err != nil {
		t.Fatal(err)
	}
	m2, _ := s.Resolve(ctx, "acme", alice, time.Unix(200, 0))
	if m1.ID != m2.ID || !m2.Joined.Equal(time.Unix(100, 0)) {
		t.Fatalf("same account resolved to %v then %v", m1, m2)
	}
	other, _ := s.Resolve(ctx, "other", alice, time.Unix(200, 0))
	if got, ok, _ := s.Member(ctx, "acme", other.ID); ok && got.Community != "acme" {
		t.Fatal("communities share members")
	}
	alice.Username = "alice_new"
	if _, err := s.Resolve(ctx, "acme", alice, time.Unix(300, 0)); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"@alice_new", "ALICE_NEW", "telegram:1001"} {
		m, ok, err := s.FindMember(ctx, "acme", q)
		if err != nil || !ok || m.ID != m1.ID {
			t.Errorf("FindMember(%q) = %v %v %v", q, m, ok, err)
		}
	}
	if _, ok, _ := s.FindMember(ctx, "acme", "@alice"); ok {
		t.Error("old username still finds the member")
	}
	if _, ok, _ := s.FindMember(ctx, "acme", "@nobody"); ok {
		t.Error("unknown name found")
	}
	dan := bot.Account{Platform: bot.Discord, ID: "5002", Name: "Dan"}
	md, _ := s.Resolve(ctx, "acme", dan, time.Unix(400, 0))
	if m, ok, _ := s.FindMember(ctx, "acme", "<@5002>"); !ok || m.ID != md.ID {
		t.Errorf("discord mention not found: %v %v", m, ok)
	}
}
