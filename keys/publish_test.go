package keys

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// golden compares got with the file testdata/golden/name, or rewrites the
// file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmpDiff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got); run go test -update after checking:\n%s", path, diff)
	}
}

// publishedStore holds four fixed keys of did:web:example.edu, three
// retired and one active, added newest first.
func publishedStore(t *testing.T) (*MemoryStore, []string) {
	t.Helper()
	ctx := context.Background()
	var p256, p384 struct {
		Public string `json:"publicKeyMultibase"`
		Secret string `json:"secretKeyMultibase"`
	}
	readJSON(t, "di-ecdsa/p256KeyPair.json", &p256)
	readJSON(t, "di-ecdsa/p384KeyPair.json", &p384)
	ed := vectorSigner(t)
	p256Pub, err := ParsePublicKeyMultibase(p256.Public)
	if err != nil {
		t.Fatal(err)
	}
	p384Key, err := ParseSecretKeyMultibase(p384.Secret)
	if err != nil {
		t.Fatal(err)
	}
	rsaKey := rsaPub2048(t)

	s := new(MemoryStore)
	for _, k := range []*Key{
		mustKey(t, issuer+"#key-4", issuer, p384Key),
		{ID: issuer + "#key-3", Controller: issuer, Public: &rsaKey.PublicKey, NotBefore: t1, NotAfter: t2},
		{ID: issuer + "#key-2", Controller: issuer, Public: p256Pub, NotBefore: t0, NotAfter: t1},
		{ID: issuer + "#key-1", Controller: issuer, Public: ed.Public(), NotAfter: t0},
	} {
		if k.ID == issuer+"#key-4" {
			k.NotBefore = t2
		}
		if err := s.Add(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	secrets := append(secretStrings(t, ed), secretStrings(t, p384Key)...)
	secrets = append(secretStrings(t, rsaKey), secrets...)
	return s, secrets
}

func TestDIDDocument(t *testing.T) {
	s, secrets := publishedStore(t)
	doc, err := DIDDocument(context.Background(), s, issuer)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "did.json", doc)
	checkPublic(t, doc, secrets)
}

func TestJWKSet(t *testing.T) {
	s, secrets := publishedStore(t)
	set, err := JWKSet(context.Background(), s, issuer)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "jwks.json", set)
	checkPublic(t, set, secrets)

	// Each member is a public JWK this package reads back, with its kid.
	var parsed struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(set, &parsed); err != nil {
		t.Fatal(err)
	}
	var kids []string
	for _, j := range parsed.Keys {
		_, kid, err := ParsePublicJWK(j)
		if err != nil {
			t.Fatal(err)
		}
		kids = append(kids, kid)
	}
	want := []string{issuer + "#key-1", issuer + "#key-2", issuer + "#key-3", issuer + "#key-4"}
	if diff := cmpDiff(want, kids); diff != "" {
		t.Errorf("kids (-want +got):\n%s", diff)
	}
}

func TestMultikeyDocument(t *testing.T) {
	ctx := context.Background()
	// The OB 3.0 test key under its https controller gives the controller
	// document written for that vector.
	var ob obVector
	readJSON(t, "ob3/ob-keypair-and-intermediates.json", &ob)
	sk, err := ParseSecretKeyMultibase(ob.SecretKeyMultibase)
	if err != nil {
		t.Fatal(err)
	}
	s := new(MemoryStore)
	if err := s.Add(ctx, mustKey(t, ob.ID, ob.Controller, sk)); err != nil {
		t.Fatal(err)
	}
	doc, err := MultikeyDocument(ctx, s, ob.Controller)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/ob3/controller-document.SYNTHESIZED.json")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmpDiff(string(want)+"\n", string(doc)); diff != "" {
		t.Errorf("MultikeyDocument (-want +got):\n%s", diff)
	}
	checkPublic(t, doc, secretStrings(t, sk))

	// Keys of every type, under an https controller.
	const controller = "https://example.edu/issuers/565049"
	all, secrets := publishedStore(t)
	moved := new(MemoryStore)
	ks, _ := all.Keys(ctx, issuer)
	for _, k := range ks {
		k.ID = controller + strings.TrimPrefix(k.ID, issuer)
		k.Controller = controller
		if err := moved.Add(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	doc, err = MultikeyDocument(ctx, moved, controller)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "multikey.json", doc)
	checkPublic(t, doc, secrets)
}

