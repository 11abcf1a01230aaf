package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/keys"
)

// publishedDocument is what a test reads of the document an issuer
// publishes (keys.DIDDocument, keys.MultikeyDocument), with encoding/json.
type publishedDocument struct {
	ID                 string `json:"id"`
	VerificationMethod []struct {
		ID                 string `json:"id"`
		Controller         string `json:"controller"`
		PublicKeyMultibase string `json:"publicKeyMultibase"`
	} `json:"verificationMethod"`
	AssertionMethod []string `json:"assertionMethod"`
}

// publishKey publishes k in the document that publish (keys.DIDDocument,
// keys.MultikeyDocument) makes for its controller, checks that the
// document lists the key once, under assertionMethod, and returns the
// document and what a test reads of it; the id it lists the key under is
// doc.AssertionMethod[0].
func publishKey(t *testing.T, publish func(ctx context.Context, l keys.Lister, id string) ([]byte, error), k *keys.Key) (docJSON []byte, doc publishedDocument) {
	t.Helper()
	ctx := context.Background()
	published := &keys.MemoryStore{}
	if err := published.Add(ctx, k); err != nil {
		t.Fatal(err)
	}
	docJSON, err := publish(ctx, published, k.Controller)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(docJSON, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.AssertionMethod) != 1 || len(doc.VerificationMethod) != 1 || doc.VerificationMethod[0].ID != doc.AssertionMethod[0] {
		t.Fatalf("the published document does not list the key once:\n%s", docJSON)
	}
	return docJSON, doc
}

