package verify

// The types of Check.Details. Each check documents which it holds (see
// the Check… constants); a Go caller reads them with a type assertion:
//
//	if ps, ok := rep.Check(verify.CheckProof).Details.([]verify.ProofDetail); ok { … }
//
// A check with nothing to detail has nil Details. Their JSON keys are part
// of the report's format (ReportVersion): keys are only ever added.

// SafeModeDetail is the jsonld check's details when a term is undefined or
// something would be dropped (JSON-LD safe mode).
type SafeModeDetail struct {
	// Path locates the fault: a JSON pointer into the credential where it
	// is known, otherwise the expanded IRI or term concerned.
	Path string `json:"path"`
	// Reason says what is wrong, for a person.
	Reason string `json:"reason"`
}

// InlineContextDetail is the jsonld check's details when the credential's
// inline JSON-LD contexts are over a limit.
type InlineContextDetail struct {
	// Limit is the Trust field whose limit was passed:
	// "MaxInlineContextBytes" or "MaxInlineContextTerms".
	Limit string `json:"limit"`
	// Max is the limit in force, and Size what the credential's inline
	// contexts have: bytes or term definitions.
	Max  int `json:"max"`
	Size int `json:"size"`
}

// ProblemDetail is one finding of the schema or rules check.
type ProblemDetail struct {
	// Pointer is the JSON pointer (RFC 6901) of what the finding is
	// about, "" for the whole document.
	Pointer string `json:"pointer"`
	// Rule names the rule: "schema/required", "vcdm/issuanceDate", ….
	Rule string `json:"rule"`
	// Message says what is wrong, for a person.
	Message string `json:"message"`
	// Severity is "error" (the check fails) or "warning".
	Severity string `json:"severity"`
}

// CredentialSchemaDetail is one schema of the credential-schema check: a
// credentialSchema entry and how validating against it ended.
type CredentialSchemaDetail struct {
	// ID is the schema's URL.
	ID string `json:"id"`
	// Outcome is "passed", "failed" or "skipped" (the schema could not be
	// had).
	Outcome string `json:"outcome"`
	// Error says why it did not pass, or where the verdict came from.
	Error string `json:"error,omitempty"`
}

// ProofDetail is one proof of the proof check of a credential or a
// presentation: a Data Integrity proof, or the JWT.
type ProofDetail struct {
	// Type is the suite ("eddsa-rdfc-2022", "Ed25519Signature2020", …) or
	// the JWT's form and algorithm ("VC-JWT (VCDM 2.0) EdDSA", "vp+jwt
	// ES256").
	Type string `json:"type"`
	// VerificationMethod is the key the proof names (a JWT's kid).
	VerificationMethod string `json:"verificationMethod,omitempty"`
	// Verified is true when the proof verifies with a key confirmed as
	// the issuer's (the holder's, for a presentation).
	Verified bool `json:"verified"`
	// SignatureValid is true when the signature holds, whether or not its
	// key was confirmed.
	SignatureValid bool `json:"signatureValid"`
	// Controller is who the key belongs to, and Binding how that is
	// known: "self", "document", "local" or "asserted" (see CheckProof).
	Controller string `json:"controller,omitempty"`
	Binding    string `json:"binding,omitempty"`
	// Error is why the proof does not verify.
	Error string `json:"error,omitempty"`
	// Warnings are what a person should know of a proof that verifies (a
	// legacy suite).
	Warnings []string `json:"warnings,omitempty"`
	// CanonicalDocument and CanonicalProof are the canonical forms a Data
	// Integrity proof signed, and DocumentHash and ProofHash their hashes
	// in hexadecimal: what to compare with another implementation's.
	CanonicalDocument string `json:"canonicalDocument,omitempty"`
	CanonicalProof    string `json:"canonicalProof,omitempty"`
	DocumentHash      string `json:"documentHash,omitempty"`
	ProofHash         string `json:"proofHash,omitempty"`
}

// HolderDetail is the holder check's details: who presented a
// presentation, and how the key that signed it is bound to them.
type HolderDetail struct {
	Holder  string `json:"holder"`
	Binding string `json:"binding"`
}

// ChallengeDetail is the challenge check's details.
type ChallengeDetail struct {
	// Challenge and Domain are what the Policy asked for.
	Challenge string `json:"challenge"`
	Domain    string `json:"domain"`
	// Carried is the challenge the presentation's (first) proof carries,
	// "" when it carries none or has no proof.
	Carried string `json:"carried,omitempty"`
}

// RefreshDetail is the refresh check's details.
type RefreshDetail struct {
	// URL is the refresh service's.
	URL string `json:"url"`
	// Verified is whether the refreshed credential verifies, and Report
	// its report; both nil when none was had.
	Verified *bool   `json:"verified,omitempty"`
	Report   *Report `json:"report,omitempty"`
}

// ValidityDetail is the validity check's details: the time checked at and
// the dates read, as the credential writes them (those it does not write
// are empty).
type ValidityDetail struct {
	// Now is the time checked at (Policy.Now), in RFC 3339 form.
	Now string `json:"now"`
	// ValidFrom and ValidUntil are a VCDM 2.0 credential's.
	ValidFrom  string `json:"validFrom,omitempty"`
	ValidUntil string `json:"validUntil,omitempty"`
	// IssuanceDate and ExpirationDate are a VCDM 1.1 credential's.
	IssuanceDate   string `json:"issuanceDate,omitempty"`
	ExpirationDate string `json:"expirationDate,omitempty"`
	// IssuedOn and Expires are an Open Badges 2.0 object's.
	IssuedOn string `json:"issuedOn,omitempty"`
	Expires  string `json:"expires,omitempty"`
}

// set records the date read from the member name.
func (d *ValidityDetail) set(name, value string) {
	switch name {
	case "validFrom":
		d.ValidFrom = value
	case "validUntil":
		d.ValidUntil = value
	case "issuanceDate":
		d.IssuanceDate = value
	case "expirationDate":
		d.ExpirationDate = value
	case "issuedOn":
		d.IssuedOn = value
	case "expires":
		d.Expires = value
	}
}
