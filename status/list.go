package status

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/bits"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"
)

// A Method is a status method: the kind of list and of credentialStatus
// entry.
type Method string

// The status methods this package implements, by the type names their lists
// and entries carry.
const (
	// MethodBitstring is the W3C Bitstring Status List: entries of type
	// BitstringStatusListEntry, lists published as a
	// BitstringStatusListCredential.
	MethodBitstring Method = "BitstringStatusList"
	// Method1EdTech is the 1EdTech Revocation List Status Method: entries
	// of type 1EdTechRevocationList, lists published as plain JSON.
	Method1EdTech Method = "1EdTechRevocationList"
)

// A Purpose is what a list's entries say: its statusPurpose.
type Purpose string

// The purposes this package implements.
const (
	// Revocation: a set bit revokes the credential, for good.
	Revocation Purpose = "revocation"
	// Suspension: a set bit suspends the credential until it is cleared.
	Suspension Purpose = "suspension"
	// Message: an entry's value, of one bit or more (its statusSize),
	// stands for one of the messages its credential's statusMessage
	// lists. It neither revokes nor suspends: what a message means is for
	// the issuer to document, in the material its statusReference names.
	Message Purpose = "message"
)

// Context URLs a credential needs for its credentialStatus entry.
const (
	// ContextStatusV1 is the Bitstring Status List context, which a VCDM
	// 1.1 credential needs for a BitstringStatusListEntry. The VCDM 2.0
	// context (https://www.w3.org/ns/credentials/v2) defines the same
	// terms, so a VCDM 2.0 credential needs nothing more.
	ContextStatusV1 = "https://www.w3.org/ns/credentials/status/v1"
	// ContextOBExtensions is the Open Badges 3.0 extensions context, which
	// defines 1EdTechRevocationList; a credential with a 1EdTech entry
	// lists it in its @context.
	ContextOBExtensions = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
)

// Entry types and list types as they appear in documents.
const (
	entryTypeBitstring     = "BitstringStatusListEntry"
	listCredentialType     = "BitstringStatusListCredential"
	listSubjectType        = "BitstringStatusList"
	maxURLLen              = 2048
	maxCredentialIDLen     = 2048
	maxReasonLen           = 1024
	maxRevokedCredentials  = 1 << 20
	allocationRandomProbes = 16
)

// A List is one status list as an issuer keeps it. A Store holds lists by
// URL; a Registry changes them.
//
// A bitstring list has Status, of StatusSize bits per entry, and Allocated,
// of one bit per entry: Status is what is published (a set bit revokes or
// suspends, by Purpose; in a message list, an entry's bits are its value),
// Allocated records every index ever handed to a credential (or reserved
// for one, see Registry.ReserveBlock), so that none is handed out twice. A 1EdTech list has Revoked instead.
type List struct {
	// URL is where the list is published: the statusListCredential of
	// its entries, or the id of its 1EdTech entries. It is the list's key
	// in a Store.
	URL string
	// Method is the list's status method.
	Method Method
	// Purpose is what a set bit means. A 1EdTech list's is Revocation.
	Purpose Purpose
	// StatusSize is the number of bits of each entry of a bitstring list:
	// 1, or for a Message list 1 to MaxStatusSize. A 1EdTech list's is 0.
	StatusSize int
	// StatusMessage, if not empty, is the statusMessage Allocate gives
	// the entries of a bitstring list that are not given their own: one
	// message for each of the 2^StatusSize values.
	StatusMessage []StatusMessage
	// StatusReference, if not empty, is the statusReference Allocate
	// gives the entries that are not given their own.
	StatusReference []string
	// Status holds the published bits of a bitstring list: StatusSize
	// bits per entry.
	Status Bitstring
	// Allocated holds a bit per index of a bitstring list, set once the
	// index has been allocated.
	Allocated Bitstring
	// Revoked lists the credentials a 1EdTech list revokes, in the order
	// they were revoked.
	Revoked []RevokedCredential
	// Next is the URL of the list that took over when this one filled up,
	// if any.
	Next string
	// Created is when the list was created; Updated when it last changed.
	Created, Updated time.Time
	// Revision counts the changes a Store has made to the list; every
	// successful Update adds one.
	Revision uint64
}

