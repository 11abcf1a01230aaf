package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/go-openbadges/openbadges/obapi/hoststore"
	"github.com/go-openbadges/openbadges/sqlstore"
)

// An OB 3.0 API host's users' credentials in the database, for the
// instances of the host (each with obapi.Config{Store: db.OBAPI(),
// Records: db.OBAPIRecords(), …}) to share: the second upsert of a
// credential replaces the first.
func ExampleDB_OBAPIRecords() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "sqlstore-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	db, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(dir, "host.db"), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	records := db.OBAPIRecords()
	c := hoststore.Credential{Key: "19:did:web:example.edu urn:uuid:1", Data: []byte(`{"id": "urn:uuid:1"}`),
		Issued: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)}
	for range 2 {
		created, err := records.Upsert(ctx, "account-42", c)
		fmt.Println("created:", created, err)
	}
	page, total, err := records.Credentials(ctx, "account-42", hoststore.Page{Limit: 10})
	fmt.Println(len(page), total, err)
	// Output:
	// created: true <nil>
	// created: false <nil>
	// 1 1 <nil>
}
