package statuscheck

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/fetch"
	"github.com/go-openbadges/openbadges/schema"
	"github.com/go-openbadges/openbadges/status"
)

// Defaults for the zero fields of a Checker.
const (
	// DefaultMaxListDocumentBytes bounds a list document, signed JSON or
	// JWS, as fetched.
	DefaultMaxListDocumentBytes = 4 << 20
	// DefaultMaxCacheAge is the longest a list is cached.
	DefaultMaxCacheAge = 24 * time.Hour
	// UndatedCacheAge is the longest a list that says nothing of its
	// freshness (no validUntil, no ttl: every 1EdTech list) is cached.
	UndatedCacheAge = 5 * time.Minute
	// DefaultMaxCacheEntries bounds the lists a Checker caches.
	DefaultMaxCacheEntries = 256
)

// A Checker checks credentials' status against their issuers' lists: the
// verifier's side. The zero Checker works offline, with the lists given in
// Documents: it verifies Data Integrity and JWS proofs whose keys are
// did:key or did:jwk references (did:web and https issuers' keys need
// their documents, through Resolver), and refuses
// lists shorter than status.MinListLength, lists not issued by the credential's
// issuer, and lists outside their validity window.
//
// A Checker caches the lists it has verified (see MaxCacheAge) and is safe
// for concurrent use once its fields are set. It must not be copied after
// first use.
type Checker struct {
	// Fetcher retrieves lists that Documents does not hold. If nil,
	// nothing is fetched. fetch.HTTP is the usual one.
	Fetcher fetch.Fetcher
	// Documents supplies lists offline, keyed by their URL: each value is
	// the list as it is served, a JSON credential or a compact JWS (or a
	// 1EdTech JSON list). It is consulted before Fetcher, and must not be
	// modified while the Checker is in use.
	Documents map[string][]byte
	// Resolver resolves the keys of list credentials' proofs; a list
	// verifies only with a key it confirms as the list issuer's (see
	// package proof/dataintegrity). If nil, did.NewResolver(did.Options{}),
	// which resolves did:key and did:jwk without the network; to resolve
	// did:web and https keys, give a Resolver with the issuers' documents
	// or a Fetcher.
	Resolver did.Resolver
	// Loader serves the JSON-LD contexts of list credentials with Data
	// Integrity proofs. If nil, schema.NewLoader with the zero options:
	// the embedded contexts only.
	Loader *schema.Loader
	// Now returns the current time, against which validity windows and
	// cache lifetimes are judged. If nil, time.Now.
	Now func() time.Time
	// MaxBytes bounds a list document as retrieved. If zero,
	// DefaultMaxListDocumentBytes.
	MaxBytes int
	// MaxListBytes bounds what an encodedList may decompress to. If zero,
	// status.DefaultMaxListBytes.
	MaxListBytes int
	// MinLength is the fewest entries a bitstring list may have; a shorter
	// one is Indeterminate with status.ErrListLength. If zero,
	// status.MinListLength, the
	// W3C minimum; set it lower only where an ecosystem's specification
	// does.
	MinLength int
	// AnyIssuer, when true, accepts a list whose issuer is not the
	// credential's. The W3C Recommendation allows a different issuer to
	// keep a credential's status, but a verifier must then decide whether
	// it trusts that issuer: by default a list of another issuer is
	// Indeterminate with status.ErrVerification.
	AnyIssuer bool
	// MaxCacheAge is the longest a verified list is cached. A list is
	// retrieved again at the earliest of its validUntil, its ttl, and
	// MaxCacheAge after it was retrieved (UndatedCacheAge, if shorter,
	// for a list with neither validUntil nor ttl). If zero,
	// DefaultMaxCacheAge; if negative, nothing is cached.
	MaxCacheAge time.Duration
	// MaxCacheEntries bounds the number of lists cached. If zero,
	// DefaultMaxCacheEntries.
	MaxCacheEntries int

	setup    sync.Once
	loader   *schema.Loader
	resolver did.Resolver
	setupErr error
	mu       sync.Mutex
	cache    map[cacheKey]*verifiedList
}

type cacheKey struct {
	url    string
	method status.Method
}

// verifiedList is a list retrieved and verified: what checks need of it.
// It is never modified once made.
type verifiedList struct {
	info     ListInfo
	bits     status.Bitstring
	revoked  map[string]revokedInfo // 1EdTech
	warnings []string
	// statusSize is the list credential's own statusSize; 0 if it has
	// none, as the W3C Recommendation's lists do not.
	statusSize int
	ttl        time.Duration // the list's ttl; 0 if none
	until      time.Time
}

