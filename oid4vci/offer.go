package oid4vci

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/render"
)

// DefaultWallet is where an offer's URI sends the learner when
// OfferOptions.Wallet is empty: the wallet the device registered for the
// scheme the specification defines.
const DefaultWallet = "openid-credential-offer://"

// OfferOptions says how an offer is made. The zero value makes an offer by
// value, without a transaction code, for DefaultWallet.
type OfferOptions struct {
	// TxCode asks for a transaction code: a number of TxCodeLength digits
	// (zero means 6) that the LMS sends the learner by another channel
	// than the offer (an email beside a QR code on the screen, say), and
	// that the wallet must send with the pre-authorized code. Wrong
	// codes end the offer after Config.TxCodeAttempts.
	TxCode       bool
	TxCodeLength int
	// TxCodeDescription tells the learner where to find the code (at most
	// 300 characters).
	TxCodeDescription string
	// ByReference puts the offer at the Server (BaseURL+"/offers/…") and
	// only its URL in the URI: a smaller QR code.
	ByReference bool
	// Wallet is the wallet's credential offer endpoint the URI starts
	// with. Empty means DefaultWallet.
	Wallet string
	// TTL is how long the offer may be used. Zero means Config.OfferTTL.
	TTL time.Duration
	// AuthorizationCode makes the offer for the Authorization Code Flow
	// instead: the wallet sends the learner to sign in at the LMS
	// (Config.Login, which must be set), with the offer's issuer_state,
	// and there is no pre-authorized code (nor TxCode).
	AuthorizationCode bool
}

// An Offer is a credential offer for one award.
type Offer struct {
	// URI is the offer: a link for a page or an email.
	URI string
	// QR is URI as a QR code.
	QR *render.QR
	// TxCode is the transaction code to send the learner by another
	// channel; empty when none was asked for. It is not kept anywhere
	// but here (the Server keeps its hash).
	TxCode string
	// ConfigurationIDs are the credential configurations offered.
	ConfigurationIDs []string
	// Expires is when the offer can no longer be used.
	Expires time.Time
}

// grant is what the Server keeps of an offer, under its pre-authorized
// code's hash.
type grant struct {
	AwardKey string    `json:"k"`
	Configs  []string  `json:"c"`
	TxCode   []byte    `json:"t,omitempty"` // SHA-256 of the transaction code
	Attempts int       `json:"a,omitempty"` // wrong transaction codes so far
	Expires  time.Time `json:"e"`
}

// access is what the Server keeps of an access token, under its hash.
type access struct {
	AwardKey string    `json:"k"`
	Configs  []string  `json:"c"`
	Expires  time.Time `json:"e"`
}

// credentialOffer is the offer object of the specification.
type credentialOffer struct {
	CredentialIssuer string                `json:"credential_issuer"`
	Configurations   []string              `json:"credential_configuration_ids"`
	Grants           map[string]offerGrant `json:"grants"`
}

type offerGrant struct {
	PreAuthorizedCode string      `json:"pre-authorized_code,omitempty"`
	TxCode            *txCodeSpec `json:"tx_code,omitempty"`
	IssuerState       string      `json:"issuer_state,omitempty"`
}

type txCodeSpec struct {
	InputMode   string `json:"input_mode,omitempty"`
	Length      int    `json:"length,omitempty"`
	Description string `json:"description,omitempty"`
}

