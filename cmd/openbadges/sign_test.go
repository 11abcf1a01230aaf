package main

import (
	"context"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/keys"
)

// TestSignVector signs the 1EdTech OB 3.0 vector's unsigned credential with
// its key: the default verification method (the one the vector's key pair
// names, https://example.edu/issuers/565049#z6Mk…, which its controller
// document lists) and the signed credential must be the vector's, value
// for value.
func TestSignVector(t *testing.T) {
	status, stdout, stderr := call(t, "", "sign", "--key", privateCopy(t, "testdata/sign/keypair.json"), "--created", "2010-01-01T19:23:24Z", "--proof-object", "testdata/sign/unsigned-credential.json")
	if status != 0 {
		t.Fatalf("status %d: %s", status, stderr)
	}
	want, err := os.ReadFile("testdata/sign/signed-credential.json")
	if err != nil {
		t.Fatal(err)
	}
	var got, w any
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(w, got); d != "" {
		t.Errorf("signed credential differs from the vector (-want +got):\n%s", d)
	}
}

func TestSignVerify(t *testing.T) {
	dir := t.TempDir()
	// A key as keygen writes it, and a credential issued by its did:key.
	signer, err := keys.Generate(keys.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	jwk, err := keys.PrivateJWK(signer, "")
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "issuer.jwk")
	if err := os.WriteFile(keyFile, jwk, 0o600); err != nil {
		t.Fatal(err)
	}
	didKey, _ := keys.DIDKey(signer.Public())
	vm, _ := keys.DIDKeyVerificationMethod(signer.Public())
	unsigned, err := os.ReadFile("testdata/sign/unsigned-credential.json")
	if err != nil {
		t.Fatal(err)
	}
	unsigned = []byte(strings.Replace(string(unsigned), `"https://example.edu/issuers/565049"`, `"`+didKey+`"`, 1))
	status, signed, stderr := call(t, string(unsigned), "sign", "--key", keyFile, "-")
	if status != 0 {
		t.Fatalf("sign: status %d: %s", status, stderr)
	}
	if !strings.Contains(signed, `"verificationMethod": "`+vm+`"`) {
		t.Errorf("the default method is not the did:key URL:\n%s", signed)
	}
	signedFile := filepath.Join(dir, "signed.json")
	if err := os.WriteFile(signedFile, []byte(signed), 0o600); err != nil {
		t.Fatal(err)
	}
	tampered := filepath.Join(dir, "tampered.json")
	if err := os.WriteFile(tampered, []byte(strings.Replace(signed, "Teamwork Badge", "Leadership Badge", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	vectorBytes, err := os.ReadFile("testdata/sign/signed-credential.json")
	if err != nil {
		t.Fatal(err)
	}
	vector := string(vectorBytes)
	notJSON := filepath.Join(dir, "x.json")
	if err := os.WriteFile(notJSON, []byte("nope"), 0o600); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		stdin  string
		args   []string
		status int
		stdout string // exact, unless it starts with "~": substring
		stderr string // substring; "" means empty
	}{
		{"did:key credential", "", []string{"verify", signedFile}, 0,
			"~" + signedFile + ": VERIFIED: json AchievementCredential (VCDM 2.0) from " + didKey + "\n", ""},
		{"did:key credential, the proof", "", []string{"verify", signedFile}, 0,
			"~  proof             passed        verified: eddsa-rdfc-2022 by " + didKey + " (key bound to its controller: self)\n", ""},
		{"tampered", "", []string{"verify", tampered}, 1,
			"~  proof             failed        no proof verifies: eddsa-rdfc-2022: dataintegrity: the signature does not verify (key " + vm + ")\n", ""},
		{"tampered, JSON with diagnostics", "", []string{"verify", "--json", tampered}, 1,
			`~"documentHash": "`, ""},
		{"1EdTech vector with its controller document", "", []string{"verify", "--now", "2026-01-01T00:00:00Z", "--offline-map", "testdata/sign/offline-map.json", "testdata/sign/signed-credential.json"}, 0,
			"~  proof             passed        verified: eddsa-rdfc-2022 by https://example.edu/issuers/565049 (key bound to its controller: document)\n", ""},
		// Without its controller document, the vector's key is only read
		// from the verification method URL's fragment, which anyone can
		// write under any issuer: it was verified with a warning, and now
		// nothing confirms it, so the credential is not verified (exit 3,
		// inconclusive: the signature holds, nothing failed), and the
		// report says which document would settle it. The case above
		// gives that document and verifies.
		{"1EdTech vector, key read from the URL", "", []string{"verify", "--now", "2026-01-01T00:00:00Z", "testdata/sign/signed-credential.json"}, 3,
			"~testdata/sign/signed-credential.json: NOT VERIFIED (inconclusive): json AchievementCredential (VCDM 2.0) from https://example.edu/issuers/565049\n", ""},
		{"1EdTech vector, key read from the URL, the proof", "", []string{"verify", "--now", "2026-01-01T00:00:00Z", "testdata/sign/signed-credential.json"}, 3,
			"~  proof             indeterminate not verified: the key that signed is not confirmed as the issuer's; the controller document of https://example.edu/issuers/565049 (published at that URL) would confirm or refute it: pass --offline-map FILE (openbadges publish writes one) or --allow-network. eddsa-rdfc-2022: did: the key is not confirmed as the controller's: dataintegrity: cannot resolve the verification method \"https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi\": did: the document could not be had: fetching \"https://example.edu/issuers/565049\" for \"https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi\": not available offline: pass --offline-map FILE (openbadges publish writes one) or --allow-network\n", ""},
		// Strict mode fails the vector's bare proof object (a schema
		// warning); the unconfirmed key stays undecided, not failed, and
		// a failure makes it exit 1.
		{"1EdTech vector, key read from the URL, strict", "", []string{"verify", "--strict", "--now", "2026-01-01T00:00:00Z", "testdata/sign/signed-credential.json"}, 1,
			"~  schema            failed        1EdTech JSON Schema of the AchievementCredential: want an array, got an object (JSON-LD reads this form the same way, so the credential is valid; but software that checks plain JSON against the OB 3.0 schema will reject it) (a failure in strict mode)\n", ""},
		{"1EdTech vector, key read from the URL, strict, the proof", "", []string{"verify", "--strict", "--now", "2026-01-01T00:00:00Z", "testdata/sign/signed-credential.json"}, 1,
			"~  proof             indeterminate not verified: the key that signed is not confirmed as the issuer's; ", ""},
		// Tampered, without the document: the signature is checked with the
		// key the fragment names, and fails (exit 1, not 3).
		{"1EdTech vector tampered, key read from the URL", strings.Replace(vector, "Teamwork Badge", "Leadership Badge", 1), []string{"verify", "--now", "2026-01-01T00:00:00Z", "-"}, 1,
			"~  proof             failed        no proof verifies: eddsa-rdfc-2022: dataintegrity: the signature does not verify (key https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi)\n", ""},
		{"no proof", "", []string{"verify", "testdata/sign/unsigned-credential.json"}, 1,
			"~  proof             failed        the credential has no proof\n", ""},
		{"not JSON", "", []string{"verify", notJSON}, 2, "", "verify: not a credential: neither JSON, a compact JWS, a PNG nor an SVG"},
		{"JSON but malformed", `{"a":`, []string{"verify", "-"}, 2, "", "openbadges verify: verify: not a credential: not valid JSON: unexpected end of JSON input"},
		{"no file", "", []string{"verify"}, 2, "", "usage: openbadges verify"},
		{"sign without key", "", []string{"sign", "x.json"}, 2, "", "usage: openbadges sign"},
		{"sign with a bad key file", "", []string{"sign", "--key", notJSON, "testdata/sign/unsigned-credential.json"}, 2, "", "openbadges sign: " + notJSON + ": "},
		{"sign with a wrong suite", "", []string{"sign", "--key", keyFile, "--vm", "https://example.edu/issuers/565049#key-1", "--suite", "ecdsa-rdfc-2019", "testdata/sign/unsigned-credential.json"}, 2, "", "ecdsa-rdfc-2019 needs a P-256 or P-384 key, not Ed25519"},
		{"sign a did:key credential of another key", string(unsigned), []string{"sign", "--key", privateCopy(t, "testdata/sign/keypair.json"), "-"}, 2, "", "is a did:key of another key"},
		{"sign a document using an undefined term", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"https://example.com/i","credentialSubject":{"id":"did:example:1"},"foo":1}`, []string{"sign", "--no-check", "--key", keyFile, "--vm", "https://example.com/i#key-1", "-"}, 2, "", `JSON-LD safe mode: /foo: "foo" is not defined by any context`},
		{"refuse an invalid credential", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"https://example.com/i","credentialSubject":{"id":"did:example:1"}}`, []string{"sign", "--key", keyFile, "--vm", "https://example.com/i#key-1", "-"}, 2, "", "openbadges sign: standard input is not a valid AchievementCredential: not signed (openbadges validate shows why; --no-check signs it anyway)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, stdout, stderr := call(t, tc.stdin, tc.args...)
			if status != tc.status {
				t.Errorf("status = %d, want %d (stderr %q)", status, tc.status, stderr)
			}
			if sub, ok := strings.CutPrefix(tc.stdout, "~"); ok {
				if !strings.Contains(stdout, sub) {
					t.Errorf("stdout lacks %q:\n%s", sub, stdout)
				}
			} else if d := cmp.Diff(tc.stdout, stdout); d != "" {
				t.Errorf("stdout (-want +got):\n%s", d)
			}
			if tc.stderr == "" && stderr != "" || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tc.stderr)
			}
		})
	}
}

