package dataintegrity

import (
	"bytes"
	"context"
	"crypto"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/keys"
)

// vector is one signing chain of the W3C and 1EdTech test vectors: an
// unsigned document, the proof options, every intermediate value, and the
// signed document.
type vector struct {
	name     string
	dir      string // under testdata
	unsigned string // relative to testdata
	key      string // key pair file, relative to testdata
	suffix   string // of the files in dir: "DataInt", "JCS", "ECDSAP256", …
	// nqHashes: the hash files hold hex without a trailing newline.
	deterministic bool // Ed25519: the proofValue is reproduced exactly
	// proof is the proof type for legacy suites (verify only).
	legacy bool
	// verifyErr is what verifying the signed vector must fail with: the
	// W3C vectors sign as a did:key that is not their issuer.
	verifyErr error
	// file names when they do not follow the pattern
	proofConfig, canonDoc, proofCanon, docHash, signed string
}

func (v *vector) path(name string) string { return filepath.Join("testdata", v.dir, name) }

func (v *vector) file(t *testing.T, pattern, override string) []byte {
	t.Helper()
	name := override
	if name == "" {
		name = strings.ReplaceAll(pattern, "*", v.suffix)
	}
	b, err := os.ReadFile(v.path(name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func vectors() []vector {
	return []vector{
		{name: "eddsa-rdfc-2022", dir: "di-eddsa/TestVectors/eddsa-rdfc-2022", unsigned: "di-eddsa/TestVectors/unsigned.json", key: "di-eddsa/TestVectors/keyPair.json", suffix: "DataInt", deterministic: true, verifyErr: ErrControllerMismatch},
		{name: "eddsa-rdfc-2022 employ", dir: "di-eddsa/TestVectors/eddsa-rdfc-2022/employ", unsigned: "di-eddsa/TestVectors/employmentAuth.json", key: "di-eddsa/TestVectors/keyPair.json", suffix: "DataInt", deterministic: true, verifyErr: ErrControllerMismatch},
		{name: "eddsa-jcs-2022", dir: "di-eddsa/TestVectors/eddsa-jcs-2022", unsigned: "di-eddsa/TestVectors/unsigned.json", key: "di-eddsa/TestVectors/keyPair.json", suffix: "JCS", deterministic: true, verifyErr: ErrControllerMismatch},
		{name: "Ed25519Signature2020", dir: "di-eddsa/TestVectors/Ed25519Signature2020", unsigned: "di-eddsa/TestVectors/unsigned.json", key: "di-eddsa/TestVectors/keyPair.json", suffix: "EdSig", deterministic: true, legacy: true, verifyErr: ErrControllerMismatch},
		{name: "ecdsa-rdfc-2019 P-256", dir: "di-ecdsa/TestVectors/ecdsa-rdfc-2019-p256", unsigned: "di-ecdsa/TestVectors/unsigned.json", key: "di-ecdsa/TestVectors/p256KeyPair.json", suffix: "ECDSAP256", verifyErr: ErrControllerMismatch},
		{name: "ecdsa-rdfc-2019 P-256 employ", dir: "di-ecdsa/TestVectors/ecdsa-rdfc-2019-p256/employ", unsigned: "di-ecdsa/TestVectors/employmentAuth.json", key: "di-ecdsa/TestVectors/p256KeyPair.json", suffix: "ECDSAP256", verifyErr: ErrControllerMismatch},
		{name: "ecdsa-rdfc-2019 P-384", dir: "di-ecdsa/TestVectors/ecdsa-rdfc-2019-p384", unsigned: "di-ecdsa/TestVectors/unsigned.json", key: "di-ecdsa/TestVectors/p384KeyPair.json", suffix: "ECDSAP384", verifyErr: ErrControllerMismatch},
		{name: "ecdsa-rdfc-2019 P-384 employ", dir: "di-ecdsa/TestVectors/ecdsa-rdfc-2019-p384/employ", unsigned: "di-ecdsa/TestVectors/employmentAuth.json", key: "di-ecdsa/TestVectors/p384KeyPair.json", suffix: "ECDSAP384", verifyErr: ErrControllerMismatch},
		{name: "ecdsa-jcs-2019 P-256", dir: "di-ecdsa/TestVectors/ecdsa-jcs-2019-p256", unsigned: "di-ecdsa/TestVectors/unsigned.json", key: "di-ecdsa/TestVectors/p256KeyPair.json", suffix: "JCSECDSAP256", verifyErr: ErrControllerMismatch},
		{name: "ecdsa-jcs-2019 P-384", dir: "di-ecdsa/TestVectors/ecdsa-jcs-2019-p384", unsigned: "di-ecdsa/TestVectors/unsigned.json", key: "di-ecdsa/TestVectors/p384KeyPair.json", suffix: "JCSECDSAP384", verifyErr: ErrControllerMismatch},
		{
			name: "1EdTech OB 3.0", dir: "di-eddsa/ob3-1edtech", unsigned: "di-eddsa/ob3-1edtech/unsigned-credential.json", key: "di-eddsa/ob3-1edtech/keypair.json", deterministic: true,
			proofConfig: "proof-options.json", canonDoc: "document-canon.nq", proofCanon: "proof-canon.nq", signed: "signed-credential.json",
		},
	}
}

// vectorKey reads a key pair file: Multikey secretKeyMultibase (or the
// older privateKeyMultibase name).
func vectorKey(t *testing.T, path string) crypto.Signer {
	t.Helper()
	var kp struct {
		Secret  string `json:"secretKeyMultibase"`
		Private string `json:"privateKeyMultibase"`
	}
	readJSON(t, path, &kp)
	s := kp.Secret + kp.Private
	signer, err := keys.ParseSecretKeyMultibase(s)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return signer
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// jsonEqual compares two JSON texts as values.
func jsonEqual(t *testing.T, got, want []byte) string {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("got is not JSON: %v\n%s", err, got)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("want is not JSON: %v", err)
	}
	return cmp.Diff(w, g)
}

// TestVectorsSign replays every vector's signing chain: the canonical
// document, the canonical proof configuration and both hashes must be
// reproduced byte for byte, and, for Ed25519 (deterministic), the proofValue
// and the whole signed document. ECDSA signatures are randomized, so there
// the signature made here must verify instead.
func TestVectorsSign(t *testing.T) {
	for _, v := range vectors() {
		t.Run(v.name, func(t *testing.T) {
			var cfg struct {
				Created            string `json:"created"`
				VerificationMethod string `json:"verificationMethod"`
				Cryptosuite        string `json:"cryptosuite"`
				Type               string `json:"type"`
			}
			readJSON(t, v.path(orDefault(v.proofConfig, "proofConfig"+v.suffix+".json")), &cfg)
			key := vectorKey(t, filepath.Join("testdata", v.key))
			created, err := time.Parse(time.RFC3339, cfg.Created)
			if err != nil {
				t.Fatal(err)
			}
			unsigned := readFile(t, filepath.Join("testdata", v.unsigned))

			var got []byte
			var diag *Diagnostics
			if v.legacy {
				diag = legacyDiagnostics(t, unsigned, v.path("proofConfig"+v.suffix+".json"))
			} else {
				s := &Signer{Key: key, VerificationMethod: cfg.VerificationMethod, Suite: cfg.Cryptosuite, Check: true, ProofObject: true}
				got, diag, err = s.sign(context.Background(), unsigned, &ProofOptions{Created: created}, true)
				if err != nil {
					t.Fatal(err)
				}
			}
			checkText(t, "canonical document", diag.CanonicalDocument, v.file(t, "canonDoc*.txt", v.canonDoc))
			checkText(t, "canonical proof", diag.CanonicalProof, v.file(t, "proofCanon*.txt", v.proofCanon))
			if v.docHash == "" && v.proofCanon == "" {
				checkText(t, "document hash", []byte(hex.EncodeToString(diag.DocumentHash)), v.file(t, "docHash*.txt", ""))
				checkText(t, "proof hash", []byte(hex.EncodeToString(diag.ProofHash)), v.file(t, "proofHash*.txt", ""))
				checkText(t, "combined hash", []byte(hex.EncodeToString(diag.ProofHash)+hex.EncodeToString(diag.DocumentHash)), v.file(t, "combinedHash*.txt", ""))
			} else {
				var hs struct {
					DocumentHashHex, ProofHashHex, ProofValue string
				}
				readJSON(t, v.path("hashes-and-signature.json"), &hs)
				checkText(t, "document hash", []byte(hex.EncodeToString(diag.DocumentHash)), []byte(hs.DocumentHashHex))
				checkText(t, "proof hash", []byte(hex.EncodeToString(diag.ProofHash)), []byte(hs.ProofHashHex))
			}
			signed := v.file(t, "signed*.json", v.signed)
			if v.deterministic && !v.legacy {
				if d := jsonEqual(t, got, signed); d != "" {
					t.Errorf("signed document differs from the vector (-want +got):\n%s", d)
				}
			}
			// What we signed verifies, with the same outcome as the
			// vector's own signed document.
			ver := &Verifier{Resolver: vectorResolver(t)}
			docs := map[string][]byte{"ours": got, "vector": signed}
			if v.legacy {
				delete(docs, "ours") // verified only
			}
			for name, doc := range docs {
				res, err := ver.Verify(context.Background(), doc)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				checkOutcome(t, name, res, v.verifyErr)
			}
		})
	}
}

func orDefault(s, def string) string {
	if s != "" {
		return s
	}
	return def
}

// vectorResolver resolves did:key methods and the 1EdTech vector's https
// method from the controller document built for it (see the testdata
// README: the vector publishes the key, not a document).
func vectorResolver(t *testing.T) did.Resolver {
	doc := readFile(t, "testdata/di-eddsa/ob3-1edtech/controller-document.SYNTHESIZED.json")
	return did.NewResolver(did.Options{Documents: map[string][]byte{"https://example.edu/issuers/565049": doc}})
}

// checkOutcome checks a Result of one proof: its signature valid, and
// verified unless wantErr says why not.
func checkOutcome(t *testing.T, name string, res *Result, wantErr error) {
	t.Helper()
	if len(res.Proofs) != 1 {
		t.Fatalf("%s: %d proofs, want 1", name, len(res.Proofs))
	}
	p := res.Proofs[0]
	if !p.SignatureValid {
		t.Errorf("%s: signature does not verify: %v", name, p.Err)
	}
	switch {
	case wantErr == nil && (!res.Verified || p.Err != nil):
		t.Errorf("%s: not verified: %v", name, p.Err)
	case wantErr != nil && (res.Verified || !errors.Is(p.Err, wantErr)):
		t.Errorf("%s: Verified=%v, err %v; want an error wrapping %v", name, res.Verified, p.Err, wantErr)
	}
}

func checkText(t *testing.T, what string, got, want []byte) {
	t.Helper()
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (-want +got):\n%s", what, cmp.Diff(string(want), string(got)))
	}
}

// legacyDiagnostics computes the intermediate values of an
// Ed25519Signature2020 proof, which this package verifies but does not
// create.
func legacyDiagnostics(t *testing.T, unsigned []byte, configPath string) *Diagnostics {
	t.Helper()
	e := &engine{}
	e.init(nil, Limits{}, false)
	d, err := e.parseDocument(unsigned)
	if err != nil {
		t.Fatal(err)
	}
	var cfg map[string]any
	readJSON(t, configPath, &cfg)
	s, err := suiteFor(TypeEd25519Signature2020, "")
	if err != nil {
		t.Fatal(err)
	}
	// The vector's proof configuration carries the document's context plus
	// the suite's; the document it signs is the unsigned one with that
	// context (digitalbazaar adds the suite context before signing).
	doc := input{m: shallowWith(d.unsecured(), "@context", cfg["@context"])}
	_, diag, err := e.hashData(context.Background(), s, crypto.SHA256, doc, cfg, true)
	if err != nil {
		t.Fatal(err)
	}
	return diag
}
