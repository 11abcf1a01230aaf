package jose

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// jwtCorpus returns every compact JWS in the module's testdata
// directories (.jwt files and the W3C vectors' .txt ones), and their
// payloads re-signed with other headers, for the equivalence tests of the
// functions rewritten to spend less memory against their old versions
// (oracle_test.go).
func jwtCorpus(tb testing.TB) map[string][]byte {
	tb.Helper()
	root := filepath.Join("..", "..")
	out := map[string][]byte{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); name == "node_modules" || name == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.Contains(filepath.ToSlash(path), "/testdata/") {
			return nil
		}
		if ext := filepath.Ext(path); ext != ".jwt" && ext != ".txt" && ext != ".jws" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if IsCompact(bytes.TrimSpace(b)) {
			out[filepath.ToSlash(path)] = b
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if len(out) < 20 {
		tb.Fatalf("found %d compact JWS in testdata, want at least 20", len(out))
	}
	return out
}

// equivalenceSeeds are tokens at the edges: presentations, a payload
// with a vp claim but a credential's typ, bad base64, extra dots.
var equivalenceSeeds = []string{
	"e30.e30.e30",
	"e30.eyJ2cCI6e319.e30",                       // {} . {"vp":{}}
	"eyJ0eXAiOiJ2cCtqd3QifQ.e30.e30",             // {"typ":"vp+jwt"}
	"eyJ0eXAiOiJ2Yytqd3QifQ.eyJ2cCI6e319.e30",    // vc+jwt with a vp claim
	"eyJ0eXAiOiJKV1QifQ.eyJ2cCI6MX0.e30",         // JWT, {"vp":1}
	"eyJ0eXAiOiJKV1QifQ.eyJ4IjoiXCJ2cFwiIn0.e30", // "vp" only inside a string
	"e30.e30",
	"e30.e30.e30.e30",
	"e3=.e30.e30",
	"!!.e30.e30",
	" e30.eyJ2cCI6W119.e30 \n",
	"",
	"..",
}

func TestIsPresentationTokenEquivalence(t *testing.T) {
	check := func(name string, token []byte) {
		if got, want := IsPresentationToken(token), isPresentationTokenOld(token); got != want {
			t.Errorf("%s: IsPresentationToken = %v, the old one %v", name, got, want)
		}
	}
	for name, token := range jwtCorpus(t) {
		check(name, token)
	}
	for _, s := range equivalenceSeeds {
		check(s, []byte(s))
	}
}

func FuzzIsPresentationTokenEquivalence(f *testing.F) {
	for _, token := range jwtCorpus(f) {
		f.Add(token)
	}
	for _, s := range equivalenceSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, token []byte) {
		if got, want := IsPresentationToken(token), isPresentationTokenOld(token); got != want {
			t.Fatalf("IsPresentationToken(%q) = %v, the old one %v", token, got, want)
		}
	})
}

// samePayload checks readPayload against readPayloadOld, and readHeader
// against readHeaderOld, on one header and payload.
func samePayload(t *testing.T, name string, headerJSON, payload []byte) {
	t.Helper()
	v := &Verifier{}
	var h, hOld Header
	err, errOld := v.readHeader(headerJSON, &h), v.readHeaderOld(headerJSON, &hOld)
	if diff := cmp.Diff(hOld, h); diff != "" || fmt.Sprint(err) != fmt.Sprint(errOld) {
		t.Fatalf("%s: readHeader(%q): %v, the old one %v; header (-old +new):\n%s", name, headerJSON, err, errOld, diff)
	}
	headers := []Header{h, {Type: "JWT"}, {Type: "vc+jwt"}, {Type: "application/vc+ld+json+jwt", ContentType: "vc"}, {Type: "vc+jwt", ContentType: "x"}, {Type: "vp+jwt"}}
	for _, h := range headers {
		res := &Result{Payload: payload, Header: h}
		old := &Result{Payload: payload, Header: h}
		err, errOld := readPayload(res), readPayloadOld(old)
		if fmt.Sprint(err) != fmt.Sprint(errOld) {
			t.Fatalf("%s: typ %q: readPayload(%q) = %v, the old one %v", name, h.Type, payload, err, errOld)
		}
		if diff := cmp.Diff(old, res, cmp.AllowUnexported(Result{}, facts{})); diff != "" {
			t.Fatalf("%s: typ %q: readPayload(%q) (-old +new):\n%s", name, h.Type, payload, diff)
		}
	}
}

