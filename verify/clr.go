package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/go-openbadges/openbadges/proof/jose"
)

// ClassClr is Report.Class for a Comprehensive Learner Record.
//
// A Comprehensive Learner Record (CLR 2.0, a ClrCredential) is verified as
// a credential (the record's own proof, issuer, status, validity,
// recipient, endorsements), and then every credential it embeds is
// verified on its own, as if it had been given alone, under the same Trust
// and Policy: each gets its own report in Report.Credentials, and the
// credentials check says which of them failed or could not be decided, and
// why. The record is verified only when it and every embedded credential
// are, and inconclusive when one of them is (a status that
// Policy.AllowUnknownStatus accepts unknown). A record holding a revoked
// credential is not verified, its credentials check names that
// credential, and the other credentials' reports are complete all the
// same. An embedded credential that names
// another subject than the record's learner (the ClrSubject's id) is a
// warning: the learner may be known by several identifiers, but only the
// record's issuer says these credentials are theirs. So is one that names
// no subject id when the record's learner has one (a hashed email address
// alone cannot be compared without the address): Policy.Strict refuses
// both, and Policy.Recipient checks every credential against the learner.
// A VCDM 1.1 record may
// embed VC-JWT strings, which are verified as such.
//
// Nesting is bounded: a CLR inside a CLR is verified as one, up to
// credential.MaxClrNesting levels, however it is embedded (as JSON, or in
// an EnvelopedVerifiableCredential or VC-JWT); the embedded credentials
// are at most credential.MaxClrCredentials per record, and at most
// Trust.MaxCredentials when that is set (its default, for presentations,
// is not applied: a transcript holds dozens).
const ClassClr = "ClrCredential"

// clrNestingKey holds, in the context of an embedded credential's
// verification, how many CLRs are around it.
type clrNestingKey struct{}

// clrNesting returns how many CLRs are around the credential verified
// under ctx.
func clrNesting(ctx context.Context) int {
	n, _ := ctx.Value(clrNestingKey{}).(int)
	return n
}

// isClr reports whether the credential read is a ClrCredential.
func (r *run) isClr() bool {
	if r.cred == nil || r.doc == nil {
		return false
	}
	types, ok := jsonobj.DecodeStrings(r.doc["type"])
	if !ok {
		if one, ok := jsonobj.DecodeString(r.doc["type"]); ok {
			types = []string{one}
		}
	}
	return slices.Contains(types, ClassClr)
}

// clrInconclusive marks the record inconclusive when a credential in it
// is: a credential whose status the Policy accepts as unknown leaves the
// record verified and inconclusive, as it leaves the credential (and a
// presentation holding it).
func (r *run) clrInconclusive() {
	for _, cr := range r.rep.Credentials {
		r.rep.Inconclusive = r.rep.Inconclusive || cr.Inconclusive
	}
}

// checkClrContext checks a CLR's @context and type: VCDM 2.0 (or, as
// legacy, 1.1) first, then a CLR 2.0 context, and an OB 3.0 context,
// which defines the classes the CLR context does not.
func (r *run) checkClrContext(ctx context.Context) error {
	if r.skipAll(CheckContext) {
		return nil
	}
	r.rep.Class = ClassClr
	var urls []string
	switch raw := r.doc["@context"]; {
	case len(raw) > 0 && raw[0] == '[':
		elems, _ := jsonobj.SplitArray(raw)
		for _, e := range elems {
			urls = append(urls, contextURL(e))
		}
	case len(raw) > 0:
		urls = []string{contextURL(raw)}
	}
	at := func(i int) string {
		if i < len(urls) {
			return urls[i]
		}
		return ""
	}
	var warnings []string
	switch at(0) {
	case contextVCDM20:
		r.rep.Version = "VCDM 2.0"
	case contextVCDM11:
		r.rep.Version = "VCDM 1.1"
		warnings = append(warnings, "a VCDM 1.1 record: a legacy data model")
	default:
		r.add(CheckContext, Failed, nil, "the first @context is %q, not %s", at(0), contextVCDM20)
		return nil
	}
	clr := slices.IndexFunc(urls, func(u string) bool { return strings.HasPrefix(u, contextCLRBase) })
	ob := slices.IndexFunc(urls, func(u string) bool { return strings.HasPrefix(u, contextOBBase) })
	switch {
	case clr < 0:
		r.add(CheckContext, Failed, nil, "no CLR 2.0 context (%s)", credential.ContextCLR)
		return nil
	case ob < 0:
		r.add(CheckContext, Failed, nil, "no Open Badges 3.0 context (%s): the CLR context does not define Achievement, Profile and the other classes of the record", contextOB)
		return nil
	case r.rep.Version == "VCDM 2.0" && (clr != 1 || ob < clr):
		r.add(CheckContext, Failed, nil, "@context must be %s, %s, %s in that order", contextVCDM20, credential.ContextCLR, contextOB)
		return nil
	}
	if urls[clr] != credential.ContextCLR {
		warnings = append(warnings, fmt.Sprintf("CLR context %s, not the current %s", urls[clr], credential.ContextCLR))
	}
	if urls[ob] != contextOB {
		warnings = append(warnings, fmt.Sprintf("Open Badges context %s, not the current %s", urls[ob], contextOB))
	}
	if len(warnings) > 0 {
		r.add(CheckContext, Warning, nil, "%s; %s", ClassClr, strings.Join(warnings, "; "))
		return nil
	}
	r.add(CheckContext, Passed, nil, "%s, %s", ClassClr, r.rep.Version)
	return nil
}

