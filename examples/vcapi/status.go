package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/status"
	"github.com/go-openbadges/openbadges/verify"
)

// updateStatusRequest is the body of POST /credentials/status, in either
// of the forms the VC API has used:
//
//	{"credentialId": "urn:uuid:…", "credentialStatus": [{"type": "BitstringStatusListEntry", "status": "revoked"}]}
//	{"credentialId": "urn:uuid:…", "credentialStatus": {"type": "BitstringStatusList", "statusPurpose": "suspension"}, "status": true}
//
// Instead of credentialId (the credential's id, or options.credentialId
// when it was issued), the issued credential itself may be given as
// credential; its proof must verify and name one of this server's issuers.
type updateStatusRequest struct {
	CredentialID     string          `json:"credentialId"`
	Credential       json.RawMessage `json:"credential"`
	CredentialStatus json.RawMessage `json:"credentialStatus"`
	Status           *bool           `json:"status"`
}

// statusChange is one item of credentialStatus.
type statusChange struct {
	Type          string          `json:"type"`
	StatusPurpose string          `json:"statusPurpose"`
	Status        json.RawMessage `json:"status"`
}

// action is what a status change does.
type action string

const (
	actRevoke    action = "revoked"
	actSuspend   action = "suspended"
	actUnsuspend action = "unsuspended"
)

// purpose is the purpose of the list an action changes.
func (a action) purpose() status.Purpose {
	if a == actRevoke {
		return status.Revocation
	}
	return status.Suspension
}

// changedEntry is an entry and what was done to it, in the response.
type changedEntry struct {
	status.Entry
	Status action `json:"status"`
}

func (s *server) handleUpdateStatus(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var req updateStatusRequest
	if s.readBody(w, r, &req) {
		return
	}
	actions, err := parseActions(req.CredentialStatus, req.Status)
	if err != nil {
		writeProblem(w, http.StatusBadRequest, problemBadRequest, "credentialStatus: "+err.Error())
		return
	}

	var entries []status.Entry
	switch {
	case req.CredentialID != "" && len(req.Credential) > 0:
		writeProblem(w, http.StatusBadRequest, problemBadRequest, "give credentialId or credential, not both")
		return
	case req.CredentialID != "":
		var ok bool
		if entries, ok = s.trackedEntries(req.CredentialID); !ok {
			writeProblem(w, http.StatusNotFound, problemNotFound, fmt.Sprintf("no credential %q with status entries was issued here", req.CredentialID))
			return
		}
	case len(req.Credential) > 0 && string(req.Credential) != "null":
		input, prob, bad := credentialInput(req.Credential)
		if bad != "" || prob != nil {
			writeProblem(w, http.StatusBadRequest, problemParsing, "credential: not a credential this server reads")
			return
		}
		v, err := s.verifier(ctx)
		if err != nil {
			writeProblem(w, http.StatusInternalServerError, problemInternal, err.Error())
			return
		}
		rep, err := v.Verify(ctx, input, &verify.Policy{VCOnly: true})
		if err != nil || rep.Check(verify.CheckProof) == nil || rep.Check(verify.CheckProof).Outcome != verify.Passed || s.byDID[rep.Issuer] == nil {
			writeProblem(w, http.StatusUnprocessableEntity, problemIssuer, "credential: its proof does not verify as one of this server's issuers'")
			return
		}
		if entries, err = status.ParseEntries(rep.Credential); err != nil {
			writeProblem(w, http.StatusBadRequest, problemMalformed, "credential: "+err.Error())
			return
		}
	default:
		writeProblem(w, http.StatusBadRequest, problemBadRequest, "credentialId (or credential) is required")
		return
	}

	var changed []changedEntry
	for _, a := range actions {
		found := false
		for _, e := range entries {
			if e.Type != "BitstringStatusListEntry" || e.StatusPurpose != a.purpose() || s.issuerOfList(e.ListURL()) == nil {
				continue
			}
			found = true
			idx, err := e.Index()
			if err == nil {
				switch a {
				case actRevoke:
					err = s.registry.Revoke(ctx, e.ListURL(), idx)
				case actSuspend:
					err = s.registry.Suspend(ctx, e.ListURL(), idx)
				case actUnsuspend:
					err = s.registry.Unsuspend(ctx, e.ListURL(), idx)
				}
			}
			switch {
			case errors.Is(err, status.ErrNotFound), errors.Is(err, status.ErrNotAllocated):
				writeProblem(w, http.StatusNotFound, problemNotFound, err.Error())
				return
			case errors.Is(err, status.ErrPurpose):
				writeProblem(w, http.StatusConflict, problemBadRequest, err.Error())
				return
			case errors.Is(err, status.ErrMalformed), errors.Is(err, status.ErrIndexOutOfRange):
				writeProblem(w, http.StatusBadRequest, problemMalformed, err.Error())
				return
			case err != nil:
				writeProblem(w, http.StatusInternalServerError, problemInternal, err.Error())
				return
			}
			changed = append(changed, changedEntry{Entry: e, Status: a})
		}
		if !found {
			writeProblem(w, http.StatusNotFound, problemNotFound, fmt.Sprintf("the credential has no %s entry in this server's status lists", a.purpose()))
			return
		}
	}
	s.mu.Lock()
	s.invalidateLocked()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"credentialId": req.CredentialID, "credentialStatus": changed})
}

