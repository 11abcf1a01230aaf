package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/go-openbadges/openbadges/proof/jose"
	"github.com/go-openbadges/openbadges/verify"
)

// verifyRequest is the body of POST /credentials/verify.
type verifyRequest struct {
	VerifiableCredential json.RawMessage `json:"verifiableCredential"`
	Options              json.RawMessage `json:"options"`
}

func (r *verifyRequest) setMembers(ms []jsonobj.ObjectMember) {
	setRaw(ms, map[string]*json.RawMessage{"verifiableCredential": &r.VerifiableCredential, "options": &r.Options})
}

// verifyOptions are the options of POST /credentials/verify this server
// reads; others (checks, challenge, domain, …) are ignored.
type verifyOptions struct {
	// VCOnly, if set, says whether to skip the Open Badges 3.0 schema and
	// rules (true) or run them (false). If unset, the server's default
	// (-ob).
	VCOnly *bool `json:"vcOnly"`
}

// verifyResponse is the VC API's verification result.
type verifyResponse struct {
	Verified bool `json:"verified"`
	// Checks are the IDs of the checks that passed (some with a warning).
	Checks []string `json:"checks"`
	// Warnings are the checks that passed with something to know.
	Warnings []problem `json:"warnings"`
	// Errors and ProblemDetails are the checks that failed or could not
	// decide, the reasons the credential is not verified; ProblemDetails
	// is the name the VC API uses now, Errors the older one.
	Errors         []problem `json:"errors"`
	ProblemDetails []problem `json:"problemDetails,omitempty"`
	// Results is every check in order, with its outcome and message.
	Results []result `json:"results"`
}

// result is one check of the report, without its details.
type result struct {
	ID      string         `json:"id"`
	Outcome verify.Outcome `json:"outcome"`
	Message string         `json:"message"`
}