// A RevokedCredential is one credential a 1EdTech list revokes.
type RevokedCredential struct {
	// ID is the credential's id.
	ID string
	// Reason, if not empty, is published as the revocationReason.
	Reason string
	// Revoked is when it was revoked; it is not published.
	Revoked time.Time
}

// ListOptions describe a new list. The zero ListOptions describe a
// bitstring revocation list of MinListLength entries.
type ListOptions struct {
	// Method is the status method. If empty, MethodBitstring.
	Method Method
	// Purpose is what a set bit means. If empty, Revocation. A 1EdTech
	// list can only revoke.
	Purpose Purpose
	// Length is the number of entries of a bitstring list: a multiple of
	// 8 from MinListLength to MaxListLength. If zero, MinListLength.
	Length int
	// StatusSize is the number of bits of each entry of a bitstring list.
	// A Message list needs it: 1 to MaxStatusSize (and Length*StatusSize
	// bits within DefaultMaxListBytes, so that verifiers read the list).
	// Revocation and suspension lists have single-bit entries: for them
	// it is 0 or 1.
	StatusSize int
	// StatusMessage is the statusMessage that the list's entries get
	// unless Allocate is given theirs (see AllocateOptions): 2^StatusSize
	// elements, each value once (NewStatusMessages makes one). It may be
	// empty; then an entry of more than one bit must be given its own.
	StatusMessage []StatusMessage
	// StatusReference is the statusReference the list's entries get
	// unless Allocate is given theirs: absolute URLs of material that
	// explains the values. The W3C Recommendation encourages one for a
	// Message list.
	StatusReference []string
}

// NewList returns a new, empty list published at listURL: an absolute https
// URL (http only for a loopback host, for testing) without a fragment.
func NewList(listURL string, opts *ListOptions) (*List, error) {
	var o ListOptions
	if opts != nil {
		o = *opts
	}
	if o.Method == "" {
		o.Method = MethodBitstring
	}
	if o.Purpose == "" {
		o.Purpose = Revocation
	}
	if err := checkListURL(listURL); err != nil {
		return nil, err
	}
	l := &List{URL: listURL, Method: o.Method, Purpose: o.Purpose}
	switch o.Method {
	case MethodBitstring:
		size := o.StatusSize
		switch o.Purpose {
		case Revocation, Suspension:
			if size != 0 && size != 1 {
				return nil, fmt.Errorf("%w: a %s list has single-bit entries, not of statusSize %d (values of more bits are for a %q list)", ErrUnsupported, o.Purpose, size, Message)
			}
			size = 1
		case Message:
			if size == 0 {
				return nil, fmt.Errorf("%w: a %q list needs a statusSize, the bits of an entry's value: 1 to %d", ErrUnsupported, Message, MaxStatusSize)
			}
			if size < 1 || size > MaxStatusSize {
				return nil, fmt.Errorf("%w: statusSize %d: a list's entries take 1 to %d bits", ErrMalformed, size, MaxStatusSize)
			}
		default:
			return nil, fmt.Errorf("%w: purpose %q: a list's purpose is %q, %q or %q", ErrUnsupported, o.Purpose, Revocation, Suspension, Message)
		}
		if o.Length == 0 {
			o.Length = MinListLength
		}
		if o.Length < MinListLength || o.Length > MaxListLength || o.Length%8 != 0 {
			return nil, fmt.Errorf("%w: a list's length must be a multiple of 8 from %d to %d, not %d", ErrMalformed, MinListLength, MaxListLength, o.Length)
		}
		if o.Length/8*size > DefaultMaxListBytes {
			return nil, fmt.Errorf("%w: %d entries of %d bits are more than the %d bytes verifiers read by default", ErrMalformed, o.Length, size, DefaultMaxListBytes)
		}
		if len(o.StatusMessage) > 0 {
			if err := checkStatusMessages(size, o.StatusMessage); err != nil {
				return nil, err
			}
		}
		if err := checkReferences(o.StatusReference); err != nil {
			return nil, err
		}
		l.StatusSize = size
		l.StatusMessage = slices.Clone(o.StatusMessage)
		l.StatusReference = slices.Clone(o.StatusReference)
		l.Status = make(Bitstring, o.Length/8*size)
		l.Allocated = make(Bitstring, o.Length/8)
	case Method1EdTech:
		if o.Purpose != Revocation {
			return nil, fmt.Errorf("%w: a 1EdTech revocation list can only revoke, not %q", ErrUnsupported, o.Purpose)
		}
		if o.Length != 0 {
			return nil, fmt.Errorf("%w: a 1EdTech revocation list has no length", ErrMalformed)
		}
		if o.StatusSize != 0 || len(o.StatusMessage) != 0 || len(o.StatusReference) != 0 {
			return nil, fmt.Errorf("%w: a 1EdTech revocation list has no statusSize, statusMessage or statusReference", ErrUnsupported)
		}
	default:
		return nil, fmt.Errorf("%w: status method %q", ErrUnsupported, o.Method)
	}
	return l, nil
}

