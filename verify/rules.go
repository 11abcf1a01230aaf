package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/proof/jose"
	"github.com/go-openbadges/openbadges/schema"
)

// checkSchemaAndRules runs the embedded JSON Schema and the data model
// rules (credential.Check: the OB 3.0 rules and the VC Data Model's) and
// reports them as two checks. With VCOnly the schema is not applied and
// the rules are the VC Data Model's alone (credential.CheckDataModel).
func (r *run) checkSchemaAndRules(ctx context.Context) error {
	if r.cred == nil {
		r.skipAll(CheckSchema)
		r.skipAll(CheckRules)
		return nil
	}
	// relatedResource digests are compared with the contexts this
	// Verifier holds, Trust.Contexts included.
	opts := *r.c.v.checkOpts
	opts.Loader = r.c.v.loader
	if r.c.policy.VCOnly {
		r.add(CheckSchema, Skipped, nil, "VC only: the OB 3.0 JSON Schema is not applied")
		res, err := credential.CheckDataModel(r.cred, &opts)
		if err != nil {
			r.add(CheckRules, Failed, nil, "%v", err)
			return nil
		}
		ps, errs := problemDetails(r.suppliedByJWT(res.Problems))
		r.reportProblems(CheckRules, "VC Data Model rules", ps, errs)
		return nil
	}
	res, err := credential.CheckParsed(r.cred, r.tree, &opts)
	if err != nil {
		r.add(CheckSchema, Failed, nil, "%v", err)
		r.add(CheckRules, Skipped, nil, "the credential could not be read")
		return nil
	}
	var schemaFound, ruleFound []credential.Problem
	for _, p := range r.suppliedByJWT(res.Problems) {
		if strings.HasPrefix(p.Rule, "schema/") {
			schemaFound = append(schemaFound, p)
		} else {
			ruleFound = append(ruleFound, p)
		}
	}
	if res.Version == credential.VCDM11 {
		r.add(CheckSchema, Skipped, nil, "the OB 3.0 JSON Schema describes VCDM 2.0 credentials; this one is VCDM 1.1")
	} else {
		ps, errs := problemDetails(schemaFound)
		r.reportProblems(CheckSchema, "1EdTech JSON Schema of the "+res.Class, ps, errs)
	}
	ps, errs := problemDetails(ruleFound)
	r.reportProblems(CheckRules, "OB 3.0 and VC Data Model rules", ps, errs)
	return nil
}

// suppliedByJWT drops the findings that the claims of a VCDM 1.1 JWT
// answer: its nbf is the credential's issuanceDate (VC-JWT 1.1, the
// transformation rules), which the vc claim may then leave out.
func (r *run) suppliedByJWT(found []credential.Problem) []credential.Problem {
	if r.jwt == nil || r.jwt.Format != jose.FormatVCDM11 || r.jwt.Claims.NotBefore == nil {
		return found
	}
	if _, ok := r.doc["issuanceDate"]; ok {
		return found
	}
	var out []credential.Problem
	for _, p := range found {
		if p.Pointer == "/issuanceDate" && (p.Rule == "vcdm/issuanceDate" || p.Rule == "required") {
			continue
		}
		out = append(out, p)
	}
	return out
}

// problemDetails converts findings to check details and counts the
// errors among them.
func problemDetails(found []credential.Problem) (ps []ProblemDetail, errs int) {
	for _, p := range found {
		d := ProblemDetail{Pointer: p.Pointer, Rule: p.Rule, Message: p.Message, Severity: p.Severity.String()}
		if p.Severity != credential.SeverityWarning {
			errs++
		}
		ps = append(ps, d)
	}
	return ps, errs
}

// reportProblems adds check id: failed if a finding is an error, a
// warning if there are only warnings, passed if there are none.
func (r *run) reportProblems(id, what string, ps []ProblemDetail, errs int) {
	switch {
	case errs > 0:
		r.add(id, Failed, ps, "%s: %s", what, firstError(ps))
	case len(ps) > 0:
		r.add(id, Warning, ps, "%s: %s", what, ps[0].Message)
	default:
		r.add(id, Passed, nil, "%s: no findings", what)
	}
}

func firstError(ps []ProblemDetail) string {
	for _, p := range ps {
		if p.Severity == "error" {
			if p.Pointer != "" {
				return p.Pointer + ": " + p.Message
			}
			return p.Message
		}
	}
	return ""
}

// checkCredentialSchema validates against the schemas credentialSchema
// names.
func (r *run) checkCredentialSchema(ctx context.Context) error {
	if r.skipAll(CheckCredentialSchema) {
		return nil
	}
	var entries []struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	}
	raw := r.doc["credentialSchema"]
	if len(raw) == 0 {
		r.add(CheckCredentialSchema, Skipped, nil, "the credential names no schema")
		return nil
	}
	if json.Unmarshal(raw, &entries) != nil {
		var one struct {
			ID   string `json:"id"`
			Type string `json:"type"`
		}
		if json.Unmarshal(raw, &one) != nil {
			r.add(CheckCredentialSchema, Failed, nil, "credentialSchema is neither an object nor an array of objects")
			return nil
		}
		entries = append(entries, one)
	}
	type result = CredentialSchemaDetail
	var results []result
	outcome := Passed
	var msgs []string
	embedded := map[string]string{
		"AchievementCredential": schema.AchievementCredentialSchemaURL,
		"EndorsementCredential": schema.EndorsementCredentialSchemaURL,
		ClassClr:                schema.ClrCredentialSchemaURL,
	}[r.rep.Class]
	for _, e := range entries {
		if e.ID == embedded && r.rep.Version == "VCDM 2.0" {
			// The schema check above applied this very schema, with
			// JSON-LD's equivalent forms (a lone proof object for an
			// array) as warnings; its verdict stands for this entry.
			sc := r.rep.Check(CheckSchema)
			o := "passed"
			if sc != nil && sc.Outcome == Failed {
				o, outcome = "failed", Failed
				msgs = append(msgs, e.ID+": see the schema check")
			}
			results = append(results, result{e.ID, o, "the embedded copy, as the schema check applied it"})
			continue
		}
		err := r.c.v.schemas.ValidateContext(withFetchBudget(ctx, r.c.rec), e.ID, r.cred)
		var unknown *schema.UnknownSchemaError
		switch {
		case err == nil:
			results = append(results, result{e.ID, "passed", ""})
		case errors.As(err, &unknown) || errors.Is(err, errNotAvailable):
			results = append(results, result{e.ID, "skipped", err.Error()})
			if outcome == Passed {
				outcome = Skipped
			}
			msgs = append(msgs, fmt.Sprintf("%s could not be had (not embedded; pass it in Trust.Documents, or allow fetching)", e.ID))
		default:
			results = append(results, result{e.ID, "failed", err.Error()})
			outcome = Failed
			msgs = append(msgs, fmt.Sprintf("%s: %v", e.ID, err))
		}
	}
	if outcome == Passed {
		r.add(CheckCredentialSchema, Passed, results, "%d schema(s) named in credentialSchema pass", len(results))
		return nil
	}
	r.add(CheckCredentialSchema, outcome, results, "%s", strings.Join(msgs, "; "))
	return nil
}