// TestSignKeyID: with a did:web or https issuer, sign names as the proof's
// verificationMethod (and the JWT's kid) the id under which the issuer's
// published document (keys.DIDDocument, keys.MultikeyDocument) lists the
// key, taken from the key file, so that a verifier holding that document
// confirms the key: the credential verifies with the document in the
// offline map (bound by the document), is not verified without it (exit
// 3, inconclusive), and a forger's key file that claims the same id under
// the issuer signs a credential that the document refutes (exit 1).
func TestSignKeyID(t *testing.T) {
	unsigned, err := os.ReadFile("testdata/sign/unsigned-credential.json")
	if err != nil {
		t.Fatal(err)
	}
	// Each form of key file, written into dir from the key, returns its
	// path.
	forms := []struct {
		name     string
		multikey bool // a Multikey pair, which RSA keys have not
		stage    func(t *testing.T, dir string, k *keys.Key) string
	}{
		{"keys.DirStore file", false, dirStoreKeyFile},
		{"JWK with kid", false, func(t *testing.T, dir string, k *keys.Key) string {
			p := filepath.Join(dir, "issuer.jwk")
			writePrivate(t, p, privateJWK(t, k.Signer, k.ID))
			return p
		}},
		{"Multikey pair with id and controller", true, func(t *testing.T, dir string, k *keys.Key) string {
			p := filepath.Join(dir, "issuer-key.json")
			writePrivate(t, p, multikeyPair(t, k))
			return p
		}},
	}
	issuers := []struct {
		name, id string
		publish  func(ctx context.Context, l keys.Lister, id string) ([]byte, error)
		// the document that the report says would confirm the key
		where string
	}{
		{"did:web", "did:web:example.edu", keys.DIDDocument, "the DID document of did:web:example.edu (published at https://example.edu/.well-known/did.json)"},
		{"https", "https://example.edu/issuers/1", keys.MultikeyDocument, "the controller document of https://example.edu/issuers/1 (published at that URL)"},
	}
	// Formats: the sign flags, the verify report's input kind and proof type.
	formats := []struct {
		name, kind string
		args       []string
		proof      func(typ keys.Type, alg keys.Algorithm) string
	}{
		{"di", "json", []string{"--created", "2010-01-01T19:23:24Z"}, func(typ keys.Type, _ keys.Algorithm) string {
			if typ == keys.Ed25519 {
				return "eddsa-rdfc-2022"
			}
			return "ecdsa-rdfc-2019"
		}},
		{"jwt", "jwt", []string{"--format", "jwt"}, func(_ keys.Type, alg keys.Algorithm) string { return "VC-JWT " + string(alg) }},
		{"vc+jwt", "jwt", []string{"--format", "vc+jwt"}, func(_ keys.Type, alg keys.Algorithm) string { return "VC-JOSE " + string(alg) }},
	}
	for _, iss := range issuers {
		for _, typ := range []keys.Type{keys.Ed25519, keys.P256, keys.RSA2048} {
			signer := mustGenerate(t, typ)
			alg, err := keys.AlgorithmOf(signer.Public())
			if err != nil {
				t.Fatal(err)
			}
			k, err := keys.NewKey(iss.id+"#key-1", iss.id, signer)
			if err != nil {
				t.Fatal(err)
			}
			// The document the issuer publishes for its key, and the id it
			// lists the key under.
			docJSON, doc := publishKey(t, iss.publish, k)
			want := doc.AssertionMethod[0]
			// A forger's key, under the same id.
			forger := mustGenerate(t, typ)
			forged, err := keys.NewKey(want, iss.id, forger)
			if err != nil {
				t.Fatal(err)
			}
			credential := strings.Replace(string(unsigned), `"https://example.edu/issuers/565049"`, `"`+iss.id+`"`, 1)
			for _, form := range forms {
				if form.multikey && typ == keys.RSA2048 {
					continue
				}
				for i, f := range formats {
					if f.name == "di" && typ == keys.RSA2048 {
						continue // no Data Integrity suite signs with RSA
					}
					// How the key file names its id does not depend on the
					// format: the first form goes through every format, the
					// others through the first the key signs in.
					if form.name != forms[0].name && i > 0 && !(typ == keys.RSA2048 && i == 1) {
						continue
					}
					t.Run(iss.name+"/"+string(typ)+"/"+form.name+"/"+f.name, func(t *testing.T) {
						t.Parallel()
						dir := t.TempDir()
						docFile := filepath.Join(dir, "issuer.json")
						if err := os.WriteFile(docFile, docJSON, 0o600); err != nil {
							t.Fatal(err)
						}
						omap := filepath.Join(dir, "offline-map.json")
						if err := os.WriteFile(omap, []byte(`{"`+iss.id+`": "issuer.json"}`), 0o600); err != nil {
							t.Fatal(err)
						}
						sign := func(keyFile string) string {
							t.Helper()
							args := append([]string{"sign", "--key", keyFile}, f.args...)
							status, signed, stderr := call(t, credential, append(args, "-")...)
							if status != exitOK {
								t.Fatalf("sign: exit status %d: %s", status, stderr)
							}
							file := filepath.Join(dir, "signed")
							if err := os.WriteFile(file, []byte(signed), 0o600); err != nil {
								t.Fatal(err)
							}
							return file
						}
						signed := sign(form.stage(t, dir, k))
						if got := signedKeyID(t, signed); got != want {
							t.Errorf("the credential names %q, the issuer's document lists %q", got, want)
						}
						header := signed + ": VERIFIED: " + f.kind + " AchievementCredential (VCDM 2.0) from " + iss.id + "\n"
						proofLine := "  proof             passed        verified: " + f.proof(typ, alg) + " by " + iss.id + " (key bound to its controller: document)\n"
						status, stdout, stderr := call(t, "", "verify", "--offline-map", omap, signed)
						if status != exitOK || !strings.HasPrefix(stdout, header) || !strings.Contains(stdout, proofLine) || stderr != "" {
							t.Errorf("verify with the issuer's document: exit %d, want 0 with %q and %q:\n%s%s", status, header, proofLine, stdout, stderr)
						}
						// Without the document nothing confirms the key.
						header = signed + ": NOT VERIFIED (inconclusive): " + f.kind + " AchievementCredential (VCDM 2.0) from " + iss.id + "\n"
						proofLine = "  proof             indeterminate not verified: the key that signed is not confirmed as the issuer's; " + iss.where + " would confirm or refute it: pass --offline-map FILE (openbadges publish writes one) or --allow-network. "
						status, stdout, stderr = call(t, "", "verify", signed)
						if status != exitUndecided || !strings.HasPrefix(stdout, header) || !strings.Contains(stdout, proofLine) || stderr != "" {
							t.Errorf("verify without the document: exit %d, want 3 with %q and %q:\n%s%s", status, header, proofLine, stdout, stderr)
						}
						// A forger's key file claiming the issuer's id signs
						// (sign cannot know), and the document refutes it.
						forgedDir := filepath.Join(dir, "forger")
						if err := os.Mkdir(forgedDir, 0o700); err != nil {
							t.Fatal(err)
						}
						signed = sign(form.stage(t, forgedDir, forged))
						if got := signedKeyID(t, signed); got != want {
							t.Errorf("the forged credential names %q, want %q", got, want)
						}
						status, stdout, _ = call(t, "", "verify", "--offline-map", omap, signed)
						if status != exitNo || !strings.HasPrefix(stdout, signed+": NOT VERIFIED: ") || !strings.Contains(stdout, "\n  proof             failed        ") {
							t.Errorf("verify a forger's credential with the issuer's document: exit %d, want 1, the proof failed:\n%s", status, stdout)
						}
					})
				}
			}
		}
	}
}

