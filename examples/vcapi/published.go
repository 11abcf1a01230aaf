package main

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/status"
)

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
