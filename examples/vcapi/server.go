package main

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-openbadges/openbadges/fetch"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/proof/jose"
	"github.com/go-openbadges/openbadges/schema"
	"github.com/go-openbadges/openbadges/status"
	"github.com/go-openbadges/openbadges/status/statussign"
	"github.com/go-openbadges/openbadges/verify"
)

// DefaultMaxBodyBytes bounds a request body when config.MaxBodyBytes is
// zero: 1 MiB, ample for a credential and small enough that a client cannot
// make the server hold much.
const DefaultMaxBodyBytes = 1 << 20

// maxTracked bounds how many issued credentials the server remembers, by
// id, for POST /credentials/status; the oldest are forgotten first.
const maxTracked = 1 << 16

// Formats accepted in options.format.
const (
	formatJWT    = "jwt"    // the Open Badges 3.0 VC-JWT, returned as a compact JWS string
	formatVCJOSE = "vc+jwt" // W3C VC-JOSE-COSE, returned as an EnvelopedVerifiableCredential
)

// config configures newServer. Its zero value serves offline, with fresh
// keys, no status unless a request asks for it, at http://localhost:8080.
type config struct {
	// BaseURL is the server's external URL, without a trailing slash:
	// status list URLs are BaseURL + "/status/…", so it must be where
	// verifiers can fetch them. If empty, "http://localhost:8080".
	BaseURL string
	// Ed25519 signs for the eddsa suites and EdDSA JWTs; P256 for the
	// ecdsa suites and ES256 JWTs. A nil key is generated.
	Ed25519, P256 crypto.Signer
	// Fetcher, if set, lets verification fetch what the server does not
	// hold itself (did:web and https keys, other issuers' status lists).
	// If nil, verification is offline.
	Fetcher fetch.Fetcher
	// Documents are documents the operator vouches for, keyed by the DID
	// or URL they are for, as verify.Trust.Documents takes them: issuers'
	// DID and controller documents (the keys they list are confirmed as
	// the issuers'), other status lists. The server's own status lists
	// take precedence over an entry for the same URL. If nil, there are
	// none. Never fill it from a request: a key the party being verified
	// names is no key the operator confirmed.
	Documents map[string][]byte
	// Status lists the status purposes ("revocation", "suspension") every
	// issued credential gets an entry for unless it has a credentialStatus
	// already or the request's options.credentialStatus says otherwise.
	Status []status.Purpose
	// OpenBadges makes verification run the Open Badges 3.0 schema and
	// rules by default (options.vcOnly overrides it per request). By default
	// any Verifiable Credential is verified (verify.Policy.VCOnly), which
	// is what the W3C test suites send.
	OpenBadges bool
	// MaxBodyBytes bounds a request body. If zero, DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// StatusValidity is how long a published status list is valid. If
	// zero, status.DefaultValidity.
	StatusValidity time.Duration
	// Now returns the current time. If nil, time.Now.
	Now func() time.Time
}

// issuerKey is one of the server's identities: a key and the did:key that
// names it.
type issuerKey struct {
	name   string // "ed25519" or "p256": the path segment of its status lists
	did    string
	vm     string // the verification method: did#fragment
	signer crypto.Signer
	suites []string // the cryptosuites it signs with; the first is the default
	di     map[string]*dataintegrity.Signer
	jwt    map[jose.Format]*jose.Signer
}

// server is the VC API. Build it with newServer.
type server struct {
	cfg      config
	issuers  []*issuerKey
	byDID    map[string]*issuerKey
	keys     *keys.MemoryStore
	registry *status.Registry
	loader   *schema.Loader
	schemas  *schema.Validator

	mu          sync.Mutex
	published   map[string]publishedList  // status list URL → as served
	verifierCur *verify.Verifier          // for the lists in published
	tracked     map[string][]status.Entry // credential id → its entries in our lists
	order       []string                  // tracked ids, oldest first

	// verifierDue is when a list verifierCur holds is due to be
	// republished (zero: none is), and verifierGen the listsGen it was
	// made at: until either moves, verifierCur is current without
	// looking at the lists.
	verifierDue time.Time
	verifierGen uint64
	// listsGen counts the allocations of status entries, any of which
	// may have made a new list.
	listsGen uint64
}

// publishedList is a signed status list credential as served.
type publishedList struct {
	body  []byte
	fresh time.Time // republish after this
}

// newServer returns the VC API handler for cfg: its keys made or loaded,
// its status lists created.
func newServer(cfg config) (http.Handler, error) {
	s, err := buildServer(cfg)
	if err != nil {
		return nil, err
	}
	return s.routes(), nil
}