type revokedInfo struct {
	revoked bool
	reason  string
}

func (c *Checker) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Checker) init() error {
	c.setup.Do(func() {
		c.loader, c.resolver = c.Loader, c.Resolver
		if c.loader == nil {
			c.loader, c.setupErr = schema.NewLoader(schema.LoaderOptions{})
		}
		if c.resolver == nil {
			c.resolver = did.NewResolver(did.Options{})
		}
	})
	return c.setupErr
}

// Check checks the status of a credential, one Result per entry of its
// credentialStatus, in order: for a BitstringStatusListEntry the W3C
// Recommendation's Validate Algorithm (check the entry's statusSize,
// statusMessage and statusReference, retrieve the list, verify its proofs,
// check its type, purpose, issuer, validity window and length, read the
// entry's statusSize bits at statusListIndex*statusSize, the first the
// most significant); for a 1EdTechRevocationList entry, the 1EdTech method
// (retrieve the list and look for the credential's id). Combine gives the
// credential's standing.
//
// A revocation or suspension entry is revoked or suspended by any value but
// 0 (the Recommendation's result is "valid" only for 0). A "message" entry
// is NotRevoked whatever its value: Result.Value and Result.Message say
// what the list says. A list must have at least MinLength entries of the
// entry's statusSize (MinLength*statusSize bits; status.ErrListLength), and
// the entry must lie wholly inside it (status.ErrIndexOutOfRange). A
// statusMessage that is not one message for each of the 2^statusSize
// values, or missing when statusSize is more than 1, is
// status.ErrMalformed, as is a statusReference that is not absolute URLs:
// each makes the entry Indeterminate.
//
// cred is the credential as received, JSON or a compact JWS; its own proof
// is not checked here (that is a verifier's other job). A credential
// without credentialStatus has no Results. The error is non-nil only when
// the check cannot run at all: cred is not a JSON object or JWS within
// status.DefaultMaxCredentialBytes, or ctx ends; every other fault makes a
// Result Indeterminate, with Err saying why.
func (c *Checker) Check(ctx context.Context, cred []byte) ([]Result, error) {
	return c.CheckWith(ctx, cred, nil)
}

// CallOptions set, for one call of CheckWith, where lists and the keys of
// their proofs come from and what time it is, in place of the Checker's
// own Fetcher, Resolver and Now; the Checker's Documents, limits and cache
// stay. A list verified in one call is cached for the others, so the
// Resolvers given to one Checker must confirm keys alike: a Verifier that
// records what each call fetches passes its one trust through recording
// wrappers, for example.
type CallOptions struct {
	// Fetcher retrieves lists that Documents does not hold. If nil, the
	// Checker's.
	Fetcher fetch.Fetcher
	// Resolver resolves the keys of list credentials' proofs. If nil, the
	// Checker's.
	Resolver did.Resolver
	// Now is the time validity windows and cache lifetimes are judged
	// against. If zero, the Checker's Now.
	Now time.Time
}

// call is one call's sources and time.
type call struct {
	fetcher  fetch.Fetcher
	resolver did.Resolver
	now      time.Time
}

