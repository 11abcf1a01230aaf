package sqlstore

import (
	"context"
	"time"
)

// Limits on the entries of an OID4VCIStore and an OBAPIStore.
const (
	// MaxOID4VCIKeyBytes bounds an entry's key (package oid4vci's and
	// package obapi's keys are a kind and a hash, some 50 bytes).
	MaxOID4VCIKeyBytes = 256
	// MaxOID4VCIValueBytes bounds an entry's value (package oid4vci's are
	// a few hundred bytes: an award key, a holder's DID, an offer).
	MaxOID4VCIValueBytes = 256 << 10
)

// OID4VCIStore is an oid4vci.Store in the database's openbadges_oid4vci
// table, for the instances of an issuer that deliver credentials to
// wallets (oid4vci.Server) to share: one row per key, the key its primary
// key, with the value as it was given (package oid4vci stores hashes and
// sealed values, never a usable code or token under its own name) and
// the time it expires. Get it from DB.OID4VCI.
//
// Put is an INSERT that fails on a live entry of the same key, and
// replaces an expired one; Get reads an entry only if it has not expired;
// Take is a DELETE … RETURNING of an entry that has not expired, so that,
// of two instances taking one code or nonce at once, exactly one gets it.
// Expiry is compared in SQL, with the time the caller gives Get and Take,
// and, for Put, the DB's clock (Options.Now). Expired entries are never
// returned; Put removes some of them now and then (see also Sweep). There
// is no bound on the number of entries, as there is on a
// oid4vci.MemoryStore's: package oid4vci writes only for a request that
// carries a code or token it handed out.
type OID4VCIStore struct {
	e *entries
}

func newOID4VCIStore(s *DB) *OID4VCIStore {
	return &OID4VCIStore{e: newEntries(s, "openbadges_oid4vci", "OID4VCI")}
}

// OID4VCI returns the store of package oid4vci's codes, tokens and
// nonces.
func (s *DB) OID4VCI() *OID4VCIStore { return s.oid4vci }

// Put implements oid4vci.Store: an error wrapping oid4vci.ErrExists if key
// holds an entry that has not expired, or ErrValueTooLarge for a key or value
// beyond the limits above.
func (o *OID4VCIStore) Put(ctx context.Context, key string, value []byte, expires time.Time) error {
	return o.e.put(ctx, key, value, expires)
}

// Get implements oid4vci.Store.
func (o *OID4VCIStore) Get(ctx context.Context, key string, now time.Time) ([]byte, error) {
	return o.e.get(ctx, key, now)
}

// Take implements oid4vci.Store: one DELETE … RETURNING statement, so that
// of two Takes of one key, in one process or many, one gets the value and
// the other an error wrapping oid4vci.ErrNotFound.
func (o *OID4VCIStore) Take(ctx context.Context, key string, now time.Time) ([]byte, error) {
	return o.e.take(ctx, key, now)
}

// Sweep removes the entries that have expired by the DB's clock
// (Options.Now), a batch at a time, and returns how many it removed. Put
// does it now and then, a batch at most; an issuer that puts seldom may
// call Sweep from time to time to keep the table small.
func (o *OID4VCIStore) Sweep(ctx context.Context) (int64, error) { return o.e.sweepAll(ctx) }
