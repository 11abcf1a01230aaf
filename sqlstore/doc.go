// Package sqlstore keeps an issuer's records, review queue and status lists
// in a SQL database, so that several issuer instances (processes, machines
// behind a load balancer) share them safely. It works on SQLite, a single
// file for one machine (the embedded default, through the pure-Go
// modernc.org/sqlite), and on PostgreSQL for many (through
// github.com/jackc/pgx/v5); start with Open and a URL, "sqlite:FILE" or
// "postgres://…".
//
// A DB gives the three stores the issuer and the status registry use:
//
//	db, err := sqlstore.Open(ctx, "sqlite:/var/lib/badges/issuer.db", nil)
//	…
//	defer db.Close()
//	registry := &status.Registry{Store: db.Status()}
//	iss, err := issuer.New(issuer.Config{
//		Records: db.Records(), Review: db.Review(),
//		Status:  issuer.StatusConfig{Registry: registry, Bitstring: listURL},
//		…
//	})
//
// and a fourth, DB.OID4VCI, for the codes, tokens and nonces of an
// oid4vci.Server (its Config.Store), so that instances behind a load
// balancer deliver credentials to wallets together; and, for an Open Badges
// 3.0 API host (package obapi), DB.OBAPI for its clients, codes and tokens
// and DB.OBAPIRecords for its users' credentials and profiles. This package
// implements the handlers' stores without importing the handlers: their
// contracts live in package obapi/hoststore and internal/kv.
//
// # What is guaranteed across instances
//
// Everything below holds between the goroutines of one process and between
// processes sharing one database:
//
//   - Records.Create is an INSERT into a table whose primary key is the
//     award key, so of two instances deciding the same award at once
//     exactly one stores its record; the Issuer returns that record to the
//     other (issuer.Issue is idempotent across instances). Records.Swap
//     replaces a record only while it is in the state its caller read.
//   - StatusStore.Update reads and writes one list in one transaction that
//     holds the list's row lock (PostgreSQL: SELECT … FOR UPDATE; SQLite:
//     BEGIN IMMEDIATE, which takes the database's write lock), so no status
//     index is handed out twice and no revocation is lost. A transaction
//     PostgreSQL aborts as a serialization failure or a deadlock is tried
//     again, a few times.
//   - ReviewQueue.Submit relies on a unique index on the award keys of the
//     pending items, so an award goes to review once.
//   - OID4VCIStore.Take and OBAPIStore.Take are a DELETE … RETURNING of an
//     entry that has not expired, so a pre-authorized code, an
//     authorization code, a refresh token or a nonce is used once; Put an
//     INSERT on the key. OBAPIRecords.Upsert tells a credential it created
//     from one it replaced exactly, also when two instances upsert it at
//     once.
//   - Every change is committed durably (SQLite: WAL with synchronous=FULL)
//     before the method returns.
//   - Every method takes a context and gives up when it is done, also
//     while it waits for a lock, with an error wrapping the context's.
//
// # Insights
//
// Records implements issuer.Insights with indexed queries: each record's
// History is kept beside it in openbadges_events, one row per change of
// state, written in the transaction that writes the record. Counts are
// counted in the indexes, in the periods of the caller's time zone;
// TimeToAward reads the records' first_award and time_to_award columns; and
// Decisions pages through the events in time order, by key. On a history
// of a million decisions, a year's report by month takes a fraction of a
// second, on either engine (see the package's benchmarks).
//
// # Schema
//
// The tables (openbadges_records, openbadges_events, openbadges_review,
// openbadges_status_lists, openbadges_oid4vci, openbadges_obapi_tokens,
// openbadges_obapi_credentials, openbadges_obapi_profiles) are created, and
// later versions of them
// migrated, by Open, in one transaction that holds a lock (PostgreSQL: an
// advisory lock; SQLite: the write lock), so that several instances may
// start at once. The version is kept in openbadges_schema_version; a
// database whose schema is newer than this package knows is refused with
// ErrSchemaVersion rather than written to.
package sqlstore
