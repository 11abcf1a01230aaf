package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/proof/jose"
	"github.com/go-openbadges/openbadges/verify"
)

// issueRequest is the body of POST /credentials/issue.
type issueRequest struct {
	Credential json.RawMessage `json:"credential"`
	Options    json.RawMessage `json:"options"`
}

func (r *issueRequest) setMembers(ms []jsonobj.ObjectMember) {
	setRaw(ms, map[string]*json.RawMessage{"credential": &r.Credential, "options": &r.Options})
}

// issueOptions are the options of POST /credentials/issue this server
// reads; others (mandatoryPointers, …) are ignored.
type issueOptions struct {
	// Cryptosuite is a Data Integrity cryptosuite: eddsa-rdfc-2022,
	// eddsa-jcs-2022, ecdsa-rdfc-2019 or ecdsa-jcs-2019.
	Cryptosuite string `json:"cryptosuite"`
	// Format is "jwt" (OB 3.0 VC-JWT) or "vc+jwt" (VC-JOSE); empty for a
	// Data Integrity proof.
	Format string `json:"format"`
	// CredentialStatus asks for status entries: see parseStatusOptions.
	CredentialStatus json.RawMessage `json:"credentialStatus"`
	// CredentialID names the credential for POST /credentials/status when
	// it has no id.
	CredentialID string `json:"credentialId"`
}

// envelope is an EnvelopedVerifiableCredential (VC Data Model 2.0 §4.13,
// VC-JOSE-COSE §3.1.1): the compact JWS in a data: URL.
type envelope struct {
	Context string `json:"@context"`
	ID      string `json:"id"`
	Type    string `json:"type"`
}

const contextV2 = "https://www.w3.org/ns/credentials/v2"

