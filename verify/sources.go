package verify

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/fetch"
)

// mapDocs resolves from Trust.Documents as did.Map does, and records in
// the call's report each document it read.
type mapDocs struct {
	m   did.Map
	rec *recorder
}

// Resolve implements did.Resolver.
func (d mapDocs) Resolve(ctx context.Context, ref string) (*did.VerificationMethod, error) {
	base, _, _ := strings.Cut(ref, "#")
	d.note(base)
	return d.m.Resolve(ctx, ref)
}

// FindKey implements did.KeyFinder.
func (d mapDocs) FindKey(ctx context.Context, controller string, pub crypto.PublicKey) (*did.VerificationMethod, error) {
	d.note(controller)
	return d.m.FindKey(ctx, controller, pub)
}

// Methods implements did.MethodLister.
func (d mapDocs) Methods(ctx context.Context, controller string) ([]*did.VerificationMethod, error) {
	d.note(controller)
	return d.m.Methods(ctx, controller)
}

// note records that the document of base was read, if there is one.
func (d mapDocs) note(base string) {
	if b, ok := d.m[base]; ok {
		d.rec.add(Fetched{URL: base, From: "offline map", Bytes: len(b)})
	}
}

// errNotAvailable is wrapped when a document is neither in
// Trust.Documents nor fetchable.
var errNotAvailable = errors.New("not in Trust.Documents, and fetching is off")

// sourceFetcher serves Documents first, then the network if allowed, and
// records what it served in rec, if set. With rec, what the network gave
// is kept for the rest of the call: every proof and check of one
// verification reads the same version of a document, fetched once.
type sourceFetcher struct {
	docs map[string][]byte
	net  fetch.Fetcher
	rec  *recorder
}

func (f *sourceFetcher) Fetch(ctx context.Context, url string) ([]byte, error) {
	if d, ok := f.docs[url]; ok {
		f.rec.add(Fetched{URL: url, From: "offline map", Bytes: len(d)})
		return d, nil
	}
	if f.net == nil {
		return nil, errNotAvailable // callers name the URL
	}
	if b, ok := f.rec.fetched(url); ok {
		return b, nil
	}
	rec := f.rec
	if rec == nil {
		// The verifier's schema fetcher, shared by every call: the
		// call's budget comes with its context.
		rec, _ = ctx.Value(fetchBudgetKey{}).(*recorder)
	}
	if !rec.budget() {
		return nil, fmt.Errorf("%w: %d documents already fetched for this verification", errTooManyFetches, MaxFetches)
	}
	b, err := f.net.Fetch(ctx, url)
	got := Fetched{URL: url, From: "network", Bytes: len(b)}
	if err != nil {
		got.Error = err.Error()
	}
	f.rec.add(got)
	if err == nil {
		f.rec.keep(url, b)
	}
	return b, err
}

// MaxFetches bounds the documents one verification fetches from the
// network (Trust.Fetcher), a credential's endorsements and a record's or
// presentation's credentials included: past it, a check that needs
// another document cannot be decided. It keeps an input of many
// credentials, each naming documents of its own, from making the
// verifier fetch (and keep) thousands.
const MaxFetches = 256

// errTooManyFetches is wrapped when a verification has fetched
// MaxFetches documents and needs another.
var errTooManyFetches = errors.New("verify: over the limit of documents fetched")

// fetchBudgetKey holds, in a context, the recorder of the call whose
// fetches a fetcher outside the call (the schema validator's) counts.
type fetchBudgetKey struct{}

// withFetchBudget returns ctx carrying rec's fetch budget.
func withFetchBudget(ctx context.Context, rec *recorder) context.Context {
	return context.WithValue(ctx, fetchBudgetKey{}, rec)
}

// recorder collects what one verification fetched, and keeps what the
// network gave.
type recorder struct {
	mu      sync.Mutex
	seen    []Fetched
	got     map[string][]byte
	fetches int // network fetches begun
}

// budget counts a network fetch about to begin, and reports whether it
// is within MaxFetches. Without a recorder (a fetcher outside a call),
// nothing is counted.
func (r *recorder) budget() bool {
	if r == nil {
		return true
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fetches >= MaxFetches {
		return false
	}
	r.fetches++
	return true
}

// keep keeps b, fetched from url, for the rest of the call.
func (r *recorder) keep(url string, b []byte) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.got == nil {
		r.got = map[string][]byte{}
	}
	r.got[url] = b
}

// fetched returns what the network gave for url earlier in the call.
func (r *recorder) fetched(url string) ([]byte, bool) {
	if r == nil {
		return nil, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	b, ok := r.got[url]
	return b, ok
}

// add records f; a document read again from the offline map is recorded
// once.
func (r *recorder) add(f Fetched) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if f.From == "offline map" && slices.Contains(r.seen, f) {
		return
	}
	r.seen = append(r.seen, f)
}

func (r *recorder) list() []Fetched {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Fetched{}, r.seen...)
}
