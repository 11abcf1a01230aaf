package dataintegrity

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/piprate/json-gold/ld"

	"github.com/go-openbadges/openbadges/schema"
)

// benchCredential returns a typical OB 3.0 credential issued by the
// did:key of key, with n alignments on its achievement.
func benchCredential(b testing.TB, n int) (*Signer, []byte) {
	s, doc := didKeySigner(b, testKey(b), "")
	// json-gold writes control characters raw, so the plain path could not
	// verify what is signed here; the benchmark credential has none.
	doc = bytes.Replace(doc, []byte(`\u0007 `), nil, 1)
	if n == 0 {
		return s, doc
	}
	var al []string
	for i := range n {
		al = append(al, fmt.Sprintf(`{"type":["Alignment"],"targetName":"Skill %d","targetUrl":"https://example.com/skills/%d","targetFramework":"Example Framework","targetCode":"S%d"}`, i, i, i))
	}
	doc = bytes.Replace(doc, []byte(`"criteria"`), []byte(`"alignment": [`+strings.Join(al, ",")+`],
      "criteria"`), 1)
	return s, doc
}

// BenchmarkSign signs with eddsa-rdfc-2022 here and, side by side, the
// plain way every Go peer does it: json-gold's Normalize (URDNA2015) of the
// document and of the proof configuration, SHA-256, Ed25519.
func BenchmarkSign(b *testing.B) {
	for _, n := range []int{0, 100} {
		s, doc := benchCredential(b, n)
		opts := &ProofOptions{Created: time.Unix(1700000000, 0)}
		b.Run(fmt.Sprintf("alignments=%d/openbadges", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Sign(context.Background(), doc, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("alignments=%d/json-gold-normalize", n), func(b *testing.B) {
			b.ReportAllocs()
			plainSign(b, s, doc)
		})
	}
}

// BenchmarkVerify verifies what BenchmarkSign signs, side by side with the
// plain json-gold path.
func BenchmarkVerify(b *testing.B) {
	for _, n := range []int{0, 100} {
		s, doc := benchCredential(b, n)
		signed, err := s.Sign(context.Background(), doc, &ProofOptions{Created: time.Unix(1700000000, 0)})
		if err != nil {
			b.Fatal(err)
		}
		v := &Verifier{}
		b.Run(fmt.Sprintf("alignments=%d/openbadges", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, err := v.Verify(context.Background(), signed)
				if err != nil || !res.Verified {
					b.Fatal(err, res.Err())
				}
			}
		})
		b.Run(fmt.Sprintf("alignments=%d/json-gold-normalize", n), func(b *testing.B) {
			b.ReportAllocs()
			plainVerify(b, s, signed)
		})
	}
}

func plainOptions(b testing.TB) *ld.JsonLdOptions {
	l, err := schema.NewLoader(schema.LoaderOptions{})
	if err != nil {
		b.Fatal(err)
	}
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = l
	opts.Algorithm = ld.AlgorithmURDNA2015
	opts.Format = "application/n-quads"
	return opts
}

func plainHash(b testing.TB, proc *ld.JsonLdProcessor, opts *ld.JsonLdOptions, doc, cfg map[string]any) []byte {
	nd, err := proc.Normalize(doc, opts)
	if err != nil {
		b.Fatal(err)
	}
	np, err := proc.Normalize(cfg, opts)
	if err != nil {
		b.Fatal(err)
	}
	dh := sha256.Sum256([]byte(nd.(string)))
	ph := sha256.Sum256([]byte(np.(string)))
	return append(ph[:], dh[:]...)
}

func plainSign(b *testing.B, s *Signer, doc []byte) {
	opts := plainOptions(b)
	proc := ld.NewJsonLdProcessor()
	key := s.Key.(ed25519.PrivateKey)
	for b.Loop() {
		var m map[string]any
		if err := json.Unmarshal(doc, &m); err != nil {
			b.Fatal(err)
		}
		cfg := map[string]any{"@context": m["@context"], "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
			"created": "2023-11-14T22:13:20Z", "verificationMethod": s.VerificationMethod, "proofPurpose": "assertionMethod"}
		sig := ed25519.Sign(key, plainHash(b, proc, opts, m, cfg))
		m["proof"] = cfg
		cfg["proofValue"] = sig
		if _, err := json.Marshal(m); err != nil {
			b.Fatal(err)
		}
	}
}

func plainVerify(b *testing.B, s *Signer, signed []byte) {
	opts := plainOptions(b)
	proc := ld.NewJsonLdProcessor()
	pub := s.Key.Public().(ed25519.PublicKey)
	for b.Loop() {
		var m map[string]any
		if err := json.Unmarshal(signed, &m); err != nil {
			b.Fatal(err)
		}
		proof := m["proof"].([]any)[0].(map[string]any)
		delete(m, "proof")
		pv := proof["proofValue"].(string)
		delete(proof, "proofValue")
		proof["@context"] = m["@context"]
		sig, err := decodeProofValue(pv)
		if err != nil {
			b.Fatal(err)
		}
		if !ed25519.Verify(pub, plainHash(b, proc, opts, m, proof), sig) {
			b.Fatal("plain path does not verify")
		}
	}
}

// TestPlainPathAgrees checks that the benchmarks compare like with like:
// the plain json-gold path hashes the benchmark credentials exactly as
// Sign does.
func TestPlainPathAgrees(t *testing.T) {
	for _, n := range []int{0, 3} {
		s, doc := benchCredential(t, n)
		_, diag, err := s.sign(context.Background(), doc, &ProofOptions{Created: time.Unix(1700000000, 0)})
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(doc, &m); err != nil {
			t.Fatal(err)
		}
		cfg := map[string]any{"@context": m["@context"], "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
			"created": "2023-11-14T22:13:20Z", "verificationMethod": s.VerificationMethod, "proofPurpose": "assertionMethod"}
		got := plainHash(t, ld.NewJsonLdProcessor(), plainOptions(t), m, cfg)
		want := append(append([]byte{}, diag.ProofHash...), diag.DocumentHash...)
		if !bytes.Equal(got, want) {
			t.Errorf("alignments=%d: the json-gold path hashes differently", n)
		}
	}
}