func buildServer(cfg config) (*server, error) {
	ctx := context.Background()
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://localhost:8080"
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.StatusValidity <= 0 {
		cfg.StatusValidity = status.DefaultValidity
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	for _, p := range cfg.Status {
		if p != status.Revocation && p != status.Suspension {
			return nil, fmt.Errorf("unknown status purpose %q: want revocation or suspension", p)
		}
	}
	s := &server{
		cfg:       cfg,
		byDID:     make(map[string]*issuerKey),
		keys:      &keys.MemoryStore{},
		registry:  &status.Registry{Store: &status.MemoryStore{}, Now: cfg.Now, NextURL: status.NextNumberedURL},
		published: make(map[string]publishedList),
		tracked:   make(map[string][]status.Entry),
	}
	var err error
	if s.loader, err = schema.NewLoader(schema.LoaderOptions{}); err != nil {
		return nil, err
	}
	if s.schemas, err = schema.NewValidator(schema.ValidatorOptions{Fetcher: cfg.Fetcher}); err != nil {
		return nil, err
	}
	for _, k := range []struct {
		name   string
		signer crypto.Signer
		typ    keys.Type
		suites []string
	}{
		{"ed25519", cfg.Ed25519, keys.Ed25519, []string{dataintegrity.EdDSARDFC2022, dataintegrity.EdDSAJCS2022}},
		{"p256", cfg.P256, keys.P256, []string{dataintegrity.ECDSARDFC2019, dataintegrity.ECDSAJCS2019}},
	} {
		ik, err := s.addIssuer(ctx, k.name, k.signer, k.typ, k.suites)
		if err != nil {
			return nil, fmt.Errorf("%s key: %w", k.name, err)
		}
		for _, p := range []status.Purpose{status.Revocation, status.Suspension} {
			if _, err := s.registry.Create(ctx, s.listURL(ik, p), &status.ListOptions{Purpose: p}); err != nil {
				return nil, err
			}
		}
	}
	return s, nil
}

// addIssuer makes (or takes) the key, names it with its did:key and
// prepares its signers.
func (s *server) addIssuer(ctx context.Context, name string, signer crypto.Signer, typ keys.Type, suites []string) (*issuerKey, error) {
	if signer == nil {
		var err error
		if signer, err = keys.Generate(typ); err != nil {
			return nil, err
		}
	}
	if t, err := keys.TypeOf(signer.Public()); err != nil || t != typ {
		return nil, fmt.Errorf("want a %s key", typ)
	}
	did, err := keys.DIDKey(signer.Public())
	if err != nil {
		return nil, err
	}
	vm, err := keys.DIDKeyVerificationMethod(signer.Public())
	if err != nil {
		return nil, err
	}
	key, err := keys.NewKey(vm, did, signer)
	if err != nil {
		return nil, err
	}
	if err := s.keys.Add(ctx, key); err != nil {
		return nil, err
	}
	ik := &issuerKey{name: name, did: did, vm: vm, signer: signer, suites: suites,
		di: make(map[string]*dataintegrity.Signer), jwt: make(map[jose.Format]*jose.Signer)}
	for _, suite := range suites {
		ik.di[suite] = &dataintegrity.Signer{Key: signer, VerificationMethod: vm, Suite: suite, Check: true}
	}
	for _, f := range []jose.Format{jose.FormatVCJWT, jose.FormatVCJOSE} {
		ik.jwt[f] = &jose.Signer{Key: signer, KeyID: vm, Format: f, Check: true}
	}
	s.issuers = append(s.issuers, ik)
	s.byDID[did] = ik
	return ik, nil
}

// listURL is the URL of the first list of ik with purpose p.
func (s *server) listURL(ik *issuerKey, p status.Purpose) string {
	return s.cfg.BaseURL + "/status/" + ik.name + "/" + string(p) + "/1"
}

// issuerOfList returns the issuer whose lists live under url.
func (s *server) issuerOfList(url string) *issuerKey {
	rest, ok := strings.CutPrefix(url, s.cfg.BaseURL+"/status/")
	if !ok {
		return nil
	}
	name, _, _ := strings.Cut(rest, "/")
	for _, ik := range s.issuers {
		if ik.name == name {
			return ik
		}
	}
	return nil
}

// issuerForSuite returns the issuer whose key signs with suite.
func (s *server) issuerForSuite(suite string) *issuerKey {
	for _, ik := range s.issuers {
		if slices.Contains(ik.suites, suite) {
			return ik
		}
	}
	return nil
}

func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /credentials/issue", s.handleIssue)
	mux.HandleFunc("POST /credentials/verify", s.handleVerify)
	mux.HandleFunc("POST /credentials/status", s.handleUpdateStatus)
	mux.HandleFunc("POST /presentations", s.handlePresent)
	mux.HandleFunc("POST /presentations/verify", s.handleVerifyPresentation)
	mux.HandleFunc("GET /status/{rest...}", s.handleStatusList)
	mux.HandleFunc("GET /issuers", s.handleIssuers)
	mux.HandleFunc("GET /issuers/{did}", s.handleDIDDocument)
	mux.HandleFunc("GET /issuers/{did}/jwks", s.handleJWKS)
	return mux
}

