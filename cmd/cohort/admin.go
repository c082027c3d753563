package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cohortbot/cohort/store"
	"github.com/rs/zerolog"
)

// socketName is the admin socket in the data directory. The running bot
// serves online backups on it, since it holds the database lock.
const socketName = "cohort.sock"

// serveAdmin listens on the admin socket until ctx ends or the listener is
// closed. The socket is only reachable by the data directory's owner.
func serveAdmin(ctx context.Context, dataDir string, st *store.Store, log zerolog.Logger) (io.Closer, error) {
	path := filepath.Join(dataDir, socketName)
	_ = os.Remove(path) // a stale socket of a process that died; we hold the lock now
	l, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("admin socket %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		l.Close()
		return nil, err
	}
	go func() {
		<-ctx.Done()
		l.Close()
	}()
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go serveAdminConn(conn, st, log)
		}
	}()
	return l, nil
}

func serveAdminConn(conn net.Conn, st *store.Store, log zerolog.Logger) {
	defer conn.Close()
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReader(io.LimitReader(conn, 64)).ReadString('\n')
	if err != nil {
		return
	}
	switch strings.TrimSpace(line) {
	case "backup":
		_ = conn.SetWriteDeadline(time.Time{})
		n, err := st.Backup(conn)
		if err != nil {
			log.Error().Err(err).Msg("online backup failed")
			return
		}
		log.Info().Int64("bytes", n).Msg("online backup sent")
	default:
		fmt.Fprintln(conn, "unknown admin command")
	}
}

// backup writes a consistent copy of the database to file: through the
// running bot's admin socket when it runs, else by opening the store itself.
// The copy is written to a temporary file and renamed, so FILE is never
// half-written.
func backup(ctx context.Context, dataDir, file string) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(file), ".cohort-backup-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	n, err := backupTo(ctx, dataDir, tmp)
	if err != nil {
		return 0, err
	}
	if err := tmp.Sync(); err != nil {
		return 0, err
	}
	if err := tmp.Close(); err != nil {
		return 0, err
	}
	return n, os.Rename(tmp.Name(), file)
}

func backupTo(ctx context.Context, dataDir string, w io.Writer) (int64, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", filepath.Join(dataDir, socketName))
	if err == nil {
		defer conn.Close()
		if _, err := io.WriteString(conn, "backup\n"); err != nil {
			return 0, err
		}
		n, err := io.Copy(w, conn)
		if err == nil && n == 0 {
			err = errors.New("the running bot sent an empty backup")
		}
		return n, err
	}
	if _, statErr := os.Stat(filepath.Join(dataDir, store.FileName)); statErr != nil {
		return 0, fmt.Errorf("no database in %s: %w", dataDir, statErr)
	}
	st, err := store.Open(dataDir, store.Options{})
	if err != nil {
		return 0, err
	}
	defer st.Close()
	return st.Backup(w)
}
