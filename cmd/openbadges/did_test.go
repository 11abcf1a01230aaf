package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-openbadges/openbadges/keys"
	"github.com/google/go-cmp/cmp"
)

func TestDIDResolve(t *testing.T) {
	// An issuer's did:web document, made with the keys package, given offline.
	signer, err := keys.Generate(keys.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	const issuer = "did:web:example.edu"
	k, err := keys.NewKey(issuer+"#key-1", issuer, signer)
	if err != nil {
		t.Fatal(err)
	}
	var store keys.MemoryStore
	if err := store.Add(context.Background(), k); err != nil {
		t.Fatal(err)
	}
	doc, err := keys.DIDDocument(context.Background(), &store, issuer)
	if err != nil {
		t.Fatal(err)
	}
	// And an https issuer's controller document, listing the key the
	// 1EdTech examples name in their verification methods' fragments.
	const obKey = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
	httpsDoc := `{"id": "https://example.com/issuers/876543",
		"verificationMethod": [{"id": "https://example.com/issuers/876543#` + obKey + `", "type": "Multikey",
			"controller": "https://example.com/issuers/876543", "publicKeyMultibase": "` + obKey + `"}],
		"assertionMethod": ["https://example.com/issuers/876543#` + obKey + `"]}`
	other, err := keys.Generate(keys.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	attacker, _ := keys.PublicKeyMultibase(other.Public())
	mapFile := filepath.Join(t.TempDir(), "map.json")
	m, _ := json.Marshal(map[string]json.RawMessage{issuer: doc, "https://example.com/issuers/876543": json.RawMessage(httpsDoc)})
	if err := os.WriteFile(mapFile, m, 0o600); err != nil {
		t.Fatal(err)
	}
	mb, _ := keys.PublicKeyMultibase(signer.Public())
	badMap := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(badMap, []byte(`["not a map"]`), 0o600)

	tests := []struct {
		name   string
		args   []string
		status int
		want   *resolveReport // compared without the JWK
		stderr string
	}{
		{"did:key", []string{"did", "resolve", "--json", "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}, 0, &resolveReport{
			ID:   "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
			Type: "Multikey", Controller: "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", Binding: "self",
			Relationships: []string{"assertionMethod", "authentication", "capabilityInvocation", "capabilityDelegation"},
			Algorithm:     keys.EdDSA, PublicKeyMultibase: "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}, ""},
		// A key named in the fragment is a hint, never the issuer's key
		// until the issuer's document lists it: offline it does not
		// resolve, and says how to supply the document.
		{"key in the fragment", []string{"did", "resolve", "https://example.com/issuers/876543#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"}, 1, nil, "\nthe controller document of https://example.com/issuers/876543 is not available offline: pass --offline-map FILE (openbadges publish writes one) or --allow-network\n"},
		{"key in the fragment, the document given", []string{"did", "resolve", "https://example.com/issuers/876543#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi", "--offline-map", mapFile, "--json"}, 0, &resolveReport{
			ID:   "https://example.com/issuers/876543#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi",
			Type: "Multikey", Controller: "https://example.com/issuers/876543", Binding: "document",
			Relationships: []string{"assertionMethod"},
			Algorithm:     keys.EdDSA, PublicKeyMultibase: "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"}, ""},
		// An attacker's key named under the issuer's DID: the issuer's
		// document does not list it.
		{"another key under the issuer's DID", []string{"did", "resolve", "--offline-map", mapFile, issuer + "#" + attacker}, 1, nil, "does not list"},
		{"did:web from the offline map", []string{"did", "resolve", "--json", "--offline-map", mapFile, issuer + "#key-1"}, 0, &resolveReport{
			ID: issuer + "#key-1", Type: "Multikey", Controller: issuer, Binding: "document",
			Relationships: []string{"assertionMethod"}, Algorithm: keys.EdDSA, PublicKeyMultibase: mb}, ""},
		{"did:web offline", []string{"did", "resolve", issuer + "#key-1"}, 1, nil, "\nthe DID document of did:web:example.edu is not available offline: pass --offline-map FILE (openbadges publish writes one) or --allow-network\n"},
		{"http refused", []string{"did", "resolve", "http://example.com/issuers/1#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"}, 1, nil, "https"},
		{"unknown DID method", []string{"did", "resolve", "did:example:123#k"}, 1, nil, "no resolver resolved"},
		{"bad map", []string{"did", "resolve", "--offline-map", badMap, issuer}, 2, nil, "want a JSON object"},
		{"missing map", []string{"did", "resolve", "--offline-map", "nope.json", issuer}, 2, nil, "no such file"},
		{"no argument", []string{"did", "resolve"}, 2, nil, "usage: openbadges did resolve"},
		{"no subcommand", []string{"did"}, 2, nil, "usage: openbadges did resolve"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, stdout, stderr := call(t, "", tt.args...)
			if status != tt.status || !strings.Contains(stderr, tt.stderr) {
				t.Fatalf("status %d (want %d), stderr %q (want %q)", status, tt.status, stderr, tt.stderr)
			}
			if tt.want == nil {
				if stdout != "" {
					t.Errorf("stdout %q, want none", stdout)
				}
				return
			}
			var got resolveReport
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("%v\n%s", err, stdout)
			}
			pub, _, err := keys.ParsePublicJWK(got.PublicKeyJWK)
			if err != nil {
				t.Fatal(err)
			}
			if gotMB, _ := keys.PublicKeyMultibase(pub); gotMB != tt.want.PublicKeyMultibase {
				t.Errorf("JWK is key %s, want %s", gotMB, tt.want.PublicKeyMultibase)
			}
			got.PublicKeyJWK = nil
			if diff := cmp.Diff(*tt.want, got); diff != "" {
				t.Errorf("report (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDIDResolveText checks what did resolve prints for a person, and that
// --network, deprecated, still allows the network, with a notice.
func TestDIDResolveText(t *testing.T) {
	const key = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
	for _, tt := range []struct {
		name           string
		args           []string
		status         int
		stdout, stderr string
	}{
		{"did:key", []string{"did", "resolve", key}, 0,
			key + "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2\n" +
				"  controller     " + key + "\n" +
				"  bound          self: the identifier is the key\n" +
				"  for            assertionMethod, authentication, capabilityInvocation, capabilityDelegation\n" +
				"  type           Multikey, EdDSA\n" +
				"  public key     z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2\n", ""},
		// A did:key needs no network: --network changes nothing but the notice.
		{"--network, deprecated", []string{"did", "resolve", key, "--network"}, 0,
			key + "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2\n" +
				"  controller     " + key + "\n" +
				"  bound          self: the identifier is the key\n" +
				"  for            assertionMethod, authentication, capabilityInvocation, capabilityDelegation\n" +
				"  type           Multikey, EdDSA\n" +
				"  public key     z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2\n",
			"openbadges did resolve: --network is deprecated: use --allow-network\n"},
		{"usage", []string{"did", "resolve"}, 2, "",
			"usage: openbadges did resolve [--offline-map FILE|-] [--allow-network] [--json] DID|URL\n" +
				"  --allow-network\n    \tfetch did:web and https documents (https only, public addresses only, 10 s, 1 MiB)\n" +
				"  --json\n    \tprint the key and its controller as JSON\n" +
				"  --offline-map string\n    \tJSON file mapping DIDs and URLs to their documents, used instead of the network (openbadges publish writes one)\n" +
				"  --timeout duration\n    \tgive up after this long (default 30s)\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, stdout, stderr := call(t, "", tt.args...)
			if status != tt.status {
				t.Errorf("exit status %d, want %d", status, tt.status)
			}
			if diff := cmp.Diff(tt.stdout, stdout); diff != "" {
				t.Errorf("stdout (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.stderr, stderr); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
		})
	}
}
