package did

import (
	"context"
	"crypto"
	"errors"
	"net"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-openbadges/openbadges/keys"
)

var fuzzRefs = []string{
	"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
	"did:key:zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP",
	"did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVVM3l6OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9#0",
	"did:web:example.com",
	"did:web:example.com%3A3000:user:alice#key-1",
	"did:web:example.com:..:x",
	"did:web:example.com:a%2Fb",
	"did:web:user%40example.com",
	"did:web:127.0.0.1%3A8080",
	"did:web:example.com/path?query#frag",
	"did:example:123?versionId=1#key",
	"https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi",
	"urn:uuid:4ca4a241-fc3b-4d92-978e-f56fa96ae795#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi",
	"http://example.edu/issuers/1#key-1",
	"https://user:pw@example.edu/#k",
	"z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x",
	"did:", "did:web:", "did:web:%", "", "#", "https:#z", "did:key:#",
}

func FuzzParseDIDURL(f *testing.F) {
	for _, s := range fuzzRefs {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := parseDIDURL(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("parseDIDURL(%q): %v does not wrap ErrInvalid", s, err)
			}
			return
		}
		if u.String() != s {
			t.Fatalf("parseDIDURL(%q) reassembles as %q", s, u.String())
		}
		if u.did != "did:"+u.method+":"+u.msid || u.msid == "" || strings.ContainsAny(u.msid, "/?#") {
			t.Fatalf("parseDIDURL(%q) = %+v", s, u)
		}
		if u.path != "" && u.path[0] != '/' || strings.ContainsAny(u.path, "?#") || strings.Contains(u.query, "#") || strings.Contains(u.fragment, "#") {
			t.Fatalf("parseDIDURL(%q) = %+v", s, u)
		}
		for i := 0; i < len(s); i++ {
			if s[i] <= ' ' || s[i] >= 0x7f {
				t.Fatalf("parseDIDURL(%q) accepted byte 0x%02x", s, s[i])
			}
		}
	})
}

func FuzzWebURL(f *testing.F) {
	for _, s := range fuzzRefs {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, did string) {
		got, err := WebURL(did)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("WebURL(%q): %v does not wrap ErrInvalid", did, err)
			}
			return
		}
		u, err := url.Parse(got)
		if err != nil {
			t.Fatalf("WebURL(%q) = %q, which does not parse: %v", did, got, err)
		}
		if u.Scheme != "https" || u.User != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
			t.Fatalf("WebURL(%q) = %q", did, got)
		}
		if net.ParseIP(u.Hostname()) != nil {
			t.Fatalf("WebURL(%q) = %q: an IP address", did, got)
		}
		if !strings.HasSuffix(u.Path, "/did.json") || path.Clean(u.Path) != u.Path || strings.Contains(u.Path, "\\") {
			t.Fatalf("WebURL(%q) = %q: path %q is not clean", did, got, u.Path)
		}
		if !strings.HasPrefix(did, "did:web:") {
			t.Fatalf("WebURL(%q) accepted another method", did)
		}
	})
}

