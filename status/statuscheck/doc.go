// Package statuscheck checks a credential's credentialStatus against the
// lists its issuer publishes: the verifier's side of package status, which
// keeps the issuer's. A Checker retrieves each list through the caller's
// fetch.Fetcher or from an offline map, verifies its proof (Data Integrity
// or JWS, with a key confirmed as the list issuer's through a did.Resolver),
// type, purpose, issuer and validity window, caches it while it is valid,
// and reads the credential's bit, or bits.
//
// It checks the two status methods Open Badges 3.0 credentials use: the W3C
// Bitstring Status List (entries of one bit, or of statusSize bits in a
// list of purpose "message", whose values the entry's statusMessage
// explains) and the 1EdTech Revocation List Status Method.
//
// Every entry gets a Standing: NotRevoked, Revoked, Suspended, or
// Indeterminate when the list could not be had or trusted. Indeterminate is
// the zero Standing and is never reported as NotRevoked; whether it fails a
// verification is the caller's choice (package verify fails it unless its
// Policy says otherwise). A Result's Err wraps one of package status's
// errors (status.ErrRetrieval, status.ErrVerification, …) for callers to
// branch on with errors.Is.
//
// Everything read is bounded: documents by size and depth, a compressed
// list by what it decompresses to (a gzip bomb is refused with
// status.ErrListTooLarge), an index by the list's length.
package statuscheck