// Offer makes a credential offer for the award of awardKey, whose record
// must be issued or in review (a wallet that takes the offer of an award in
// review gets its credential deferred, once a person approved it). The
// pre-authorized code it holds is single use and expires; so does the
// transaction code, when one is asked for.
func (s *Server) Offer(ctx context.Context, awardKey string, opts *OfferOptions) (*Offer, error) {
	if opts == nil {
		opts = &OfferOptions{}
	}
	rec, err := s.cfg.Issuer.Records().Get(ctx, awardKey)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotOffered, err)
	}
	if rec.State != issuer.StateIssued && rec.State != issuer.StateInReview {
		return nil, fmt.Errorf("%w: the award is %s", ErrNotOffered, rec.State)
	}
	if opts.AuthorizationCode && (s.cfg.Login == nil || opts.TxCode) {
		return nil, errors.New("oid4vci: an offer for the Authorization Code Flow needs Config.Login, and no TxCode")
	}
	if len(opts.TxCodeDescription) > 300 {
		return nil, errors.New("oid4vci: TxCodeDescription is over 300 characters")
	}
	ttl := opts.TTL
	if ttl <= 0 {
		ttl = s.cfg.OfferTTL
	}
	now := s.now()
	out := &Offer{ConfigurationIDs: s.configurationsOf(rec.AchievementID), Expires: now.Add(ttl)}
	code := secret()
	g := grant{AwardKey: awardKey, Configs: out.ConfigurationIDs, Expires: out.Expires}
	og := offerGrant{PreAuthorizedCode: code}
	if opts.TxCode {
		n := opts.TxCodeLength
		if n <= 0 {
			n = 6
		}
		if n < 4 || n > 64 {
			return nil, errors.New("oid4vci: TxCodeLength is not between 4 and 64")
		}
		out.TxCode = digits(n)
		sum := sha256.Sum256([]byte(out.TxCode))
		g.TxCode = sum[:]
		og.TxCode = &txCodeSpec{InputMode: "numeric", Length: n, Description: opts.TxCodeDescription}
	}
	grants, kind := map[string]offerGrant{GrantPreAuthorized: og}, "code"
	if opts.AuthorizationCode {
		grants, kind = map[string]offerGrant{"authorization_code": {IssuerState: code}}, "state"
	}
	doc, err := json.Marshal(credentialOffer{CredentialIssuer: s.base, Configurations: out.ConfigurationIDs, Grants: grants})
	if err != nil {
		return nil, err
	}
	if err := s.put(ctx, kind, code, g, out.Expires); err != nil {
		return nil, fmt.Errorf("oid4vci: keeping the offer: %w", err)
	}
	wallet := opts.Wallet
	if wallet == "" {
		wallet = DefaultWallet
	}
	sep := "?"
	if strings.Contains(wallet, "?") {
		sep = "&"
	}
	if opts.ByReference {
		id := secret()
		if err := s.store.Put(ctx, storeKey("offer", id), doc, out.Expires); err != nil {
			return nil, fmt.Errorf("oid4vci: keeping the offer: %w", err)
		}
		out.URI = wallet + sep + "credential_offer_uri=" + url.QueryEscape(s.base+"/offers/"+id)
	} else {
		out.URI = wallet + sep + "credential_offer=" + url.QueryEscape(string(doc))
	}
	if out.QR, err = render.NewQR(out.URI); err != nil {
		return nil, fmt.Errorf("oid4vci: the offer's QR code (ByReference makes a smaller one): %w", err)
	}
	s.log.InfoContext(ctx, "offer made", "award_key", awardKey, "tx_code", opts.TxCode, "by_reference", opts.ByReference)
	return out, nil
}

// configurationsOf returns the credential configurations an award of
// achievement is offered as.
func (s *Server) configurationsOf(achievement string) []string {
	name := "OpenBadgeCredential"
	if n, ok := s.byAch[achievement]; ok {
		name = n
	}
	return []string{name + "_" + FormatLDP, name + "_" + FormatJWT}
}

// digits returns n random decimal digits.
func digits(n int) string {
	var b strings.Builder
	ten := big.NewInt(10)
	for range n {
		d, err := rand.Int(rand.Reader, ten)
		if err != nil {
			panic(err) // crypto/rand does not fail
		}
		b.WriteByte('0' + byte(d.Int64()))
	}
	return b.String()
}

// offerByReference serves an offer made ByReference.
func (s *Server) offerByReference(w http.ResponseWriter, r *http.Request) {
	doc, err := s.store.Get(r.Context(), storeKey("offer", r.PathValue("id")), s.now())
	if err != nil {
		s.writeError(w, r, fail(http.StatusNotFound, "invalid_request", "no such offer, or it expired"))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(doc)
}

// token is the token endpoint: the Pre-Authorized Code grant.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if e := s.tokenRequest(w, r); e != nil {
		s.writeError(w, r, e)
	}
}

