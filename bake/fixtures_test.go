package bake

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image/png"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestValidatorFixtures extracts the 1EdTech validator's baked badges. The
// expected credentials in testdata/validator/expected were extracted by an
// independent reader (see testdata/README.md); each fixture is "valid" in
// the validator's own tests (OB30Tests.java).
func TestValidatorFixtures(t *testing.T) {
	tests := []struct {
		file   string
		format Format
		kind   Kind
		id     string // the credential's id, read from the JSON or the JWS payload
	}{
		{"simple-json.png", FormatPNG, KindJSON, "http://example.com/credentials/3527"},
		{"simple-jwt.png", FormatPNG, KindJWS, "http://example.com/credentials/3527"},
		{"simple-jwt_v1.png", FormatPNG, KindJWS, "http://example.edu/credentials/3732"},
		{"simple-json.svg", FormatSVG, KindJSON, "http://example.com/credentials/3527"},
		{"simple-jwt.svg", FormatSVG, KindJWS, "http://example.com/credentials/3527"},
		{"simple-jwt_v1.svg", FormatSVG, KindJWS, "http://example.edu/credentials/3732"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			img := readFile(t, "testdata/validator/"+tt.file)
			got, err := Extract(img, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := &Baked{Format: tt.format, Kind: tt.kind, Credential: readFile(t, "testdata/validator/expected/"+tt.file+".credential")}
			if d := cmp.Diff(want, got); d != "" {
				t.Fatalf("Extract (-want +got):\n%s", d)
			}
			if id := credentialID(t, got); id != tt.id {
				t.Errorf("credential id %q, want %q", id, tt.id)
			}
		})
	}
}

// credentialID reads the id of a JSON credential, or of the credential in a
// JWS payload (VCDM 2.0 form, or VCDM 1.1 with a vc claim).
func credentialID(t *testing.T, b *Baked) string {
	t.Helper()
	doc := b.Credential
	if b.Kind == KindJWS {
		p, err := base64.RawURLEncoding.DecodeString(string(bytes.Split(doc, []byte("."))[1]))
		if err != nil {
			t.Fatal(err)
		}
		doc = p
	}
	var c struct {
		ID string `json:"id"`
		VC struct {
			ID string `json:"id"`
		} `json:"vc"`
	}
	if err := json.Unmarshal(doc, &c); err != nil {
		t.Fatal(err)
	}
	if c.ID == "" {
		return c.VC.ID
	}
	return c.ID
}

// TestFixtureJSONMatchesSimple: the baked JSON fixtures hold simple.json's
// credential with an older proof (created, verificationMethod and
// proofValue differ), and the PNG and SVG hold the same one.
func TestFixtureJSONMatchesSimple(t *testing.T) {
	var simple, fromPNG, fromSVG map[string]any
	for _, x := range []struct {
		file string
		v    *map[string]any
	}{{"simple.json", &simple}, {"expected/simple-json.png.credential", &fromPNG}, {"expected/simple-json.svg.credential", &fromSVG}} {
		if err := json.Unmarshal(readFile(t, "testdata/validator/"+x.file), x.v); err != nil {
			t.Fatal(err)
		}
	}
	if d := cmp.Diff(fromPNG, fromSVG); d != "" {
		t.Errorf("PNG and SVG fixtures differ (-png +svg):\n%s", d)
	}
	delete(simple, "proof")
	delete(fromPNG, "proof")
	if d := cmp.Diff(simple, fromPNG); d != "" {
		t.Errorf("the baked credential is not simple.json apart from its proof (-simple +baked):\n%s", d)
	}
}

// TestRebakeFixtures bakes each fixture's credential back into the other
// format's fixture image and into itself: the credential comes back exact,
// the old one is gone, and the PNG still decodes.
func TestRebakeFixtures(t *testing.T) {
	for _, src := range []string{"simple-json", "simple-jwt", "simple-jwt_v1"} {
		for _, ext := range []string{".png", ".svg"} {
			for _, into := range []string{"simple-json", "simple-jwt"} {
				t.Run(src+" into "+into+ext, func(t *testing.T) {
					t.Parallel()
					cred := readFile(t, "testdata/validator/expected/"+src+ext+".credential")
					img := readFile(t, "testdata/validator/"+into+ext)
					out, err := Bake(img, cred, nil)
					if err != nil {
						t.Fatal(err)
					}
					got, err := Extract(out, nil)
					if err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(got.Credential, cred) {
						t.Errorf("extracted credential differs from the one baked")
					}
					if n := bytes.Count(out, []byte(PNGKeyword)) + bytes.Count(out, []byte("<openbadges:credential")); n != 1 {
						t.Errorf("the baked image names the credential %d times, want 1", n)
					}
					if ext == ".png" {
						if _, err := png.Decode(bytes.NewReader(out)); err != nil {
							t.Errorf("image/png cannot decode the baked image: %v", err)
						}
					}
				})
			}
		}
	}
}