// signedKeyID returns the key id a credential that sign printed names:
// its Data Integrity proof's verificationMethod, or its JWT's kid.
func signedKeyID(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.TrimSpace(string(data))
	if strings.HasPrefix(text, "{") {
		var cred struct {
			Proof []struct {
				VerificationMethod string `json:"verificationMethod"`
			} `json:"proof"`
		}
		if err := json.Unmarshal(data, &cred); err != nil || len(cred.Proof) != 1 {
			t.Fatalf("the credential's proof: %v\n%s", err, data)
		}
		return cred.Proof[0].VerificationMethod
	}
	header, err := base64.RawURLEncoding.DecodeString(strings.Split(text, ".")[0])
	if err != nil {
		t.Fatalf("the JWT's header: %v", err)
	}
	var h struct {
		Kid string          `json:"kid"`
		JWK json.RawMessage `json:"jwk"`
	}
	if err := json.Unmarshal(header, &h); err != nil {
		t.Fatalf("the JWT's header: %v", err)
	}
	if h.JWK != nil {
		t.Errorf("the JWT's header has a jwk, %s: sign embeds it only when asked", h.JWK)
	}
	return h.Kid
}

// TestSignKeyIDErrors: when sign cannot tell under which id the issuer's
// document lists the key, or the key file is not the issuer's, it signs
// nothing: exit 2, and what to pass.
func TestSignKeyIDErrors(t *testing.T) {
	const issuer = "did:web:example.edu"
	signer := mustGenerate(t, keys.Ed25519)
	didKeyVM, _ := keys.DIDKeyVerificationMethod(signer.Public())
	jwkWith := func(kid string) []byte { return privateJWK(t, signer, kid) }
	sec, _ := keys.SecretKeyMultibase(signer)
	pair := func(members map[string]string) []byte {
		members["secretKeyMultibase"] = sec
		b, _ := json.Marshal(members)
		return b
	}
	otherJWK, _ := keys.DIDJWK(mustGenerate(t, keys.P256).Public())
	unsigned, err := os.ReadFile("testdata/sign/unsigned-credential.json")
	if err != nil {
		t.Fatal(err)
	}
	by := func(id string) string {
		return strings.Replace(string(unsigned), `"https://example.edu/issuers/565049"`, `"`+id+`"`, 1)
	}
	noMethod := func(issuer string) string {
		return "key KEY names no verification method of the issuer " + issuer + ": pass --vm with the id under which the issuer's document lists the key (" + issuer + "#…), or use a key file whose kid is that id"
	}
	for _, c := range []struct {
		name       string
		credential string
		file       []byte
		args       []string
		want       string // stderr after "openbadges sign: "; KEY is the key file
	}{
		{"keygen key", by(issuer), jwkWith(didKeyVM), nil, noMethod(issuer)},
		{"keygen key, JWT", by(issuer), jwkWith(didKeyVM), []string{"--format", "jwt"},
			noMethod(issuer) + ", or pass --embed-jwk to carry the key in the header's jwk without a kid"},
		{"keygen key, VC-JOSE", by(issuer), jwkWith(didKeyVM), []string{"--format", "vc+jwt"},
			noMethod(issuer) + ", or pass --embed-jwk to carry the key in the header's jwk without a kid"},
		{"JWK without kid, https issuer", by("https://example.edu/issuers/1"), jwkWith(""), nil, noMethod("https://example.edu/issuers/1")},
		{"kid without a fragment", by(issuer), jwkWith(issuer + "#"), nil, noMethod(issuer)},
		{"kid of another issuer", by(issuer), jwkWith("did:web:example.org#key-1"), nil, noMethod(issuer)},
		{"Multikey pair without id", by(issuer), pair(map[string]string{}), nil, noMethod(issuer)},
		{"key of another controller", by(issuer), pair(map[string]string{"id": "did:web:example.org#key-1", "controller": "did:web:example.org"}), nil,
			"key KEY belongs to did:web:example.org (its controller), not to the issuer did:web:example.edu; pass --vm"},
		{"key of another controller, JWT", by(issuer), pair(map[string]string{"id": "did:web:example.org#key-1", "controller": "did:web:example.org"}), []string{"--format", "jwt", "--embed-jwk"},
			"key KEY belongs to did:web:example.org (its controller), not to the issuer did:web:example.edu; pass --vm"},
		{"id not under its controller", by(issuer), pair(map[string]string{"id": "did:web:example.org#key-1", "controller": issuer}), nil,
			"key KEY names did:web:example.org#key-1 as its id, which is not a verification method of its controller did:web:example.edu (want did:web:example.edu#…); pass --vm"},
		{"id and verificationMethod differ", by(issuer), pair(map[string]string{"id": issuer + "#key-1", "verificationMethod": issuer + "#key-2"}), nil,
			"KEY: its id did:web:example.edu#key-1 and verificationMethod did:web:example.edu#key-2 differ"},
		{"did:key of another key", by("did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"), jwkWith(didKeyVM), nil,
			"the issuer did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi is a did:key of another key than KEY; pass --vm"},
		{"did:key of another key, its id in the file", by("did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"), jwkWith("did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"), nil,
			"the issuer did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi is a did:key of another key than KEY; pass --vm"},
		{"did:jwk of another key", by(otherJWK), jwkWith(otherJWK + "#0"), nil,
			"the issuer " + otherJWK + " is a did:jwk of another key than KEY; pass --vm"},
		{"no issuer id", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":{"name":"x"},"credentialSubject":{"id":"did:example:1"}}`, jwkWith(""), []string{"--no-check"},
			"the credential names no issuer id; pass --vm"},
	} {
		t.Run(c.name, func(t *testing.T) {
			key := filepath.Join(t.TempDir(), "issuer.key")
			writePrivate(t, key, c.file)
			args := append(append([]string{"sign", "--key", key}, c.args...), "-")
			status, stdout, stderr := call(t, c.credential, args...)
			wantCantRun(t, status, stdout, stderr, "openbadges sign: "+strings.ReplaceAll(c.want, "KEY", key)+"\n")
		})
	}
}

