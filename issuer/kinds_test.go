package issuer

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/fetch"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/verify"
)

// rotatingStore is a key store that can list and rotate: keys.MemoryStore
// and keys.DirStore.
type rotatingStore interface {
	keys.Lister
	Add(ctx context.Context, k *keys.Key) error
	Rotate(ctx context.Context, controller string, next *keys.Key) error
}

// issuerKind is a kind of issuer identifier, as institutions use them.
type issuerKind struct {
	name string
	// ids returns the issuer's id and the id of its key pub.
	ids func(t *testing.T, pub crypto.PublicKey, n int) (issuerID, keyID string)
	// publish returns the document the issuer publishes, from its store;
	// nil when the identifier is the key (did:key, did:jwk).
	publish func(ctx context.Context, l keys.Lister, id string) ([]byte, error)
	// docURL is where a verifier fetches the published document.
	docURL string
	// dir keeps the keys in a keys.DirStore rather than a MemoryStore.
	dir bool
}

// selfKind is the kind whose identifier is its key: its id is did(pub)
// and its key's id vm(pub).
func selfKind(name string, did, vm func(crypto.PublicKey) (string, error)) issuerKind {
	return issuerKind{name: name, ids: func(t *testing.T, pub crypto.PublicKey, n int) (string, string) {
		t.Helper()
		id, err := did(pub)
		if err != nil {
			t.Fatal(err)
		}
		kid, err := vm(pub)
		if err != nil {
			t.Fatal(err)
		}
		return id, kid
	}}
}

// documentKind is the kind that publishes a document listing its keys,
// "<id>#key-<n>".
func documentKind(name, id, docURL string, publish func(context.Context, keys.Lister, string) ([]byte, error), dir bool) issuerKind {
	return issuerKind{name: name, publish: publish, docURL: docURL, dir: dir, ids: func(t *testing.T, pub crypto.PublicKey, n int) (string, string) {
		return id, fmt.Sprintf("%s#key-%d", id, n)
	}}
}

var issuerKinds = []issuerKind{
	selfKind("did:key", keys.DIDKey, keys.DIDKeyVerificationMethod),
	selfKind("did:jwk", keys.DIDJWK, keys.DIDJWKVerificationMethod),
	documentKind("did:web", "did:web:example.edu", "https://example.edu/.well-known/did.json", keys.DIDDocument, false),
	documentKind("did:web DirStore", "did:web:example.edu", "https://example.edu/.well-known/did.json", keys.DIDDocument, true),
	documentKind("https", "https://example.edu/issuers/1", "https://example.edu/issuers/1", keys.MultikeyDocument, false),
	documentKind("https DirStore", "https://example.edu/issuers/1", "https://example.edu/issuers/1", keys.MultikeyDocument, true),
}

// exampleEdu is a fetch.Fetcher for the tests: it fetches
// https://example.edu/... from srv, a TLS test server, with fetch.HTTP
// (the verifier's production fetcher, with the network policy on and the
// test server's loopback address allowed), and refuses every other URL.
type exampleEdu struct {
	srv *httptest.Server
	f   *fetch.HTTP
}

func newExampleEdu(srv *httptest.Server) *exampleEdu {
	return &exampleEdu{srv: srv, f: &fetch.HTTP{Client: srv.Client(), AllowHosts: []string{"127.0.0.1"}}}
}

func (e *exampleEdu) Fetch(ctx context.Context, url string) ([]byte, error) {
	path, ok := strings.CutPrefix(url, "https://example.edu/")
	if !ok {
		return nil, fmt.Errorf("test fetcher: %s is not on https://example.edu", url)
	}
	return e.f.Fetch(ctx, e.srv.URL+"/"+path)
}

