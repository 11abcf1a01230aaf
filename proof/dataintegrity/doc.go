// Package dataintegrity creates and verifies W3C Data Integrity proofs
// embedded in credentials: eddsa-rdfc-2022 (what Open Badges 3.0 requires),
// eddsa-jcs-2022, ecdsa-rdfc-2019 and ecdsa-jcs-2019, and, for credentials
// already in the wild, Ed25519Signature2020 and eddsa-2022. Start with
// Signer.Sign to add a proof and Verifier.Verify to check every proof of a
// document, including proof sets and chains.
//
// Both work on JSON bytes as received, never on re-encoded Go values, and
// read JSON-LD in a real safe mode: a term no context defines, a relative
// @id or @type, or an invalid IRI is an error (wrapping ErrSafeMode) before
// anything is signed or verified, rather than a statement silently left out
// of what the signature covers. Canonicalization (RDFC-1.0) is bounded
// (Limits.MaxWork) and honours context cancellation, so a hostile document
// cannot keep a verifier busy. Contexts come only from a schema.Loader,
// offline by default; verification methods are resolved through package
// did.
package dataintegrity