// invalidateLocked drops the published lists (after a status change) and
// the verifiers that hold them. s.mu must be held.
func (s *server) invalidateLocked() {
	clear(s.published)
	s.verifierCur = nil
}

// statusDocuments returns every status list as it is served now, keyed by
// URL, republishing what changed or is due, and whether any was
// republished.
func (s *server) statusDocumentsLocked(ctx context.Context) (map[string][]byte, bool, error) {
	urls, err := s.registry.Store.URLs(ctx)
	if err != nil {
		return nil, false, err
	}
	now := s.cfg.Now()
	changed := false
	docs := make(map[string][]byte, len(urls))
	for _, u := range urls {
		p, ok := s.published[u]
		if !ok || !now.Before(p.fresh) {
			ik := s.issuerOfList(u)
			if ik == nil {
				return nil, false, fmt.Errorf("status list %s has no issuer", u)
			}
			body, err := s.registry.Publish(ctx, u, &status.PublishOptions{
				Issuer:    ik.did,
				Signer:    statussign.DataIntegrity(ik.di[ik.suites[0]], nil),
				ValidFrom: now,
				Validity:  s.cfg.StatusValidity,
			})
			if err != nil {
				return nil, false, fmt.Errorf("publishing %s: %w", u, err)
			}
			// Republish at half the validity, so that what is served
			// always has time left for verifiers to cache it.
			p = publishedList{body: body, fresh: now.Add(s.cfg.StatusValidity / 2)}
			s.published[u] = p
			changed = true
		}
		docs[u] = p.body
	}
	return docs, changed, nil
}

// verifier returns a Verifier that holds the server's current status
// lists; VCOnly and the rest of the policy are per request.
func (s *server) verifier(ctx context.Context) (*verify.Verifier, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.verifierCur != nil && s.verifierGen == s.listsGen && (s.verifierDue.IsZero() || s.cfg.Now().Before(s.verifierDue)) {
		// No status changed (that drops verifierCur), no list was made,
		// none is due: the lists it holds are the ones served.
		return s.verifierCur, nil
	}
	docs, changed, err := s.statusDocumentsLocked(ctx)
	if err != nil {
		return nil, err
	}
	gen, due := s.listsGen, time.Time{}
	for _, p := range s.published {
		if due.IsZero() || p.fresh.Before(due) {
			due = p.fresh
		}
	}
	if !changed && s.verifierCur != nil {
		s.verifierGen, s.verifierDue = gen, due
		return s.verifierCur, nil
	}
	for u, d := range s.cfg.Documents {
		if _, ours := docs[u]; !ours {
			docs[u] = d
		}
	}
	v, err := verify.New(verify.Trust{
		Fetcher:   s.cfg.Fetcher,
		Documents: docs,
		Loader:    s.loader,
		Schemas:   s.schemas,
	})
	if err != nil {
		return nil, err
	}
	s.verifierCur, s.verifierGen, s.verifierDue = v, gen, due
	return v, nil
}

// listsMayHaveChanged notes that a status list may have been made (an
// entry was allocated, in a new list when the last was full).
func (s *server) listsMayHaveChanged() {
	s.mu.Lock()
	s.listsGen++
	s.mu.Unlock()
}

// track remembers the status entries of an issued credential by its id,
// for POST /credentials/status.
func (s *server) track(id string, entries []status.Entry) {
	if id == "" || len(entries) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.tracked[id]; !ok {
		s.order = append(s.order, id)
	}
	s.tracked[id] = entries
	for len(s.order) > maxTracked {
		delete(s.tracked, s.order[0])
		s.order = s.order[1:]
	}
}

func (s *server) trackedEntries(id string) ([]status.Entry, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.tracked[id]
	return e, ok
}

// publicKeyType names a key's type as the GET /issuers summary shows it.
func publicKeyType(pub crypto.PublicKey) string {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return "Ed25519"
	case *ecdsa.PublicKey:
		if k.Curve == elliptic.P256() {
			return "P-256"
		}
	}
	return "unknown"
}