func (s *server) handleIssue(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var req issueRequest
	if s.readBody(w, r, &req) {
		return
	}
	cred, err := members(req.Credential)
	if err != nil {
		writeProblem(w, http.StatusBadRequest, problemParsing, "credential: "+err.Error())
		return
	}
	var opts issueOptions
	if readOptions(w, req.Options, &opts) {
		return
	}

	// The issuer: the one the credential names, which must be ours, or the
	// one whose key the suite needs.
	var ik *issuerKey
	if raw, ok := cred["issuer"]; ok {
		id, err := idOf(raw)
		if err != nil {
			writeProblem(w, http.StatusBadRequest, problemMalformed, "credential.issuer: "+err.Error())
			return
		}
		if ik = s.byDID[id]; ik == nil {
			writeProblem(w, http.StatusUnprocessableEntity, problemIssuer,
				fmt.Sprintf("credential.issuer is %q, which is not an issuer of this server (GET /issuers lists them)", id))
			return
		}
	}
	suite := opts.Cryptosuite
	switch opts.Format {
	case "":
		switch {
		case suite == "" && ik == nil:
			ik = s.issuers[0]
			suite = ik.suites[0]
		case suite == "":
			suite = ik.suites[0]
		case ik == nil:
			if ik = s.issuerForSuite(suite); ik == nil {
				writeProblem(w, http.StatusBadRequest, problemBadRequest, fmt.Sprintf("options.cryptosuite %q is not supported: use eddsa-rdfc-2022, eddsa-jcs-2022, ecdsa-rdfc-2019 or ecdsa-jcs-2019", suite))
				return
			}
		case !slices.Contains(ik.suites, suite):
			if s.issuerForSuite(suite) == nil {
				writeProblem(w, http.StatusBadRequest, problemBadRequest, fmt.Sprintf("options.cryptosuite %q is not supported: use eddsa-rdfc-2022, eddsa-jcs-2022, ecdsa-rdfc-2019 or ecdsa-jcs-2019", suite))
				return
			}
			writeProblem(w, http.StatusUnprocessableEntity, problemIssuer,
				fmt.Sprintf("the key of issuer %s cannot sign with %s (it signs with %v)", ik.did, suite, ik.suites))
			return
		}
	case formatJWT, formatVCJOSE:
		if suite != "" {
			writeProblem(w, http.StatusBadRequest, problemBadRequest, "options.cryptosuite and options.format ask for two different securing mechanisms: give one")
			return
		}
		if ik == nil {
			ik = s.issuers[0]
		}
	default:
		writeProblem(w, http.StatusBadRequest, problemBadRequest, fmt.Sprintf("options.format %q is not supported: use \"jwt\" or \"vc+jwt\", or a cryptosuite", opts.Format))
		return
	}

	// The credential as received, with the issuer the server adds.
	doc := []byte(req.Credential)
	if ik != nil && cred["issuer"] == nil {
		if doc, err = insertMembers(doc, []member{{"issuer", ik.did}}); err != nil {
			writeProblem(w, http.StatusInternalServerError, problemInternal, err.Error())
			return
		}
	}
	// A credential the VC Data Model forbids is refused before a status
	// entry is allocated for it or anything is signed.
	if probs, err := dataModelProblems(doc); err != nil {
		writeProblem(w, http.StatusBadRequest, problemParsing, "credential: "+err.Error())
		return
	} else if len(probs) > 0 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"problemDetails": probs})
		return
	}

	// Status entries: those asked for, or the server's default.
	_, hasStatus := cred["credentialStatus"]
	wants := wantsOf(s.cfg.Status)
	if len(opts.CredentialStatus) > 0 && string(opts.CredentialStatus) != "null" {
		if wants, err = parseStatusOptions(opts.CredentialStatus); err != nil {
			writeProblem(w, http.StatusBadRequest, problemBadRequest, "options.credentialStatus: "+err.Error())
			return
		}
		if hasStatus && len(wants) > 0 {
			writeProblem(w, http.StatusBadRequest, problemBadRequest, "options.credentialStatus asks for status entries but the credential has a credentialStatus already")
			return
		}
	} else if hasStatus {
		wants = nil
	}
	entries, err := s.allocateEntries(ctx, ik, wants)
	switch {
	case errors.Is(err, errStatusRequest):
		writeProblem(w, http.StatusBadRequest, problemBadRequest, err.Error())
		return
	case err != nil:
		writeProblem(w, http.StatusInternalServerError, problemInternal, "allocating a status entry: "+err.Error())
		return
	}

	// The status entries the server adds.
	var add []member
	switch len(entries) {
	case 0:
	case 1:
		add = append(add, member{"credentialStatus", entries[0]})
	default:
		add = append(add, member{"credentialStatus", entries})
	}
	if doc, err = insertMembers(doc, add); err != nil {
		writeProblem(w, http.StatusInternalServerError, problemInternal, err.Error())
		return
	}

	var out, signed []byte // the verifiableCredential as JSON; what is verified
	switch opts.Format {
	case "":
		signed, err = ik.di[suite].Sign(ctx, doc, nil)
		out = signed
	default:
		f, mediaType := jose.FormatVCJWT, "application/jwt"
		if opts.Format == formatVCJOSE {
			f, mediaType = jose.FormatVCJOSE, "application/vc+jwt"
		}
		var tok string
		tok, err = ik.jwt[f].Sign(ctx, doc)
		signed = []byte(tok)
		if err == nil {
			if f == jose.FormatVCJWT {
				out, err = json.Marshal(tok)
			} else {
				out, err = json.Marshal(envelope{Context: contextV2, ID: "data:" + mediaType + "," + tok, Type: "EnvelopedVerifiableCredential"})
			}
		}
	}
	if err != nil {
		s.signError(w, ctx, err)
		return
	}
	// Verify what was made, as a verifier would see it, before handing it
	// out: its proof, and the data model with what the server added.
	if probs, err := s.selfCheck(ctx, signed); err != nil {
		writeProblem(w, http.StatusInternalServerError, problemInternal, "checking the issued credential: "+err.Error())
		return
	} else if len(probs) > 0 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"problemDetails": probs})
		return
	}
	id := opts.CredentialID
	if id == "" {
		id, _ = idOf(cred["id"])
	}
	s.track(id, entries)
	// The signed credential goes out as it was signed, not re-encoded.
	body := make([]byte, 0, len(`{"verifiableCredential":}`)+len(out)+1)
	body = append(body, `{"verifiableCredential":`...)
	body = append(append(body, out...), "}\n"...)
	writeBody(w, http.StatusCreated, "application/json", body)
}

// signError answers for a signing that failed: 400 for a credential that
// cannot be signed as it is, 500 for anything else.
func (s *server) signError(w http.ResponseWriter, ctx context.Context, err error) {
	switch {
	case ctx.Err() != nil:
		writeProblem(w, http.StatusServiceUnavailable, problemInternal, ctx.Err().Error())
	case errors.Is(err, dataintegrity.ErrSafeMode), errors.Is(err, dataintegrity.ErrMalformed),
		errors.Is(err, dataintegrity.ErrNoContext), errors.Is(err, dataintegrity.ErrWorkLimit),
		errors.Is(err, jose.ErrMalformed), errors.Is(err, jose.ErrNotCredential), errors.Is(err, jose.ErrClaims):
		writeProblem(w, http.StatusBadRequest, problemMalformed, "the credential cannot be signed: "+err.Error())
	default:
		writeProblem(w, http.StatusInternalServerError, problemInternal, "signing: "+err.Error())
	}
}

