// Package openbadges is the root of a Go library for Open Badges 3.0: it
// builds, signs and verifies portable digital badges (W3C Verifiable
// Credentials), issues them when a learner meets an achievement's criteria,
// and verifies them offline.
//
// This package holds no code; start from the package for the job:
//
//   - [github.com/go-openbadges/openbadges/credential]: the OB 3.0 data
//     model as Go types, reading and writing every legal JSON form,
//     constructors for a correct credential, the spec's rules
//     (Validate, Check), and recipient identity hashing.
//   - [github.com/go-openbadges/openbadges/schema]: the official 1EdTech
//     JSON Schemas and every JSON-LD context, embedded and hash-pinned; an
//     offline JSON-LD document loader; JSON Schema validation with JSON
//     pointers.
//   - [github.com/go-openbadges/openbadges/keys]: key stores (any
//     crypto.Signer), generation, rotation, JWK, Multikey, did:key and
//     did:jwk, and the documents an issuer publishes.
//   - [github.com/go-openbadges/openbadges/did]: from a verification method
//     to its public key and controller, offline unless given a fetcher.
//   - [github.com/go-openbadges/openbadges/fetch]: the one way anything
//     reaches the network, only when the caller passes a Fetcher.
//   - cmd/openbadges: the command line (validate, keygen, did resolve).
//   - examples/quickstart: build and check a credential in one page of Go.
//
// Packages still to come, in DESIGN.md's order: proof/dataintegrity and
// proof/jose (signatures), status (revocation), bake (PNG and SVG), verify
// (one call for every input) and issuer (criteria-driven issuance).
package openbadges