// contextCLRBase is the prefix of every CLR 2.0 context URL.
const contextCLRBase = "https://purl.imsglobal.org/spec/clr/v2p0/context"

// checkClrSchemaAndRules reports the official CLR 2.0 JSON Schema and the
// CLR 2.0 rules of the record itself (credential.Check of a ClrCredential)
// as two checks. What Check finds inside an embedded credential is left
// to that credential's own report (see checkClrCredentials), so that the
// record's checks speak of the record. A VCDM 1.1 record is not validated
// against the schema, written for VCDM 2.0, as a VCDM 1.1 OB credential is
// not against its own. With VCOnly the rules are the VC Data Model's
// alone.
func (r *run) checkClrSchemaAndRules(ctx context.Context) error {
	if r.cred == nil || r.c.policy.VCOnly {
		return r.checkSchemaAndRules(ctx)
	}
	opts := *r.c.v.checkOpts
	opts.Loader = r.c.v.loader
	opts.SkipEmbedded = true // each is verified with its own report
	res, err := credential.Check(r.cred, &opts)
	if err != nil {
		r.add(CheckSchema, Failed, nil, "%v", err)
		r.add(CheckRules, Skipped, nil, "the record could not be read")
		return nil
	}
	var schemaFound, ruleFound []credential.Problem
	for _, p := range r.suppliedByJWT(res.Problems) {
		switch {
		case insideEmbedded(p):
		case strings.HasPrefix(p.Rule, "schema/"):
			schemaFound = append(schemaFound, p)
		default:
			ruleFound = append(ruleFound, p)
		}
	}
	if res.Version == credential.VCDM11 {
		r.add(CheckSchema, Skipped, nil, "the CLR 2.0 JSON Schema describes VCDM 2.0 records; this one is VCDM 1.1")
	} else {
		ps, errs := problemDetails(schemaFound)
		r.reportProblems(CheckSchema, "CLR 2.0 JSON Schema of the ClrCredential (each embedded credential's schema in its own report)", ps, errs)
	}
	ps, errs := problemDetails(ruleFound)
	r.reportProblems(CheckRules, "CLR 2.0 and VC Data Model rules", ps, errs)
	return nil
}

// insideEmbedded reports whether a finding of credential.Check on a
// record is about the inside of one of its embedded credentials, rather
// than the record's own use of it.
func insideEmbedded(p credential.Problem) bool {
	const at = "/credentialSubject/verifiableCredential/"
	rest, ok := strings.CutPrefix(p.Pointer, at)
	if !ok || strings.HasPrefix(p.Rule, "clr-") {
		return false
	}
	_, inner, _ := strings.Cut(rest, "/")
	return inner != ""
}

