// Package credential is the Open Badges 3.0 data model as Go types: it reads
// credentials in every form the spec allows, writes them in the spec's
// canonical form, builds correct ones from what an LMS knows, and checks them
// against the spec's rules.
//
// Read untrusted documents with ParseAchievementCredential (or the other
// Parse functions), which bound size and depth; check them with Check (JSON
// Schema and rules, with JSON pointers) or Validate (rules only); check any
// Verifiable Credential or presentation, Open Badge or not, against the W3C
// VC Data Model with CheckDataModel and CheckPresentationDataModel. Build new
// credentials with NewAchievementCredential and write them with Marshal.
// Reading and writing keeps every property the types do not model (in
// Extra) and the exact text of dates (DateTime) and numbers; embedded,
// separately signed endorsements are written back byte for byte.
//
// Open Badges 2.0 documents, the badges most people still hold, are read
// into a separate legacy view (OB2Assertion, OB2BadgeClass, OB2Profile, ...;
// see ParseOB2Assertion), checked against the OB 2.0 rules with CheckOB2,
// and matched to a recipient with OB2IdentityObject.Match. The view keeps
// the exact bytes it was read from, which is what OB 2.0 signs and hosts.
//
// A Comprehensive Learner Record (1EdTech CLR 2.0), a learner's whole
// record in one credential, is a ClrCredential: its subject carries the
// learner's signed credentials, the achievements the record is about, and
// Associations between them (a course isPartOf a program). Build one with
// NewClrCredential from the signed credentials' bytes, read one with
// ParseClrCredential; the embedded credentials are never re-encoded, so
// their proofs still verify. Check checks a record and every credential in
// it.
//
// This package never verifies proofs and never touches the network; those
// are the jobs of packages proof/... and verify. Recipients are identified
// by id or by IdentityObject, plain or hashed (NewHashedIdentity, Match).
package credential
