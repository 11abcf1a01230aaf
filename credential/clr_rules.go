package credential

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

// ClrRules lists the names of the CLR 2.0 rules Validate checks on a
// ClrCredential beyond those in Rules, with what each means.
var ClrRules = map[string]string{
	"clr-context":     "@context is not VCDM 2.0, then the CLR 2.0 context, then an OB 3.0 context",
	"clr-type":        "type lacks VerifiableCredential or ClrCredential",
	"clr-credentials": "credentialSubject.verifiableCredential is missing, or an entry is not a credential",
	"association":     "an association's end is not the id of an achievement of the record (a warning)",
}

// Validate checks the record against the rules of the CLR 2.0 data model
// that its structure can show: the rules its classes share with OB 3.0
// (required properties, types, enumerations, URIs, dates; see
// AchievementCredential.Validate), the order of @context (VCDM 2.0, CLR
// 2.0, OB 3.0), its types, at least one embedded credential, each an
// object typed VerifiableCredential (or, in a VCDM 1.1 record, a VC-JWT), and Associations of the spec's types
// between absolute ids. It returns nil or a *ValidationError; warnings
// (an association to an achievement the record does not hold) are
// reported by Check only. The embedded credentials' own rules are checked
// by Check, their proofs by package verify.
func (c *ClrCredential) Validate() error {
	var errs []Problem
	for _, p := range c.problems() {
		if p.Severity == SeverityError {
			errs = append(errs, p)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return &ValidationError{Problems: errs}
}

// problems runs the shared rules (validator tags and the struct rules of
// the OB classes inside) and the CLR rules.
func (c *ClrCredential) problems() []Problem {
	ps := problemsOf(c)
	add := func(ptr, rule, msg string, sev Severity) {
		ps = append(ps, Problem{Pointer: ptr, Rule: rule, Message: msg, Severity: sev})
	}
	version, err := c.version()
	if err != nil {
		add("/@context", "version", err.Error(), SeverityError)
	}
	at := func(i int) string {
		if i < len(c.Context) {
			return c.Context[i].URL
		}
		return ""
	}
	urls := c.Context.URLs()
	switch version {
	case VCDM11:
		if at(0) != ContextVCDM11 {
			add("/@context", "clr-context", "the first @context entry of a VCDM 1.1 credential must be "+ContextVCDM11, SeverityError)
		}
		if !slices.ContainsFunc(urls, clrContext.MatchString) {
			add("/@context", "clr-context", "@context must include a CLR 2.0 context such as "+ContextCLR, SeverityError)
		}
		if !slices.ContainsFunc(urls, obContext.MatchString) {
			add("/@context", "clr-context", "@context must include an OB 3.0 context such as "+ContextOB+" (the CLR context does not define Achievement, Profile and the other OB classes)", SeverityError)
		}
	default:
		if at(0) != ContextVCDM20 || !clrContext.MatchString(at(1)) || !slices.ContainsFunc(urls[min(2, len(urls)):], obContext.MatchString) {
			add("/@context", "clr-context", fmt.Sprintf("@context must begin with %s then %s, followed by %s, got %s",
				ContextVCDM20, ContextCLR, ContextOB, quoteList(urls)), SeverityError)
		}
	}
	if !c.Type.Has("VerifiableCredential") || !c.Type.Has("ClrCredential") {
		add("/type", "clr-type", fmt.Sprintf("type must include \"VerifiableCredential\" and \"ClrCredential\", got %s", quoteList(c.Type)), SeverityError)
	}
	if c.Name == "" {
		add("/name", "required", "name is required (CLR 2.0: the record's display name)", SeverityError)
	}
	if version == VCDM11 {
		if c.IssuanceDate == "" {
			add("/issuanceDate", "required", "issuanceDate is required", SeverityError)
		}
	} else if c.ValidFrom == "" && err == nil {
		add("/validFrom", "required", "validFrom is required", SeverityError)
	}
	if used := extensionTypesUsed(&c.VerifiableCredential); len(used) > 0 && !c.Context.Has(ContextOBExtensions) {
		add("/@context", "context", fmt.Sprintf("%s %s defined only by %s; add it to @context", quoteList(used), isAre(len(used)), ContextOBExtensions), SeverityError)
	}

	s := &c.CredentialSubject
	const vcPtr = "/credentialSubject/verifiableCredential"
	if len(s.VerifiableCredential) == 0 {
		add(vcPtr, "clr-credentials", "credentialSubject.verifiableCredential is required: a CLR holds at least one credential", SeverityError)
	}
	for i, raw := range s.VerifiableCredential {
		ptr := fmt.Sprintf("%s/%d", vcPtr, i)
		raw = bytes.TrimSpace(raw)
		if jwt, ok := jsonobj.DecodeString(raw); ok && version == VCDM11 && compactJWS.MatchString(jwt) {
			continue // a VC-JWT, as a VCDM 1.1 presentation may hold one
		}
		if len(raw) == 0 || raw[0] != '{' {
			add(ptr, "clr-credentials", "an embedded credential must be a JSON object (a credential with an embedded proof, or an EnvelopedVerifiableCredential)", SeverityError)
			continue
		}
		var head struct {
			Type Types `json:"type"`
		}
		if err := json.Unmarshal(raw, &head); err != nil || !head.Type.Has("VerifiableCredential") && !head.Type.Has("EnvelopedVerifiableCredential") {
			add(ptr+"/type", "clr-credentials", "an embedded credential's type must include \"VerifiableCredential\"", SeverityError)
		}
	}
	if len(s.Association) > 0 {
		ids := s.AchievementIDs()
		for i, a := range s.Association {
			for _, end := range []struct{ name, id string }{{"sourceId", a.SourceID}, {"targetId", a.TargetID}} {
				if end.id != "" && isAbsoluteURI(end.id) && !slices.Contains(ids, end.id) {
					add(fmt.Sprintf("/credentialSubject/association/%d/%s", i, end.name), "association",
						fmt.Sprintf("%s %q is not the id of an achievement this record holds (neither in credentialSubject.achievement nor in an embedded credential); a displayer cannot show what it refers to", end.name, end.id), SeverityWarning)
				}
			}
		}
	}
	sortProblems(ps)
	return ps
}