// issueKeyConfig writes an issue config for issuer into dir, with the
// achievements of testdata/issue/config.json, key file key, keyId (if not
// empty), both formats, and no status lists, and returns its path.
func issueKeyConfig(t *testing.T, dir, issuer, key, keyID string) string {
	t.Helper()
	data, err := os.ReadFile("testdata/issue/config.json")
	if err != nil {
		t.Fatal(err)
	}
	var cfg map[string]any
	if err := json.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	cfg["issuer"] = map[string]any{"id": issuer, "type": []string{"Profile"}, "name": "Example College"}
	cfg["key"] = key
	if keyID != "" {
		cfg["keyId"] = keyID
	}
	cfg["formats"] = "both"
	delete(cfg, "status")
	out, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "config.json")
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// writePrivate writes a key file only its owner can read.
func writePrivate(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// issueArgs is an issue command line that the testdata achievement awards.
func issueArgs(cfg string) []string {
	return []string{"issue", "--config", cfg, "--achievement", "https://example.edu/achievements/stats-101",
		"--recipient", "id:did:example:cy", "--score", "95", "--evidence", "project=https://lms.example.edu/projects/4"}
}

// TestIssueKeyID: with a did:web or https issuer, the credentials issue
// signs name as their verification method (the Data Integrity proof's
// verificationMethod, the VC-JWT's kid) the id under which the issuer's
// published document lists the key in assertionMethod, not an id made up
// from the key, so that a verifier holding that document can confirm it.
func TestIssueKeyID(t *testing.T) {
	// Each form of key file: its staging, from the key and its id, returns
	// the file's path (absolute, or relative to the config's folder), and
	// the keyId for the config.
	forms := []struct {
		name  string
		stage func(t *testing.T, dir string, k *keys.Key) (file, keyID string)
	}{
		{"keys.DirStore file", func(t *testing.T, dir string, k *keys.Key) (string, string) {
			return dirStoreKeyFile(t, dir, k), ""
		}},
		{"JWK with kid", func(t *testing.T, dir string, k *keys.Key) (string, string) {
			writePrivate(t, filepath.Join(dir, "issuer.jwk"), privateJWK(t, k.Signer, k.ID))
			return "issuer.jwk", ""
		}},
		{"Multikey pair with id and controller", func(t *testing.T, dir string, k *keys.Key) (string, string) {
			writePrivate(t, filepath.Join(dir, "issuer-key.json"), multikeyPair(t, k))
			return "issuer-key.json", ""
		}},
		{"keygen key and keyId", func(t *testing.T, dir string, k *keys.Key) (string, string) {
			vm, _ := keys.DIDKeyVerificationMethod(k.Public) // the kid keygen writes
			writePrivate(t, filepath.Join(dir, "issuer.jwk"), privateJWK(t, k.Signer, vm))
			return "issuer.jwk", k.ID
		}},
		{"JWK with kid and the same keyId", func(t *testing.T, dir string, k *keys.Key) (string, string) {
			writePrivate(t, filepath.Join(dir, "issuer.jwk"), privateJWK(t, k.Signer, k.ID))
			return "issuer.jwk", k.ID
		}},
	}
	issuers := []struct {
		name, id string
		publish  func(ctx context.Context, l keys.Lister, id string) ([]byte, error)
	}{
		{"did:web", "did:web:example.edu", keys.DIDDocument},
		{"did:web with a path", "did:web:example.edu:issuers:1", keys.DIDDocument},
		{"https", "https://example.edu/issuers/1", keys.MultikeyDocument},
	}
	for _, iss := range issuers {
		for _, typ := range []keys.Type{keys.Ed25519, keys.P256} {
			for _, form := range forms {
				t.Run(iss.name+"/"+string(typ)+"/"+form.name, func(t *testing.T) {
					dir := t.TempDir()
					signer := mustGenerate(t, typ)
					k, err := keys.NewKey(iss.id+"#key-1", iss.id, signer)
					if err != nil {
						t.Fatal(err)
					}
					// The document the issuer publishes for its key.
					docJSON, doc := publishKey(t, iss.publish, k)
					if mb, _ := keys.PublicKeyMultibase(signer.Public()); doc.VerificationMethod[0].PublicKeyMultibase != mb {
						t.Fatalf("the published document does not list the key once:\n%s", docJSON)
					}
					want := doc.AssertionMethod[0]

					file, keyID := form.stage(t, dir, k)
					cfg := issueKeyConfig(t, dir, iss.id, file, keyID)
					status, stdout, stderr := call(t, "", issueArgs(cfg)...)
					if status != exitOK {
						t.Fatalf("exit status %d: %s", status, stderr)
					}
					gotVM, gotKid := issuedKeyIDs(t, stdout)
					if d := cmp.Diff([]string{want, want}, []string{gotVM, gotKid}); d != "" {
						t.Errorf("[proof verificationMethod, JWT kid] (-published +issued):\n%s", d)
					}
				})
			}
		}
	}
}

// issuedKeyIDs reads, from issue's output with formats "both" (the
// credential's JSON on one line, then its VC-JWT), the Data Integrity
// proof's verificationMethod and the JWT's kid.
func issuedKeyIDs(t *testing.T, stdout string) (vm, kid string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 2 {
		t.Fatalf("want the credential and its JWT, got %d lines:\n%s", len(lines), stdout)
	}
	var cred struct {
		Proof []struct {
			VerificationMethod string `json:"verificationMethod"`
		} `json:"proof"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &cred); err != nil || len(cred.Proof) != 1 {
		t.Fatalf("the credential's proof: %v\n%s", err, lines[0])
	}
	header, err := base64.RawURLEncoding.DecodeString(strings.Split(lines[1], ".")[0])
	if err != nil {
		t.Fatalf("the JWT's header: %v", err)
	}
	var h struct {
		Kid string `json:"kid"`
	}
	if err := json.Unmarshal(header, &h); err != nil {
		t.Fatalf("the JWT's header: %v", err)
	}
	return cred.Proof[0].VerificationMethod, h.Kid
}

// TestIssueKeyIDErrors: when the key's id under a did:web or https issuer
// cannot be known, or the config and the key file disagree about it, issue
// signs nothing: exit 2, and what to set.
func TestIssueKeyIDErrors(t *testing.T) {
	const issuer = "did:web:example.edu"
	signer := mustGenerate(t, keys.Ed25519)
	didKeyVM, _ := keys.DIDKeyVerificationMethod(signer.Public())
	selfDID, _, _ := strings.Cut(didKeyVM, "#")
	jwkWith := func(kid string) []byte { return privateJWK(t, signer, kid) }
	sec, _ := keys.SecretKeyMultibase(signer)
	pairOf := func(id, controller string) []byte {
		b, _ := json.Marshal(map[string]string{"id": id, "controller": controller, "secretKeyMultibase": sec})
		return b
	}
	for _, c := range []struct {
		name   string
		issuer string
		file   []byte
		keyID  string
		want   string // stderr after "openbadges issue: CONFIG: "
	}{
		{"keygen key, no keyId", issuer, jwkWith(didKeyVM), "",
			"key issuer.key names no verification method of the issuer did:web:example.edu: set keyId to the id under which the issuer's document lists the key (did:web:example.edu#…), or use a key file whose kid is that id"},
		{"JWK without kid, no keyId", "https://example.edu/issuers/1", jwkWith(""), "",
			"key issuer.key names no verification method of the issuer https://example.edu/issuers/1: set keyId to the id under which the issuer's document lists the key (https://example.edu/issuers/1#…), or use a key file whose kid is that id"},
		{"keyId of another issuer", issuer, jwkWith(didKeyVM), "did:web:example.org#key-1",
			"keyId did:web:example.org#key-1 is not a verification method of the issuer did:web:example.edu (want did:web:example.edu#…)"},
		{"keyId without a fragment", issuer, jwkWith(didKeyVM), issuer + "#",
			"keyId did:web:example.edu# is not a verification method of the issuer did:web:example.edu (want did:web:example.edu#…)"},
		{"keyId and kid differ", issuer, jwkWith(issuer + "#key-2"), issuer + "#key-1",
			"keyId did:web:example.edu#key-1 and the id in key issuer.key, did:web:example.edu#key-2, differ: the issuer's document lists the key under one id"},
		{"key of another controller", issuer, pairOf("did:web:example.org#key-1", "did:web:example.org"), "",
			"key issuer.key belongs to did:web:example.org (its controller), not to the issuer did:web:example.edu"},
		{"id not under its controller", issuer, pairOf("did:web:example.org#key-1", issuer), "",
			"key issuer.key names did:web:example.org#key-1 as its id, which is not a verification method of its controller did:web:example.edu (want did:web:example.edu#…)"},
		{"did:key of another key", "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi", jwkWith(didKeyVM), "",
			"the issuer did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi is a did:key of another key than issuer.key"},
		// A did:key issuer is its key, whatever the file's kid says: a kid
		// under that DID does not make the file's key the issuer's.
		{"did:key of another key, its id in the file", "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi", jwkWith("did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"), "",
			"the issuer did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi is a did:key of another key than issuer.key"},
		{"did:key issuer, keyId not its method", selfDID, jwkWith(""), selfDID + "#other",
			"keyId " + selfDID + "#other is not the verification method of the did:key issuer " + selfDID + " (want " + didKeyVM + ")"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writePrivate(t, filepath.Join(dir, "issuer.key"), c.file)
			cfg := issueKeyConfig(t, dir, c.issuer, "issuer.key", c.keyID)
			status, stdout, stderr := call(t, "", issueArgs(cfg)...)
			wantCantRun(t, status, stdout, stderr, "openbadges issue: "+cfg+": "+c.want+"\n")
		})
	}
}
