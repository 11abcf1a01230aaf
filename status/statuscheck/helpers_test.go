package statuscheck

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	. "github.com/go-openbadges/openbadges/status"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/proof/jose"
	"github.com/go-openbadges/openbadges/status/statussign"
)

// ContextVCDM20 is the VCDM 2.0 context URL.
const ContextVCDM20 = credential.ContextVCDM20

// fixedNow is the time tests run at, unless they move the clock.
var fixedNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// clock is a settable clock for Now fields.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// seededRand is a deterministic randomness source for allocation tests.
func seededRand(seed uint64) io.Reader {
	var s [32]byte
	s[0] = byte(seed)
	s[1] = byte(seed >> 8)
	return mrand.NewChaCha8(s)
}

// testIssuer is an issuer with an Ed25519 key whose did:key is its id.
type testIssuer struct {
	key crypto.Signer
	did string
	vm  string
}

func newTestIssuer(t testing.TB, seed byte) *testIssuer {
	t.Helper()
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
	d, err := keys.DIDKey(key.Public())
	if err != nil {
		t.Fatal(err)
	}
	vm, err := keys.DIDKeyVerificationMethod(key.Public())
	if err != nil {
		t.Fatal(err)
	}
	return &testIssuer{key: key, did: d, vm: vm}
}

// diSigner signs with eddsa-rdfc-2022 at a fixed created time.
func (ti *testIssuer) diSigner() Signer {
	return statussign.DataIntegrity(&dataintegrity.Signer{Key: ti.key, VerificationMethod: ti.vm}, &dataintegrity.ProofOptions{Created: fixedNow})
}

// jwtSigner signs an OB 3.0 VC-JWT with the did:key URL as kid.
func (ti *testIssuer) jwtSigner() Signer {
	return statussign.JOSE(&jose.Signer{Key: ti.key, KeyID: ti.vm})
}

// signJSON adds a Data Integrity proof to doc, any JSON value.
func (ti *testIssuer) signJSON(t testing.TB, doc any) []byte {
	t.Helper()
	data, err := jsonobj.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	out, err := ti.diSigner().SignCredential(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// credentialWith returns a minimal unsigned credential of issuer with the
// given credentialStatus entries.
func credentialWith(t testing.TB, id string, issuer any, entries ...any) []byte {
	t.Helper()
	c := map[string]any{
		"@context":          []string{ContextVCDM20, ContextOBExtensions},
		"id":                id,
		"type":              []string{"VerifiableCredential"},
		"issuer":            issuer,
		"validFrom":         "2025-01-01T00:00:00Z",
		"credentialSubject": map[string]any{"id": "did:example:learner"},
	}
	switch len(entries) {
	case 0:
	case 1:
		c["credentialStatus"] = entries[0]
	default:
		c["credentialStatus"] = entries
	}
	data, err := jsonobj.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// bitEntry is a BitstringStatusListEntry as a JSON value.
func bitEntry(listURL string, p Purpose, index int) map[string]any {
	return map[string]any{
		"id":                   fmt.Sprintf("%s#%d", listURL, index),
		"type":                 "BitstringStatusListEntry",
		"statusPurpose":        string(p),
		"statusListIndex":      fmt.Sprint(index),
		"statusListCredential": listURL,
	}
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// countingFetcher serves documents from a map and counts fetches.
type countingFetcher struct {
	mu    sync.Mutex
	docs  map[string][]byte
	count map[string]int
	err   error
}

func (f *countingFetcher) Fetch(ctx context.Context, url string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.count == nil {
		f.count = make(map[string]int)
	}
	f.count[url]++
	if f.err != nil {
		return nil, f.err
	}
	d, ok := f.docs[url]
	if !ok {
		return nil, errors.New("404 not found")
	}
	return d, nil
}

func (f *countingFetcher) fetches(url string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.count[url]
}

// b64 is base64url without padding, for hand-made JWS.
func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func gzipBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func multibase(raw []byte) string { return "u" + base64.RawURLEncoding.EncodeToString(raw) }
