package dataintegrity

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/piprate/json-gold/ld"

	"github.com/go-openbadges/openbadges/internal/cputime"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/schema"
)

// benchCreated is the created time of every benchmark proof.
var benchCreated = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)

// benchCredential returns testdata/bench/typical.json, a typical OB 3.0
// AchievementCredential (what the issuer package makes for a course with a
// result, evidence and a status entry) issued by the did:key of testKey,
// with n alignments added to its achievement (none for n = 0).
func benchCredential(tb testing.TB, n int) []byte {
	tb.Helper()
	doc, err := os.ReadFile("testdata/bench/typical.json")
	if err != nil {
		tb.Fatal(err)
	}
	if n == 0 {
		return doc
	}
	var al []string
	for i := range n {
		al = append(al, fmt.Sprintf(`{"type":["Alignment"],"targetName":"Skill %d","targetUrl":"https://example.com/skills/%d","targetFramework":"Example Framework","targetCode":"S%d","targetType":"ceasn:Competency"}`, i, i, i))
	}
	out := bytes.Replace(doc, []byte(`"criteria"`), []byte(`"alignment": [`+strings.Join(al, ",")+`],
      "criteria"`), 1)
	if bytes.Equal(out, doc) {
		tb.Fatal("typical.json has no criteria to put alignments before")
	}
	return out
}

// benchSigner signs with testKey, the key of typical.json's issuer.
func benchSigner(tb testing.TB, suite string) *Signer {
	tb.Helper()
	key := testKey(tb)
	vm, err := keys.DIDKeyVerificationMethod(key.Public())
	if err != nil {
		tb.Fatal(err)
	}
	return &Signer{Key: key, VerificationMethod: vm, Suite: suite}
}

// BenchmarkIssue adds a proof to the typical credential with each EdDSA
// suite and, side by side, the plain way every Go peer does it
// (eddsa-rdfc-2022-jsongold): json-gold's Normalize of the document and of
// the proof configuration with a caching document loader, SHA-256,
// Ed25519.
func BenchmarkIssue(b *testing.B) {
	doc := benchCredential(b, 0)
	for _, suite := range []string{EdDSARDFC2022, EdDSAJCS2022} {
		s := benchSigner(b, suite)
		b.Run(suite, func(b *testing.B) { benchIssue(b, s, doc) })
	}
	b.Run(EdDSARDFC2022+"-jsongold", func(b *testing.B) { plainSign(b, benchSigner(b, EdDSARDFC2022), doc) })
}

// BenchmarkVerify verifies what BenchmarkIssue signs, side by side with
// the plain json-gold path.
func BenchmarkVerify(b *testing.B) {
	doc := benchCredential(b, 0)
	for _, suite := range []string{EdDSARDFC2022, EdDSAJCS2022} {
		signed := benchSigned(b, suite, doc)
		b.Run(suite, func(b *testing.B) { benchVerify(b, signed) })
	}
	s := benchSigner(b, EdDSARDFC2022)
	b.Run(EdDSARDFC2022+"-jsongold", func(b *testing.B) { plainVerify(b, s, benchSigned(b, EdDSARDFC2022, doc)) })
}

// BenchmarkIssueParallel is BenchmarkIssue/eddsa-rdfc-2022 from every
// core at once: run with -cpu 1,2 to see how issuance scales. Beside it,
// two measures of how far the machine itself scales (two virtual cores
// may share one physical core, a cache, or a neighbour's work): the bare
// Ed25519 signature, which works in registers, and a loop that only walks
// 64 KB of memory of its own, shared with nothing. Each reports
// cpu-ns/op, the process's CPU time per operation, garbage collection
// included. What issuance adds from -cpu 1 to -cpu 2 beyond what the
// memory loop adds is contention of its own (locks, shared cache lines,
// collection).
func BenchmarkIssueParallel(b *testing.B) {
	doc := benchCredential(b, 0)
	s := benchSigner(b, EdDSARDFC2022)
	b.Run("ed25519-signature-only", func(b *testing.B) {
		key := testKey(b)
		msg := make([]byte, 64)
		runParallelCPU(b, func() func() error {
			return func() error {
				ed25519.Sign(key, msg)
				return nil
			}
		})
	})
	b.Run("private-memory-only", func(b *testing.B) {
		runParallelCPU(b, func() func() error {
			buf := make([]byte, 64<<10)
			return func() error {
				for k := 0; k < len(buf); k += 64 { // a byte per cache line
					buf[k]++
				}
				return nil
			}
		})
	})
	issue := func(b *testing.B) {
		b.ReportAllocs()
		ctx := context.Background()
		opts := &ProofOptions{Created: benchCreated}
		runParallelCPU(b, func() func() error {
			return func() error {
				_, err := s.Sign(ctx, doc, opts)
				return err
			}
		})
	}
	b.Run(EdDSARDFC2022, issue)
	// The same in a program that keeps 64 MB alive, as a server with its
	// caches and connection pools does. This benchmark alone keeps about
	// 1 MB, under the runtime's 4 MB minimum heap goal, so it collects
	// every few hundred credentials, and each collection cycle costs 2
	// cores more than 1 (stopping both, signals, wake-ups); with a larger
	// live heap, cycles come as rarely as GOGC lets them.
	var live [][]byte
	b.Run(EdDSARDFC2022+"-64MB-live", func(b *testing.B) {
		if live == nil {
			live = make([][]byte, 64)
			for i := range live {
				live[i] = make([]byte, 1<<20)
			}
			runtime.GC()
			b.ResetTimer()
		}
		issue(b)
	})
	runtime.KeepAlive(live)
}

