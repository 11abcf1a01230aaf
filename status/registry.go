package status

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A Registry is the issuer's side: it creates status lists in a Store,
// allocates credentialStatus entries for new credentials, revokes, suspends
// and unsuspends them, sets the values of message entries, and publishes
// lists for verifiers.
//
// Set Store; the zero value of every other field is useful. A Registry is
// safe for concurrent use once its fields are set, and as safe across
// processes as its Store.
type Registry struct {
	// Store keeps the lists.
	Store Store
	// Rand is the source of randomness for picking indices. If nil,
	// crypto/rand.Reader.
	Rand io.Reader
	// Now returns the current time. If nil, time.Now.
	Now func() time.Time
	// NextURL names the list that takes over from a full one: given the
	// full list's URL, it returns the URL of a new list, which Allocate
	// creates with the full list's method, purpose and length and hands
	// out entries of from then on. NextNumberedURL is one. If nil,
	// Allocate fails with ErrListFull when the list is full.
	NextURL func(full string) (string, error)
	// ReserveBlock, if more than 1, is how many indices of a bitstring
	// list Allocate records in the Store at once: one Update allocates
	// ReserveBlock random indices (fewer if the list has fewer free), and
	// the Registry hands them out from memory, one per Allocate, before it
	// reserves again. An issuer that stores each credential durably then
	// spends one commit for the index of every ReserveBlock credentials,
	// not one for each. Every index is recorded as allocated before it is
	// handed out, so none is handed out twice, by this Registry or by any
	// other sharing the Store; the reserved indices a Registry has not
	// handed out when its process ends or crashes (at most ReserveBlock-1
	// per list) stay allocated and are never used. Entries given their own
	// statusMessage or statusReference (AllocateWith) are allocated one at
	// a time. If 0 or 1, every Allocate is one Update.
	ReserveBlock int

	mu       sync.Mutex             // guards reserved
	reserved map[string]reservation // by the URL Allocate was given
}

// A reservation is the indices a Registry has allocated in the Store and
// not yet handed out, all of one list.
type reservation struct {
	entry   *Entry // the list's entry, without its index
	indices []int
}

// maxListChain bounds how many full lists Allocate passes through.
const maxListChain = 1 << 16

func (r *Registry) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Registry) rand() io.Reader {
	if r.Rand != nil {
		return r.Rand
	}
	return rand.Reader
}

// Create makes a new list at listURL (see NewList) and adds it to the
// Store, failing with an error wrapping ErrExists if there is one already.
func (r *Registry) Create(ctx context.Context, listURL string, opts *ListOptions) (*List, error) {
	l, err := NewList(listURL, opts)
	if err != nil {
		return nil, err
	}
	l.Created = r.now().UTC()
	l.Updated = l.Created
	if err := r.Store.Create(ctx, l); err != nil {
		return nil, err
	}
	return l, nil
}

// Allocate returns a new credentialStatus entry in the list at listURL, for
// a credential about to be issued; put it in the credential's
// credentialStatus before signing.
//
// In a bitstring list the index is picked at random among those never
// allocated (so that its position says nothing about when the credential
// was issued or how many were) and recorded in the Store before Allocate
// returns, so no crash hands it out twice. When the list is full and
// NextURL is set, Allocate links the full list to a new one (created with
// the same method, purpose and length) and allocates there; later calls
// pass through the full list to the newest one. Without NextURL a full
// list is an error wrapping ErrListFull.
//
// A 1EdTech list has no indices: every credential gets the same entry,
// the list's URL, and is revoked by its id.
//
// An entry of a list whose entries take more than one bit (a Message list)
// carries its statusSize, and the list's StatusMessage and StatusReference,
// if it has them; AllocateWith gives an entry messages of its own.
func (r *Registry) Allocate(ctx context.Context, listURL string) (*Entry, error) {
	return r.AllocateWith(ctx, listURL, nil)
}

