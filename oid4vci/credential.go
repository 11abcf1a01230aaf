package oid4vci

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/issuer"
)

// nonce is the nonce endpoint: a fresh c_nonce, single use. It is sealed
// (when it was given, and until when it may be used), not stored: anyone
// may call this endpoint, and it writes nothing. A proof uses it up.
func (s *Server) nonce(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"c_nonce": s.freshNonce(), "c_nonce_expires_in": int(s.cfg.NonceTTL / time.Second)})
}

// credentialRequest is a Credential Request as the Server reads it.
type credentialRequest struct {
	ConfigurationID string                     `json:"credential_configuration_id"`
	Identifier      *string                    `json:"credential_identifier"`
	Proofs          map[string]json.RawMessage `json:"proofs"`
	Proof           json.RawMessage            `json:"proof"`
	Encryption      json.RawMessage            `json:"credential_response_encryption"`
	// The form of the drafts before 1.0 (draft 13, "ID1"), which wallets
	// in use still send: one proof, and the format instead of a
	// credential configuration.
	Format string `json:"format"`
}

// draftProof is a draft 13 key proof.
type draftProof struct {
	ProofType string `json:"proof_type"`
	JWT       string `json:"jwt"`
}

// transaction is what the Server keeps of a deferred issuance, under the
// hash of its transaction_id.
type transaction struct {
	AwardKey string    `json:"k"`
	Holder   string    `json:"h"`
	Config   string    `json:"c"`
	Expires  time.Time `json:"e"`
}

// credential is the credential endpoint.
func (s *Server) credential(w http.ResponseWriter, r *http.Request) {
	if e := s.credentialRequest(w, r); e != nil {
		s.writeError(w, r, e)
	}
}

func (s *Server) credentialRequest(w http.ResponseWriter, r *http.Request) *oauthError {
	ctx := r.Context()
	a, token, e := s.bearer(r)
	if e != nil {
		return e
	}
	body, e := readBody(w, r, "invalid_credential_request")
	if e != nil {
		return e
	}
	var req credentialRequest
	if err := strictJSON(body, &req); err != nil {
		return fail(http.StatusBadRequest, "invalid_credential_request", "the request: %v", err)
	}
	switch {
	case len(req.Encryption) > 0:
		return fail(http.StatusBadRequest, "invalid_encryption_parameters", "encrypted responses are not supported")
	case req.Identifier != nil:
		return fail(http.StatusBadRequest, "unknown_credential_identifier", "this issuer gives no credential identifiers: use credential_configuration_id")
	}
	// A request in the drafts' form (a single proof) is answered in it
	// too: one credential, and a fresh c_nonce.
	draft := len(req.Proofs) == 0 && len(req.Proof) > 0
	if draft && req.ConfigurationID == "" && req.Format != "" {
		for _, id := range a.Configs {
			if s.configs[id].format == req.Format {
				req.ConfigurationID = id
				break
			}
		}
		if req.ConfigurationID == "" {
			return fail(http.StatusBadRequest, "unsupported_credential_format", "the access token is for no credential of this format")
		}
	}
	if req.ConfigurationID == "" {
		return fail(http.StatusBadRequest, "invalid_credential_request", "credential_configuration_id is missing")
	}
	conf, ok := s.configs[req.ConfigurationID]
	if !ok {
		return fail(http.StatusBadRequest, "unknown_credential_configuration", "no such credential configuration")
	}
	if !a.allows(req.ConfigurationID) {
		return fail(http.StatusForbidden, "insufficient_scope", "the access token is not for this credential configuration")
	}
	var jwts []string
	switch {
	case draft:
		var p draftProof
		if err := json.Unmarshal(req.Proof, &p); err != nil || p.ProofType != "jwt" || p.JWT == "" {
			return s.draftError(fail(http.StatusBadRequest, "invalid_proof", "proof is not a jwt proof"))
		}
		req.Proofs = map[string]json.RawMessage{"jwt": mustJSON([]string{p.JWT})}
	case len(req.Proofs) == 0:
		return fail(http.StatusBadRequest, "invalid_proof", "proofs is missing: the credential is bound to a key the wallet proves it holds")
	case len(req.Proofs) > 1 || req.Proofs["jwt"] == nil:
		return fail(http.StatusBadRequest, "invalid_proof", "proofs must hold jwt proofs, and only them")
	}
	if err := json.Unmarshal(req.Proofs["jwt"], &jwts); err != nil || len(jwts) == 0 {
		return fail(http.StatusBadRequest, "invalid_proof", "proofs.jwt is not a non-empty array of strings")
	}
	if len(jwts) > 1 {
		return fail(http.StatusBadRequest, "invalid_credential_request", "one proof per request: batch issuance is not supported")
	}
	holder, err := s.verifyProof(ctx, jwts[0])
	switch {
	case errors.Is(err, errNonce) && draft:
		// The drafts had no invalid_nonce: a fresh c_nonce with
		// invalid_proof asks for a new proof.
		return s.draftError(fail(http.StatusBadRequest, "invalid_proof", "%v", err))
	case errors.Is(err, errNonce):
		return fail(http.StatusBadRequest, "invalid_nonce", "%v", err)
	case errors.Is(err, errProof):
		return s.draftError(fail(http.StatusBadRequest, "invalid_proof", "%v", err))
	case err != nil:
		return s.serverError(r, "checking the proof", err)
	}
	out, e := s.issue(r, a.AwardKey, holder, conf.format)
	if e != nil {
		return e
	}
	if out == nil { // in review: deferred
		tx := secret()
		t := transaction{AwardKey: a.AwardKey, Holder: holder, Config: req.ConfigurationID, Expires: s.now().Add(s.cfg.DeferredTTL)}
		if err := s.put(ctx, "tx", tx, t, t.Expires); err != nil {
			return s.serverError(r, "keeping the transaction", err)
		}
		// The deferred credential endpoint takes the same access token:
		// it lives as long as the transaction.
		if a.Expires.Before(t.Expires) {
			if _, err := s.store.Take(ctx, storeKey("token", token), s.now()); err == nil {
				a.Expires = t.Expires
				if err := s.put(ctx, "token", token, a, a.Expires); err != nil {
					return s.serverError(r, "keeping the access token", err)
				}
			}
		}
		s.log.InfoContext(ctx, "credential deferred: the award is in review", "award_key", a.AwardKey)
		writeJSON(w, http.StatusAccepted, map[string]any{"transaction_id": tx, "interval": int(s.cfg.DeferredInterval / time.Second)})
		return nil
	}
	if draft {
		return s.deliverDraft(w, r, a, out, conf.format)
	}
	return s.deliver(w, r, a, out, conf.format)
}