// runParallelCPU runs, from every core as b.RunParallel does, the
// operation newOp makes for each goroutine, and reports the process's CPU
// time per operation as cpu-ns/op where the platform tells it.
func runParallelCPU(b *testing.B, newOp func() func() error) {
	start, ok := cputime.Process()
	b.RunParallel(func(pb *testing.PB) {
		op := newOp()
		for pb.Next() {
			if err := op(); err != nil {
				b.Error(err)
				return
			}
		}
	})
	if end, _ := cputime.Process(); ok {
		b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkAlignments issues and verifies the typical credential with 1,
// 10, 100 and 1,000 alignments: the cost should grow linearly with the
// size, the same per alignment from 10 to 1,000. The
// 100-alignment credential also runs the plain json-gold path.
func BenchmarkAlignments(b *testing.B) {
	s := benchSigner(b, EdDSARDFC2022)
	for _, n := range []int{1, 10, 100, 1000} {
		doc := benchCredential(b, n)
		b.Run(fmt.Sprintf("issue/alignments=%d", n), func(b *testing.B) { benchIssue(b, s, doc) })
		signed := benchSigned(b, EdDSARDFC2022, doc)
		b.Run(fmt.Sprintf("verify/alignments=%d", n), func(b *testing.B) { benchVerify(b, signed) })
		if n == 100 {
			b.Run("issue/alignments=100-jsongold", func(b *testing.B) { plainSign(b, s, doc) })
		}
	}
}

// inlineCredential returns the typical credential with an inline context
// of at least size bytes after its context URLs: terms "t0":
// "https://example.com/t0", ... that the document does not use, what an
// attacker adds to make a credential costly to verify.
func inlineCredential(tb testing.TB, size int) []byte {
	tb.Helper()
	var ctx bytes.Buffer
	ctx.WriteString(`{`)
	for i := 0; ctx.Len() < size; i++ {
		if i > 0 {
			ctx.WriteByte(',')
		}
		fmt.Fprintf(&ctx, `"t%d":"https://example.com/t%d"`, i, i)
	}
	ctx.WriteString(`}`)
	doc := benchCredential(tb, 0)
	last := []byte(`"https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"`)
	out := bytes.Replace(doc, last, append(append(append([]byte{}, last...), ','), ctx.Bytes()...), 1)
	if bytes.Equal(out, doc) {
		tb.Fatal("typical.json has no extensions context to put the inline one after")
	}
	return out
}

// BenchmarkInlineContext issues and verifies the typical credential with
// an inline context of 100 KiB, 1 MiB and 10 MiB that it does not use,
// with the limits on inline contexts lifted (and on the document's size
// raised), each time with a new Signer or Verifier sharing the Loader:
// what is paid for a context not met before, which is what an attacker
// sends. The cost must grow linearly with the size, ns/op and B/op ten
// times larger at each step. By default such contexts are refused (see
// TestInlineContextRefused).
func BenchmarkInlineContext(b *testing.B) {
	l, err := schema.NewLoader(schema.LoaderOptions{MaxInlineContextBytes: -1, MaxInlineContextTerms: -1})
	if err != nil {
		b.Fatal(err)
	}
	limits := Limits{MaxBytes: 32 << 20}
	signer := func() *Signer {
		s := benchSigner(b, EdDSARDFC2022)
		s.Loader, s.Limits = l, limits
		return s
	}
	ctx := context.Background()
	opts := &ProofOptions{Created: benchCreated}
	for _, size := range []int{100 << 10, 1 << 20, 10 << 20} {
		doc := inlineCredential(b, size)
		name := fmt.Sprintf("%dKiB", size>>10)
		b.Run("issue/"+name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(doc)))
			for b.Loop() {
				if _, err := signer().Sign(ctx, doc, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
		signed, err := signer().Sign(ctx, doc, opts)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("verify/"+name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(signed)))
			for b.Loop() {
				res, err := (&Verifier{Loader: l, Limits: limits}).Verify(ctx, signed)
				if err != nil || !res.Verified {
					b.Fatal(err, res.Err())
				}
			}
		})
	}
}

