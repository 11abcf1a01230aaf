package statuscheck

import (
	"fmt"
	"time"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/status"
)

// A Standing is what a status check found for one credentialStatus entry:
// whether a valid, verified list says the credential is revoked or
// suspended, or nothing could be learned. The zero Standing is
// Indeterminate, so that nothing is ever taken for "not revoked" by
// omission.
type Standing int

// The outcomes.
const (
	// Indeterminate: the status could not be learned: the list could not
	// be retrieved or trusted, is expired or not yet valid, is not what the
	// entry names, or the entry is of a kind this package does not check.
	// Result.Err says why. Whether it fails a verification is the
	// caller's choice; it is never the same as NotRevoked.
	Indeterminate Standing = iota
	// NotRevoked: a valid, verified list says the credential is neither
	// revoked nor suspended.
	NotRevoked
	// Revoked: a valid, verified list says the credential is revoked.
	Revoked
	// Suspended: a valid, verified list says the credential is suspended.
	Suspended
)

// String returns "indeterminate", "not revoked", "revoked" or "suspended".
func (o Standing) String() string {
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
	return fmt.Sprintf("Standing(%d)", int(o))
}

// Combine returns the standing of a credential from the standings of its
// entries: Revoked if any entry is revoked, else Suspended if any is
// suspended, else Indeterminate if any is indeterminate, else NotRevoked
// (which is also the outcome of a credential without entries: nothing can
// revoke it).
func Combine(results []Result) Standing {
	out := NotRevoked
	for _, r := range results {
		switch {
		case r.Standing == Revoked:
			return Revoked
		case r.Standing == Suspended:
			out = Suspended
		case r.Standing == Indeterminate && out == NotRevoked:
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
	Purpose status.Purpose
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
	// -1 when no value was read (the Standing is Indeterminate, or the
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
	// Standing is the verdict. For a "message" entry it is NotRevoked
	// whatever its Value (a message neither revokes nor suspends: Message
	// says what the list says), or Indeterminate when the value cannot be
	// read.
	Standing Standing
	// Reason says why, for a person: which bit was read, or what made the
	// standing indeterminate.
	Reason string
	// Err is nil unless Standing is Indeterminate; then it says why and
	// wraps one of package status's errors (status.ErrRetrieval,
	// status.ErrVerification, status.ErrExpired,
	// status.ErrIndexOutOfRange, …).
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
	Method status.Method
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
