package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
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
// A message entry's value is set with its statusPurpose and the value, a
// "0x…" string as statusMessage writes it or a number:
//
//	{"credentialId": "urn:uuid:…", "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "message", "status": "0x2"}}
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
	actSet       action = "set" // a message entry's value
)

// change is one status change asked for: an action, and for actSet the
// value.
type change struct {
	act   action
	value int
}

// purpose is the purpose of the list a change changes.
func (c change) purpose() status.Purpose {
	switch c.act {
	case actRevoke:
		return status.Revocation
	case actSet:
		return status.Message
	}
	return status.Suspension
}

// String is what the response says was done: the action, or the value set.
func (c change) String() string {
	if c.act == actSet {
		return "0x" + strconv.FormatInt(int64(c.value), 16)
	}
	return string(c.act)
}

// changedEntry is an entry and what was done to it, in the response.
type changedEntry struct {
	status.Entry
	Status string `json:"status"`
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
				switch a.act {
				case actRevoke:
					err = s.registry.Revoke(ctx, e.ListURL(), idx)
				case actSuspend:
					err = s.registry.Suspend(ctx, e.ListURL(), idx)
				case actUnsuspend:
					err = s.registry.Unsuspend(ctx, e.ListURL(), idx)
				case actSet:
					err = s.registry.SetStatus(ctx, e.ListURL(), idx, a.value)
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
			changed = append(changed, changedEntry{Entry: e, Status: a.String()})
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
// "unsuspended", or a boolean with its statusPurpose; for a message entry
// the value, "0x…" or a number), or a statusPurpose and the request's
// top-level status boolean.
func parseActions(raw json.RawMessage, top *bool) ([]change, error) {
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
	var out []change
	for _, it := range items {
		switch it.Type {
		case "", "BitstringStatusListEntry", "BitstringStatusList", "BitstringStatusListCredential":
		default:
			return nil, fmt.Errorf("type %q is not supported: only the Bitstring Status List", it.Type)
		}
		if v, ok, err := messageValue(it); err != nil {
			return nil, err
		} else if ok {
			c := change{act: actSet, value: v}
			for _, o := range out {
				if o.act == actSet && o.value != v {
					return nil, errors.New("two values for the message entry")
				}
			}
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
			continue
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
				return nil, fmt.Errorf("statusPurpose %q is not revocation, suspension or message", it.StatusPurpose)
			}
		}
		if c := (change{act: a}); !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out, nil
}

// messageValue reads the value of a change of a message entry: a status
// that is "0x" and hexadecimal digits, or a JSON integer, with no
// statusPurpose or "message". ok is false for a change of another kind.
func messageValue(it statusChange) (v int, ok bool, err error) {
	st := bytes.TrimSpace(it.Status)
	var hex string
	isHex := json.Unmarshal(st, &hex) == nil && strings.HasPrefix(hex, "0x")
	isNum := len(st) > 0 && (st[0] == '-' || st[0] >= '0' && st[0] <= '9')
	switch {
	case it.StatusPurpose == string(status.Message) && !isHex && !isNum:
		return 0, false, errors.New(`a message entry's status is its value: "0x…" or a number`)
	case !isHex && !isNum:
		return 0, false, nil
	case it.StatusPurpose != "" && it.StatusPurpose != string(status.Message):
		return 0, false, fmt.Errorf("a status value is for a message entry, not a %s one", it.StatusPurpose)
	}
	if isHex {
		v, err = (status.StatusMessage{Status: hex}).Value()
	} else {
		err = json.Unmarshal(st, &v)
	}
	if err != nil || v < 0 || v >= 1<<status.MaxStatusSize {
		return 0, false, fmt.Errorf("status %s is not a value of a message entry: \"0x…\" or a number from 0 to %d", st, 1<<status.MaxStatusSize-1)
	}
	return v, true, nil
}

// statusWant is one status entry a request to issue asks for.
type statusWant struct {
	purpose status.Purpose
	// size is a message entry's statusSize, messages and reference its
	// statusMessage and statusReference (empty: none, or for a message
	// entry without statusSize and messages, the server's default).
	size      int
	messages  []status.StatusMessage
	reference []string
}

// The default message entry: the W3C Recommendation's example, with the
// value it leaves out said to be undefined, as it suggests.
const defaultMessageSize = 2

func defaultMessages() []status.StatusMessage {
	return status.NewStatusMessages("pending_review", "accepted", "rejected", "undefined")
}

// wantsOf makes the server's default purposes status requests.
func wantsOf(purposes []status.Purpose) []statusWant {
	var out []statusWant
	for _, p := range purposes {
		out = append(out, statusWant{purpose: p})
	}
	return out
}

// parseStatusOptions reads options.credentialStatus: true (a revocation
// entry), false (none, even if the server adds some by default), a purpose
// ("revocation", "suspension", "message"), an object with a statusPurpose
// (and optionally a type, which must be BitstringStatusListEntry; for a
// message entry statusSize, statusMessage and statusReference), or an
// array of purposes or such objects, one per purpose.
//
// A message entry without statusSize and statusMessage gets the server's
// default: 2 bits, "pending_review", "accepted", "rejected",
// "undefined". With statusSize 2 and no statusMessage it gets those
// messages too, with statusSize 1 none ("unset" and "set", as the W3C
// Recommendation says); any other statusSize needs its statusMessage.
// Without statusSize, an entry is of 1 bit, as the Recommendation says.
func parseStatusOptions(raw json.RawMessage) ([]statusWant, error) {
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		if b {
			return []statusWant{{purpose: status.Revocation}}, nil
		}
		return nil, nil
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		list = []json.RawMessage{raw}
	}
	if len(list) > 3 {
		return nil, errors.New("at most one entry per purpose")
	}
	var out []statusWant
	for _, item := range list {
		w, err := parseStatusWant(item)
		if err != nil {
			return nil, err
		}
		for _, o := range out {
			if o.purpose == w.purpose {
				return nil, fmt.Errorf("statusPurpose %q asked for twice", w.purpose)
			}
		}
		out = append(out, w)
	}
	return out, nil
}

// parseStatusWant reads one item of options.credentialStatus.
func parseStatusWant(item json.RawMessage) (statusWant, error) {
	var w statusWant
	var p string
	if json.Unmarshal(item, &p) == nil {
		w.purpose = status.Purpose(p)
		if w.purpose == status.Message {
			w.size, w.messages = defaultMessageSize, defaultMessages()
		}
		return w, checkPurpose(w.purpose)
	}
	obj, err := members(item)
	if err != nil {
		return w, errors.New("want true, a purpose, an object with a statusPurpose, or an array of these")
	}
	str := func(name string) (string, error) {
		var s string
		if v, ok := obj[name]; ok && json.Unmarshal(v, &s) != nil {
			return "", fmt.Errorf("%s is not a string", name)
		}
		return s, nil
	}
	typ, err := str("type")
	if err != nil {
		return w, err
	}
	if typ != "" && typ != "BitstringStatusListEntry" {
		return w, fmt.Errorf("type %q is not supported: only BitstringStatusListEntry", typ)
	}
	if p, err = str("statusPurpose"); err != nil {
		return w, err
	}
	w.purpose = status.Purpose(p)
	if err := checkPurpose(w.purpose); err != nil {
		return w, err
	}
	rawSize, hasSize := obj["statusSize"]
	if hasSize {
		if err := json.Unmarshal(rawSize, &w.size); err != nil || w.size < 1 {
			return w, fmt.Errorf("statusSize %s is not a positive integer", rawSize)
		}
		if w.purpose != status.Message && w.size != 1 {
			return w, fmt.Errorf("a %s entry here is a single bit; statusSize is for a message entry", w.purpose)
		}
	}
	if v, ok := obj["statusMessage"]; ok {
		var msgs []struct {
			Status  *string `json:"status"`
			Message *string `json:"message"`
		}
		if err := json.Unmarshal(v, &msgs); err != nil || msgs == nil {
			return w, errors.New("statusMessage is not an array of objects with a status and a message")
		}
		w.messages = make([]status.StatusMessage, 0, len(msgs)) // present, even if empty
		for i, m := range msgs {
			if m.Status == nil || m.Message == nil {
				return w, fmt.Errorf("statusMessage[%d] needs a status and a message", i)
			}
			w.messages = append(w.messages, status.StatusMessage{Status: *m.Status, Message: *m.Message})
		}
	}
	if v, ok := obj["statusReference"]; ok {
		var refs status.References
		if err := refs.UnmarshalJSON(v); err != nil {
			return w, err
		}
		w.reference = refs
	}
	switch {
	case w.purpose != status.Message:
	case !hasSize && w.messages == nil:
		w.size, w.messages = defaultMessageSize, defaultMessages()
	case !hasSize:
		w.size = 1
	case w.messages == nil && w.size == defaultMessageSize:
		w.messages = defaultMessages()
	case w.messages == nil && w.size > 1:
		return w, fmt.Errorf("a message entry of statusSize %d needs a statusMessage: one message for each of its %d values", w.size, 1<<min(w.size, 30))
	}
	return w, nil
}

func checkPurpose(p status.Purpose) error {
	if p != status.Revocation && p != status.Suspension && p != status.Message {
		return fmt.Errorf("statusPurpose %q is not supported: use revocation, suspension or message", p)
	}
	return nil
}

// errStatusRequest marks an allocation refused for what the request asked
// (a statusMessage that does not fit its statusSize, a statusSize too
// large): the client's fault, 400.
var errStatusRequest = errors.New("options.credentialStatus")

// allocateEntries allocates the entries wants asks for in ik's lists, in
// the order asked. Message entries go first: their messages are checked
// before anything is allocated, so a request refused for them uses up no
// index.
func (s *server) allocateEntries(ctx context.Context, ik *issuerKey, wants []statusWant) ([]status.Entry, error) {
	entries := make([]status.Entry, len(wants))
	for _, first := range []bool{true, false} {
		for i, w := range wants {
			if (w.purpose == status.Message) != first {
				continue
			}
			url := s.listURL(ik, w.purpose)
			if w.purpose == status.Message {
				url = s.messageListURL(ik, w.size)
				_, err := s.registry.Create(ctx, url, &status.ListOptions{Purpose: status.Message, StatusSize: w.size})
				switch {
				case errors.Is(err, status.ErrMalformed), errors.Is(err, status.ErrUnsupported):
					return nil, fmt.Errorf("%w: %w", errStatusRequest, err)
				case err != nil && !errors.Is(err, status.ErrExists):
					return nil, err
				}
			}
			e, err := s.registry.AllocateWith(ctx, url, &status.AllocateOptions{StatusMessage: w.messages, StatusReference: w.reference})
			switch {
			case errors.Is(err, status.ErrMalformed), errors.Is(err, status.ErrUnsupported):
				return nil, fmt.Errorf("%w: %w", errStatusRequest, err)
			case err != nil:
				return nil, err
			}
			entries[i] = *e
		}
	}
	return entries, nil
}

// messageListURL is the URL of the first list of ik's message entries of
// size bits, which the first request for one creates.
func (s *server) messageListURL(ik *issuerKey, size int) string {
	return s.cfg.BaseURL + "/status/" + ik.name + "/" + string(status.Message) + "-" + strconv.Itoa(size) + "/1"
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