// parseActions reads the changes asked for: credentialStatus an object
// or an array of objects, each with a status ("revoked", "suspended",
// "unsuspended", or a boolean with its statusPurpose), or a statusPurpose
// and the request's top-level status boolean.
func parseActions(raw json.RawMessage, top *bool) ([]action, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, errors.New("required")
	}
	var items []statusChange
	if err := json.Unmarshal(raw, &items); err != nil {
		var one statusChange
		if err := json.Unmarshal(raw, &one); err != nil {
			return nil, errors.New("want an object or an array of objects with a type and a status")
		}
		items = []statusChange{one}
	}
	if len(items) == 0 {
		return nil, errors.New("no change asked for")
	}
	var out []action
	for _, it := range items {
		switch it.Type {
		case "", "BitstringStatusListEntry", "BitstringStatusList", "BitstringStatusListCredential":
		default:
			return nil, fmt.Errorf("type %q is not supported: only the Bitstring Status List", it.Type)
		}
		var a action
		var word string
		var flag *bool
		if json.Unmarshal(it.Status, &word) == nil {
			switch strings.ToLower(word) {
			case "revoked", "revoke", "revocation":
				a = actRevoke
			case "suspended", "suspend", "suspension":
				a = actSuspend
			case "unsuspended", "unsuspend":
				a = actUnsuspend
			default:
				return nil, fmt.Errorf("status %q is not one of revoked, suspended, unsuspended", word)
			}
		} else {
			var b bool
			if json.Unmarshal(it.Status, &b) == nil {
				flag = &b
			} else if len(it.Status) == 0 {
				flag = top
			}
			if flag == nil {
				return nil, errors.New("each change needs a status: revoked, suspended, unsuspended, or a boolean with its statusPurpose")
			}
			switch {
			case it.StatusPurpose == string(status.Revocation) && *flag:
				a = actRevoke
			case it.StatusPurpose == string(status.Revocation):
				return nil, errors.New("a revocation cannot be undone")
			case it.StatusPurpose == string(status.Suspension) && *flag:
				a = actSuspend
			case it.StatusPurpose == string(status.Suspension):
				a = actUnsuspend
			default:
				return nil, fmt.Errorf("statusPurpose %q is not revocation or suspension", it.StatusPurpose)
			}
		}
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out, nil
}