// serve starts a TLS test server that serves doc at the path of docURL,
// and 404 everywhere else.
func serve(t *testing.T, docURL string, doc []byte) *httptest.Server {
	t.Helper()
	path := strings.TrimPrefix(docURL, "https://example.edu")
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/did+ld+json")
		w.Write(doc)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// proofSummary is what a test reads of a report's proof check.
type proofSummary struct {
	Outcome verify.Outcome
	// Bindings are the bindings of the proofs' keys, in order.
	Bindings []string
	// Methods are the proofs' verification methods, in order.
	Methods []string
}

func proofOf(t *testing.T, rep *verify.Report) proofSummary {
	t.Helper()
	c := rep.Check(verify.CheckProof)
	s := proofSummary{Outcome: c.Outcome}
	details, ok := c.Details.([]verify.ProofDetail)
	if !ok && c.Details != nil {
		t.Fatalf("proof details of type %T", c.Details)
	}
	for _, d := range details {
		s.Bindings = append(s.Bindings, d.Binding)
		s.Methods = append(s.Methods, d.VerificationMethod)
	}
	return s
}

// issuedCred is one credential issued in TestIssuerKinds, in one form.
type issuedCred struct {
	name    string // format and form, and whether before or after the rotation
	input   []byte // the credential, or its JWT
	keyID   string // the key that signed it
	rotated bool   // issued after the rotation
	proofs  int    // how many proofs it carries (a JWT of a signed credential: two)
}

// TestIssuerKinds issues as the issuers institutions run, on every kind of
// identifier (did:key, did:jwk, did:web and https), the way production
// does: with Config.Now unset (every test used to set it, which hid that
// the self-check of a did:web or https issuer, built in New without its
// documents, could not confirm its own key), before and after a key
// rotation, in every format. Each credential then goes to fresh verifiers
// that know only what the issuer published:
//
//	(a) the published document in Trust.Documents: verified, the key
//	    confirmed by the document ("self" for did:key and did:jwk, which
//	    need no document);
//	(b) the same document served over https and fetched: verified, and the
//	    report lists the fetch;
//	(c) nothing: not verified, inconclusive, nothing failed (a did:key or
//	    did:jwk credential needs nothing, and is verified);
//	(d) the document published before the rotation: what the new key
//	    signed fails, the document does not list the key.
//
// This test fails if issuer.New built its self-check verifier without the
// live key store (Trust.Keys): with no document and no fetcher, the
// self-check cannot confirm a did:web or https issuer's key, the proof
// check is indeterminate, and the first Issue returns ErrSelfCheck. It
// also fails if the self-check were given the issuer's documents as they
// were in New instead: the key made by the rotation is not in them, and
// the Issue after the rotation returns ErrSelfCheck. (Both were tried, by
// building New without `trust.Keys = cfg.Keys`, and with the documents
// published from the store in New in its place.)
//
// A did:key or did:jwk issuer cannot rotate: its identifier is its key,
// and a new key is a new identifier. Its Issue after the "rotation" must
// fail the self-check, the new key being a method of another DID.
func TestIssuerKinds(t *testing.T) {
	ctx := context.Background()
	formats := []struct {
		name string
		f    Formats
	}{{"data-integrity", FormatDataIntegrity}, {"jwt", FormatJWT}, {"both", FormatBoth}}
	for _, kind := range issuerKinds {
		t.Run(kind.name, func(t *testing.T) {
			first := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{11}, 32))
			second := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{12}, 32))
			issuerID, keyID1 := kind.ids(t, first.Public(), 1)
			_, keyID2 := kind.ids(t, second.Public(), 2)
			var store rotatingStore = &keys.MemoryStore{}
			if kind.dir {
				ds, err := keys.OpenDir(filepath.Join(t.TempDir(), "keys"))
				if err != nil {
					t.Fatal(err)
				}
				store = ds
			}
			k1, err := keys.NewKey(keyID1, issuerID, first)
			if err != nil {
				t.Fatal(err)
			}
			if err := store.Add(ctx, k1); err != nil {
				t.Fatal(err)
			}
			// One Issuer per format, each made before the rotation and
			// used after it, as a running service is.
			issuers := make([]*Issuer, len(formats))
			for n, f := range formats {
				issuers[n], _ = testIssuer(t, func(c *Config) {
					c.Issuer = &credential.Profile{ID: issuerID, Name: "Example College"}
					c.Keys = store
					c.Formats = f.f
					c.Now = nil // production: the real clock
				})
			}
			learner := func(phase string, n int) *Submission {
				s := submission("award")
				s.Learner = Learner{ID: fmt.Sprintf("did:example:%s-%d", phase, n)}
				return s
			}
			var creds []issuedCred
			collect := func(phase string, n int, out *Issued, keyID string, rotated bool) {
				t.Helper()
				if out.State != StateIssued || out.Existing || out.Report == nil || !out.Report.Verified {
					t.Fatalf("%s %s: %+v\n%s", formats[n].name, phase, out, out.Report)
				}
				// The self-check confirmed the key from the store ("local"),
				// or from the identifier itself.
				want := "local"
				if kind.publish == nil {
					want = "self"
				}
				proofs := 1
				if formats[n].f == FormatBoth {
					proofs = 2
				}
				if got, w := proofOf(t, out.Report), (proofSummary{verify.Passed, repeat(want, proofs), repeat(keyID, proofs)}); !cmp.Equal(got, w) {
					t.Errorf("%s %s: the self-check's proof (-want +got):\n%s", formats[n].name, phase, cmp.Diff(w, got))
				}
				if len(out.Credential) > 0 {
					creds = append(creds, issuedCred{formats[n].name + " credential " + phase, out.Credential, keyID, rotated, 1})
				}
				if out.JWT != "" {
					creds = append(creds, issuedCred{formats[n].name + " jwt " + phase, []byte(out.JWT), keyID, rotated, proofs})
				}
			}
			for n, is := range issuers {
				out, err := is.Issue(ctx, learner("before", n))
				if err != nil {
					t.Fatalf("%s: Issue before the rotation: %v", formats[n].name, err)
				}
				collect("before the rotation", n, out, keyID1, false)
			}
			var before []byte
			if kind.publish != nil {
				if before, err = kind.publish(ctx, store, issuerID); err != nil {
					t.Fatal(err)
				}
			}

			k2, err := keys.NewKey(keyID2, issuerID, second)
			if err != nil {
				t.Fatal(err)
			}
			if err := store.Rotate(ctx, issuerID, k2); err != nil {
				t.Fatal(err)
			}
			for n, is := range issuers {
				out, err := is.Issue(ctx, learner("after", n))
				if kind.publish == nil {
					// The new key is a method of another DID: nothing it
					// signs is handed out, and nothing is recorded as
					// issued.
					if !errors.Is(err, ErrSelfCheck) || !strings.Contains(err.Error(), "is not a verification method of the issuer") {
						t.Errorf("%s: a %s issuer's Issue with a key of another DID: %v, want ErrSelfCheck (not a verification method of the issuer)", formats[n].name, kind.name, err)
					}
					if recs, _ := is.Records().List(ctx, Filter{State: StateIssued}); len(recs) != 1 {
						t.Errorf("%s: %d issued records, want 1 (before the rotation only)", formats[n].name, len(recs))
					}
					continue
				}
				if err != nil {
					t.Fatalf("%s: Issue after the rotation: %v", formats[n].name, err)
				}
				collect("after the rotation", n, out, keyID2, true)
			}
			var after []byte
			if kind.publish != nil {
				if after, err = kind.publish(ctx, store, issuerID); err != nil {
					t.Fatal(err)
				}
			}

			newVerifier := func(tr verify.Trust) *verify.Verifier {
				t.Helper()
				v, err := verify.New(tr)
				if err != nil {
					t.Fatal(err)
				}
				return v
			}
			docs := func(doc []byte) map[string][]byte {
				if doc == nil {
					return nil
				}
				return map[string][]byte{issuerID: doc}
			}
			var (
				withDoc     = newVerifier(verify.Trust{Documents: docs(after)})
				served      = newVerifier(verify.Trust{Fetcher: newExampleEdu(serve(t, kind.docURL, after))})
				bare        = newVerifier(verify.Trust{})
				withOld     = newVerifier(verify.Trust{Documents: docs(before)})
				servedOld   = newVerifier(verify.Trust{Fetcher: newExampleEdu(serve(t, kind.docURL, before))})
				wantBinding = "document"
			)
			if kind.publish == nil {
				wantBinding = "self"
			}
			for _, c := range creds {
				run := func(what string, v *verify.Verifier) *verify.Report {
					t.Helper()
					rep, err := v.Verify(ctx, c.input, nil)
					if err != nil {
						t.Fatalf("%s, %s: %v", c.name, what, err)
					}
					return rep
				}
				verified := func(what string, v *verify.Verifier, fetched []verify.Fetched) {
					t.Helper()
					rep := run(what, v)
					if !rep.Verified || rep.Inconclusive || len(rep.Failed()) != 0 {
						t.Errorf("%s, %s: not verified\n%s", c.name, what, rep)
					}
					want := proofSummary{verify.Passed, repeat(wantBinding, c.proofs), repeat(c.keyID, c.proofs)}
					if got := proofOf(t, rep); !cmp.Equal(got, want) {
						t.Errorf("%s, %s: proof (-want +got):\n%s", c.name, what, cmp.Diff(want, got))
					}
					// The JWT of a credential with a Data Integrity proof has
					// its key resolved once per proof, and the document may be
					// fetched for each: what matters is what was fetched.
					if d := cmp.Diff(fetched, slices.Compact(slices.Clone(rep.Fetched))); d != "" {
						t.Errorf("%s, %s: fetched (-want +got):\n%s", c.name, what, d)
					}
				}

				// (a) The published document, given: the report lists it,
				// read from the offline map.
				given := func(doc []byte) []verify.Fetched {
					if kind.publish == nil {
						return []verify.Fetched{}
					}
					return []verify.Fetched{{URL: issuerID, From: "offline map", Bytes: len(doc)}}
				}
				verified("the published document given", withDoc, given(after))
				// (b) The published document, fetched.
				fetched := []verify.Fetched{}
				if kind.publish != nil {
					fetched = []verify.Fetched{{URL: kind.docURL, From: "network", Bytes: len(after)}}
				}
				verified("the published document fetched", served, fetched)

				if kind.publish == nil {
					// (c) A did:key or did:jwk credential needs nothing.
					verified("nothing given", bare, []verify.Fetched{})
					continue
				}
				// (c) Nothing: the key is not confirmed, nothing failed.
				rep := run("nothing given", bare)
				if rep.Verified || !rep.Inconclusive || len(rep.Failed()) != 0 || rep.Check(verify.CheckProof).Outcome != verify.Indeterminate ||
					!strings.Contains(rep.Check(verify.CheckProof).Message, "Trust.Documents") || !strings.HasPrefix(rep.String(), "NOT VERIFIED (inconclusive)") {
					t.Errorf("%s, nothing given: want not verified, inconclusive, the proof indeterminate saying how to supply the document\n%s", c.name, rep)
				}

				// (d) The document of before the rotation: what the old key
				// signed verifies, what the new one signed fails.
				for _, old := range []struct {
					what    string
					v       *verify.Verifier
					fetched []verify.Fetched
				}{
					{"the document of before the rotation given", withOld, given(before)},
					{"the document of before the rotation fetched", servedOld, []verify.Fetched{{URL: kind.docURL, From: "network", Bytes: len(before)}}},
				} {
					if !c.rotated {
						verified(old.what, old.v, old.fetched)
						continue
					}
					rep := run(old.what, old.v)
					if rep.Verified || rep.Check(verify.CheckProof).Outcome != verify.Failed || !strings.Contains(rep.Check(verify.CheckProof).Message, "not list") {
						t.Errorf("%s, %s: want the proof failed, the key not listed\n%s", c.name, old.what, rep)
					}
				}
			}
			// Per issuance: a credential (data-integrity), a JWT (jwt), both
			// (both); before the rotation, and after it but for did:key and
			// did:jwk.
			want := 8
			if kind.publish == nil {
				want = 4
			}
			if len(creds) != want {
				t.Errorf("%d credentials checked, want %d", len(creds), want)
			}
		})
	}
}

