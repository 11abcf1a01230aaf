package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"time"

	"modernc.org/sqlite" // also the "sqlite" database/sql driver
)

// walMode puts the SQLite database file name in write-ahead-log mode,
// which the file keeps, before any pool opens it. The switch takes the
// database's exclusive lock, and SQLite answers SQLITE_BUSY at once,
// without calling the busy handler, when another connection holds a
// lock the switch cannot wait for (another process or DB opening the same
// new file at the same moment). So it is done here, on a connection of
// its own, retried for up to busy; the pool's connections then find the
// file in WAL mode and never switch it.
func walMode(ctx context.Context, name string, busy time.Duration) error {
	q := url.Values{}
	q.Set("_busy_timeout", fmt.Sprint(busy.Milliseconds()))
	u := url.URL{Scheme: "file", Path: name, RawQuery: q.Encode()}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return fmt.Errorf("sqlstore: sqlite:%s: %w", name, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	deadline := time.Now().Add(busy)
	wait := time.Millisecond
	for {
		var mode string
		err := db.QueryRowContext(ctx, "PRAGMA journal_mode=WAL").Scan(&mode)
		if err == nil {
			return nil
		}
		if !sqliteBusy(err) || time.Now().After(deadline) {
			return fmt.Errorf("sqlstore: sqlite:%s: setting WAL mode: %w", name, ctxErr(ctx, err))
		}
		t := time.NewTimer(wait + rand.N(wait))
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("sqlstore: sqlite:%s: setting WAL mode: %w", name, ctx.Err())
		case <-t.C:
		}
		wait = min(2*wait, 50*time.Millisecond)
	}
}

// sqliteBusy reports whether err is SQLite's SQLITE_BUSY or SQLITE_LOCKED,
// extended codes included.
func sqliteBusy(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Code() & 0xff {
	case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED
		return true
	}
	return false
}

// createFile creates the SQLite file, readable by its owner only, if it
// does not exist: SQLite gives the files beside it (-wal, -shm) the same
// mode.
func createFile(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sqlstore: sqlite: %w", err)
	}
	return f.Close()
}