func (s *server) handleVerify(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var req verifyRequest
	if s.readBody(w, r, &req) {
		return
	}
	var opts verifyOptions
	if readOptions(w, req.Options, &opts) {
		return
	}
	input, prob, bad := credentialInput(req.VerifiableCredential)
	if bad != "" {
		writeProblem(w, http.StatusBadRequest, problemParsing, bad)
		return
	}
	if prob != nil {
		writeJSON(w, http.StatusUnprocessableEntity, notVerified(*prob))
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
	rep, err := v.Verify(ctx, input, &verify.Policy{VCOnly: vcOnly})
	switch {
	case errors.Is(err, verify.ErrInput):
		writeJSON(w, http.StatusUnprocessableEntity, notVerified(newProblem(problemParsing, err.Error())))
		return
	case err != nil:
		writeProblem(w, http.StatusServiceUnavailable, problemInternal, err.Error())
		return
	}
	resp := responseOf(rep, checkProblem)
	if !rep.Verified {
		writeJSON(w, http.StatusUnprocessableEntity, resp)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// responseOf is the VC API's result for rep, each check that did not pass
// described by problemOf.
func responseOf(rep *verify.Report, problemOf func(*verify.Report, verify.Check) problem) verifyResponse {
	n := len(rep.Checks)
	resp := verifyResponse{Verified: rep.Verified, Checks: make([]string, 0, n), Warnings: []problem{}, Errors: []problem{}, Results: make([]result, 0, n)}
	for _, c := range rep.Checks {
		resp.Results = append(resp.Results, result{ID: c.ID, Outcome: c.Outcome, Message: c.Message})
		switch c.Outcome {
		case verify.Passed:
			resp.Checks = append(resp.Checks, c.ID)
		case verify.Warning:
			resp.Checks = append(resp.Checks, c.ID)
			resp.Warnings = append(resp.Warnings, problemOf(rep, c))
		case verify.Failed:
			resp.Errors = append(resp.Errors, problemOf(rep, c))
		case verify.Indeterminate:
			// An undecided check (a key nothing confirms, a status that
			// cannot be had) is not verified: 422, with the reason.
			if rep.Verified {
				resp.Warnings = append(resp.Warnings, problemOf(rep, c))
			} else {
				resp.Errors = append(resp.Errors, problemOf(rep, c))
			}
		}
	}
	if !rep.Verified {
		resp.ProblemDetails = resp.Errors
	}
	return resp
}

// notVerified is the result for a credential that could not be read.
func notVerified(p problem) verifyResponse {
	return verifyResponse{Checks: []string{}, Warnings: []problem{}, Errors: []problem{p}, ProblemDetails: []problem{p}, Results: []result{}}
}

// credentialInput finds what to verify in verifiableCredential: a JSON
// object (a credential, or an EnvelopedVerifiableCredential, which verify
// opens and checks), or a string that is a compact JWS or the data: URL of
// one. Only a secured JWT may come as a string: a JSON credential
// serialized into a string is a malformed request, not a credential. bad
// is set for a request that is malformed (400); prob for a credential that
// cannot be verified (422). raw is valid JSON: a member of a body
// readBody read.
func credentialInput(raw json.RawMessage) (input []byte, prob *problem, bad string) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || string(trimmed) == "null" {
		return nil, nil, "verifiableCredential is missing"
	}
	if trimmed[0] == '"' {
		tok, ok := jsonobj.DecodeString(trimmed)
		switch {
		case !ok:
			return nil, nil, "verifiableCredential is not a valid JSON string"
		case tok == "":
			return nil, nil, "verifiableCredential is an empty string"
		case strings.HasPrefix(tok, "data:"), jose.IsCompact([]byte(tok)):
			return []byte(tok), nil, ""
		}
		return nil, nil, "verifiableCredential is a string that is neither a compact JWS nor a data: URL; a JSON credential must be sent as an object"
	}
	if err := noDuplicateMembers(trimmed); err != nil {
		return nil, nil, "verifiableCredential: " + err.Error()
	}
	return raw, nil, ""
}

// hasStatus reports whether the status check c found an entry with the
// outcome ("revoked", "suspended") in its typed details: an OB 3.0
// credential's entries, an Open Badges 2.0 badge's revocation list (which
// only revokes). A hosted OB 2.0 badge revoked at its id has no details;
// its message says so.
func hasStatus(c verify.Check, outcome string) bool {
	switch d := c.Details.(type) {
	case []verify.StatusDetail:
		return slices.ContainsFunc(d, func(e verify.StatusDetail) bool { return e.Outcome == outcome })
	case *verify.RevocationDetail:
		return outcome == "revoked"
	}
	return strings.HasPrefix(strings.ToLower(c.Message), outcome)
}

// checkProblem describes a check that did not pass as a problem detail.
func checkProblem(rep *verify.Report, c verify.Check) problem {
	msg := c.Message
	typ := problemCheckFailed
	switch c.ID {
	case verify.CheckInput:
		typ = problemParsing
		if strings.HasPrefix(msg, "not a well-formed EnvelopedVerifiableCredential") {
			typ = problemMalformed
		}
	case verify.CheckJSONLD, verify.CheckContext, verify.CheckSchema, verify.CheckCredentialSchema, verify.CheckRules:
		typ = problemMalformed
	case verify.CheckProof:
		typ = problemProof
		if rep.Encoding == "jwt" {
			typ = problemCrypto
		}
	case verify.CheckIssuer:
		typ = problemIssuer
	case verify.CheckValidity:
		typ = problemValidity
	case verify.CheckStatus:
		lower := strings.ToLower(msg)
		switch {
		case c.Outcome == verify.Failed && hasStatus(c, "revoked"):
			typ = problemRevoked
		case c.Outcome == verify.Failed && hasStatus(c, "suspended"):
			typ = problemSuspended
		case strings.Contains(lower, "too short"):
			typ = problemStatusListLength
		case strings.Contains(lower, "retriev"), strings.Contains(lower, "no fetcher"):
			typ = problemStatusRetrieval
		default:
			typ = problemStatusVerify
		}
	}
	if c.Outcome == verify.Warning {
		typ = problemWarning
	}
	return newProblem(typ, c.ID+": "+msg)
}