var payloadSeeds = []string{
	`{}`, `[]`, `{"iss":1}`, `{"iss":null,"jti":null,"sub":null,"nbf":null,"exp":null,"iat":null,"aud":null}`,
	`{"iss":"a","aud":["x",1]}`, `{"aud":"x","iat":"2020-01-01T00:00:00Z","nbf":1e20}`, `{"vc":{},"vp":1}`,
	`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":{"id":"did:example:1"},"iss":"did:example:1","nbf":1577836800,"validFrom":"2020-01-01T00:00:00Z","credentialSubject":[{"id":"did:example:s"}],"sub":"did:example:s","jti":"urn:x","id":"urn:x"}`,
	`{"iss":"a","iss":"b"}`, `{"a":"\u00e9\ud800"}`, `{"exp":-1}`, `{"nbf":1.5e0}`,
}

func TestReadPayloadEquivalence(t *testing.T) {
	for name, token := range jwtCorpus(t) {
		_, headerJSON, payload, _, err := splitCompact(token, DefaultMaxBytes)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		samePayload(t, name, headerJSON, payload)
	}
	for _, s := range payloadSeeds {
		samePayload(t, s, []byte(`{"alg":"EdDSA"}`), []byte(s))
	}
}

func FuzzReadPayloadEquivalence(f *testing.F) {
	for _, token := range jwtCorpus(f) {
		if _, headerJSON, payload, _, err := splitCompact(token, DefaultMaxBytes); err == nil {
			f.Add(headerJSON, payload)
		}
	}
	for _, s := range payloadSeeds {
		f.Add([]byte(`{"alg":"ES256","typ":"JWT","jwk":{"kty":"EC"},"x5u":1}`), []byte(s))
	}
	f.Fuzz(func(t *testing.T, headerJSON, payload []byte) {
		samePayload(t, "fuzz", headerJSON, payload)
	})
}

// sameSplit checks splitCompactInto, decoding the header into a reused
// buffer, against splitCompact, and that the Header read from that buffer
// does not change when the buffer is reused.
func sameSplit(t *testing.T, name string, token []byte) {
	t.Helper()
	buf := bytes.Repeat([]byte{'x'}, 64)
	_, h1, p1, _, err1 := splitCompact(token, DefaultMaxBytes)
	_, h2, p2, _, err2 := splitCompactInto(token, DefaultMaxBytes, buf)
	if fmt.Sprint(err1) != fmt.Sprint(err2) || !bytes.Equal(h1, h2) || !bytes.Equal(p1, p2) {
		t.Fatalf("%s: splitCompactInto(%q) = %q, %q, %v; splitCompact %q, %q, %v", name, token, h2, p2, err2, h1, p1, err1)
	}
	if err1 != nil {
		return
	}
	v := &Verifier{}
	var h, hOld Header
	err, errOld := v.readHeader(h2, &h), v.readHeaderOld(h1, &hOld)
	for i := range h2 {
		h2[i] = '!' // the buffer reused
	}
	if diff := cmp.Diff(hOld, h); diff != "" || fmt.Sprint(err) != fmt.Sprint(errOld) {
		t.Fatalf("%s: readHeader from a reused buffer: %v, the old one %v; (-old +new):\n%s", name, err, errOld, diff)
	}
}

var headerSeeds = []string{
	`{"alg":"ES256","jwk":{"kty":"EC","crv":"P-256","x":"a","y":"b"},"typ":"JWT"}`,
	`{"alg":"EdDSA","kid":"did:key:z6Mk#z6Mk","typ":"vc+jwt","cty":"vc"}`,
	`{"alg":"none"}`, `{"alg":1}`, `{"alg":null,"kid":null}`, `{"alg":"HS256","jwk":null}`, `{"x5u":"https://x"}`, `[]`, `{`,
}

func TestSplitCompactEquivalence(t *testing.T) {
	for name, token := range jwtCorpus(t) {
		sameSplit(t, name, token)
	}
	for _, h := range headerSeeds {
		token := []byte(base64.RawURLEncoding.EncodeToString([]byte(h)) + ".e30.e30")
		sameSplit(t, h, token)
	}
	for _, s := range equivalenceSeeds {
		sameSplit(t, s, []byte(s))
	}
}

func FuzzSplitCompactEquivalence(f *testing.F) {
	for _, token := range jwtCorpus(f) {
		f.Add(token)
	}
	for _, h := range headerSeeds {
		f.Add([]byte(base64.RawURLEncoding.EncodeToString([]byte(h)) + ".e30.e30"))
	}
	f.Fuzz(func(t *testing.T, token []byte) {
		sameSplit(t, "fuzz", token)
	})
}
