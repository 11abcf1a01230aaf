package did

import (
	"context"
	"errors"
	"net"
	"net/url"
	"os"
	"path"
	"path/filepath"
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

func FuzzResolveDocument(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*/*.json")
	more, _ := filepath.Glob("testdata/*/*/*.json")
	for _, p := range append(paths, more...) {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi")
	}
	for _, s := range []string{``, `{}`, `[]`, `null`, `{"id": null}`, `{"keys": [{}]}`, `{"kty": "OKP"}`, `{"didDocument": {}}`,
		`{"id": "did:web:example.com", "verificationMethod": [{"id": "#k", "type": "Multikey", "controller": "did:web:example.com", "publicKeyMultibase": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}], "assertionMethod": ["#k", {"id": "#j"}]}`,
		`{"id": "https://example.issuer/vc-jose-cose#key-1", "type": "JsonWebKey", "controller": "https://example.issuer/vc-jose-cose", "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}}`,
	} {
		f.Add([]byte(s), "did:web:example.com#k")
		f.Add([]byte(s), "https://example.issuer/vc-jose-cose#key-1")
	}
	f.Fuzz(func(t *testing.T, body []byte, ref string) {
		for _, didOnly := range []bool{false, true} {
			vm, err := resolveDocument(newSource(ref, didOnly), body)
			if err != nil {
				if vm != nil || !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrNotFound) && !errors.Is(err, keys.ErrUnsupportedKey) {
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
		}
	})
}

// FuzzResolve runs every offline resolver on arbitrary references: none may
// panic, and every error must say whether a chain goes on.
func FuzzResolve(f *testing.F) {
	for _, s := range fuzzRefs {
		f.Add(s)
	}
	doc, err := os.ReadFile("testdata/di-eddsa/ob3-1edtech/controller-document.SYNTHESIZED.json")
	if err != nil {
		f.Fatal(err)
	}
	resolvers := []Resolver{
		Key{}, JWK{}, Web{}, HTTP{}, Fragment{}, StoreResolver{},
		Map{"https://example.edu/issuers/565049": doc, "did:web:example.com": doc},
		NewResolver(Options{}),
	}
	f.Fuzz(func(t *testing.T, ref string) {
		for _, r := range resolvers {
			vm, err := r.Resolve(context.Background(), ref)
			if err != nil {
				if vm != nil || !continues(err) && !errors.Is(err, ErrInvalid) {
					t.Fatalf("%T.Resolve(%q): %v, %v", r, ref, vm, err)
				}
				continue
			}
			if _, err := keys.AlgorithmOf(vm.PublicKey); err != nil || vm.Binding == 0 || vm.ID == "" || vm.Controller == "" {
				t.Fatalf("%T.Resolve(%q) = %+v (%v)", r, ref, vm, err)
			}
		}
	})
}
