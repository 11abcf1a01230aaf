package hoststore_test

import (
	"context"
	"fmt"
	"time"

	"github.com/go-openbadges/openbadges/obapi/hoststore"
)

// Records keep each user's credentials, a page at a time, in the order
// they were issued; a credential upserted again (the same Key) replaces
// the one held.
func ExampleMemoryRecords() {
	ctx := context.Background()
	r := &hoststore.MemoryRecords{}
	day := func(d int) time.Time { return time.Date(2026, 5, d, 0, 0, 0, 0, time.UTC) }
	for _, c := range []hoststore.Credential{
		{Key: "19:did:web:example.edu urn:uuid:2", Data: []byte(`{"id": "urn:uuid:2"}`), Issued: day(2)},
		{Key: "19:did:web:example.edu urn:uuid:1", Data: []byte(`{"id": "urn:uuid:1"}`), Issued: day(1)},
		{Key: "19:did:web:example.edu urn:uuid:1", Data: []byte(`{"id": "urn:uuid:1", "name": "again"}`), Issued: day(1)},
	} {
		created, _ := r.Upsert(ctx, "account-42", c)
		fmt.Println("created:", created)
	}
	page, total, _ := r.Credentials(ctx, "account-42", hoststore.Page{Limit: 1})
	fmt.Println(total, string(page[0].Data))
	// Output:
	// created: true
	// created: true
	// created: false
	// 2 {"id": "urn:uuid:1", "name": "again"}
}