func (s *Server) tokenRequest(w http.ResponseWriter, r *http.Request) *oauthError {
	ctx := r.Context()
	body, e := readBody(w, r, "invalid_request")
	if e != nil {
		return e
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(strings.ToLower(ct), "application/x-www-form-urlencoded") {
		return fail(http.StatusBadRequest, "invalid_request", "the token request is not application/x-www-form-urlencoded")
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return fail(http.StatusBadRequest, "invalid_request", "the token request does not parse")
	}
	for k, v := range form {
		if len(v) > 1 {
			return fail(http.StatusBadRequest, "invalid_request", "%s is repeated", k)
		}
	}
	var g *grant
	switch gt := form.Get("grant_type"); {
	case gt == GrantPreAuthorized:
		g, e = s.preAuthorizedCodeGrant(r, form)
	case gt == "authorization_code" && s.cfg.Login != nil:
		g, e = s.authorizationCodeGrant(r, form)
	case gt == "":
		return fail(http.StatusBadRequest, "invalid_request", "grant_type is missing")
	default:
		return fail(http.StatusBadRequest, "unsupported_grant_type", "grant_type %s is not supported", asciiDescription(gt))
	}
	if e != nil {
		return e
	}
	token := secret()
	a := access{AwardKey: g.AwardKey, Configs: g.Configs, Expires: s.now().Add(s.cfg.TokenTTL)}
	if err := s.put(ctx, "token", token, a, a.Expires); err != nil {
		return s.serverError(r, "keeping the access token", err)
	}
	s.log.InfoContext(ctx, "access token issued", "award_key", g.AwardKey)
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": token,
		"token_type":   "Bearer",
		"expires_in":   int(s.cfg.TokenTTL / time.Second),
		// For the drafts' wallets, which have no nonce endpoint.
		"c_nonce":            s.freshNonce(),
		"c_nonce_expires_in": int(s.cfg.NonceTTL / time.Second),
	})
	return nil
}

// preAuthorizedCodeGrant is the token endpoint's pre-authorized code
// grant: the code, single use, with the transaction code if the offer
// asked for one.
func (s *Server) preAuthorizedCodeGrant(r *http.Request, form url.Values) (*grant, *oauthError) {
	ctx := r.Context()
	code := form.Get("pre-authorized_code")
	if code == "" {
		return nil, fail(http.StatusBadRequest, "invalid_request", "pre-authorized_code is missing")
	}
	var g grant
	if err := s.get(ctx, "code", code, true, &g); err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, fail(http.StatusBadRequest, "invalid_grant", "the pre-authorized code is unknown, used or expired")
		}
		return nil, s.serverError(r, "reading the offer", err)
	}
	// The code was taken: a request refused below puts it back, unless
	// it ends the offer.
	putBack := func() {
		if err := s.put(ctx, "code", code, g, g.Expires); err != nil {
			s.log.WarnContext(ctx, "offer not kept again", "award_key", g.AwardKey, "error", err.Error())
		}
	}
	tx, hasTx := form["tx_code"]
	switch {
	case g.TxCode != nil && !hasTx:
		putBack()
		return nil, fail(http.StatusBadRequest, "invalid_request", "the offer asks for a tx_code")
	case g.TxCode == nil && hasTx:
		putBack()
		return nil, fail(http.StatusBadRequest, "invalid_request", "the offer asks for no tx_code")
	case g.TxCode != nil:
		sum := sha256.Sum256([]byte(tx[0]))
		if subtle.ConstantTimeCompare(sum[:], g.TxCode) != 1 {
			g.Attempts++
			if g.Attempts < s.cfg.TxCodeAttempts {
				putBack()
				return nil, fail(http.StatusBadRequest, "invalid_grant", "the tx_code is wrong")
			}
			s.log.WarnContext(ctx, "offer ended by wrong transaction codes", "award_key", g.AwardKey)
			return nil, fail(http.StatusBadRequest, "invalid_grant", "the tx_code is wrong, too many times: the offer is ended")
		}
	}
	return &g, nil
}

// serverError logs err and returns the error a client sees for it.
func (s *Server) serverError(r *http.Request, doing string, err error) *oauthError {
	s.log.ErrorContext(r.Context(), "oid4vci: "+doing, "path", r.URL.Path, "error", err.Error())
	return fail(http.StatusInternalServerError, "server_error", "the server failed %s", doing)
}

// bearer returns the access of the request's Bearer token, and the token.
func (s *Server) bearer(r *http.Request) (*access, string, *oauthError) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if h == "" {
		return nil, "", fail(http.StatusUnauthorized, "invalid_token", "no access token")
	}
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" || len(token) > 512 {
		return nil, "", fail(http.StatusUnauthorized, "invalid_token", "the access token is not a Bearer token")
	}
	var a access
	if err := s.get(r.Context(), "token", token, false, &a); err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, "", fail(http.StatusUnauthorized, "invalid_token", "the access token is unknown or expired")
		}
		return nil, "", s.serverError(r, "reading the access token", err)
	}
	return &a, token, nil
}

// allows reports whether a grants the credential configuration id.
func (a *access) allows(id string) bool { return slices.Contains(a.Configs, id) }