// checkListURL checks that u can name a list: an absolute https URL, or
// http on a loopback host, with a host and no fragment or userinfo.
func checkListURL(u string) error {
	if u == "" {
		return fmt.Errorf("%w: a list needs a URL", ErrMalformed)
	}
	if len(u) > maxURLLen {
		return fmt.Errorf("%w: the list URL is longer than %d bytes", ErrMalformed, maxURLLen)
	}
	p, err := url.Parse(u)
	if err != nil {
		return fmt.Errorf("%w: list URL %q: %w", ErrMalformed, u, err)
	}
	switch {
	case p.Scheme == "https":
	case p.Scheme == "http" && isLoopback(p.Hostname()):
	default:
		return fmt.Errorf("%w: list URL %q: a list is published at an https URL", ErrMalformed, u)
	}
	if p.Host == "" || p.User != nil || p.Fragment != "" || strings.Contains(u, "#") {
		return fmt.Errorf("%w: list URL %q: want a host, and no userinfo or fragment", ErrMalformed, u)
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Length returns the number of entries of a bitstring list, 0 for a 1EdTech
// list.
func (l *List) Length() int { return l.Allocated.Len() }

// AllocatedCount returns how many indices of a bitstring list have been
// allocated.
func (l *List) AllocatedCount() int { return l.Allocated.Count() }

// Full reports whether every index of a bitstring list has been allocated.
// A 1EdTech list is never full.
func (l *List) Full() bool {
	return l.Method == MethodBitstring && l.AllocatedCount() >= l.Length()
}

// Clone returns a deep copy of l.
func (l *List) Clone() *List {
	c := *l
	c.StatusMessage = slices.Clone(l.StatusMessage)
	c.StatusReference = slices.Clone(l.StatusReference)
	c.Status = slices.Clone(l.Status)
	c.Allocated = slices.Clone(l.Allocated)
	c.Revoked = slices.Clone(l.Revoked)
	return &c
}

// validate checks that l is a list a Store may keep.
func (l *List) validate() error {
	if err := checkListURL(l.URL); err != nil {
		return err
	}
	if l.Next != "" {
		if err := checkListURL(l.Next); err != nil {
			return fmt.Errorf("next list: %w", err)
		}
	}
	switch l.Method {
	case MethodBitstring:
		size := l.StatusSize
		switch {
		case l.Purpose != Revocation && l.Purpose != Suspension && l.Purpose != Message:
			return fmt.Errorf("%w: list %s: purpose %q", ErrMalformed, l.URL, l.Purpose)
		case l.Purpose != Message && size != 1, size < 1 || size > MaxStatusSize:
			return fmt.Errorf("%w: list %s: a %s list with statusSize %d", ErrMalformed, l.URL, l.Purpose, size)
		}
		n := l.Allocated.Len()
		if n < MinListLength || n > MaxListLength || l.Status.Len() != n*size {
			return fmt.Errorf("%w: list %s: %d status bits and %d allocation bits, for entries of %d bits", ErrMalformed, l.URL, l.Status.Len(), n, size)
		}
		if setUnallocated(l.Status, l.Allocated, size) {
			return fmt.Errorf("%w: list %s: a status bit is set at an index that was never allocated", ErrMalformed, l.URL)
		}
		if len(l.StatusMessage) > 0 {
			if err := checkStatusMessages(size, l.StatusMessage); err != nil {
				return fmt.Errorf("list %s: %w", l.URL, err)
			}
		}
		if err := checkReferences(l.StatusReference); err != nil {
			return fmt.Errorf("list %s: %w", l.URL, err)
		}
		if len(l.Revoked) != 0 {
			return fmt.Errorf("%w: list %s: a bitstring list has no revoked ids", ErrMalformed, l.URL)
		}
	case Method1EdTech:
		if l.Purpose != Revocation || len(l.Status) != 0 || len(l.Allocated) != 0 || l.StatusSize != 0 || len(l.StatusMessage) != 0 || len(l.StatusReference) != 0 {
			return fmt.Errorf("%w: list %s: a 1EdTech list revokes by id and has no bits", ErrMalformed, l.URL)
		}
		if len(l.Revoked) > maxRevokedCredentials {
			return fmt.Errorf("%w: list %s: more than %d revoked credentials", ErrMalformed, l.URL, maxRevokedCredentials)
		}
		seen := make(map[string]bool, len(l.Revoked))
		for _, r := range l.Revoked {
			if err := checkCredentialID(r.ID); err != nil {
				return err
			}
			if len(r.Reason) > maxReasonLen {
				return fmt.Errorf("%w: a revocation reason is longer than %d bytes", ErrMalformed, maxReasonLen)
			}
			if seen[r.ID] {
				return fmt.Errorf("%w: list %s: %q is listed twice", ErrMalformed, l.URL, r.ID)
			}
			seen[r.ID] = true
		}
	default:
		return fmt.Errorf("%w: status method %q", ErrUnsupported, l.Method)
	}
	return nil
}

func checkCredentialID(id string) error {
	if id == "" {
		return fmt.Errorf("%w: a revoked credential needs an id", ErrMalformed)
	}
	if len(id) > maxCredentialIDLen {
		return fmt.Errorf("%w: a credential id is longer than %d bytes", ErrMalformed, maxCredentialIDLen)
	}
	return nil
}

// allocate picks an index of a bitstring list that was never allocated,
// uniformly at random among those that remain, with randomness from r,
// and marks it allocated. It fails with ErrListFull when none remains.
func (l *List) allocate(r io.Reader) (int, error) {
	if l.Method != MethodBitstring {
		return 0, fmt.Errorf("%w: a %s list has no indices to allocate", ErrUnsupported, l.Method)
	}
	n := l.Length()
	free := n - l.AllocatedCount()
	if free <= 0 {
		return 0, fmt.Errorf("%w: %s has no free index (%d allocated)", ErrListFull, l.URL, n)
	}
	// Rejection sampling is uniform over the free indices and takes a few
	// probes while the list is mostly free; picking the k-th free index at
	// random is uniform too and bounds the work on a nearly full list.
	for range allocationRandomProbes {
		i, err := randIntn(r, n)
		if err != nil {
			return 0, err
		}
		if set, _ := l.Allocated.Bit(i); !set {
			_ = l.Allocated.Set(i, true)
			return i, nil
		}
	}
	k, err := randIntn(r, free)
	if err != nil {
		return 0, err
	}
	i := l.Allocated.nthZero(k)
	if i < 0 {
		return 0, fmt.Errorf("%w: %s has no free index", ErrListFull, l.URL)
	}
	_ = l.Allocated.Set(i, true)
	return i, nil
}

// setUnallocated reports whether status, of size bits per entry, has a bit
// set in an entry that allocated, of one bit per entry, has not.
func setUnallocated(status, allocated Bitstring, size int) bool {
	if size == 1 {
		return anyAndNot(status, allocated)
	}
	for k, c := range status {
		for c != 0 {
			j := bits.LeadingZeros8(c)
			c &^= 0x80 >> j
			if set, _ := allocated.Bit((8*k + j) / size); !set {
				return true
			}
		}
	}
	return false
}

// anyAndNot reports whether a has a bit set that b, of the same length,
// has not.
func anyAndNot(a, b []byte) bool {
	i := 0
	for ; i+8 <= len(a); i += 8 {
		if binary.LittleEndian.Uint64(a[i:])&^binary.LittleEndian.Uint64(b[i:]) != 0 {
			return true
		}
	}
	for ; i < len(a); i++ {
		if a[i]&^b[i] != 0 {
			return true
		}
	}
	return false
}

// randIntn returns a uniform random integer in [0, n), n > 0, reading from
// r.
func randIntn(r io.Reader, n int) (int, error) {
	var buf [8]byte
	max := uint64(n)
	limit := math.MaxUint64 - math.MaxUint64%max // a multiple of max
	for {
		if _, err := io.ReadFull(r, buf[:]); err != nil {
			return 0, fmt.Errorf("status: reading randomness: %w", err)
		}
		if v := binary.BigEndian.Uint64(buf[:]); v < limit {
			return int(v % max), nil
		}
	}
}

// An op is a change of one credential's status.
type op int

const (
	opRevoke op = iota + 1
	opSuspend
	opUnsuspend
)

func (o op) String() string {
	switch o {
	case opRevoke:
		return "revoke"
	case opSuspend:
		return "suspend"
	case opUnsuspend:
		return "unsuspend"
	}
	return fmt.Sprintf("op(%d)", int(o))
}

// setStatus applies o to index i of a bitstring list. It is idempotent.
func (l *List) setStatus(i int, o op) error {
	if l.Method != MethodBitstring {
		return fmt.Errorf("%w: %s is a %s list, which has no indices; revoke by credential id", ErrUnsupported, l.URL, l.Method)
	}
	switch {
	case o == opRevoke && l.Purpose != Revocation:
		return fmt.Errorf("%w: %s is a %s list; revoke in a revocation list", ErrPurpose, l.URL, l.Purpose)
	case o != opRevoke && l.Purpose != Suspension:
		return fmt.Errorf("%w: %s is a %s list, and revocation cannot be undone; %s in a suspension list", ErrPurpose, l.URL, l.Purpose, o)
	}
	allocated, err := l.Allocated.Bit(i)
	if err != nil {
		return err
	}
	if !allocated {
		return fmt.Errorf("%w: index %d of %s", ErrNotAllocated, i, l.URL)
	}
	return l.Status.Set(i, o != opUnsuspend)
}

// setValue sets the value of entry i of a bitstring list to v: any value
// that fits in a Message list's StatusSize, 0 or 1 in a suspension list, 1
// in a revocation list (or 0 where it is 0 already: a revocation cannot be
// undone). It is idempotent.
func (l *List) setValue(i, v int) error {
	if l.Method != MethodBitstring {
		return fmt.Errorf("%w: %s is a %s list, which has no indices; revoke by credential id", ErrUnsupported, l.URL, l.Method)
	}
	allocated, err := l.Allocated.Bit(i)
	if err != nil {
		return err
	}
	if !allocated {
		return fmt.Errorf("%w: index %d of %s", ErrNotAllocated, i, l.URL)
	}
	if v < 0 || v >= 1<<l.StatusSize {
		return fmt.Errorf("%w: value %d does not fit in the %d bits of an entry of %s", ErrMalformed, v, l.StatusSize, l.URL)
	}
	if l.Purpose == Revocation && v == 0 {
		if cur, _ := l.Status.Value(i, l.StatusSize); cur != 0 {
			return fmt.Errorf("%w: %s is a revocation list, and revocation cannot be undone", ErrPurpose, l.URL)
		}
	}
	return l.Status.SetValue(i, l.StatusSize, v)
}

// revokeID adds id to a 1EdTech list. Revoking an id again changes
// nothing.
func (l *List) revokeID(id, reason string, now time.Time) error {
	if l.Method != Method1EdTech {
		return fmt.Errorf("%w: %s is a %s list; revoke by index", ErrUnsupported, l.URL, l.Method)
	}
	if err := checkCredentialID(id); err != nil {
		return err
	}
	if len(reason) > maxReasonLen {
		return fmt.Errorf("%w: a revocation reason is longer than %d bytes", ErrMalformed, maxReasonLen)
	}
	for _, r := range l.Revoked {
		if r.ID == id {
			return nil
		}
	}
	if len(l.Revoked) >= maxRevokedCredentials {
		return fmt.Errorf("%w: %s already revokes %d credentials; start another list", ErrListFull, l.URL, len(l.Revoked))
	}
	l.Revoked = append(l.Revoked, RevokedCredential{ID: id, Reason: reason, Revoked: now.UTC()})
	return nil
}
