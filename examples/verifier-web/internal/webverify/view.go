package webverify

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/verify"
)

// Verdict is the page's answer, one of four, as `openbadges verify` gives
// them.
type Verdict string

// The verdicts, each with the exit status of `openbadges verify` for the
// same input under the same options.
const (
	// VerdictVerified: every check passed (exit 0).
	VerdictVerified Verdict = "verified"
	// VerdictVerifiedStatusUnknown: verified, though the status could not
	// be decided, because the visitor accepted that (exit 0).
	VerdictVerifiedStatusUnknown Verdict = "verified-status-unknown"
	// VerdictNotVerified: a check failed (exit 1).
	VerdictNotVerified Verdict = "not-verified"
	// VerdictInconclusive: nothing failed, but something could not be
	// decided (exit 3).
	VerdictInconclusive Verdict = "inconclusive"
	// VerdictError: the input could not be verified at all: not a badge,
	// too large (exit 2).
	VerdictError Verdict = "error"
)

// View is a verification as the page shows it. Every string in it comes
// from the badge or from the report and is shown as text, never as markup.
type View struct {
	Verdict Verdict `json:"verdict"`
	// Exit is what `openbadges verify` exits with for the same input.
	Exit int `json:"exit"`
	// Title and Summary say the verdict in words: a heading and a sentence.
	Title   string `json:"title"`
	Summary string `json:"summary"`
	// Line is the verdict line `openbadges verify` prints, after the file
	// name: "VERIFIED: png AchievementCredential (VCDM 2.0) from …".
	Line string `json:"line,omitempty"`
	// Decisive are the checks that made the verdict what it is: those
	// that failed, else those that could not decide.
	Decisive []CheckView `json:"decisive,omitempty"`

	Input    string `json:"input,omitempty"`
	Encoding string `json:"encoding,omitempty"`
	Version  string `json:"version,omitempty"`
	Class    string `json:"class,omitempty"`

	Issuer      Party       `json:"issuer"`
	Achievement Achievement `json:"achievement"`
	Subject     Subject     `json:"subject"`
	Dates       []Field     `json:"dates,omitempty"`
	Status      *CheckView  `json:"status,omitempty"`
	Checks      []CheckView `json:"checks,omitempty"`
	// Fetched lists the documents the verification read: from the
	// visitor's trust files ("offline map") or, with the network on,
	// from the network.
	Fetched []verify.Fetched `json:"fetched,omitempty"`
	// Network is whether the network was allowed for this verification.
	Network bool `json:"network"`
	// Credential is the credential as received, indented for reading.
	Credential string `json:"credential,omitempty"`
	// Certificate is the certificate view, a complete HTML page, if the
	// page can make one; CertificateError says why it could not.
	Certificate      string `json:"certificate,omitempty"`
	CertificateError string `json:"certificateError,omitempty"`
	// Credentials are the views of the credentials a presentation holds.
	Credentials []*View `json:"credentials,omitempty"`
}

// CheckView is one check of the report.
type CheckView struct {
	ID      string `json:"id"`
	Label   string `json:"label"`
	Outcome string `json:"outcome"`
	Message string `json:"message"`
}

// Party is the issuer: who they are and how the key that signed was
// confirmed as theirs.
type Party struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
	URL  string `json:"url,omitempty"`
	// Binding is how the key is bound to the issuer ("self", "document",
	// "local", "asserted"), KeyConfirmed a sentence saying it, KeyMethod
	// the verification method, and DocumentFrom where the issuer's
	// document was read ("your files", "the network").
	Binding      string `json:"binding,omitempty"`
	KeyConfirmed string `json:"keyConfirmed,omitempty"`
	KeyMethod    string `json:"keyMethod,omitempty"`
	DocumentFrom string `json:"documentFrom,omitempty"`
}