func benchIssue(b *testing.B, s *Signer, doc []byte) {
	b.ReportAllocs()
	b.SetBytes(int64(len(doc)))
	ctx := context.Background()
	opts := &ProofOptions{Created: benchCreated}
	for b.Loop() {
		if _, err := s.Sign(ctx, doc, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func benchSigned(b *testing.B, suite string, doc []byte) []byte {
	signed, err := benchSigner(b, suite).Sign(context.Background(), doc, &ProofOptions{Created: benchCreated})
	if err != nil {
		b.Fatal(err)
	}
	return signed
}

func benchVerify(b *testing.B, signed []byte) {
	b.ReportAllocs()
	b.SetBytes(int64(len(signed)))
	ctx := context.Background()
	v := &Verifier{}
	for b.Loop() {
		res, err := v.Verify(ctx, signed)
		if err != nil || !res.Verified {
			b.Fatal(err, res.Err())
		}
	}
}

func plainOptions(tb testing.TB) *ld.JsonLdOptions {
	l, err := schema.NewLoader(schema.LoaderOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = l
	opts.Algorithm = ld.AlgorithmURDNA2015
	opts.Format = "application/n-quads"
	return opts
}

func plainHash(tb testing.TB, proc *ld.JsonLdProcessor, opts *ld.JsonLdOptions, doc, cfg map[string]any) []byte {
	nd, err := proc.Normalize(doc, opts)
	if err != nil {
		tb.Fatal(err)
	}
	np, err := proc.Normalize(cfg, opts)
	if err != nil {
		tb.Fatal(err)
	}
	dh := sha256.Sum256([]byte(nd.(string)))
	ph := sha256.Sum256([]byte(np.(string)))
	return append(ph[:], dh[:]...)
}

func plainConfig(m map[string]any, vm string) map[string]any {
	return map[string]any{"@context": m["@context"], "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
		"created": benchCreated.Format(time.RFC3339), "verificationMethod": vm, "proofPurpose": "assertionMethod"}
}

func plainSign(b *testing.B, s *Signer, doc []byte) {
	b.ReportAllocs()
	b.SetBytes(int64(len(doc)))
	opts := plainOptions(b)
	proc := ld.NewJsonLdProcessor()
	key := s.Key.(ed25519.PrivateKey)
	for b.Loop() {
		var m map[string]any
		if err := json.Unmarshal(doc, &m); err != nil {
			b.Fatal(err)
		}
		cfg := plainConfig(m, s.VerificationMethod)
		sig := ed25519.Sign(key, plainHash(b, proc, opts, m, cfg))
		m["proof"] = cfg
		cfg["proofValue"] = sig
		if _, err := json.Marshal(m); err != nil {
			b.Fatal(err)
		}
	}
}

func plainVerify(b *testing.B, s *Signer, signed []byte) {
	b.ReportAllocs()
	b.SetBytes(int64(len(signed)))
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
		s := benchSigner(t, EdDSARDFC2022)
		doc := benchCredential(t, n)
		_, diag, err := s.sign(context.Background(), doc, &ProofOptions{Created: benchCreated}, true)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(doc, &m); err != nil {
			t.Fatal(err)
		}
		got := plainHash(t, ld.NewJsonLdProcessor(), plainOptions(t), m, plainConfig(m, s.VerificationMethod))
		want := append(append([]byte{}, diag.ProofHash...), diag.DocumentHash...)
		if !bytes.Equal(got, want) {
			t.Errorf("alignments=%d: the json-gold path hashes differently", n)
		}
	}
}

// BenchmarkNewSigner signs the typical credential with a Signer made for
// the call (new-per-call), as issuer.Endorser and any caller that builds
// one per request do, beside one Signer reused (reused): the contexts
// prepared for the default Loader are shared by the whole process, so the
// two should cost about the same.
func BenchmarkNewSigner(b *testing.B) {
	doc := benchCredential(b, 0)
	ctx := context.Background()
	opts := &ProofOptions{Created: benchCreated}
	b.Run("reused", func(b *testing.B) { benchIssue(b, benchSigner(b, EdDSARDFC2022), doc) })
	b.Run("new-per-call", func(b *testing.B) {
		key := benchSigner(b, EdDSARDFC2022)
		b.ReportAllocs()
		for b.Loop() {
			s := &Signer{Key: key.Key, VerificationMethod: key.VerificationMethod}
			if _, err := s.Sign(ctx, doc, opts); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkNewVerifier verifies the typical credential with a Verifier
// made for the call (new-per-call), as the status list check does, beside
// one Verifier reused (reused).
func BenchmarkNewVerifier(b *testing.B) {
	signed := benchSigned(b, EdDSARDFC2022, benchCredential(b, 0))
	ctx := context.Background()
	b.Run("reused", func(b *testing.B) { benchVerify(b, signed) })
	b.Run("new-per-call", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			res, err := (&Verifier{}).Verify(ctx, signed)
			if err != nil || !res.Verified {
				b.Fatal(err, res.Err())
			}
		}
	})
}
