package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

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
			case errors.Is(err, status.ErrNoList), errors.Is(err, status.ErrNotAllocated):
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