// dataModelProblems checks a credential about to be signed against the W3C
// VC Data Model (credential.CheckDataModel) and returns its errors as
// problem details; a document that is not a credential (a presentation, an
// enveloped credential) is one. The error is for a document that cannot
// be checked at all.
func dataModelProblems(doc []byte) ([]problem, error) {
	res, err := credential.CheckDataModel(doc, nil)
	if err != nil {
		return nil, err
	}
	var probs []problem
	if res.Class != "VerifiableCredential" {
		probs = append(probs, newProblem(problemMalformed, fmt.Sprintf("the credential is a %s: POST /credentials/issue signs credentials", res.Class)))
	}
	for _, p := range res.Problems {
		if p.Severity == credential.SeverityError {
			probs = append(probs, newProblem(problemMalformed, p.String()))
		}
	}
	return probs, nil
}

// selfCheckIDs are the checks an issued credential must pass before it is
// handed out. The others depend on time (validity), on things outside it
// (status, refresh, credential-schema) or on the verifier (issuer,
// recipient).
var selfCheckIDs = []string{verify.CheckInput, verify.CheckJSONLD, verify.CheckContext, verify.CheckSchema, verify.CheckRules, verify.CheckProof}

// selfCheck verifies an issued credential and returns the problems of the
// checks in selfCheckIDs that failed.
func (s *server) selfCheck(ctx context.Context, signed []byte) ([]problem, error) {
	v, err := s.verifier(ctx)
	if err != nil {
		return nil, err
	}
	rep, err := v.Verify(ctx, signed, &verify.Policy{VCOnly: true})
	if err != nil {
		return nil, err
	}
	var probs []problem
	for _, c := range rep.Checks {
		if c.Outcome == verify.Failed && slices.Contains(selfCheckIDs, c.ID) {
			probs = append(probs, checkProblem(rep, c))
		}
	}
	return probs, nil
}

// members returns a JSON object's members, refusing duplicates (which
// different readers resolve differently) and anything but an object. The
// values are data's own bytes.
func members(data []byte) (map[string]json.RawMessage, error) {
	if len(bytes.TrimSpace(data)) == 0 || string(bytes.TrimSpace(data)) == "null" {
		return nil, errors.New("missing")
	}
	if !json.Valid(data) {
		var x any
		if err := json.Unmarshal(data, &x); err != nil {
			return nil, err
		}
		return nil, errors.New("not JSON")
	}
	return validMembers(data)
}

// validMembers is members for data known to be valid JSON, such as a
// member of a request body readBody checked.
func validMembers(data []byte) (map[string]json.RawMessage, error) {
	ms, err := jsonobj.SplitMembers(data)
	if err != nil {
		return nil, errors.New("not a JSON object")
	}
	m := make(map[string]json.RawMessage, len(ms))
	for _, mb := range ms {
		if _, dup := m[mb.Name]; dup {
			return nil, fmt.Errorf("member %q appears twice", mb.Name)
		}
		m[mb.Name] = mb.Value
	}
	return m, nil
}

// noDuplicateMembers is validMembers without the map: data, known to be
// valid JSON, is an object with no member named twice.
func noDuplicateMembers(data []byte) error {
	ms, err := jsonobj.SplitMembers(data)
	if err != nil {
		return errors.New("not a JSON object")
	}
	if len(ms) > 32 {
		_, err := validMembers(data)
		return err
	}
	for i := range ms {
		for _, earlier := range ms[:i] {
			if earlier.Name == ms[i].Name {
				return fmt.Errorf("member %q appears twice", ms[i].Name)
			}
		}
	}
	return nil
}

// idOf returns the id a member names: the string itself, or an object's id.
func idOf(raw json.RawMessage) (string, error) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if s == "" {
			return "", errors.New("empty")
		}
		return s, nil
	}
	m, err := members(raw)
	if err != nil {
		return "", errors.New("neither a string nor an object")
	}
	if err := json.Unmarshal(m["id"], &s); err != nil || s == "" {
		return "", errors.New("an object without a string id")
	}
	return s, nil
}

// member is a name and value to add to a JSON object.
type member struct {
	name  string
	value any
}

// insertMembers adds members at the end of the JSON object obj, whose
// bytes are otherwise kept as they are.
func insertMembers(obj []byte, add []member) ([]byte, error) {
	if len(add) == 0 {
		return obj, nil
	}
	open, end := bytes.IndexByte(obj, '{'), bytes.LastIndexByte(obj, '}')
	if open < 0 || end < open {
		return nil, errors.New("not a JSON object")
	}
	var buf bytes.Buffer
	buf.Write(obj[:end])
	empty := len(bytes.TrimSpace(obj[open+1:end])) == 0
	for _, m := range add {
		if !empty {
			buf.WriteByte(',')
		}
		empty = false
		name, _ := json.Marshal(m.name)
		value, err := json.Marshal(m.value)
		if err != nil {
			return nil, err
		}
		buf.Write(name)
		buf.WriteByte(':')
		buf.Write(value)
	}
	buf.Write(obj[end:])
	return buf.Bytes(), nil
}