// twoFaced is a key store that names the issuer as its key's controller
// when asked for the active key, and another controller when the key is
// looked up by id, as the self-check's resolver does.
type twoFaced struct {
	*keys.MemoryStore
	other string
}

func (s twoFaced) Key(ctx context.Context, id string) (*keys.Key, error) {
	k, err := s.MemoryStore.Key(ctx, id)
	if err == nil {
		k.Controller = s.other
	}
	return k, err
}

// TestSelfCheckForgery gives a did:web issuer keys that are not its own,
// or a signer that is not its key: what they sign must never be handed
// out (ErrSelfCheck), and nothing is recorded as issued. The self-check
// confirms keys from the issuer's own store, which vouches that a key is
// its controller's; it does not make a key the issuer's that a verifier
// would not confirm in the issuer's document: a key of another controller,
// or one named as a method of another document (which no verifier would
// look for in the issuer's), even when the store says it is the issuer's.
func TestSelfCheckForgery(t *testing.T) {
	ctx := context.Background()
	const issuerID = "did:web:example.edu"
	own := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{21}, 32))
	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{22}, 32))
	otherVM, _ := keys.DIDKeyVerificationMethod(other.Public())
	const notMethod = "is not a verification method of the issuer did:web:example.edu (want did:web:example.edu#…)"
	for _, tc := range []struct {
		name  string
		key   *keys.Key // the key the issuer signs with, added to its store
		keyID string    // Config.KeyID
		store func(*keys.MemoryStore) keys.Store
		want  string // in the error
	}{
		{
			name:  "a key of another controller, named by KeyID",
			key:   &keys.Key{ID: "did:web:other.example#key-1", Controller: "did:web:other.example", Signer: other},
			keyID: "did:web:other.example#key-1",
			want:  "the signing key did:web:other.example#key-1 (of did:web:other.example) " + notMethod,
		},
		{
			name: "a did:key the store says is the issuer's",
			key:  &keys.Key{ID: otherVM, Controller: issuerID, Signer: other},
			want: "the signing key " + otherVM + " (of did:web:example.edu) " + notMethod,
		},
		{
			name: "a method of another did:web the store says is the issuer's",
			key:  &keys.Key{ID: "did:web:other.example#key-1", Controller: issuerID, Signer: other},
			want: "the signing key did:web:other.example#key-1 (of did:web:example.edu) " + notMethod,
		},
		{
			name: "a method of an https document the store says is the issuer's",
			key:  &keys.Key{ID: "https://other.example/keys#1", Controller: issuerID, Signer: other},
			want: "the signing key https://other.example/keys#1 (of did:web:example.edu) " + notMethod,
		},
		{
			name: "the issuer's id without a fragment",
			key:  &keys.Key{ID: issuerID, Controller: issuerID, Signer: other},
			want: "the signing key did:web:example.edu (of did:web:example.edu) " + notMethod,
		},
		{
			name:  "the issuer's key id, of another controller",
			key:   &keys.Key{ID: issuerID + "#key-2", Controller: "did:web:other.example", Signer: other},
			keyID: issuerID + "#key-2",
			want:  "the signing key did:web:example.edu#key-2 (of did:web:other.example) " + notMethod,
		},
		{
			name:  "a store that names another controller when the self-check looks the key up",
			key:   &keys.Key{ID: issuerID + "#key-2", Controller: issuerID, Signer: other},
			store: func(m *keys.MemoryStore) keys.Store { return twoFaced{m, "did:web:other.example"} },
			want:  `the key's controller is "did:web:other.example", the issuer is "did:web:example.edu"`,
		},
		{
			name: "the issuer's key id, signed by another key",
			key:  &keys.Key{ID: issuerID + "#key-2", Controller: issuerID, Signer: brokenSigner{own}},
			want: "proof: no proof verifies",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := &keys.MemoryStore{}
			// The issuer's own key is in the store too: retired when the
			// key signed with is the issuer's active key.
			k, _ := keys.NewKey(issuerID+"#key-1", issuerID, own)
			if tc.key.Controller == issuerID {
				k.NotAfter = t0
			}
			if err := store.Add(ctx, k); err != nil {
				t.Fatal(err)
			}
			if err := store.Add(ctx, tc.key); err != nil {
				t.Fatal(err)
			}
			var ks keys.Store = store
			if tc.store != nil {
				ks = tc.store(store)
			}
			is, _ := testIssuer(t, func(c *Config) {
				c.Issuer = &credential.Profile{ID: issuerID, Name: "Example College"}
				c.Keys = ks
				c.KeyID = tc.keyID
				c.Formats = FormatBoth
				c.Now = nil
			})
			out, err := is.Issue(ctx, submission("award"))
			if !errors.Is(err, ErrSelfCheck) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Issue: %v, want ErrSelfCheck saying %s", err, tc.want)
			}
			if out != nil && (len(out.Credential) > 0 || out.JWT != "") {
				t.Error("a credential that failed its check was handed out")
			}
			if recs, _ := is.Records().List(ctx, Filter{State: StateIssued}); len(recs) != 0 {
				t.Error("a credential that failed its check was recorded as issued")
			}
		})
	}
}

// repeat returns n copies of s.
func repeat(s string, n int) []string {
	out := make([]string, n)
	for k := range out {
		out[k] = s
	}
	return out
}
