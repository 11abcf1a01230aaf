package status

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/fetch"
	"github.com/go-openbadges/openbadges/schema"
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

// An Outcome is what a status check found for one credentialStatus entry.
// The zero Outcome is Indeterminate, so that nothing is ever taken for "not
// revoked" by omission.
type Outcome int

// The outcomes.
const (
	// Indeterminate: the status could not be learned: the list could not
	// be retrieved or trusted, is expired or not yet valid, is not what the
	// entry names, or the entry is of a kind this package does not check.
	// Result.Err says why. Whether it fails a verification is the
	// caller's choice; it is never the same as NotRevoked.
	Indeterminate Outcome = iota
	// NotRevoked: a valid, verified list says the credential is neither
	// revoked nor suspended.
	NotRevoked
	// Revoked: a valid, verified list says the credential is revoked.
	Revoked
	// Suspended: a valid, verified list says the credential is suspended.
	Suspended
)

// String returns "indeterminate", "not revoked", "revoked" or "suspended".
func (o Outcome) String() string {
	switch o {
	case Indeterminate:
		return "indeterminate"
	case NotRevoked:
		return "not revoked"
	case Revoked:
		return "revoked"
	case Suspended:
		return "suspended"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Combine returns the outcome of a credential from the outcomes of its
// entries: Revoked if any entry is revoked, else Suspended if any is
// suspended, else Indeterminate if any is indeterminate, else NotRevoked
// (which is also the outcome of a credential without entries: nothing can
// revoke it).
func Combine(results []Result) Outcome {
	out := NotRevoked
	for _, r := range results {
		switch {
		case r.Outcome == Revoked:
			return Revoked
		case r.Outcome == Suspended:
			out = Suspended
		case r.Outcome == Indeterminate && out == NotRevoked:
			out = Indeterminate
		}
	}
	return out
}

// A Result is what the check of one credentialStatus entry found.
type Result struct {
	// Position is the entry's place in the credential's credentialStatus,
	// from 0.
	Position int
	// Type is the entry's type, Purpose its statusPurpose.
	Type    string
	Purpose Purpose
	// ListURL is the list's URL: the statusListCredential, or the id of
	// a 1EdTech entry.
	ListURL string
	// Index is the statusListIndex, or -1 when there is none.
	Index int
	// StatusSize is the number of bits of a bitstring entry's value: its
	// statusSize, 1 when it has none; 0 for a 1EdTech entry.
	StatusSize int
	// Value is the bitstring entry's status value as the list has it: 0
	// or 1 for a single-bit entry, up to 2^StatusSize-1 for a larger one;
	// -1 when no value was read (the Outcome is Indeterminate, or the
	// entry is a 1EdTech one).
	Value int
	// Message is what Value means: the message the entry's statusMessage
	// gives it, or without one "unset" (0) or "set" (1), as the W3C
	// Recommendation says; empty when no value was read. The
	// Recommendation means it for developers and says it should not be
	// shown to end users as it is.
	Message string
	// StatusReference lists the URLs of the entry's statusReference:
	// material that explains its values.
	StatusReference []string
	// Outcome is the verdict. For a "message" entry it is NotRevoked
	// whatever its Value (a message neither revokes nor suspends: Message
	// says what the list says), or Indeterminate when the value cannot be
	// read.
	Outcome Outcome
	// Reason says why, for a person: which bit was read, or what made the
	// outcome indeterminate.
	Reason string
	// Err is nil unless Outcome is Indeterminate; then it says why and
	// wraps one of this package's errors (ErrRetrieval, ErrVerification,
	// ErrExpired, ErrIndexOutOfRange, …).
	Err error
	// List describes the list the entry was checked against; nil when no
	// list was retrieved.
	List *ListInfo
	// Warnings are findings that did not change the outcome: a
	// statusListIndex written as a number, a list whose id is not the URL
	// it was retrieved from.
	Warnings []string
}

// ListInfo describes a list as a Checker retrieved and verified it.
type ListInfo struct {
	// URL is where the list was retrieved from.
	URL string
	// Method is the list's status method.
	Method Method
	// Source is where the list came from: "documents" (the Checker's
	// Documents) or "fetcher".
	Source string
	// Cached is true when the check used a list cached by an earlier one.
	Cached bool
	// Bytes is the size of the document retrieved.
	Bytes int
	// ID is the list credential's id (or the 1EdTech list's), Issuer its
	// issuer.
	ID, Issuer string
	// Purposes are the list's statusPurpose values.
	Purposes []string
	// Length is the number of bits of a bitstring list: its number of
	// entries when they take a bit each (an entry of statusSize n takes
	// n bits).
	Length int
	// ValidFrom and ValidUntil are the list credential's validity window;
	// zero when it has none.
	ValidFrom, ValidUntil time.Time
	// Format says how the list was secured: "Data Integrity
	// eddsa-rdfc-2022", "VC-JWT EdDSA", "unsigned JSON".
	Format string
	// VerificationMethod is the key that signed the list, and Binding how
	// that key is tied to the issuer; empty for a 1EdTech list.
	VerificationMethod string
	Binding            did.Binding
	// CachedUntil is when the Checker will retrieve the list again.
	CachedUntil time.Time
}

// A Checker checks credentials' status against their issuers' lists: the
// verifier's side. The zero Checker works offline, with the lists given in
// Documents: it verifies Data Integrity and JWS proofs whose keys are
// did:key or did:jwk references (did:web and https issuers' keys need
// their documents, through Resolver), and refuses
// lists shorter than MinListLength, lists not issued by the credential's
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
	// DefaultMaxListBytes.
	MaxListBytes int
	// MinLength is the fewest entries a bitstring list may have; a shorter
	// one is Indeterminate with ErrListLength. If zero, MinListLength, the
	// W3C minimum; set it lower only where an ecosystem's specification
	// does.
	MinLength int
	// AnyIssuer, when true, accepts a list whose issuer is not the
	// credential's. The W3C Recommendation allows a different issuer to
	// keep a credential's status, but a verifier must then decide whether
	// it trusts that issuer: by default a list of another issuer is
	// Indeterminate with ErrVerification.
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
	method Method
}

// verifiedList is a list retrieved and verified: what checks need of it.
// It is never modified once made.
type verifiedList struct {
	info     ListInfo
	bits     Bitstring
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
// credential's outcome.
//
// A revocation or suspension entry is revoked or suspended by any value
// but 0 (the Recommendation's result is "valid" only for 0). A "message"
// entry is NotRevoked whatever its value: Result.Value and Result.Message
// say what the list says. A list must have at least MinLength entries of
// the entry's statusSize (MinLength*statusSize bits; ErrListLength), and
// the entry must lie wholly inside it (ErrIndexOutOfRange). A statusMessage
// that is not one message for each of the 2^statusSize values, or missing
// when statusSize is more than 1, is ErrMalformed, as is a statusReference
// that is not absolute URLs: each makes the entry Indeterminate.
//
// cred is the credential as received, JSON or a compact JWS; its own proof
// is not checked here (that is a verifier's other job). A credential
// without credentialStatus has no Results. The error is non-nil only when
// the check cannot run at all: cred is not a JSON object or JWS within
// DefaultMaxCredentialBytes, or ctx ends; every other fault makes a Result
// Indeterminate, with Err saying why.
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
	info, err := readCredential(cred, DefaultMaxCredentialBytes)
	if err != nil {
		return nil, err
	}
	if info.statusErr != nil {
		return []Result{{Index: -1, Value: -1, Reason: info.statusErr.Error(), Err: info.statusErr}}, nil
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
	results := make([]Result, len(info.statuses))
	for i, raw := range info.statuses {
		results[i] = c.checkEntry(ctx, cc, info, i, raw, memo)
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

func (c *Checker) checkEntry(ctx context.Context, cc *call, cred *credentialInfo, pos int, raw json.RawMessage, memo map[cacheKey]*listOrErr) Result {
	e := parseEntry(raw)
	r := Result{Position: pos, Index: e.index, Value: -1, Purpose: Purpose(e.purpose), ListURL: e.listURL, StatusReference: e.references}
	if len(e.types) > 0 {
		r.Type = e.types[0]
	}
	indeterminate := func(err error) Result {
		r.Outcome, r.Err, r.Reason = Indeterminate, err, err.Error()
		return r
	}
	if e.err != nil {
		return indeterminate(e.err)
	}
	switch {
	case e.is(entryTypeBitstring):
		r.Type = entryTypeBitstring
		return c.checkBitstring(ctx, cc, cred, e, r, memo)
	case e.is(string(Method1EdTech)):
		r.Type, r.ListURL = string(Method1EdTech), e.id
		return c.check1EdTech(ctx, cc, cred, e, r, memo)
	}
	return indeterminate(fmt.Errorf("%w: credentialStatus type %q", ErrUnsupported, r.Type))
}

func (c *Checker) checkBitstring(ctx context.Context, cc *call, cred *credentialInfo, e rawEntry, r Result, memo map[cacheKey]*listOrErr) Result {
	indeterminate := func(err error) Result {
		r.Outcome, r.Err, r.Reason = Indeterminate, err, err.Error()
		return r
	}
	size := e.statusSize
	if size == 0 {
		size = 1 // the W3C Recommendation: absent, it is processed as 1
	}
	r.StatusSize = size
	switch {
	case e.purpose == "":
		return indeterminate(fmt.Errorf("%w: the entry has no statusPurpose", ErrMalformed))
	case e.purpose != string(Revocation) && e.purpose != string(Suspension) && e.purpose != string(Message):
		return indeterminate(fmt.Errorf("%w: statusPurpose %q (this package checks %q, %q and %q)", ErrUnsupported, e.purpose, Revocation, Suspension, Message))
	case size > MaxStatusSize:
		return indeterminate(fmt.Errorf("%w: statusSize %d (this package checks entries of 1 to %d bits)", ErrUnsupported, size, MaxStatusSize))
	case e.index < 0:
		return indeterminate(fmt.Errorf("%w: the entry has no statusListIndex", ErrMalformed))
	case e.listURL == "":
		return indeterminate(fmt.Errorf("%w: the entry has no statusListCredential", ErrMalformed))
	case size > 1 && e.messages == nil:
		return indeterminate(fmt.Errorf("%w: the entry's statusSize is %d, and it has no statusMessage, which the W3C Recommendation requires when statusSize is more than 1", ErrMalformed, size))
	}
	if e.messages != nil {
		if err := checkStatusMessages(size, e.messages); err != nil {
			return indeterminate(err)
		}
	}
	if err := checkReferences(e.references); err != nil {
		return indeterminate(err)
	}
	if e.indexIsNum {
		r.Warnings = append(r.Warnings, "statusListIndex is a JSON number; the W3C Recommendation requires a string")
	}
	if e.id != "" && e.id == e.listURL {
		r.Warnings = append(r.Warnings, "the entry's id is the list's URL, which the W3C Recommendation forbids")
	}
	l, err := c.list(ctx, cc, e.listURL, MethodBitstring, memo)
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
	if !hasString(l.list.info.Purposes, e.purpose) {
		return indeterminate(fmt.Errorf("%w: the list's statusPurpose is %q, not the entry's %q", ErrVerification, strings.Join(l.list.info.Purposes, ", "), e.purpose))
	}
	if err := c.checkIssuer(cred, &l.list.info); err != nil {
		return indeterminate(err)
	}
	if ls := l.list.statusSize; ls != 0 && ls != size {
		return indeterminate(fmt.Errorf("%w: the list's statusSize is %d, the entry's %d", ErrVerification, ls, size))
	}
	// The W3C Recommendation: the list's length divided by statusSize must
	// be at least the minimum number of entries.
	if min := c.minLength(); l.list.bits.Len() < min*size {
		return indeterminate(fmt.Errorf("%w: %s has %d bits, %d entries of %d bits, fewer than %d", ErrListLength, e.listURL, l.list.bits.Len(), l.list.bits.Len()/size, size, min))
	}
	v, err := l.list.bits.Value(e.index, size)
	if err != nil {
		return indeterminate(err)
	}
	r.Value, r.Message = v, messageFor(e.messages, v)
	if size == 1 && e.purpose != string(Message) {
		switch {
		case v == 0:
			r.Outcome = NotRevoked
			r.Reason = fmt.Sprintf("bit %d of %s is 0: not %s", e.index, e.listURL, pastParticiple(e.purpose))
		case e.purpose == string(Revocation):
			r.Outcome = Revoked
			r.Reason = fmt.Sprintf("bit %d of %s is 1: revoked", e.index, e.listURL)
		default:
			r.Outcome = Suspended
			r.Reason = fmt.Sprintf("bit %d of %s is 1: suspended", e.index, e.listURL)
		}
		return r
	}
	// A value of more than one bit, or a message: the W3C Recommendation's
	// result is valid when the value is 0 and not valid otherwise; a
	// revocation or suspension entry is revoked or suspended by any value
	// but 0, and a message entry reports its message.
	where := fmt.Sprintf("bit %d of %s", e.index, e.listURL)
	if size > 1 {
		where = fmt.Sprintf("entry %d of %s (bits %d to %d)", e.index, e.listURL, e.index*size, e.index*size+size-1)
	}
	value := fmt.Sprintf("0x%x (%q)", v, r.Message)
	switch {
	case e.purpose == string(Message):
		r.Outcome = NotRevoked
		r.Reason = fmt.Sprintf("%s is %s: a status message", where, value)
	case v == 0:
		r.Outcome = NotRevoked
		r.Reason = fmt.Sprintf("%s is %s: not %s", where, value, pastParticiple(e.purpose))
	case e.purpose == string(Revocation):
		r.Outcome = Revoked
		r.Reason = fmt.Sprintf("%s is %s: revoked", where, value)
	default:
		r.Outcome = Suspended
		r.Reason = fmt.Sprintf("%s is %s: suspended", where, value)
	}
	return r
}

// minLength is the fewest entries a list may have.
func (c *Checker) minLength() int {
	if c.MinLength > 0 {
		return c.MinLength
	}
	return MinListLength
}

func pastParticiple(purpose string) string {
	if purpose == string(Suspension) {
		return "suspended"
	}
	return "revoked"
}

func (c *Checker) check1EdTech(ctx context.Context, cc *call, cred *credentialInfo, e rawEntry, r Result, memo map[cacheKey]*listOrErr) Result {
	r.Index, r.Purpose, r.StatusReference = -1, Revocation, nil
	indeterminate := func(err error) Result {
		r.Outcome, r.Err, r.Reason = Indeterminate, err, err.Error()
		return r
	}
	if e.id == "" {
		return indeterminate(fmt.Errorf("%w: a 1EdTechRevocationList entry needs the list's URL as its id", ErrMalformed))
	}
	if cred.id == "" {
		return indeterminate(fmt.Errorf("%w: the credential has no id to look for in the 1EdTech list", ErrMalformed))
	}
	l, err := c.list(ctx, cc, e.id, Method1EdTech, memo)
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
	rev, ok := l.list.revoked[cred.id]
	if !ok || !rev.revoked {
		r.Outcome = NotRevoked
		r.Reason = fmt.Sprintf("%s does not list %s as revoked", e.id, cred.id)
		return r
	}
	r.Outcome = Revoked
	r.Reason = fmt.Sprintf("%s lists %s as revoked", e.id, cred.id)
	if rev.reason != "" {
		r.Reason += ": " + rev.reason
	}
	return r
}

// checkWindow checks the list's validity window against now.
func checkWindow(now time.Time, info *ListInfo) error {
	if !info.ValidFrom.IsZero() && now.Before(info.ValidFrom) {
		return fmt.Errorf("%w: the list is valid from %s", ErrNotYetValid, info.ValidFrom.Format(time.RFC3339))
	}
	if !info.ValidUntil.IsZero() && now.After(info.ValidUntil) {
		return fmt.Errorf("%w: the list was valid until %s", ErrExpired, info.ValidUntil.Format(time.RFC3339))
	}
	return nil
}

// checkIssuer checks that the list's issuer is the credential's.
func (c *Checker) checkIssuer(cred *credentialInfo, info *ListInfo) error {
	if c.AnyIssuer {
		return nil
	}
	switch {
	case info.Issuer == "" && info.Method == Method1EdTech:
		return nil // the 1EdTech list's issuer member is optional in practice
	case cred.issuer == "":
		return fmt.Errorf("%w: the credential names no issuer to compare the list's issuer %q with", ErrVerification, info.Issuer)
	case info.Issuer != cred.issuer:
		return fmt.Errorf("%w: the list's issuer %q is not the credential's issuer %q (set AnyIssuer to accept lists of other issuers)", ErrVerification, info.Issuer, cred.issuer)
	}
	return nil
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
