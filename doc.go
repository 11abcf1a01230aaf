// Package openbadges is the root of a Go library for Open Badges 3.0: it
// builds, signs and verifies portable digital badges (W3C Verifiable
// Credentials), issues them when a learner meets an achievement's criteria,
// and verifies them offline.
//
// This package holds no code; start from the package for the job.
//
// Issuing:
//
//   - [github.com/go-openbadges/openbadges/issuer]: decides whether a
//     learner has earned an achievement (criteria evaluators, review by a
//     person, pathways) and issues the signed credential; batches, records,
//     revocation and publishing.
//   - [github.com/go-openbadges/openbadges/sqlstore]: the issuer's records,
//     review queue and status lists in SQLite or PostgreSQL, shared by
//     several issuer instances.
//   - [github.com/go-openbadges/openbadges/status]: the revocation,
//     suspension and status message lists an issuer publishes (Bitstring
//     Status List and the 1EdTech revocation list);
//     [github.com/go-openbadges/openbadges/status/statussign] signs them and
//     [github.com/go-openbadges/openbadges/status/statuscheck] checks a
//     credential against them.
//   - [github.com/go-openbadges/openbadges/oid4vci]: delivers issued
//     credentials to learners' wallets (OpenID for Verifiable Credential
//     Issuance).
//   - [github.com/go-openbadges/openbadges/obapi]: the Open Badges 3.0 API,
//     where a learner keeps their badges and profile, with its
//     authorization server; [github.com/go-openbadges/openbadges/obapi/hoststore]
//     is what such a host keeps.
//
// Verifying:
//
//   - [github.com/go-openbadges/openbadges/verify]: one call for every form
//     a badge comes in (JSON, JWT, PNG, SVG, HTML, PDF, a presentation, an
//     Open Badges 2.0 assertion), offline by default, returning a report of
//     every check.
//   - [github.com/go-openbadges/openbadges/present]: presentations a holder
//     signs over a verifier's challenge.
//
// Credentials, keys and signatures:
//
//   - [github.com/go-openbadges/openbadges/credential]: the Open Badges 3.0,
//     CLR 2.0 and Open Badges 2.0 data models as Go types, reading and
//     writing every legal JSON form, constructors for a correct credential,
//     the specs' rules, and recipient identity hashing.
//   - [github.com/go-openbadges/openbadges/schema]: the official 1EdTech
//     JSON Schemas and every JSON-LD context, embedded and hash-pinned; an
//     offline JSON-LD document loader; JSON Schema validation with JSON
//     pointers.
//   - [github.com/go-openbadges/openbadges/proof/dataintegrity] and
//     [github.com/go-openbadges/openbadges/proof/jose]: Data Integrity
//     proofs (eddsa-rdfc-2022 and the other suites) and VC-JWT / VC-JOSE.
//   - [github.com/go-openbadges/openbadges/keys]: key stores (any
//     crypto.Signer), generation, rotation, JWK, Multikey, did:key and
//     did:jwk, and the documents an issuer publishes.
//   - [github.com/go-openbadges/openbadges/did]: from a verification method
//     to its public key and controller, offline unless given a fetcher.
//   - [github.com/go-openbadges/openbadges/fetch]: the one way anything
//     reaches the network, only when the caller passes a Fetcher.
//
// What people see:
//
//   - [github.com/go-openbadges/openbadges/bake]: a credential baked into a
//     PNG or SVG badge image, and taken out of one or of a certificate.
//   - [github.com/go-openbadges/openbadges/render] and
//     [github.com/go-openbadges/openbadges/render/pdf]: the certificate a
//     person sees, as an accessible, translated HTML page, an SVG or a PDF,
//     each carrying the credential.
//   - [github.com/go-openbadges/openbadges/report]: who earned what, how
//     fast and where reviews pile up, from the issuer's records, for the
//     people who fund a program.
//
// Programs:
//
//   - cmd/openbadges: the command line, every job above from a shell
//     (openbadges help lists its commands).
//   - examples/quickstart: the main job in one page of Go: criteria decide,
//     the badge is issued, baked and verified offline.
//   - examples/lms: what an LMS does at the end of a term, from course
//     events to badges and certificates.
//   - examples/issuer-server: an issuer a wallet takes badges from
//     (OpenID4VCI).
//   - examples/wallet: what a wallet does with a folder of badges.
//   - examples/verifier-web (and its examples/verifier-web/wasm): a
//     verification page that runs in the browser.
//   - examples/vcapi: the W3C VC API server the W3C test suites run against.
//
// Packages under internal/ are shared helpers, not API.
package openbadges
