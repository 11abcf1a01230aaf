package verify

import (
	"bytes"
	"encoding/base64"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// legacyInputOld is legacyInput before it decoded a JWS payload into a
// reused buffer: the oracle of TestLegacyInputEquivalence.
func legacyInputOld(form string, text []byte) (ob20Input, bool) {
	switch {
	case len(text) > 0 && text[0] == '{':
		if v := legacyJSON(text); v != "" {
			return ob20Input{form: form, text: text, version: v}, true
		}
	case isHTTPURL(text):
		if form == "" {
			form = "url"
		}
		return ob20Input{form: form, url: string(text), version: "2.0"}, true
	default:
		parts := bytes.Split(text, []byte("."))
		if len(parts) != 3 {
			break
		}
		payload := make([]byte, base64.RawURLEncoding.DecodedLen(len(parts[1])))
		n, err := base64.RawURLEncoding.Decode(payload, parts[1])
		payload = payload[:n]
		if err != nil {
			break
		}
		if v := legacyJSON(payload); v != "" {
			if form == "" {
				form = "jws"
			}
			return ob20Input{form: form, text: payload, token: text, version: v}, true
		}
	}
	return ob20Input{}, false
}

// compactCorpus returns every file in the module's testdata directories
// that is a compact JWS once trimmed (.jwt, .jws, .txt).
func compactCorpus(tb testing.TB) map[string][]byte {
	tb.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(filepath.Join(".."), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); name == "node_modules" || name == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		ext := filepath.Ext(path)
		if !strings.Contains(filepath.ToSlash(path), "/testdata/") || ext != ".jwt" && ext != ".jws" && ext != ".txt" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if t := bytes.TrimSpace(b); bytes.Count(t, []byte(".")) == 2 && !bytes.ContainsAny(t, " \n{") {
			out[filepath.ToSlash(path)] = t
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

var legacyInputSeeds = []string{
	"e30.e30.e30", "e30.e30", "e30.e30.e30.e30", "a.!!.c", "..", "",
	"e30." + base64.RawURLEncoding.EncodeToString([]byte(`{"@context":"https://w3id.org/openbadges/v2","type":"Assertion"}`)) + ".e30",
	`{"@context":"https://w3id.org/openbadges/v2","type":"Assertion"}`,
	"https://example.org/assertion",
}

func TestLegacyInputEquivalence(t *testing.T) {
	opt := cmp.AllowUnexported(ob20Input{})
	check := func(name, form string, text []byte) {
		got, gotOK := legacyInput(form, text)
		want, wantOK := legacyInputOld(form, text)
		if gotOK != wantOK || !cmp.Equal(got, want, opt) {
			t.Errorf("%s: legacyInput = %+v, %v; the old one %+v, %v", name, got, gotOK, want, wantOK)
		}
	}
	n := 0
	for name, token := range compactCorpus(t) {
		check(name, "", token)
		check(name, "png", token)
		if in, ok := legacyInput("", token); ok {
			n++
			// The payload must not share the reused buffer: decode
			// another token and look again.
			before := string(in.text)
			legacyInput("", []byte("e30.eyJ4Ijoid3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3dyJ9.e30"))
			if string(in.text) != before {
				t.Errorf("%s: the payload changed after another call", name)
			}
		}
	}
	if n == 0 {
		t.Error("no legacy JWS in the corpus")
	}
	for _, s := range legacyInputSeeds {
		check(s, "", []byte(s))
	}
}

func FuzzLegacyInputEquivalence(f *testing.F) {
	for _, token := range compactCorpus(f) {
		f.Add(token)
	}
	for _, s := range legacyInputSeeds {
		f.Add([]byte(s))
	}
	opt := cmp.AllowUnexported(ob20Input{})
	f.Fuzz(func(t *testing.T, text []byte) {
		got, gotOK := legacyInput("", text)
		want, wantOK := legacyInputOld("", text)
		if gotOK != wantOK || !cmp.Equal(got, want, opt) {
			t.Fatalf("legacyInput(%q) = %+v, %v; the old one %+v, %v", text, got, gotOK, want, wantOK)
		}
	})
}
