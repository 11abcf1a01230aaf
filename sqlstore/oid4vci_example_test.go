package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/go-openbadges/openbadges/oid4vci"
	"github.com/go-openbadges/openbadges/sqlstore"
)

// The codes, tokens and nonces of an OpenID4VCI server in the issuer's
// database, so that the instances sharing it (each with
// oid4vci.Config{Store: db.OID4VCI(), Secret: theSameSecret, …}) take each
// one once: here two DBs on one SQLite file, as two processes would have.
func ExampleDB_OID4VCI() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "sqlstore-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	url := "sqlite:" + filepath.Join(dir, "issuer.db")
	a, err := sqlstore.Open(ctx, url, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer a.Close()
	b, err := sqlstore.Open(ctx, url, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer b.Close()

	var store oid4vci.Store = a.OID4VCI()
	if err := store.Put(ctx, "code:hash-of-the-code", []byte(`{"k":"award"}`), time.Now().Add(10*time.Minute)); err != nil {
		fmt.Println(err)
		return
	}
	v, err := b.OID4VCI().Take(ctx, "code:hash-of-the-code", time.Now())
	fmt.Printf("instance b takes it: %s %v\n", v, err)
	_, err = a.OID4VCI().Take(ctx, "code:hash-of-the-code", time.Now())
	fmt.Println("instance a, after:", errors.Is(err, oid4vci.ErrNotFound))
	// Output:
	// instance b takes it: {"k":"award"} <nil>
	// instance a, after: true
}
