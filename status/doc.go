// Package status takes badges back and tells verifiers so: it keeps the
// revocation, suspension and status message lists an issuer publishes, and
// models the credentialStatus entries that point into them, for the two
// status methods Open Badges 3.0 credentials use:
//
//   - the W3C Bitstring Status List (a Recommendation): a credential's
//     BitstringStatusListEntry names a bit, at a random position, in a list
//     of at least 131,072 bits that the issuer publishes, GZIP-compressed and
//     multibase base64url-encoded, inside a signed
//     BitstringStatusListCredential;
//   - the 1EdTech Revocation List Status Method: the credential's
//     credentialStatus names a URL where the issuer hosts a JSON list of the
//     ids of the credentials it has revoked.
//
// A bitstring list's entries are single bits, except in a list of purpose
// "message", whose entries take statusSize bits each (up to MaxStatusSize):
// each value stands for one of the messages the credential's entry lists in
// its statusMessage ("0x0": pending review, "0x1": accepted, …). A message
// neither revokes nor suspends; a verifier reports it.
//
// On the issuer's side, a Registry creates lists, allocates entries for new
// credentials (random indices, never reused, a new list when one is full),
// revokes, suspends and unsuspends, sets a message entry's value
// (SetStatus), and publishes a list as a signed credential (Data Integrity
// or VC-JWT) with a validity window that tells verifiers how long to cache
// it. Lists live in a Store: MemoryStore, or
// DirStore (OpenDir), which writes every change atomically and durably before
// it returns, so that a crash loses no allocation and no revocation. The
// Store interface is a transaction over one list (Update), which a SQL
// database implements with a row lock.
//
// This package sits below the proof packages and package did: a Signer
// secures a published list (package statussign makes one of a Data
// Integrity or a JOSE signer), and the verifier's side, which retrieves
// lists and checks their proofs, is package statuscheck. A Registry
// (RevokeCredential) and a status check read a credential's entries alike,
// with ReadCredential.
//
// Everything read is bounded: credentials by size and depth, a compressed
// list by what it decompresses to (a gzip bomb is refused with
// ErrListTooLarge), an index by the list's length.
package status