// checkPublic checks that doc is JSON with no private JWK member at any
// depth and none of secrets anywhere.
func checkPublic(t *testing.T, doc []byte, secrets []string) {
	t.Helper()
	assertNoSecret(t, "document", string(doc), secrets)
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, m := range v {
				if slices.Contains(privateMembers, k) || k == "secretKeyMultibase" || k == "secretKeyJwk" {
					t.Errorf("the document has a private member %q", k)
				}
				walk(m)
			}
		case []any:
			for _, m := range v {
				walk(m)
			}
		}
	}
	walk(v)
}

// shuffled lists a Lister's keys newest first, to check that documents do
// not depend on a Lister's order.
type shuffled struct{ Lister }

func (s shuffled) Keys(ctx context.Context, controller string) ([]*Key, error) {
	ks, err := s.Lister.Keys(ctx, controller)
	slices.Reverse(ks)
	return ks, err
}

func TestPublishDeterministic(t *testing.T) {
	ctx := context.Background()
	s, _ := publishedStore(t)
	for name, f := range map[string]func(context.Context, Lister, string) ([]byte, error){
		"DIDDocument": DIDDocument, "JWKSet": JWKSet,
	} {
		a, err := f(ctx, s, issuer)
		if err != nil {
			t.Fatal(err)
		}
		b, err := f(ctx, shuffled{s}, issuer)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s depends on the order of the Lister's keys", name)
		}
	}
}

func TestPublishErrors(t *testing.T) {
	ctx := context.Background()
	s, _ := publishedStore(t)
	stray := new(MemoryStore)
	if err := stray.Add(ctx, mustKey(t, "did:web:example.edu:other#key-1", issuer, mustGenerate(t, Ed25519))); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		err  error
		is   error
		msg  string
	}{
		{"not did:web", docErr(DIDDocument(ctx, s, "did:key:"+edPub)), nil, "needs a did:web DID"},
		{"a DID URL", docErr(DIDDocument(ctx, s, issuer+"#key-1")), nil, "needs a did:web DID"},
		{"no keys", docErr(DIDDocument(ctx, s, "did:web:nobody.edu")), ErrNoKey, `"did:web:nobody.edu" has no keys`},
		{"JWK Set without keys", docErr(JWKSet(ctx, s, "did:web:nobody.edu")), ErrNoKey, "has no keys"},
		{"a key outside the document", docErr(DIDDocument(ctx, stray, issuer)), nil, `key "did:web:example.edu:other#key-1" is not in the document of "did:web:example.edu"`},
		{"an http controller", docErr(MultikeyDocument(ctx, s, "http://example.edu/issuers/1")), nil, "needs an https URL"},
		{"a controller with a fragment", docErr(MultikeyDocument(ctx, s, "https://example.edu/issuers/1#x")), nil, "needs an https URL"},
	} {
		checkErr(t, c.name, c.err, c.is, c.msg)
	}
}

func docErr(_ []byte, err error) error { return err }

// TestDocumentP521 publishes a P-521 key, which has no Multikey form here,
// as a JsonWebKey verification method, with the JWK context.
func TestDocumentP521(t *testing.T) {
	ctx := context.Background()
	var vm joseVM
	readJSON(t, "jose/vm-p521.json", &vm)
	sk, _, err := ParsePrivateJWK(vm.SecretKeyJwk)
	if err != nil {
		t.Fatal(err)
	}
	const c = "https://example.issuer/vc-jose-cose"
	s := new(MemoryStore)
	if err := s.Add(ctx, mustKey(t, c+"#key-3", c, sk)); err != nil {
		t.Fatal(err)
	}
	doc, err := MultikeyDocument(ctx, s, c)
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "@context": [
    "https://www.w3.org/ns/did/v1",
    "https://w3id.org/security/multikey/v1",
    "https://w3id.org/security/jwk/v1"
  ],
  "id": "https://example.issuer/vc-jose-cose",
  "verificationMethod": [
    {
      "id": "https://example.issuer/vc-jose-cose#key-3",
      "type": "JsonWebKey",
      "controller": "https://example.issuer/vc-jose-cose",
      "publicKeyJwk": {
        "alg": "ES512",
        "crv": "P-521",
        "kty": "EC",
        "x": "Ac8mt4TvYd3TOrYtTk_YTQ5QQMpl58OnrU7uRxQEUoOO_6QnRBM0Xan8KQI_0dPKzcKBak0ZSEXcc5SNFUBHYfbP",
        "y": "ADP_cowssurHA7uMHy4IODl247oQjCxZWFX7Gtr3cFmfVIwEyKGegrJh9ooZy5FsvFVbYwAmLKVfGZs7O15RBsO-"
      }
    }
  ],
  "assertionMethod": [
    "https://example.issuer/vc-jose-cose#key-3"
  ]
}
`
	if diff := cmpDiff(want, string(doc)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