// handleStatusList serves a signed BitstringStatusListCredential at its URL.
func (s *server) handleStatusList(w http.ResponseWriter, r *http.Request) {
	url := s.cfg.BaseURL + r.URL.Path
	s.mu.Lock()
	docs, _, err := s.statusDocumentsLocked(r.Context())
	s.mu.Unlock()
	if err != nil {
		writeProblem(w, http.StatusInternalServerError, problemInternal, err.Error())
		return
	}
	body, ok := docs[url]
	if !ok {
		writeProblem(w, http.StatusNotFound, problemNotFound, "no status list at "+url)
		return
	}
	// application/vc is the VC Data Model 2.0's media type; clients that
	// do not ask for it get application/json, which every JSON client
	// reads.
	ct := "application/json"
	if strings.Contains(r.Header.Get("Accept"), "application/vc") {
		ct = "application/vc"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(body)
}

// issuerInfo describes one of the server's issuers in GET /issuers.
type issuerInfo struct {
	ID                 string            `json:"id"`
	KeyType            string            `json:"keyType"`
	VerificationMethod string            `json:"verificationMethod"`
	Cryptosuites       []string          `json:"cryptosuites"`
	JWTAlgorithm       string            `json:"jwtAlgorithm"`
	DIDDocument        string            `json:"didDocument"`
	JWKS               string            `json:"jwks"`
	StatusLists        map[string]string `json:"statusLists"`
}

func (s *server) handleIssuers(w http.ResponseWriter, r *http.Request) {
	var out []issuerInfo
	for _, ik := range s.issuers {
		alg, _ := keys.AlgorithmOf(ik.signer.Public())
		out = append(out, issuerInfo{
			ID:                 ik.did,
			KeyType:            publicKeyType(ik.signer.Public()),
			VerificationMethod: ik.vm,
			Cryptosuites:       ik.suites,
			JWTAlgorithm:       string(alg),
			DIDDocument:        s.cfg.BaseURL + "/issuers/" + ik.did,
			JWKS:               s.cfg.BaseURL + "/issuers/" + ik.did + "/jwks",
			StatusLists: map[string]string{
				string(status.Revocation): s.listURL(ik, status.Revocation),
				string(status.Suspension): s.listURL(ik, status.Suspension),
			},
		})
	}
	writeJSON(w, http.StatusOK, out)
}

// didDocument is the DID document of a did:key (the did:key method's
// resolution, §3.1.1 of its specification): one Multikey verification
// method, authorized for every relationship but key agreement.
type didDocument struct {
	Context              []string             `json:"@context"`
	ID                   string               `json:"id"`
	VerificationMethod   []verificationMethod `json:"verificationMethod"`
	Authentication       []string             `json:"authentication"`
	AssertionMethod      []string             `json:"assertionMethod"`
	CapabilityDelegation []string             `json:"capabilityDelegation"`
	CapabilityInvocation []string             `json:"capabilityInvocation"`
}

type verificationMethod struct {
	ID                 string `json:"id"`
	Type               string `json:"type"`
	Controller         string `json:"controller"`
	PublicKeyMultibase string `json:"publicKeyMultibase"`
}

// handleDIDDocument serves the DID document of one of the server's
// did:keys. (keys.DIDDocument writes did:web documents only; a did:key's
// document follows from the DID itself, which is why verifiers need not
// fetch it.)
func (s *server) handleDIDDocument(w http.ResponseWriter, r *http.Request) {
	ik := s.byDID[r.PathValue("did")]
	if ik == nil {
		writeProblem(w, http.StatusNotFound, problemNotFound, "no issuer "+r.PathValue("did")+" here (GET /issuers lists them)")
		return
	}
	mb, err := keys.PublicKeyMultibase(ik.signer.Public())
	if err != nil {
		writeProblem(w, http.StatusInternalServerError, problemInternal, err.Error())
		return
	}
	doc := didDocument{
		Context:              []string{keys.ContextDID, keys.ContextMultikey},
		ID:                   ik.did,
		VerificationMethod:   []verificationMethod{{ID: ik.vm, Type: "Multikey", Controller: ik.did, PublicKeyMultibase: mb}},
		Authentication:       []string{ik.vm},
		AssertionMethod:      []string{ik.vm},
		CapabilityDelegation: []string{ik.vm},
		CapabilityInvocation: []string{ik.vm},
	}
	body, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		writeProblem(w, http.StatusInternalServerError, problemInternal, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/did+ld+json")
	w.Write(append(body, '\n'))
}

// handleJWKS serves the JWK Set of one of the server's issuers
// (keys.JWKSet).
func (s *server) handleJWKS(w http.ResponseWriter, r *http.Request) {
	ik := s.byDID[r.PathValue("did")]
	if ik == nil {
		writeProblem(w, http.StatusNotFound, problemNotFound, "no issuer "+r.PathValue("did")+" here (GET /issuers lists them)")
		return
	}
	body, err := keys.JWKSet(r.Context(), s.keys, ik.did)
	if err != nil {
		writeProblem(w, http.StatusInternalServerError, problemInternal, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/jwk-set+json")
	w.Write(body)
}