// TestSignSelfIssuer: a did:key or did:jwk issuer is its key, and sign
// names that DID's own method, whatever the key file's kid says; it was
// <did:jwk>#<publicKeyMultibase> for a did:jwk, which no did:jwk has.
func TestSignSelfIssuer(t *testing.T) {
	unsigned, err := os.ReadFile("testdata/sign/unsigned-credential.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		typ  keys.Type
		did  func(crypto.PublicKey) (string, error)
		vm   func(crypto.PublicKey) (string, error)
		args []string
	}{
		{"did:key, Ed25519", keys.Ed25519, keys.DIDKey, keys.DIDKeyVerificationMethod, nil},
		{"did:key, P-256, JWT", keys.P256, keys.DIDKey, keys.DIDKeyVerificationMethod, []string{"--format", "jwt"}},
		{"did:jwk, P-256", keys.P256, keys.DIDJWK, keys.DIDJWKVerificationMethod, nil},
		{"did:jwk, Ed25519, VC-JOSE", keys.Ed25519, keys.DIDJWK, keys.DIDJWKVerificationMethod, []string{"--format", "vc+jwt"}},
		{"did:jwk, RSA, JWT", keys.RSA2048, keys.DIDJWK, keys.DIDJWKVerificationMethod, []string{"--format", "jwt"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			signer := mustGenerate(t, c.typ)
			id, err := c.did(signer.Public())
			if err != nil {
				t.Fatal(err)
			}
			want, err := c.vm(signer.Public())
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			// The kid names a method of another DID: the issuer's own wins.
			jwk, err := keys.PrivateJWK(signer, "did:web:example.edu#key-1")
			if err != nil {
				t.Fatal(err)
			}
			key := filepath.Join(dir, "issuer.jwk")
			writePrivate(t, key, jwk)
			credential := strings.Replace(string(unsigned), `"https://example.edu/issuers/565049"`, `"`+id+`"`, 1)
			status, signed, stderr := call(t, credential, append(append([]string{"sign", "--key", key}, c.args...), "-")...)
			if status != exitOK {
				t.Fatalf("sign: exit status %d: %s", status, stderr)
			}
			file := filepath.Join(dir, "signed")
			if err := os.WriteFile(file, []byte(signed), 0o600); err != nil {
				t.Fatal(err)
			}
			if got := signedKeyID(t, file); got != want {
				t.Errorf("the credential names %q, want %q", got, want)
			}
			status, stdout, _ := call(t, "", "verify", file)
			if status != exitOK || !strings.Contains(stdout, " by "+id+" (key bound to its controller: self)\n") {
				t.Errorf("verify: exit %d, want 0, bound to itself:\n%s", status, stdout)
			}
		})
	}
}

func mustGenerate(t *testing.T, typ keys.Type) crypto.Signer {
	t.Helper()
	s, err := keys.Generate(typ)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