// Achievement is what the badge is for.
type Achievement struct {
	ID          string `json:"id,omitempty"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	Criteria    string `json:"criteria,omitempty"`
	Type        string `json:"type,omitempty"`
}

// Subject is whom the badge is issued to.
type Subject struct {
	ID          string       `json:"id,omitempty"`
	Name        string       `json:"name,omitempty"`
	Identifiers []Identifier `json:"identifiers,omitempty"`
}

// Identifier is one of the subject's identifiers: its type, and its value
// unless it is hashed.
type Identifier struct {
	Type   string `json:"type"`
	Hashed bool   `json:"hashed"`
	Value  string `json:"value,omitempty"`
}

// Field is a labelled value; Time is the RFC 3339 form of a date.
type Field struct {
	Label string `json:"label"`
	Value string `json:"value"`
	Time  string `json:"time,omitempty"`
}

func errorView(msg string) *View {
	return &View{Verdict: VerdictError, Exit: 2, Title: "Could not check this file", Summary: msg}
}

// checkLabels name the checks for a person; the page shows the stable ID
// beside each.
var checkLabels = map[string]string{
	verify.CheckInput:            "Badge found",
	verify.CheckJSONLD:           "Well-formed (JSON-LD)",
	verify.CheckContext:          "Open Badges context",
	verify.CheckSchema:           "Open Badges schema",
	verify.CheckCredentialSchema: "Schemas it names",
	verify.CheckRules:            "Data model rules",
	verify.CheckBadge:            "Badge class and issuer profile",
	verify.CheckProof:            "Signature by the issuer's key",
	verify.CheckHolder:           "Holder",
	verify.CheckChallenge:        "Challenge",
	verify.CheckIssuer:           "Trusted issuer",
	verify.CheckRefresh:          "Refresh service",
	verify.CheckStatus:           "Not revoked or suspended",
	verify.CheckValidity:         "Within its dates",
	verify.CheckRecipient:        "Recipient",
	verify.CheckEndorsements:     "Endorsements",
	verify.CheckCredentials:      "Credentials presented",
}

// NewView describes rep for a person.
func NewView(rep *verify.Report) *View {
	v := &View{
		Input: rep.Input, Encoding: rep.Encoding, Version: rep.Version, Class: rep.Class,
		Fetched: rep.Fetched,
	}
	v.Line, _, _ = strings.Cut(rep.String(), "\n")
	failed := rep.Failed()
	var undecided []verify.Check
	for _, c := range rep.Checks {
		cv := CheckView{ID: c.ID, Label: checkLabels[c.ID], Outcome: string(c.Outcome), Message: c.Message}
		if cv.Label == "" {
			cv.Label = c.ID
		}
		v.Checks = append(v.Checks, cv)
		if c.ID == verify.CheckStatus && c.Outcome != verify.Skipped {
			v.Status = &cv
		}
		if c.Outcome == verify.Indeterminate {
			undecided = append(undecided, c)
		}
	}
	decisive := failed
	switch {
	case rep.Verified && rep.Inconclusive:
		v.Verdict, v.Exit, v.Title = VerdictVerifiedStatusUnknown, 0, "Verified, status unknown"
		v.Summary = "Every check passed, but whether the badge is revoked could not be decided; you chose to accept that."
		decisive = undecided
	case rep.Verified:
		v.Verdict, v.Exit, v.Title = VerdictVerified, 0, "Verified"
		v.Summary = "Every check passed: the issuer's own key signed this badge, it is unchanged since, and it is current."
		if c := rep.Check(verify.CheckStatus); c != nil && c.Outcome == verify.Passed {
			v.Summary = "Every check passed: the issuer's own key signed this badge, it is unchanged since, it is current, and it is not revoked."
		}
		decisive = nil
	case rep.Inconclusive && len(failed) == 0:
		v.Verdict, v.Exit, v.Title = VerdictInconclusive, 3, "Could not decide"
		v.Summary = "Nothing failed, but something could not be decided, so the badge is not verified. Add what is missing under “Trust and policy”, or turn on network access."
		decisive = undecided
	default:
		v.Verdict, v.Exit, v.Title = VerdictNotVerified, 1, "Not verified"
		v.Summary = "A check failed: do not rely on this badge."
		if len(failed) == 0 {
			v.Summary = "The badge is not verified."
		}
	}
	for _, c := range decisive {
		v.Decisive = append(v.Decisive, CheckView{ID: c.ID, Label: checkLabels[c.ID], Outcome: string(c.Outcome), Message: c.Message})
	}
	v.Issuer = issuerOf(rep)
	describe(v, rep)
	if len(rep.Credential) > 0 {
		var buf strings.Builder
		var x any
		if json.Unmarshal(rep.Credential, &x) == nil {
			b, _ := json.MarshalIndent(x, "", "  ")
			buf.Write(b)
		} else {
			buf.Write(rep.Credential)
		}
		v.Credential = buf.String()
	}
	for _, c := range rep.Credentials {
		v.Credentials = append(v.Credentials, NewView(c))
	}
	return v
}

// issuerOf reads, from the proof check, how the key that signed is bound
// to the issuer and whether its signature held, and from the documents
// read, where the issuer's document came from.
func issuerOf(rep *verify.Report) Party {
	p := Party{ID: rep.Issuer}
	c := rep.Check(verify.CheckProof)
	if c == nil {
		return p
	}
	// An Open Badges 2.0 signed badge's keys tell only whether they
	// verified; a hosted one's details are no proofs.
	var proofs []verify.ProofDetail
	switch ds := c.Details.(type) {
	case []verify.ProofDetail:
		proofs = ds
	case []verify.OB20KeyDetail:
		for _, d := range ds {
			proofs = append(proofs, verify.ProofDetail{Verified: d.Verified})
		}
	}
	signatureValid := false
	for i, pr := range proofs {
		if pr.Verified || i == len(proofs)-1 {
			p.Binding, p.KeyMethod, signatureValid = pr.Binding, pr.VerificationMethod, pr.SignatureValid
			if pr.Verified {
				break
			}
		}
	}
	switch c.Outcome {
	case verify.Passed, verify.Warning:
		switch p.Binding {
		case "self":
			p.KeyConfirmed = "Confirmed: the issuer's identifier is the key itself (did:key or did:jwk)."
		case "document":
			p.KeyConfirmed = "Confirmed: the issuer's own document lists the key that signed."
		case "local":
			p.KeyConfirmed = "Confirmed: your own key store holds the key that signed."
		default:
			p.KeyConfirmed = "Confirmed: the issuer's key verified the signature."
		}
	case verify.Indeterminate:
		p.KeyConfirmed = "Not confirmed: nothing at hand says whether the key that signed is the issuer's. The issuer's document would: add it under Trust and policy, or turn on network access."
	default:
		switch {
		case len(proofs) == 0:
			p.KeyConfirmed = "The badge carries no signature."
		case signatureValid:
			p.KeyConfirmed = "Refuted: the key that signed is not the issuer's (the issuer's identifier or document does not list it)."
		case p.Binding == "self" || p.Binding == "document" || p.Binding == "local":
			p.KeyConfirmed = "The key is the issuer's, but its signature does not match the badge: the badge was changed after it was signed."
		default:
			p.KeyConfirmed = "The signature does not verify."
		}
	}
	for _, f := range rep.Fetched {
		if f.Error != "" || !sameDocument(f.URL, rep.Issuer) {
			continue
		}
		if f.From == "network" {
			p.DocumentFrom = "the network (" + f.URL + ")"
		} else {
			p.DocumentFrom = "your trust files (" + f.URL + ")"
		}
	}
	return p
}

// sameDocument reports whether url is where the issuer's document was
// read: the issuer's id itself (an offline map keyed by the DID or URL), or
// a did:web DID's https form (.../.well-known/did.json, or .../did.json for
// a DID with a path).
func sameDocument(url, issuer string) bool {
	if issuer == "" {
		return false
	}
	if url == issuer {
		return true
	}
	rest, ok := strings.CutPrefix(issuer, "did:web:")
	if !ok {
		return false
	}
	rest, _, _ = strings.Cut(rest, "#")
	parts := strings.Split(rest, ":")
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(p, "%3A", ":")
	}
	if len(parts) == 1 {
		return url == "https://"+parts[0]+"/.well-known/did.json"
	}
	return url == "https://"+strings.Join(parts, "/")+"/did.json"
}

// describe reads the issuer's name, the achievement, the subject and the
// dates from the credential as received.
func describe(v *View, rep *verify.Report) {
	if rep.Version == "OB 2.0" {
		describeOB2(v, rep)
		return
	}
	v.Subject.ID = rep.Subject
	c, err := credential.ParseAchievementCredential(rep.Credential, nil)
	if err != nil {
		return
	}
	if c.Issuer != nil {
		v.Issuer.Name, v.Issuer.URL = c.Issuer.Name, c.Issuer.URL
	}
	s := c.CredentialSubject
	if a := s.Achievement; a != nil {
		v.Achievement = Achievement{ID: a.ID, Name: a.Name, Description: a.Description, Type: string(a.AchievementType)}
		if a.Criteria != nil {
			v.Achievement.Criteria = a.Criteria.Narrative
			if v.Achievement.Criteria == "" {
				v.Achievement.Criteria = a.Criteria.ID
			}
		}
	}
	if n, ok := s.Extra["name"]; ok {
		_ = json.Unmarshal(n, &v.Subject.Name)
	}
	for _, o := range s.Identifier {
		id := Identifier{Type: string(o.IdentityType), Hashed: o.Hashed}
		if !o.Hashed {
			id.Value = o.IdentityHash
		}
		v.Subject.Identifiers = append(v.Subject.Identifiers, id)
	}
	date := func(label string, d credential.DateTime) {
		if d != "" {
			v.Dates = append(v.Dates, dateField(label, string(d)))
		}
	}
	date("Awarded", c.AwardedDate)
	date("Valid from", c.ValidFrom)
	date("Issued", c.IssuanceDate)
	if c.ValidUntil != "" {
		date("Valid until", c.ValidUntil)
	} else if c.ExpirationDate != "" {
		date("Expires", c.ExpirationDate)
	} else {
		v.Dates = append(v.Dates, Field{Label: "Valid until", Value: "no end date"})
	}
}

func describeOB2(v *View, rep *verify.Report) {
	a, err := credential.ParseOB2Assertion(rep.Credential, nil)
	if err != nil {
		return
	}
	if r := a.Recipient; r != nil {
		id := Identifier{Type: string(r.Type), Hashed: r.Hashed}
		if !r.Hashed {
			id.Value = r.Identity
		}
		v.Subject.Identifiers = append(v.Subject.Identifiers, id)
	}
	if b := a.Badge; b != nil && !b.Reference {
		v.Achievement = Achievement{ID: b.ID, Name: b.Name, Description: b.Description}
		if b.Criteria != nil {
			v.Achievement.Criteria = b.Criteria.Narrative
		}
	} else if b != nil {
		v.Achievement.ID = b.ID
	}
	if s := rep.Summary; s != nil {
		// The issuer's Profile as published at its id, and a BadgeClass
		// given by its URL, as the verification read them.
		v.Issuer.Name = s.IssuerName
		if v.Achievement.Name == "" {
			v.Achievement.Name = s.AchievementName
		}
	}
	ob2date := func(label string, d credential.OB2DateTime) {
		if d.IsZero() {
			return
		}
		f := Field{Label: label, Value: d.Text}
		if t, err := d.Time(); err == nil {
			f = dateField(label, t.UTC().Format(time.RFC3339))
		}
		v.Dates = append(v.Dates, f)
	}
	ob2date("Issued", a.IssuedOn)
	ob2date("Expires", a.Expires)
}

// dateField shows an RFC 3339 date as a person reads it, in UTC, keeping
// the original text for the page's <time>.
func dateField(label, s string) Field {
	f := Field{Label: label, Value: s}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			t = t.UTC()
			f.Time = t.Format(time.RFC3339)
			f.Value = t.Format("2 January 2006")
			if t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 {
				f.Value = t.Format("2 January 2006, 15:04 UTC")
			}
			break
		}
	}
	return f
}

// Match answers "is this badge issued to me?" for identifier (an email
// address, a URL, a phone number) against the credential as received:
// each of the subject's identifiers of that type is compared with
// credential.IdentityObject.Match (hashed ones by hashing identifier with
// their salt, here, in the page), and the subject's id with the
// identifier's IRI form (mailto:). Nothing is sent anywhere.
func Match(credJSON []byte, typ, identifier string) MatchResult {
	identifier = strings.TrimSpace(identifier)
	if identifier == "" {
		return MatchResult{Answer: "no", Message: "Type your " + typeWords(typ) + " first."}
	}
	var ids []credential.IdentityObject
	var subjectID string
	if a, err := credential.ParseOB2Assertion(credJSON, nil); err == nil && a.Recipient != nil && a.Badge != nil {
		r := a.Recipient
		t := credential.IdentifierType(r.Type)
		if r.Type == "email" {
			t = credential.IdentifierType("emailAddress")
		}
		ids = append(ids, credential.IdentityObject{Hashed: r.Hashed, IdentityHash: r.Identity, IdentityType: t, Salt: r.Salt})
	} else {
		var doc struct {
			Subject json.RawMessage `json:"credentialSubject"`
		}
		_ = json.Unmarshal(credJSON, &doc)
		raw := doc.Subject
		var many []json.RawMessage
		if json.Unmarshal(raw, &many) == nil && len(many) > 0 {
			raw = many[0]
		}
		var subj struct {
			ID         string                                     `json:"id"`
			Identifier credential.List[credential.IdentityObject] `json:"identifier"`
		}
		if err := json.Unmarshal(raw, &subj); err != nil {
			return MatchResult{Answer: "unknown", Message: "The badge's recipient cannot be read: " + err.Error()}
		}
		ids, subjectID = subj.Identifier, subj.ID
	}
	candidates := []string{identifier}
	if lower := strings.ToLower(identifier); lower != identifier && typ == "emailAddress" {
		candidates = append(candidates, lower)
	}
	checked := 0
	for _, id := range ids {
		if string(id.IdentityType) != typ {
			continue
		}
		checked++
		for _, c := range candidates {
			ok, err := id.Match(c)
			if err != nil {
				return MatchResult{Answer: "unknown", Message: "The badge's identifier cannot be checked: " + err.Error()}
			}
			if ok {
				how := "in plain text"
				if id.Hashed {
					how = "hashed, and the hash was computed here, on your device"
				}
				return MatchResult{Answer: "yes", Message: fmt.Sprintf("Yes: this badge is issued to %s (the badge holds it %s).", c, how)}
			}
		}
	}
	if typ == "emailAddress" {
		for _, c := range candidates {
			if subjectID != "" && subjectID == "mailto:"+c {
				return MatchResult{Answer: "yes", Message: fmt.Sprintf("Yes: this badge is issued to %s (its subject's id).", c)}
			}
		}
	}
	if checked == 0 && (subjectID == "" || typ != "emailAddress" || !strings.HasPrefix(subjectID, "mailto:")) {
		return MatchResult{Answer: "no", Message: "No: this badge does not identify its recipient by " + typeWords(typ) + "."}
	}
	return MatchResult{Answer: "no", Message: fmt.Sprintf("No: this badge is not issued to %s.", identifier)}
}

// MatchResult is Match's answer: "yes", "no" or "unknown", and a sentence.
type MatchResult struct {
	Answer  string `json:"answer"`
	Message string `json:"message"`
}

func typeWords(typ string) string {
	switch typ {
	case "emailAddress":
		return "email address"
	case "url":
		return "web address"
	case "phone":
		return "phone number"
	}
	return typ
}