// freshNonce returns a new c_nonce.
func (s *Server) freshNonce() string {
	now := s.now()
	return s.sealer.seal("nonce", binary.BigEndian.AppendUint64(nil, uint64(now.Unix())), now.Add(s.cfg.NonceTTL))
}

// draftError adds a fresh c_nonce to an invalid_proof error, as the
// drafts' wallets expect it, to make their next proof with.
func (s *Server) draftError(e *oauthError) *oauthError {
	e.nonce = s.freshNonce()
	e.nonceTTL = int(s.cfg.NonceTTL / time.Second)
	return e
}

// deliverDraft answers a request in the drafts' form: one credential, a
// notification_id, and a fresh c_nonce.
func (s *Server) deliverDraft(w http.ResponseWriter, r *http.Request, a *access, out *issuer.Issued, format string) *oauthError {
	var c any = out.JWT
	if format == FormatLDP {
		c = json.RawMessage(out.Credential)
	}
	s.log.InfoContext(r.Context(), "credential delivered (draft form)", "award_key", a.AwardKey, "format", format)
	writeJSON(w, http.StatusOK, map[string]any{
		"credential":         c,
		"notification_id":    s.sealer.seal("notification", []byte(a.AwardKey), a.Expires),
		"c_nonce":            s.freshNonce(),
		"c_nonce_expires_in": int(s.cfg.NonceTTL / time.Second),
	})
	return nil
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// issue issues the award of awardKey to holder in format. It returns nil
// and no error for an award in review.
func (s *Server) issue(r *http.Request, awardKey, holder, format string) (*issuer.Issued, *oauthError) {
	f := issuer.FormatDataIntegrity
	if format == FormatJWT {
		f = issuer.FormatJWT
	}
	out, err := s.cfg.Issuer.IssueTo(r.Context(), awardKey, holder, f)
	switch {
	case err == nil:
		return out, nil
	case errors.Is(err, issuer.ErrNotIssued) && out != nil && out.State == issuer.StateInReview:
		return nil, nil
	case errors.Is(err, issuer.ErrNotIssued), errors.Is(err, issuer.ErrRecordNotFound):
		return nil, fail(http.StatusBadRequest, "credential_request_denied", "the award is not issued")
	case errors.Is(err, issuer.ErrExpired):
		return nil, fail(http.StatusBadRequest, "credential_request_denied", "the award's credential has expired")
	case errors.Is(err, issuer.ErrHolder):
		return nil, fail(http.StatusBadRequest, "invalid_proof", "the key's DID cannot be a credential subject")
	}
	return nil, s.serverError(r, "issuing", err)
}

// deliver answers with the credential out, and a notification_id for it.
func (s *Server) deliver(w http.ResponseWriter, r *http.Request, a *access, out *issuer.Issued, format string) *oauthError {
	var c any = out.JWT
	if format == FormatLDP {
		c = json.RawMessage(out.Credential)
	}
	// The notification id is sealed, not stored: it names the award, for
	// as long as the access token lives.
	nid := s.sealer.seal("notification", []byte(a.AwardKey), a.Expires)
	s.log.InfoContext(r.Context(), "credential delivered", "award_key", a.AwardKey, "format", format)
	writeJSON(w, http.StatusOK, map[string]any{
		"credentials":     []map[string]any{{"credential": c}},
		"notification_id": nid,
	})
	return nil
}

// deferred is the deferred credential endpoint.
func (s *Server) deferred(w http.ResponseWriter, r *http.Request) {
	if e := s.deferredRequest(w, r); e != nil {
		s.writeError(w, r, e)
	}
}

func (s *Server) deferredRequest(w http.ResponseWriter, r *http.Request) *oauthError {
	ctx := r.Context()
	a, _, e := s.bearer(r)
	if e != nil {
		return e
	}
	body, e := readBody(w, r, "invalid_credential_request")
	if e != nil {
		return e
	}
	var req struct {
		TransactionID string          `json:"transaction_id"`
		Encryption    json.RawMessage `json:"credential_response_encryption"`
	}
	if err := strictJSON(body, &req); err != nil {
		return fail(http.StatusBadRequest, "invalid_credential_request", "the request: %v", err)
	}
	if len(req.Encryption) > 0 {
		return fail(http.StatusBadRequest, "invalid_encryption_parameters", "encrypted responses are not supported")
	}
	if req.TransactionID == "" {
		return fail(http.StatusBadRequest, "invalid_credential_request", "transaction_id is missing")
	}
	var t transaction
	if err := s.get(ctx, "tx", req.TransactionID, false, &t); err != nil {
		if errors.Is(err, ErrNotFound) {
			return fail(http.StatusBadRequest, "invalid_transaction_id", "the transaction_id is unknown, used or expired")
		}
		return s.serverError(r, "reading the transaction", err)
	}
	if t.AwardKey != a.AwardKey {
		return fail(http.StatusBadRequest, "invalid_transaction_id", "the transaction_id is not for this access token")
	}
	conf := s.configs[t.Config]
	out, e := s.issue(r, t.AwardKey, t.Holder, conf.format)
	if e != nil {
		if e.code == "credential_request_denied" {
			s.store.Take(ctx, storeKey("tx", req.TransactionID), s.now())
		}
		return e
	}
	if out == nil {
		writeJSON(w, http.StatusAccepted, map[string]any{"transaction_id": req.TransactionID, "interval": int(s.cfg.DeferredInterval / time.Second)})
		return nil
	}
	// The transaction is used up by the credential it gave.
	if _, err := s.store.Take(ctx, storeKey("tx", req.TransactionID), s.now()); err != nil {
		return fail(http.StatusBadRequest, "invalid_transaction_id", "the transaction_id was used")
	}
	return s.deliver(w, r, a, out, conf.format)
}

// notification is the notification endpoint.
func (s *Server) notification(w http.ResponseWriter, r *http.Request) {
	if e := s.notificationRequest(w, r); e != nil {
		s.writeError(w, r, e)
	}
}

func (s *Server) notificationRequest(w http.ResponseWriter, r *http.Request) *oauthError {
	ctx := r.Context()
	a, _, e := s.bearer(r)
	if e != nil {
		return e
	}
	body, e := readBody(w, r, "invalid_notification_request")
	if e != nil {
		return e
	}
	var req struct {
		NotificationID string `json:"notification_id"`
		Event          string `json:"event"`
	}
	if err := strictJSON(body, &req); err != nil {
		return fail(http.StatusBadRequest, "invalid_notification_request", "the request: %v", err)
	}
	switch {
	case req.NotificationID == "":
		return fail(http.StatusBadRequest, "invalid_notification_request", "notification_id is missing")
	case req.Event != "credential_accepted" && req.Event != "credential_failure" && req.Event != "credential_deleted":
		return fail(http.StatusBadRequest, "invalid_notification_request", "event is not credential_accepted, credential_failure or credential_deleted")
	}
	key, _, err := s.sealer.open("notification", req.NotificationID, s.now())
	if err != nil || string(key) != a.AwardKey {
		return fail(http.StatusBadRequest, "invalid_notification_id", "the notification_id is unknown, expired or not for this access token")
	}
	s.log.InfoContext(ctx, "wallet notification", "award_key", a.AwardKey, "event", req.Event)
	if s.cfg.Notify != nil {
		s.cfg.Notify(context.WithoutCancel(ctx), a.AwardKey, strings.Clone(req.Event))
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
	return nil
}
