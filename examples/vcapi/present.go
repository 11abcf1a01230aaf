package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/go-openbadges/openbadges/present"
	"github.com/go-openbadges/openbadges/proof/jose"
	"github.com/go-openbadges/openbadges/verify"
)

// Problem types of presentations, this server's own: the VC Data Model
// names none for a challenge that does not match or a credential inside
// that does not verify.
const (
	problemChallenge  = "urn:openbadges:vcapi:problem:CHALLENGE_MISMATCH"
	problemCredential = "urn:openbadges:vcapi:problem:CREDENTIAL_NOT_VERIFIED"
	problemHolder     = "urn:openbadges:vcapi:problem:HOLDER_MISMATCH"
)

// verifyPresentationRequest is the body of POST /presentations/verify.
type verifyPresentationRequest struct {
	VerifiablePresentation json.RawMessage `json:"verifiablePresentation"`
	Options                json.RawMessage `json:"options"`
}

// verifyPresentationOptions are the options of POST /presentations/verify
// this server reads; others (checks, …) are ignored.
type verifyPresentationOptions struct {
	// Challenge and Domain are what the presentation's proof must carry
	// (verify.Policy.Challenge and Domain).
	Challenge string `json:"challenge"`
	Domain    string `json:"domain"`
	// VCOnly, as for POST /credentials/verify, for the credentials inside.
	VCOnly *bool `json:"vcOnly"`
}

// verifyPresentationResponse is the VC API's result for a presentation:
// the presentation's own checks, as for a credential, and each
// credential's result.
type verifyPresentationResponse struct {
	verifyResponse
	// Holder is who presented it (verify.Report.Holder).
	Holder string `json:"holder,omitempty"`
	// CredentialResults holds the result of each credential inside, in
	// order.
	CredentialResults []verifyResponse `json:"credentialResults"`
}