// AllocateOptions give one entry its own statusMessage and statusReference,
// in place of its list's: the values a credential's status may take, and
// what they mean, are committed to when it is issued.
type AllocateOptions struct {
	// StatusMessage says what each value of the entry means: one element
	// for each of the 2^StatusSize values of the list's entries, each
	// value once (NewStatusMessages makes one). If empty, the list's
	// StatusMessage; an entry of more than one bit must have one or the
	// other.
	StatusMessage []StatusMessage
	// StatusReference are absolute URLs of material that explains the
	// values. If empty, the list's StatusReference.
	StatusReference []string
}

// AllocateWith is Allocate, giving the entry the statusMessage and
// statusReference of opts (which may be nil). A statusMessage that does not
// fit the list's statusSize, or its absence for an entry of more than one
// bit, is an error wrapping ErrMalformed, and nothing is allocated; so is
// a statusReference that is not absolute URLs. A 1EdTech list's entries
// have neither (ErrUnsupported).
func (r *Registry) AllocateWith(ctx context.Context, listURL string, opts *AllocateOptions) (*Entry, error) {
	var o AllocateOptions
	if opts != nil {
		o = *opts
	}
	if err := checkReferences(o.StatusReference); err != nil {
		return nil, err
	}
	reserve := r.ReserveBlock > 1 && len(o.StatusMessage) == 0 && len(o.StatusReference) == 0
	if reserve {
		if e := r.takeReserved(listURL); e != nil {
			return e, nil
		}
	}
	// want is the first list's kind, which every list that follows it has.
	var want *ListOptions
	current, prev := listURL, ""
	seen := map[string]bool{}
	for range maxListChain {
		if seen[current] {
			return nil, fmt.Errorf("%w: the lists that follow %s come back to %s", ErrListFull, listURL, current)
		}
		seen[current] = true
		var entry *Entry
		var next string
		var extra []int // reserved with entry's index
		err := r.Store.Update(ctx, current, func(l *List) error {
			entry, next, extra = nil, "", nil
			if want == nil {
				want = &ListOptions{
					Method: l.Method, Purpose: l.Purpose, Length: l.Length(), StatusSize: l.StatusSize,
					StatusMessage: l.StatusMessage, StatusReference: l.StatusReference,
				}
			} else if l.Method != want.Method || l.Purpose != want.Purpose || l.StatusSize != want.StatusSize {
				return fmt.Errorf("status: %s, which follows %s, is a %s %s list of %d-bit entries, not a %s %s list of %d-bit entries", l.URL, prev, l.Purpose, l.Method, l.StatusSize, want.Purpose, want.Method, want.StatusSize)
			}
			if l.Method == Method1EdTech {
				if len(o.StatusMessage) > 0 || len(o.StatusReference) > 0 {
					return fmt.Errorf("%w: a 1EdTech list's entries have no statusMessage or statusReference", ErrUnsupported)
				}
				entry = &Entry{ID: l.URL, Type: string(Method1EdTech)}
				return errNoChange
			}
			e := bitstringEntry(l.URL, l.Purpose, 0)
			if l.StatusSize > 1 {
				e.StatusSize = l.StatusSize
			}
			e.StatusMessage, e.StatusReference = o.StatusMessage, References(o.StatusReference)
			if len(e.StatusMessage) == 0 {
				e.StatusMessage = l.StatusMessage
			}
			if len(e.StatusReference) == 0 {
				e.StatusReference = References(l.StatusReference)
			}
			switch {
			case len(e.StatusMessage) > 0:
				if err := checkStatusMessages(l.StatusSize, e.StatusMessage); err != nil {
					return fmt.Errorf("status: an entry of %s: %w", l.URL, err)
				}
			case l.StatusSize > 1:
				return fmt.Errorf("%w: an entry of %s takes %d bits and needs a statusMessage for each of its %d values: give AllocateOptions.StatusMessage, or create the list with ListOptions.StatusMessage", ErrMalformed, l.URL, l.StatusSize, 1<<l.StatusSize)
			}
			i, err := l.allocate(r.rand())
			if err == nil {
				idx := strconv.Itoa(i)
				e.ID, e.StatusListIndex = l.URL+"#"+idx, idx
				e.StatusMessage = slices.Clone(e.StatusMessage)
				e.StatusReference = slices.Clone(e.StatusReference)
				entry = e
				for reserve && len(extra) < r.ReserveBlock-1 {
					j, err := l.allocate(r.rand())
					if errors.Is(err, ErrListFull) {
						break
					}
					if err != nil {
						return err
					}
					extra = append(extra, j)
				}
				l.Updated = r.now().UTC()
				return nil
			}
			if !errors.Is(err, ErrListFull) {
				return err
			}
			if l.Next != "" {
				next = l.Next
				return errNoChange
			}
			if r.NextURL == nil {
				return err
			}
			n, err := r.NextURL(l.URL)
			if err != nil {
				return fmt.Errorf("status: naming the list to follow %s: %w", l.URL, err)
			}
			if err := checkListURL(n); err != nil {
				return fmt.Errorf("status: the list to follow %s: %w", l.URL, err)
			}
			l.Next, next = n, n
			l.Updated = r.now().UTC()
			return nil
		})
		switch {
		case err == nil || errors.Is(err, errNoChange):
			if entry != nil {
				if len(extra) > 0 {
					r.addReserved(listURL, entry, extra)
				}
				return entry, nil
			}
		case errors.Is(err, ErrNoList) && prev != "":
			// The full list links to this one, which is new, or which a
			// crash kept from being created after the link was stored.
			if _, err := r.Create(ctx, current, want); err != nil && !errors.Is(err, ErrExists) {
				return nil, fmt.Errorf("status: %s is full; creating %s: %w", prev, current, err)
			}
			delete(seen, current)
			continue
		default:
			return nil, err
		}
		prev, current = current, next
	}
	return nil, fmt.Errorf("%w: more than %d full lists follow %s", ErrListFull, maxListChain, listURL)
}