// CheckWith is Check with the sources and time of o for this call; a nil
// o is Check.
func (c *Checker) CheckWith(ctx context.Context, cred []byte, o *CallOptions) ([]Result, error) {
	if err := c.init(); err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	info, err := status.ReadCredential(cred)
	if err != nil {
		return nil, err
	}
	if info.Err != nil {
		return []Result{{Index: -1, Value: -1, Reason: info.Err.Error(), Err: info.Err}}, nil
	}
	cc := &call{fetcher: c.Fetcher, resolver: c.resolver, now: c.now()}
	if o != nil {
		if o.Fetcher != nil {
			cc.fetcher = o.Fetcher
		}
		if o.Resolver != nil {
			cc.resolver = o.Resolver
		}
		if !o.Now.IsZero() {
			cc.now = o.Now
		}
	}
	memo := make(map[cacheKey]*listOrErr)
	results := make([]Result, info.NumEntries())
	for i := range results {
		e := info.Entry(i)
		results[i] = c.checkEntry(ctx, cc, info, i, &e, memo)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	return results, nil
}

// listOrErr memoizes a list within one Check.
type listOrErr struct {
	list   *verifiedList
	cached bool
	err    error
}

// describe returns a copy of the list's description for a Result, which the
// caller may change without touching the cache.
func (l *listOrErr) describe() *ListInfo {
	info := l.list.info
	info.Cached = l.cached
	info.Purposes = slices.Clone(info.Purposes)
	return &info
}

func (c *Checker) checkEntry(ctx context.Context, cc *call, cred *status.CredentialInfo, pos int, e *status.EntryInfo, memo map[cacheKey]*listOrErr) Result {
	r := Result{Position: pos, Index: e.Index, Value: -1, Purpose: e.Entry.StatusPurpose, ListURL: e.Entry.StatusListCredential, StatusReference: []string(e.Entry.StatusReference), Type: e.Entry.Type}
	indeterminate := func(err error) Result {
		r.Standing, r.Err, r.Reason = Indeterminate, err, err.Error()
		return r
	}
	if e.Err != nil {
		return indeterminate(e.Err)
	}
	switch {
	case e.Is(entryTypeBitstring):
		r.Type = entryTypeBitstring
		return c.checkBitstring(ctx, cc, cred, e, r, memo)
	case e.Is(string(status.Method1EdTech)):
		r.Type, r.ListURL = string(status.Method1EdTech), e.Entry.ID
		return c.check1EdTech(ctx, cc, cred, e, r, memo)
	}
	return indeterminate(fmt.Errorf("%w: credentialStatus type %q", status.ErrUnsupported, r.Type))
}

func (c *Checker) checkBitstring(ctx context.Context, cc *call, cred *status.CredentialInfo, e *status.EntryInfo, r Result, memo map[cacheKey]*listOrErr) Result {
	indeterminate := func(err error) Result {
		r.Standing, r.Err, r.Reason = Indeterminate, err, err.Error()
		return r
	}
	en := &e.Entry
	size := en.StatusSize
	if size == 0 {
		size = 1 // the W3C Recommendation: absent, it is processed as 1
	}
	r.StatusSize = size
	if err := e.CheckBitstring(); err != nil {
		return indeterminate(err)
	}
	if e.IndexIsNumber {
		r.Warnings = append(r.Warnings, "statusListIndex is a JSON number; the W3C Recommendation requires a string")
	}
	if en.ID != "" && en.ID == en.StatusListCredential {
		r.Warnings = append(r.Warnings, "the entry's id is the list's URL, which the W3C Recommendation forbids")
	}
	purpose, listURL, index := en.StatusPurpose, en.StatusListCredential, e.Index
	l, err := c.list(ctx, cc, listURL, status.MethodBitstring, memo)
	if l != nil {
		r.List = l.describe()
		r.Warnings = append(r.Warnings, l.list.warnings...)
	}
	if err != nil {
		return indeterminate(err)
	}
	if err := checkWindow(cc.now, &l.list.info); err != nil {
		return indeterminate(err)
	}
	if !slices.Contains(l.list.info.Purposes, string(purpose)) {
		return indeterminate(fmt.Errorf("%w: the list's statusPurpose is %q, not the entry's %q", status.ErrVerification, strings.Join(l.list.info.Purposes, ", "), purpose))
	}
	if err := c.checkIssuer(cred, &l.list.info); err != nil {
		return indeterminate(err)
	}
	if ls := l.list.statusSize; ls != 0 && ls != size {
		return indeterminate(fmt.Errorf("%w: the list's statusSize is %d, the entry's %d", status.ErrVerification, ls, size))
	}
	// The W3C Recommendation: the list's length divided by statusSize must
	// be at least the minimum number of entries.
	if min := c.minLength(); l.list.bits.Len() < min*size {
		return indeterminate(fmt.Errorf("%w: %s has %d bits, %d entries of %d bits, fewer than %d", status.ErrListLength, listURL, l.list.bits.Len(), l.list.bits.Len()/size, size, min))
	}
	v, err := l.list.bits.Value(index, size)
	if err != nil {
		return indeterminate(err)
	}
	r.Value, r.Message = v, en.Message(v)
	if size == 1 && purpose != status.Message {
		switch {
		case v == 0:
			r.Standing = NotRevoked
			r.Reason = fmt.Sprintf("bit %d of %s is 0: not %s", index, listURL, pastParticiple(purpose))
		case purpose == status.Revocation:
			r.Standing = Revoked
			r.Reason = fmt.Sprintf("bit %d of %s is 1: revoked", index, listURL)
		default:
			r.Standing = Suspended
			r.Reason = fmt.Sprintf("bit %d of %s is 1: suspended", index, listURL)
		}
		return r
	}
	// A value of more than one bit, or a message: the W3C Recommendation's
	// result is valid when the value is 0 and not valid otherwise; a
	// revocation or suspension entry is revoked or suspended by any value
	// but 0, and a message entry reports its message.
	where := fmt.Sprintf("bit %d of %s", index, listURL)
	if size > 1 {
		where = fmt.Sprintf("entry %d of %s (bits %d to %d)", index, listURL, index*size, index*size+size-1)
	}
	value := fmt.Sprintf("0x%x (%q)", v, r.Message)
	switch {
	case purpose == status.Message:
		r.Standing = NotRevoked
		r.Reason = fmt.Sprintf("%s is %s: a status message", where, value)
	case v == 0:
		r.Standing = NotRevoked
		r.Reason = fmt.Sprintf("%s is %s: not %s", where, value, pastParticiple(purpose))
	case purpose == status.Revocation:
		r.Standing = Revoked
		r.Reason = fmt.Sprintf("%s is %s: revoked", where, value)
	default:
		r.Standing = Suspended
		r.Reason = fmt.Sprintf("%s is %s: suspended", where, value)
	}
	return r
}

// minLength is the fewest entries a list may have.
func (c *Checker) minLength() int {
	if c.MinLength > 0 {
		return c.MinLength
	}
	return status.MinListLength
}

func pastParticiple(purpose status.Purpose) string {
	if purpose == status.Suspension {
		return "suspended"
	}
	return "revoked"
}

func (c *Checker) check1EdTech(ctx context.Context, cc *call, cred *status.CredentialInfo, e *status.EntryInfo, r Result, memo map[cacheKey]*listOrErr) Result {
	r.Index, r.Purpose, r.StatusReference = -1, status.Revocation, nil
	indeterminate := func(err error) Result {
		r.Standing, r.Err, r.Reason = Indeterminate, err, err.Error()
		return r
	}
	if e.Entry.ID == "" {
		return indeterminate(fmt.Errorf("%w: a 1EdTechRevocationList entry needs the list's URL as its id", status.ErrMalformed))
	}
	if cred.ID == "" {
		return indeterminate(fmt.Errorf("%w: the credential has no id to look for in the 1EdTech list", status.ErrMalformed))
	}
	l, err := c.list(ctx, cc, e.Entry.ID, status.Method1EdTech, memo)
	if l != nil {
		r.List = l.describe()
		r.Warnings = append(r.Warnings, l.list.warnings...)
	}
	if err != nil {
		return indeterminate(err)
	}
	if err := c.checkIssuer(cred, &l.list.info); err != nil {
		return indeterminate(err)
	}
	rev, ok := l.list.revoked[cred.ID]
	if !ok || !rev.revoked {
		r.Standing = NotRevoked
		r.Reason = fmt.Sprintf("%s does not list %s as revoked", e.Entry.ID, cred.ID)
		return r
	}
	r.Standing = Revoked
	r.Reason = fmt.Sprintf("%s lists %s as revoked", e.Entry.ID, cred.ID)
	if rev.reason != "" {
		r.Reason += ": " + rev.reason
	}
	return r
}

// checkWindow checks the list's validity window against now.
func checkWindow(now time.Time, info *ListInfo) error {
	if !info.ValidFrom.IsZero() && now.Before(info.ValidFrom) {
		return fmt.Errorf("%w: the list is valid from %s", status.ErrNotYetValid, info.ValidFrom.Format(time.RFC3339))
	}
	if !info.ValidUntil.IsZero() && now.After(info.ValidUntil) {
		return fmt.Errorf("%w: the list was valid until %s", status.ErrExpired, info.ValidUntil.Format(time.RFC3339))
	}
	return nil
}

// checkIssuer checks that the list's issuer is the credential's.
func (c *Checker) checkIssuer(cred *status.CredentialInfo, info *ListInfo) error {
	if c.AnyIssuer {
		return nil
	}
	switch {
	case info.Issuer == "" && info.Method == status.Method1EdTech:
		return nil // the 1EdTech list's issuer member is optional in practice
	case cred.Issuer == "":
		return fmt.Errorf("%w: the credential names no issuer to compare the list's issuer %q with", status.ErrVerification, info.Issuer)
	case info.Issuer != cred.Issuer:
		return fmt.Errorf("%w: the list's issuer %q is not the credential's issuer %q (set AnyIssuer to accept lists of other issuers)", status.ErrVerification, info.Issuer, cred.Issuer)
	}
	return nil
}