// handleVerifyPresentation answers POST /presentations/verify: 200 when the
// presentation is verified (its holder's proof, the challenge and domain
// asked for, every credential inside), 422 when it is not, with problem
// details as POST /credentials/verify gives them.
func (s *server) handleVerifyPresentation(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var req verifyPresentationRequest
	if s.readBody(w, r, &req) {
		return
	}
	var opts verifyPresentationOptions
	if readOptions(w, req.Options, &opts) {
		return
	}
	input, bad := presentationInput(req.VerifiablePresentation)
	if bad != "" {
		writeProblem(w, http.StatusBadRequest, problemParsing, bad)
		return
	}
	vcOnly := !s.cfg.OpenBadges
	if opts.VCOnly != nil {
		vcOnly = *opts.VCOnly
	}
	v, err := s.verifier(ctx)
	if err != nil {
		writeProblem(w, http.StatusInternalServerError, problemInternal, err.Error())
		return
	}
	rep, err := v.Verify(ctx, input, &verify.Policy{VCOnly: vcOnly, Challenge: opts.Challenge, Domain: opts.Domain})
	switch {
	case errors.Is(err, verify.ErrInput):
		writeJSON(w, http.StatusUnprocessableEntity, notVerifiedPresentation(newProblem(problemParsing, err.Error())))
		return
	case err != nil:
		writeProblem(w, http.StatusServiceUnavailable, problemInternal, err.Error())
		return
	case rep.Class != verify.ClassPresentation:
		writeJSON(w, http.StatusUnprocessableEntity, notVerifiedPresentation(newProblem(problemMalformed,
			"verifiablePresentation is not a presentation: its type does not include VerifiablePresentation (POST /credentials/verify verifies credentials)")))
		return
	}
	resp := verifyPresentationResponse{verifyResponse: responseOf(rep, presentationProblem), Holder: rep.Holder, CredentialResults: []verifyResponse{}}
	for _, c := range rep.Credentials {
		resp.CredentialResults = append(resp.CredentialResults, responseOf(c, checkProblem))
	}
	if !rep.Verified {
		writeJSON(w, http.StatusUnprocessableEntity, resp)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// notVerifiedPresentation is the result for a presentation that could not
// be read.
func notVerifiedPresentation(p problem) verifyPresentationResponse {
	return verifyPresentationResponse{verifyResponse: notVerified(p), CredentialResults: []verifyResponse{}}
}

// presentationInput finds what to verify in verifiablePresentation: a JSON
// object (a presentation, or an EnvelopedVerifiablePresentation, which
// verify opens and checks), or a string that is a compact JWS or the data:
// URL of one. bad is set for a request that is malformed (400).
func presentationInput(raw json.RawMessage) (input []byte, bad string) {
	trimmed := strings.TrimSpace(string(raw))
	if trimmed == "" || trimmed == "null" {
		return nil, "verifiablePresentation is missing"
	}
	var tok string
	if json.Unmarshal(raw, &tok) == nil {
		if strings.HasPrefix(tok, "data:") || jose.IsCompact([]byte(tok)) {
			return []byte(tok), ""
		}
		return nil, "verifiablePresentation is a string that is neither a compact JWS nor a data: URL; a JSON presentation must be sent as an object"
	}
	if _, err := members(raw); err != nil {
		return nil, "verifiablePresentation: " + err.Error()
	}
	return raw, ""
}

// presentationProblem describes a presentation's check that did not pass.
func presentationProblem(rep *verify.Report, c verify.Check) problem {
	typ := ""
	switch c.ID {
	case verify.CheckChallenge:
		typ = problemChallenge
	case verify.CheckCredentials:
		typ = problemCredential
	case verify.CheckHolder:
		typ = problemHolder
	default:
		return checkProblem(rep, c)
	}
	if c.Outcome == verify.Warning {
		typ = problemWarning
	}
	return newProblem(typ, c.ID+": "+c.Message)
}

// presentRequest is the body of POST /presentations.
type presentRequest struct {
	Presentation json.RawMessage `json:"presentation"`
	Options      json.RawMessage `json:"options"`
}

// presentOptions are the options of POST /presentations this server reads.
type presentOptions struct {
	// Challenge and Domain are the verifier's, written into the proof.
	Challenge string `json:"challenge"`
	Domain    string `json:"domain"`
	// Cryptosuite is a Data Integrity cryptosuite, as for issuing.
	Cryptosuite string `json:"cryptosuite"`
	// Format is "vp+jwt" for a presentation secured as a JWT, returned
	// as an EnvelopedVerifiablePresentation; empty for Data Integrity.
	Format string `json:"format"`
}

// handlePresent answers POST /presentations: the presentation signed by
// one of the server's own identities as its holder, 201 with
// {"verifiablePresentation": …}. The presentation's holder, if it names
// one, must be one of the server's DIDs and picks the key; otherwise the
// cryptosuite does. The bytes sent are kept: a Data Integrity proof is
// added to them, or they become the vp+jwt's payload.
func (s *server) handlePresent(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var req presentRequest
	if s.readBody(w, r, &req) {
		return
	}
	vp, err := members(req.Presentation)
	if err != nil {
		writeProblem(w, http.StatusBadRequest, problemParsing, "presentation: "+err.Error())
		return
	}
	var opts presentOptions
	if readOptions(w, req.Options, &opts) {
		return
	}
	var ik *issuerKey
	if raw, ok := vp["holder"]; ok {
		id, err := idOf(raw)
		if err != nil {
			writeProblem(w, http.StatusBadRequest, problemMalformed, "presentation.holder: "+err.Error())
			return
		}
		if ik = s.byDID[id]; ik == nil {
			writeProblem(w, http.StatusUnprocessableEntity, problemHolder,
				fmt.Sprintf("presentation.holder is %q, which is not an identity of this server (GET /issuers lists them)", id))
			return
		}
	}
	h := &present.Holder{Suite: opts.Cryptosuite}
	switch opts.Format {
	case "":
		if opts.Cryptosuite != "" {
			suiteKey := s.issuerForSuite(opts.Cryptosuite)
			switch {
			case suiteKey == nil:
				writeProblem(w, http.StatusBadRequest, problemBadRequest, fmt.Sprintf("options.cryptosuite %q is not supported: use eddsa-rdfc-2022, eddsa-jcs-2022, ecdsa-rdfc-2019 or ecdsa-jcs-2019", opts.Cryptosuite))
				return
			case ik != nil && !slices.Contains(ik.suites, opts.Cryptosuite):
				writeProblem(w, http.StatusUnprocessableEntity, problemHolder, fmt.Sprintf("the key of %s cannot sign with %s (it signs with %v)", ik.did, opts.Cryptosuite, ik.suites))
				return
			case ik == nil:
				ik = suiteKey
			}
		}
	case "vp+jwt":
		if opts.Cryptosuite != "" {
			writeProblem(w, http.StatusBadRequest, problemBadRequest, "options.cryptosuite and options.format ask for two different securing mechanisms: give one")
			return
		}
		h.Format = present.Enveloped
	default:
		writeProblem(w, http.StatusBadRequest, problemBadRequest, fmt.Sprintf("options.format %q is not supported: use \"vp+jwt\", or a cryptosuite", opts.Format))
		return
	}
	if ik == nil {
		ik = s.issuers[0]
	}
	h.ID, h.Key, h.VerificationMethod = ik.did, ik.signer, ik.vm
	out, err := h.Sign(ctx, req.Presentation, &present.Options{Challenge: opts.Challenge, Domain: opts.Domain, Created: s.cfg.Now()})
	if err != nil {
		writeProblem(w, http.StatusBadRequest, problemMalformed, "the presentation cannot be signed: "+err.Error())
		return
	}
	writeJSON(w, http.StatusCreated, map[string]json.RawMessage{"verifiablePresentation": out})
}
