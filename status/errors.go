package status

import "errors"

// Errors a status check's Result.Err wraps (see package statuscheck), for
// callers to branch on with errors.Is. The first three are the W3C Bitstring Status List's processing
// errors of the same names.
var (
	// ErrRetrieval (STATUS_RETRIEVAL_ERROR): the status list could not be
	// had: no document for its URL, no fetcher, or the fetch failed.
	ErrRetrieval = errors.New("status: the status list could not be retrieved")
	// ErrVerification (STATUS_VERIFICATION_ERROR): the status list was
	// retrieved but cannot be trusted or does not fit the entry: its proof
	// is missing or does not verify, it is not a BitstringStatusListCredential,
	// its issuer is not the credential's, or its statusPurpose is not the
	// entry's.
	ErrVerification = errors.New("status: the status list does not verify")
	// ErrListLength (STATUS_LIST_LENGTH_ERROR): the list has fewer entries
	// than the minimum that gives its holders herd privacy (131,072 unless
	// a statuscheck.Checker says otherwise).
	ErrListLength = errors.New("status: the status list is too short")
	// ErrExpired: the status list's validUntil has passed.
	ErrExpired = errors.New("status: the status list has expired")
	// ErrNotYetValid: the status list's validFrom has not come yet.
	ErrNotYetValid = errors.New("status: the status list is not yet valid")
	// ErrUnsupported: a credentialStatus entry of a type, purpose or size
	// this package does not check (a StatusList2021Entry, a "refresh"
	// purpose, a statusSize over MaxStatusSize), or an operation or option
	// a list does not support (suspending in a 1EdTech list, entries of
	// more than one bit in a revocation list).
	ErrUnsupported = errors.New("status: unsupported status method")
)

// Errors about lists and entries, for both sides.
var (
	// ErrMalformed (MALFORMED_VALUE_ERROR): an encodedList that is not
	// multibase base64url of GZIP data, a credentialStatus entry or a list
	// document that lacks what it must have or has the wrong JSON type.
	ErrMalformed = errors.New("status: malformed value")
	// ErrListTooLarge: an encoded list decompresses to more bytes than the
	// limit allows (a gzip bomb, or a list larger than the caller accepts),
	// or a document is larger than its limit. Decompression stops at the
	// limit.
	ErrListTooLarge = errors.New("status: status list too large")
	// ErrIndexOutOfRange (RANGE_ERROR): an index that is negative or not
	// below the list's length.
	ErrIndexOutOfRange = errors.New("status: index out of range")
)

// Errors of a Registry and a Store.
var (
	// ErrNoList: the Store has no list at that URL.
	ErrNoList = errors.New("status: no such status list")
	// ErrNotFound is ErrNoList's old name.
	//
	// Deprecated: use ErrNoList.
	ErrNotFound = ErrNoList
	// ErrExists: the Store already has a list at that URL.
	ErrExists = errors.New("status: a status list with this URL already exists")
	// ErrListFull: every index of the list has been allocated, and the
	// Registry has no NextURL to start a new list.
	ErrListFull = errors.New("status: the status list is full")
	// ErrNotAllocated: an index that was never allocated is revoked,
	// suspended or unsuspended; it belongs to no credential.
	ErrNotAllocated = errors.New("status: index not allocated")
	// ErrPurpose: an operation the list's purpose does not allow: revoking
	// in a suspension list, suspending or unsuspending in a revocation
	// list (revocation cannot be undone).
	ErrPurpose = errors.New("status: operation not allowed by the list's purpose")
)
