package verify

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
)

// checkProof verifies the JWT or the Data Integrity proofs: one valid proof
// is enough; every proof is listed. A proof whose key cannot be confirmed
// as the issuer's for want of the issuer's document leaves the check
// indeterminate (when no other proof verifies and its signature holds):
// not verified, and the message says which document would settle it.
func (r *run) checkProof(ctx context.Context) error {
	if r.skipAll(CheckProof) {
		return nil
	}
	var details []ProofDetail
	verified := false
	var warnings, failures []string
	var unconfirmed []string // proofs whose signature holds with a key nothing confirmed
	jwtUnconfirmed := false
	if j := r.jwt; j != nil {
		d := ProofDetail{Type: j.Format.String() + " " + j.Header.Algorithm, VerificationMethod: j.Header.KeyID, Verified: j.Verified, SignatureValid: j.SignatureValid, Warnings: j.Warnings}
		if j.Method != nil {
			d.Controller, d.Binding = j.Method.Controller, j.Method.Binding.String()
		}
		if j.Err != nil {
			d.Error = j.Err.Error()
			if errors.Is(j.Err, did.ErrUnconfirmed) && (j.SignatureValid || j.Method == nil) {
				jwtUnconfirmed = true
				unconfirmed = append(unconfirmed, d.Type+": "+d.Error)
			} else {
				failures = append(failures, d.Type+": "+d.Error)
			}
		}
		details = append(details, d)
		verified = j.Verified
		if verified {
			warnings = append(warnings, j.Warnings...)
		}
	}
	if _, hasProof := r.doc["proof"]; hasProof {
		res, err := r.c.di.Verify(ctx, r.cred)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			failures = append(failures, err.Error())
		} else {
			for _, p := range res.Proofs {
				d := diDetail(p)
				details = append(details, d)
				switch {
				case p.Verified:
					verified = true
					warnings = append(warnings, d.Warnings...)
				case errors.Is(p.Err, did.ErrUnconfirmed) && (p.SignatureValid || p.Method == nil):
					unconfirmed = append(unconfirmed, d.Type+": "+d.Error)
				default:
					failures = append(failures, d.Type+": "+d.Error)
				}
			}
		}
	}
	switch {
	case len(details) == 0:
		r.add(CheckProof, Failed, nil, "the credential has no proof")
	case r.jwt != nil && !r.jwt.Verified && jwtUnconfirmed:
		r.add(CheckProof, Indeterminate, details, "%s", r.unconfirmedMessage(unconfirmed))
	case r.jwt != nil && !r.jwt.Verified:
		r.add(CheckProof, Failed, details, "the JWT does not verify: %s", r.jwt.Err)
	case !verified && len(unconfirmed) > 0:
		r.add(CheckProof, Indeterminate, details, "%s", r.unconfirmedMessage(unconfirmed))
	case !verified:
		r.add(CheckProof, Failed, details, "no proof verifies: %s", strings.Join(failures, "; "))
	case len(warnings) > 0:
		r.add(CheckProof, Warning, details, "verified, but: %s", strings.Join(warnings, "; "))
	case len(failures) > 0 || len(unconfirmed) > 0:
		r.add(CheckProof, Warning, details, "verified, but another proof does not: %s", strings.Join(append(failures, unconfirmed...), "; "))
	default:
		r.add(CheckProof, Passed, details, "%s", proofSummary(details))
	}
	return nil
}

// unconfirmedMessage says why a proof's key is not confirmed and what
// would confirm it: the issuer's document, from Trust.Documents or the
// network.
func (r *run) unconfirmedMessage(why []string) string {
	return unconfirmedKeyMessage("issuer", r.rep.Issuer, why)
}

func proofSummary(ds []ProofDetail) string {
	var parts []string
	for _, d := range ds {
		if d.Verified {
			parts = append(parts, fmt.Sprintf("%s by %s (key bound to its controller: %s)", d.Type, d.Controller, d.Binding))
		}
	}
	return "verified: " + strings.Join(parts, "; ")
}

// diDetail describes one Data Integrity proof's result.
func diDetail(p dataintegrity.ProofResult) ProofDetail {
	d := ProofDetail{Type: p.Proof.Suite(), VerificationMethod: p.Proof.VerificationMethod, Verified: p.Verified, SignatureValid: p.SignatureValid}
	if p.Method != nil {
		d.Controller, d.Binding = p.Method.Controller, p.Method.Binding.String()
	}
	switch p.Proof.Suite() {
	case dataintegrity.TypeEd25519Signature2020, dataintegrity.EdDSA2022:
		if p.Verified {
			d.Warnings = append(d.Warnings, p.Proof.Suite()+" is a legacy proof suite; OB 3.0 uses eddsa-rdfc-2022")
		}
	}
	if p.Err != nil {
		d.Error = p.Err.Error()
	}
	if diag := p.Diagnostics; diag != nil {
		d.CanonicalDocument, d.CanonicalProof = string(diag.CanonicalDocument), string(diag.CanonicalProof)
		d.DocumentHash, d.ProofHash = fmt.Sprintf("%x", diag.DocumentHash), fmt.Sprintf("%x", diag.ProofHash)
	}
	return d
}