// takeReserved hands out an index reserved for Allocate(listURL), or
// returns nil if there is none.
func (r *Registry) takeReserved(listURL string) *Entry {
	r.mu.Lock()
	defer r.mu.Unlock()
	res, ok := r.reserved[listURL]
	if !ok {
		return nil
	}
	last := len(res.indices) - 1
	i := res.indices[last]
	if last == 0 {
		delete(r.reserved, listURL)
	} else {
		res.indices = res.indices[:last]
		r.reserved[listURL] = res
	}
	e := *res.entry
	idx := strconv.Itoa(i)
	e.ID, e.StatusListIndex = e.StatusListCredential+"#"+idx, idx
	e.StatusMessage = slices.Clone(e.StatusMessage)
	e.StatusReference = slices.Clone(e.StatusReference)
	return &e
}

// addReserved keeps indices, allocated in the list of entry, for the
// next calls of Allocate(listURL). If indices of another list of the chain
// are kept for listURL already, the new ones stay allocated, unused.
func (r *Registry) addReserved(listURL string, entry *Entry, indices []int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.reserved == nil {
		r.reserved = make(map[string]reservation)
	}
	if res, ok := r.reserved[listURL]; ok && res.entry.StatusListCredential != entry.StatusListCredential {
		// Another goroutine reserved in another list of the chain: keep
		// its indices; these stay allocated, unused.
		return
	}
	res := r.reserved[listURL]
	if res.entry == nil {
		e := *entry
		e.ID, e.StatusListIndex = "", ""
		e.StatusMessage = slices.Clone(e.StatusMessage)
		e.StatusReference = slices.Clone(e.StatusReference)
		res.entry = &e
	}
	res.indices = append(res.indices, indices...)
	r.reserved[listURL] = res
}

// errNoChange ends an Update that has nothing to store.
var errNoChange = errors.New("status: nothing to change")

func bitstringEntry(listURL string, p Purpose, index int) *Entry {
	i := strconv.Itoa(index)
	return &Entry{
		ID:                   listURL + "#" + i,
		Type:                 entryTypeBitstring,
		StatusPurpose:        p,
		StatusListIndex:      i,
		StatusListCredential: listURL,
	}
}