// FuzzResolveDocument reads arbitrary documents as Resolve and FindKey do.
// Neither may panic, and every error must say what kind of finding it is.
// FindKey must never find a key that the document does not give, by
// Resolve's reading, for the id it returns: whatever it finds, resolving
// that id in the same document gives the same method.
func FuzzResolveDocument(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*/*.json")
	more, _ := filepath.Glob("testdata/*/*/*.json")
	if len(paths) == 0 || len(more) == 0 {
		f.Fatalf("no seed documents: testdata/*/*.json matches %d, testdata/*/*/*.json %d", len(paths), len(more))
	}
	for _, p := range append(paths, more...) {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi")
	}
	const (
		ed   = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
		p256 = "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP"
	)
	mk := func(id, key string) string {
		return `{"id": "` + id + `", "type": "Multikey", "controller": "did:web:example.com", "publicKeyMultibase": "` + key + `"}`
	}
	for _, s := range []string{``, `{}`, `[]`, `null`, `{"id": null}`, `{"keys": [{}]}`, `{"kty": "OKP"}`, `{"didDocument": {}}`,
		`{"id": "did:web:example.com", "verificationMethod": [` + mk("#k", ed) + `], "assertionMethod": ["#k", {"id": "#j"}]}`,
		`{"id": "https://example.issuer/vc-jose-cose#key-1", "type": "JsonWebKey", "controller": "https://example.issuer/vc-jose-cose", "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}}`,
		// The same method defined twice, the same and differently.
		`{"id": "did:web:example.com", "verificationMethod": [` + mk("#k", ed) + `], "assertionMethod": [` + mk("#k", ed) + `]}`,
		`{"id": "did:web:example.com", "verificationMethod": [` + mk("#k", ed) + `], "assertionMethod": [` + mk("#k", p256) + `]}`,
		// One key under two ids; an X25519 key agreement key; a method
		// whose id is another document's; one whose fragment names
		// another key.
		`{"id": "did:web:example.com", "verificationMethod": [` + mk("#a", ed) + `, ` + mk("#b", ed) + `], "authentication": ["#a"], "assertionMethod": ["#b"],
		  "keyAgreement": [` + mk("#x", "z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc") + `]}`,
		`{"id": "did:web:example.com", "verificationMethod": [` + mk("did:web:other.example#k", ed) + `], "assertionMethod": ["did:web:other.example#k"]}`,
		`{"id": "did:web:example.com", "verificationMethod": [` + mk("#"+p256, ed) + `], "assertionMethod": ["#` + p256 + `"]}`,
	} {
		f.Add([]byte(s), "did:web:example.com#k")
		f.Add([]byte(s), "https://example.issuer/vc-jose-cose#key-1")
	}
	var fixed []crypto.PublicKey
	for _, mb := range []string{ed, p256, "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"} {
		pub, err := keys.ParsePublicKeyMultibase(mb)
		if err != nil {
			f.Fatal(err)
		}
		fixed = append(fixed, pub)
	}
	f.Fuzz(func(t *testing.T, body []byte, ref string) {
		var resolved []crypto.PublicKey
		for _, didOnly := range []bool{false, true} {
			vm, err := resolveDocument(newSource(ref, didOnly), body)
			if err != nil {
				if vm != nil || !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrNotListed) && !errors.Is(err, keys.ErrUnsupportedKey) {
					t.Fatalf("resolveDocument(%q): %v, %v", ref, vm, err)
				}
				continue
			}
			if _, err := keys.AlgorithmOf(vm.PublicKey); err != nil {
				t.Fatalf("resolveDocument(%q) gave a key %v: %v", ref, vm.PublicKey, err)
			}
			if vm.ID != ref || vm.Binding != BindingDocument || vm.Type == "" || vm.Controller == "" {
				t.Fatalf("resolveDocument(%q) = %+v", ref, vm)
			}
			resolved = append(resolved, vm.PublicKey)
		}

		base, _, _ := strings.Cut(ref, "#")
		for _, pub := range append(resolved, fixed...) {
			vm, err := findInDocument(base, body, pub)
			if err != nil {
				if vm != nil || !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrNotListed) {
					t.Fatalf("findInDocument(%q): %v, %v", base, vm, err)
				}
				continue
			}
			if !sameKey(vm.PublicKey, pub) || vm.Controller != base || vm.Binding != BindingDocument {
				t.Fatalf("findInDocument(%q) = %+v, looking for %v", base, vm, pub)
			}
			again, err := resolveDocument(newSource(vm.ID, strings.HasPrefix(base, "did:")), body)
			if err != nil {
				t.Fatalf("findInDocument(%q) found %s, which does not resolve in the same document: %v", base, vm.ID, err)
			}
			if !sameKey(again.PublicKey, pub) || again.ID != vm.ID || again.Controller != vm.Controller || !slices.Equal(again.Relationships, vm.Relationships) {
				t.Fatalf("findInDocument(%q) = %+v, but resolving %s gives %+v", base, vm, vm.ID, again)
			}
		}
	})
}

// FuzzResolve runs every offline resolver on arbitrary references, and every
// offline KeyFinder on them as controllers: none may panic, every error must
// say whether a chain goes on or what it found, and a found key is the one
// asked for, never merely asserted.
func FuzzResolve(f *testing.F) {
	for _, s := range fuzzRefs {
		f.Add(s)
	}
	f.Add("https://example.edu/issuers/565049")
	f.Add("https://example.edu/issuers/565049#key-1")
	f.Add("did:web:example.com#key-1")
	doc, err := os.ReadFile("testdata/di-eddsa/ob3-1edtech/controller-document.SYNTHESIZED.json")
	if err != nil {
		f.Fatal(err)
	}
	m := Map{"https://example.edu/issuers/565049": doc, "did:web:example.com": doc}
	resolvers := []Resolver{
		Key{}, JWK{}, Web{}, HTTP{}, Fragment{}, StoreResolver{},
		m,
		NewResolver(Options{Documents: m}),
	}
	pub, err := keys.ParsePublicKeyMultibase("z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi") // the document's key
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, ref string) {
		ctx := context.Background()
		for _, r := range resolvers {
			vm, err := r.Resolve(ctx, ref)
			if err != nil {
				if vm != nil || !continues(err) && !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrNotListed) {
					t.Fatalf("%T.Resolve(%q): %v, %v", r, ref, vm, err)
				}
				continue
			}
			if _, err := keys.AlgorithmOf(vm.PublicKey); err != nil || vm.Binding == 0 || vm.ID == "" || vm.Controller == "" {
				t.Fatalf("%T.Resolve(%q) = %+v (%v)", r, ref, vm, err)
			}
		}
		for _, r := range resolvers {
			kf, ok := r.(KeyFinder)
			if !ok {
				continue
			}
			vm, err := kf.FindKey(ctx, ref, pub)
			if err != nil {
				if vm != nil || !continues(err) && !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrNotListed) {
					t.Fatalf("%T.FindKey(%q): %v, %v", r, ref, vm, err)
				}
				continue
			}
			if !sameKey(vm.PublicKey, pub) || vm.Binding == BindingAsserted || vm.Binding == 0 || vm.ID == "" || vm.Controller == "" {
				t.Fatalf("%T.FindKey(%q) = %+v", r, ref, vm)
			}
		}
	})
}