// checkClrCredentials verifies every embedded credential with the full
// credential rules, under the same Trust and Policy, each with its own
// report in Report.Credentials.
func (r *run) checkClrCredentials(ctx context.Context) error {
	if r.skipAll(CheckCredentials) {
		return nil
	}
	subject := r.doc["credentialSubject"]
	if len(subject) > 0 && subject[0] == '[' {
		if subjects, err := jsonobj.SplitArray(subject); err == nil && len(subjects) == 1 {
			subject = subjects[0]
		}
	}
	var members map[string]json.RawMessage
	if len(subject) > 0 && subject[0] == '{' {
		members, _ = jsonobj.SplitObject(subject)
	}
	raw := members["verifiableCredential"]
	var inputs []json.RawMessage
	switch {
	case len(raw) > 0 && raw[0] == '[':
		elems, err := jsonobj.SplitArray(raw)
		if err != nil {
			r.add(CheckCredentials, Failed, nil, "credentialSubject.verifiableCredential cannot be read: %v", err)
			return nil
		}
		for _, e := range elems {
			inputs = append(inputs, e)
		}
	case len(raw) > 0 && raw[0] == '{':
		inputs = []json.RawMessage{raw}
	}
	nesting := clrNesting(ctx)
	switch {
	case nesting >= credential.MaxClrNesting:
		// A CLR this deep was reached through a form embedsClr cannot
		// see into (an EnvelopedVerifiableCredential, a VC-JWT): the
		// bound holds all the same, and none of its credentials is
		// verified.
		r.add(CheckCredentials, Failed, nil, "a CLR nested %d deep, over the limit of %d: its %d embedded credential(s) were not verified", nesting+1, credential.MaxClrNesting, len(inputs))
		return nil
	case len(inputs) == 0:
		r.add(CheckCredentials, Failed, nil, "the record embeds no credential (CLR 2.0 requires credentialSubject.verifiableCredential)")
		return nil
	case len(inputs) > credential.MaxClrCredentials:
		r.add(CheckCredentials, Failed, nil, "%d embedded credentials, over the limit of %d: none was verified", len(inputs), credential.MaxClrCredentials)
		return nil
	case r.c.v.trust.MaxCredentials > 0 && len(inputs) > r.c.v.trust.MaxCredentials:
		// The caller's bound on the credentials one input may make it
		// verify holds for a record as for a presentation.
		r.add(CheckCredentials, Failed, nil, "%d embedded credentials, over the limit of %d (Trust.MaxCredentials): none was verified", len(inputs), r.c.v.trust.MaxCredentials)
		return nil
	}
	learner := idOf(subject)
	inner := context.WithValue(ctx, clrNestingKey{}, nesting+1)
	var failed, undecided, accepted, elsewhere []string
	for i, in := range inputs {
		var rep *Report
		var err error
		if nesting+1 >= credential.MaxClrNesting && embedsClr(in) {
			rep = &Report{ReportVersion: ReportVersion, Class: ClassClr, Fetched: []Fetched{}, Checks: []Check{{ID: CheckInput, Outcome: Failed,
				Message: fmt.Sprintf("a CLR nested %d deep, over the limit of %d: not verified", nesting+2, credential.MaxClrNesting)}}}
		} else if jwt, ok := jsonobj.DecodeString(in); ok && r.rep.Version == "VCDM 1.1" && jose.IsCompact([]byte(jwt)) {
			// A VCDM 1.1 record may embed a credential as a VC-JWT, as a
			// VCDM 1.1 presentation may.
			if rep, err = r.c.verify(inner, []byte(jwt), 0); err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				rep = &Report{ReportVersion: ReportVersion, Fetched: []Fetched{}, Checks: []Check{{ID: CheckInput, Outcome: Failed, Message: err.Error()}}}
			}
		} else if in[0] != '{' {
			// Never verified as an input of its own: a string that is
			// not a VC-JWT (a URL, say) would be fetched and read as
			// whatever it holds.
			rep = &Report{ReportVersion: ReportVersion, Fetched: []Fetched{}, Checks: []Check{{ID: CheckInput, Outcome: Failed,
				Message: "an embedded credential must be a JSON object (a credential with an embedded proof, or an EnvelopedVerifiableCredential); a VC-JWT string only in a VCDM 1.1 record"}}}
		} else if types := embeddedTypes(in); !slices.Contains(types, "VerifiableCredential") && !slices.Contains(types, "EnvelopedVerifiableCredential") {
			// Never verified as an input of its own: an Open Badges 2.0
			// assertion would be fetched from the URL it names.
			rep = &Report{ReportVersion: ReportVersion, Fetched: []Fetched{}, Checks: []Check{{ID: CheckInput, Outcome: Failed,
				Message: fmt.Sprintf("an embedded credential's type must include VerifiableCredential (or be an EnvelopedVerifiableCredential), got %q", types)}}}
		} else if rep, err = r.c.verify(inner, in, 0); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			rep = &Report{ReportVersion: ReportVersion, Fetched: []Fetched{}, Checks: []Check{{ID: CheckInput, Outcome: Failed, Message: err.Error()}}}
		}
		r.rep.Credentials = append(r.rep.Credentials, rep)
		var ids []string
		for _, c := range rep.Checks {
			if c.Outcome == Failed || c.Outcome == Indeterminate {
				ids = append(ids, c.ID)
			}
		}
		what := fmt.Sprintf("#%d", i)
		if rep.Credential != nil {
			if id := idOf(member(rep.Credential, "id")); id != "" {
				what += " " + id
			}
		}
		if len(ids) > 0 {
			what += " (" + strings.Join(ids, ", ") + ")"
		}
		if st := rep.Check(CheckStatus); st != nil && st.Outcome == Failed {
			what += ": " + st.Message
		}
		if learner != "" && rep.Subject != "" && rep.Subject != learner {
			// The record's issuer says this credential is the learner's,
			// but the credential names another subject: a learner known
			// by several identifiers, or someone else's credential.
			elsewhere = append(elsewhere, fmt.Sprintf("#%d is about %s", i, rep.Subject))
		} else if learner != "" && rep.Subject == "" && rep.Credential != nil {
			// Nothing ties this credential to the learner but the
			// record's word (an identifier only, such as a hashed email
			// address, which cannot be compared without the address):
			// said as for another subject, so that Strict refuses it.
			// Policy.Recipient checks it against the learner.
			elsewhere = append(elsewhere, fmt.Sprintf("#%d names no subject id", i))
		}
		switch {
		case rep.Verified && rep.Inconclusive:
			accepted = append(accepted, fmt.Sprintf("#%d", i))
		case rep.Verified:
		case len(rep.Failed()) > 0:
			failed = append(failed, what)
		default:
			undecided = append(undecided, what)
		}
	}
	n := len(inputs)
	switch {
	case len(failed) > 0:
		msg := fmt.Sprintf("%d of %d embedded credentials do not verify: %s", len(failed), n, strings.Join(failed, "; "))
		if len(undecided) > 0 {
			msg += fmt.Sprintf("; %d could not be decided: %s", len(undecided), strings.Join(undecided, "; "))
		}
		if len(elsewhere) > 0 {
			msg += fmt.Sprintf("; not about the record's learner %s: %s", learner, strings.Join(elsewhere, "; "))
		}
		r.add(CheckCredentials, Failed, nil, "%s (see their reports)", msg)
	case len(undecided) > 0:
		r.add(CheckCredentials, Indeterminate, nil, "%d of %d embedded credentials could not be decided: %s (see their reports)", len(undecided), n, strings.Join(undecided, "; "))
	case len(elsewhere) > 0 || len(accepted) > 0:
		msg := fmt.Sprintf("%d embedded credential(s) verify", n)
		if len(accepted) > 0 {
			msg += fmt.Sprintf("; the status of %s could not be decided and is accepted by Policy.AllowUnknownStatus", strings.Join(accepted, ", "))
		}
		if len(elsewhere) == 0 {
			r.add(CheckCredentials, Passed, nil, "%s", msg)
			break
		}
		r.add(CheckCredentials, Warning, nil, "%s; but not all name the record's learner %s as their subject: %s; only the record's issuer says they are the learner's", msg, learner, strings.Join(elsewhere, "; "))
	default:
		r.add(CheckCredentials, Passed, nil, "%d embedded credential(s) verify", n)
	}
	return nil
}

// embedsClr reports whether the embedded credential in is a
// ClrCredential.
func embedsClr(in json.RawMessage) bool {
	return slices.Contains(embeddedTypes(in), ClassClr)
}

// embeddedTypes returns the types of the embedded object in (one string
// or an array of them), or nil.
func embeddedTypes(in json.RawMessage) []string {
	if len(in) == 0 || in[0] != '{' {
		return nil
	}
	m, err := jsonobj.SplitObject(in)
	if err != nil {
		return nil
	}
	types, ok := jsonobj.DecodeStrings(m["type"])
	if !ok {
		if one, ok := jsonobj.DecodeString(m["type"]); ok {
			types = []string{one}
		}
	}
	return types
}