// Revoke sets the bit at index of the revocation list at listURL, for good.
// The index must have been allocated (ErrNotAllocated otherwise) and the
// list must be a revocation list (ErrPurpose otherwise). Revoking twice is
// not an error. Verifiers see it once the list is published again.
func (r *Registry) Revoke(ctx context.Context, listURL string, index int) error {
	return r.set(ctx, listURL, index, opRevoke, 0)
}

// Suspend sets the bit at index of the suspension list at listURL, with the
// rules of Revoke.
func (r *Registry) Suspend(ctx context.Context, listURL string, index int) error {
	return r.set(ctx, listURL, index, opSuspend, 0)
}

// Unsuspend clears the bit at index of the suspension list at listURL, with
// the rules of Revoke. A revocation cannot be undone: unsuspending in a
// revocation list is an error wrapping ErrPurpose.
func (r *Registry) Unsuspend(ctx context.Context, listURL string, index int) error {
	return r.set(ctx, listURL, index, opUnsuspend, 0)
}

// set applies o to index of the list at listURL. A size other than 0 is
// the statusSize of the credential's entry, which must be the list's.
func (r *Registry) set(ctx context.Context, listURL string, index int, o op, size int) error {
	return r.Store.Update(ctx, listURL, func(l *List) error {
		if size != 0 && l.Method == MethodBitstring && size != l.StatusSize {
			return fmt.Errorf("%w: the entry's statusSize is %d, and the entries of %s take %d bits", ErrMalformed, size, l.URL, l.StatusSize)
		}
		if err := l.setStatus(index, o); err != nil {
			return err
		}
		l.Updated = r.now().UTC()
		return nil
	})
}

// SetStatus sets the value of the entry at index of the bitstring list at
// listURL: in a Message list any value that fits in its StatusSize (the
// entry's statusMessage says what it means); in a suspension list 1
// (Suspend) or 0 (Unsuspend); in a revocation list 1 (Revoke), or 0 where
// nothing was revoked (ErrPurpose otherwise: revocation cannot be undone).
// The index must have been allocated (ErrNotAllocated otherwise); a value
// that does not fit is an error wrapping ErrMalformed. Setting a value an
// entry has already is not an error. Verifiers see it once the list is
// published again.
func (r *Registry) SetStatus(ctx context.Context, listURL string, index, value int) error {
	return r.Store.Update(ctx, listURL, func(l *List) error {
		if err := l.setValue(index, value); err != nil {
			return err
		}
		l.Updated = r.now().UTC()
		return nil
	})
}

// RevokeID adds the credential whose id is credentialID to the 1EdTech list
// at listURL, with reason (which may be empty) as its revocationReason.
// Revoking an id twice is not an error.
func (r *Registry) RevokeID(ctx context.Context, listURL, credentialID, reason string) error {
	return r.Store.Update(ctx, listURL, func(l *List) error {
		now := r.now()
		if err := l.revokeID(credentialID, reason, now); err != nil {
			return err
		}
		l.Updated = now.UTC()
		return nil
	})
}

// RevokeCredential revokes a credential in every list of the Store that
// its credentialStatus names (only in the list at listURL, if listURL is
// not empty): the bit of each BitstringStatusListEntry whose purpose is
// revocation, and the credential's id in each 1EdTech list, with reason.
// cred is the credential as issued (JSON, or a compact JWS, whose signature
// is not checked: it is the issuer's own). It returns the entries it
// revoked, and an error wrapping ErrNoList if there were none.
func (r *Registry) RevokeCredential(ctx context.Context, listURL string, cred []byte, reason string) ([]Entry, error) {
	return r.changeCredential(ctx, listURL, cred, reason, opRevoke)
}

// SuspendCredential suspends a credential in every suspension list of the
// Store that its credentialStatus names (only in the list at listURL, if
// listURL is not empty), as RevokeCredential does.
func (r *Registry) SuspendCredential(ctx context.Context, listURL string, cred []byte) ([]Entry, error) {
	return r.changeCredential(ctx, listURL, cred, "", opSuspend)
}

