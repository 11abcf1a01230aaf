package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/go-openbadges/openbadges/verify"
)

// verifyRequest is the body of POST /credentials/verify.
type verifyRequest struct {
	VerifiableCredential json.RawMessage `json:"verifiableCredential"`
	Options              json.RawMessage `json:"options"`
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

// envelopedTypes are the media types of an EnvelopedVerifiableCredential's
// data: URL that hold a compact JWS this server verifies.
var envelopedTypes = []string{"application/vc+jwt", "application/jwt", "application/vc-ld+jwt", "application/vc+ld+json+jwt"}

func (s *server) handleVerify(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var req verifyRequest
	if s.readBody(w, r, &req) {
		return
	}
	var opts verifyOptions
	if len(req.Options) > 0 && string(req.Options) != "null" {
		if _, err := members(req.Options); err != nil {
			writeProblem(w, http.StatusBadRequest, problemParsing, "options: "+err.Error())
			return
		}
		if err := json.Unmarshal(req.Options, &opts); err != nil {
			writeProblem(w, http.StatusBadRequest, problemParsing, "options: "+err.Error())
			return
		}
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
	resp := verifyResponse{Verified: rep.Verified, Checks: []string{}, Warnings: []problem{}, Errors: []problem{}, Results: []result{}}
	for _, c := range rep.Checks {
		resp.Results = append(resp.Results, result{ID: c.ID, Outcome: c.Outcome, Message: c.Message})
		switch c.Outcome {
		case verify.Passed:
			resp.Checks = append(resp.Checks, c.ID)
		case verify.Warning:
			resp.Checks = append(resp.Checks, c.ID)
			resp.Warnings = append(resp.Warnings, checkProblem(rep, c))
		case verify.Failed:
			resp.Errors = append(resp.Errors, checkProblem(rep, c))
		case verify.Indeterminate:
			// An undecided check (a key nothing confirms, a status that
			// cannot be had) is not verified: 422, with the reason.
			if rep.Verified {
				resp.Warnings = append(resp.Warnings, checkProblem(rep, c))
			} else {
				resp.Errors = append(resp.Errors, checkProblem(rep, c))
			}
		}
	}
	if !rep.Verified {
		resp.ProblemDetails = resp.Errors
		writeJSON(w, http.StatusUnprocessableEntity, resp)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// notVerified is the result for a credential that could not be read.
func notVerified(p problem) verifyResponse {
	return verifyResponse{Checks: []string{}, Warnings: []problem{}, Errors: []problem{p}, ProblemDetails: []problem{p}, Results: []result{}}
}

// credentialInput finds what to verify in verifiableCredential: a JSON
// credential (the object itself), a compact JWS (a string), or the JWS in
// an EnvelopedVerifiableCredential's data: URL. bad is set for a request
// that is malformed (400); prob for a credential that cannot be verified
// (422).
func credentialInput(raw json.RawMessage) (input []byte, prob *problem, bad string) {
	trimmed := strings.TrimSpace(string(raw))
	if trimmed == "" || trimmed == "null" {
		return nil, nil, "verifiableCredential is missing"
	}
	var tok string
	if json.Unmarshal(raw, &tok) == nil {
		if tok == "" {
			return nil, nil, "verifiableCredential is an empty string"
		}
		if strings.HasPrefix(tok, "data:") {
			return dataURL(tok)
		}
		return []byte(tok), nil, ""
	}
	m, err := members(raw)
	if err != nil {
		return nil, nil, "verifiableCredential: " + err.Error()
	}
	if !hasType(m["type"], "EnvelopedVerifiableCredential") {
		return raw, nil, ""
	}
	var id string
	if err := json.Unmarshal(m["id"], &id); err != nil || !strings.HasPrefix(id, "data:") {
		p := newProblem(problemMalformed, "an EnvelopedVerifiableCredential's id must be a data: URL")
		return nil, &p, ""
	}
	return dataURL(id)
}

// dataURL returns the JWS of a data: URL (RFC 2397) whose media type is one
// of envelopedTypes.
func dataURL(u string) ([]byte, *problem, string) {
	header, data, ok := strings.Cut(strings.TrimPrefix(u, "data:"), ",")
	if !ok {
		p := newProblem(problemParsing, "a data: URL without a comma")
		return nil, &p, ""
	}
	params := strings.Split(header, ";")
	mediaType := strings.ToLower(strings.TrimSpace(params[0]))
	if !slices.Contains(envelopedTypes, mediaType) {
		p := newProblem(problemParsing, fmt.Sprintf("an enveloped credential of media type %q is not supported: want one of %v", mediaType, envelopedTypes))
		return nil, &p, ""
	}
	if slices.Contains(params[1:], "base64") {
		b, err := base64.StdEncoding.DecodeString(data)
		if err != nil {
			p := newProblem(problemParsing, "the data: URL is not valid base64: "+err.Error())
			return nil, &p, ""
		}
		return b, nil, ""
	}
	text, err := url.PathUnescape(data)
	if err != nil {
		p := newProblem(problemParsing, "the data: URL is not valid: "+err.Error())
		return nil, &p, ""
	}
	return []byte(text), nil, ""
}

// hasType reports whether a type member (a string or an array of strings)
// includes t.
func hasType(raw json.RawMessage, t string) bool {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return one == t
	}
	var many []string
	return json.Unmarshal(raw, &many) == nil && slices.Contains(many, t)
}

// checkProblem describes a check that did not pass as a problem detail.
func checkProblem(rep *verify.Report, c verify.Check) problem {
	msg := c.Message
	typ := problemCheckFailed
	switch c.ID {
	case verify.CheckInput:
		typ = problemParsing
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
		case c.Outcome == verify.Failed && strings.HasPrefix(lower, "revoked"):
			typ = problemRevoked
		case c.Outcome == verify.Failed && strings.HasPrefix(lower, "suspended"):
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