// UnsuspendCredential lifts the suspension of a credential in every
// suspension list of the Store that its credentialStatus names (only in the
// list at listURL, if listURL is not empty), as RevokeCredential does.
func (r *Registry) UnsuspendCredential(ctx context.Context, listURL string, cred []byte) ([]Entry, error) {
	return r.changeCredential(ctx, listURL, cred, "", opUnsuspend)
}

func (r *Registry) changeCredential(ctx context.Context, listURL string, cred []byte, reason string, o op) ([]Entry, error) {
	c, err := readCredential(cred, DefaultMaxCredentialBytes)
	if err != nil {
		return nil, err
	}
	if c.Err != nil {
		return nil, c.Err
	}
	want := Revocation
	if o != opRevoke {
		want = Suspension
	}
	var done []Entry
	for i := range c.NumEntries() {
		e := c.Entry(i)
		switch {
		case e.Err != nil:
			return done, fmt.Errorf("credentialStatus[%d]: %w", i, e.Err)
		case e.Is(entryTypeBitstring):
			if e.Entry.StatusPurpose != want || (listURL != "" && e.Entry.StatusListCredential != listURL) {
				continue
			}
			if e.Index < 0 {
				return done, fmt.Errorf("credentialStatus[%d]: %w: no statusListIndex", i, ErrMalformed)
			}
			size := e.Entry.StatusSize
			if size == 0 {
				size = 1
			}
			err := r.set(ctx, e.Entry.StatusListCredential, e.Index, o, size)
			if errors.Is(err, ErrNoList) && listURL == "" {
				continue // another issuer's list, or one this Store does not keep
			}
			if err != nil {
				return done, fmt.Errorf("credentialStatus[%d]: %w", i, err)
			}
			done = append(done, *bitstringEntry(e.Entry.StatusListCredential, want, e.Index))
			done[len(done)-1].ID = e.Entry.ID
		case e.Is(string(Method1EdTech)):
			if o != opRevoke || (listURL != "" && e.Entry.ID != listURL) {
				continue
			}
			if c.ID == "" {
				return done, fmt.Errorf("%w: the credential has no id for the 1EdTech list %s to name", ErrMalformed, e.Entry.ID)
			}
			err := r.RevokeID(ctx, e.Entry.ID, c.ID, reason)
			if errors.Is(err, ErrNoList) && listURL == "" {
				continue
			}
			if err != nil {
				return done, fmt.Errorf("credentialStatus[%d]: %w", i, err)
			}
			done = append(done, Entry{ID: e.Entry.ID, Type: string(Method1EdTech)})
		}
	}
	if len(done) == 0 {
		where := "any list of the store"
		if listURL != "" {
			where = listURL
		}
		return nil, fmt.Errorf("%w: the credential has no %s entry in %s", ErrNoList, want, where)
	}
	return done, nil
}

// NextNumberedURL names the list that follows a full one by counting: the
// number that ends the last path segment of full goes up by one, keeping its
// width ("…/status/7" → "…/status/8", "…/list-009" → "…/list-010"), and a
// last segment without one gets "-2" ("…/revocations" → "…/revocations-2").
// It is a NextURL for a Registry.
func NextNumberedURL(full string) (string, error) {
	u, err := url.Parse(full)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	p := u.Path
	end := len(p)
	for end > 0 && p[end-1] == '/' {
		end--
	}
	start := end
	for start > 0 && p[start-1] >= '0' && p[start-1] <= '9' {
		start--
	}
	if start == end {
		if end == 0 || p[end-1] == '/' {
			return "", fmt.Errorf("%w: %s has no path segment to number", ErrMalformed, full)
		}
		u.Path = p[:end] + "-2" + p[end:]
	} else {
		digits := []byte(p[start:end])
		i := len(digits) - 1
		for ; i >= 0; i-- {
			if digits[i] < '9' {
				digits[i]++
				break
			}
			digits[i] = '0'
		}
		if i < 0 {
			digits = append([]byte{'1'}, digits...)
		}
		u.Path = p[:start] + string(digits) + p[end:]
	}
	u.RawPath = ""
	next := u.String()
	if strings.Contains(next, "#") {
		return "", fmt.Errorf("%w: %s has a fragment", ErrMalformed, full)
	}
	return next, nil
}
