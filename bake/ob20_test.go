package bake

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func readOB20(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "ob20", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// intoSVG puts element directly after the root start tag of the SVG img.
func intoSVG(t *testing.T, img []byte, element string) []byte {
	t.Helper()
	i := bytes.Index(img, []byte("<svg"))
	j := bytes.IndexByte(img[i:], '>')
	if i < 0 || j < 0 {
		t.Fatal("no <svg> start tag")
	}
	at := i + j + 1
	return append(append(append([]byte(nil), img[:at]...), element...), img[at:]...)
}

// TestExtractOB20 reads Open Badges 2.0 badges baked by other software:
// each form the 2.0 baking specification (and the pre-specification
// tEXt form) allows, with the payload, its kind and the hosted URL.
func TestExtractOB20(t *testing.T) {
	jwt := bytes.TrimSpace(readOB20(t, "val-simple.jwt"))
	unbaked := readOB20(t, "bakery-unbaked.svg")
	const ns = ` xmlns:ob="http://openbadges.org"`
	tests := []struct {
		name      string
		img       []byte
		kind      Kind
		expected  string // file under expected/, or "" for want
		want      []byte
		hostedURL string
		err       error
	}{
		{"PNG tEXt hosted URL (backpack)", readOB20(t, "backpack-valid-baked.png"), KindURL, "backpack-valid-baked.png.credential", nil, "https://example.org/assertion", nil},
		{"PNG iTXt assertion (validator-core)", readOB20(t, "validator-core-baked-heart.png"), KindJSON, "validator-core-baked-heart.png.credential", nil, "", nil},
		{"PNG iTXt assertion (1EdTech validator)", readOB20(t, "val-simple-badge.png"), KindJSON, "val-simple-badge.png.credential", nil, "", nil},
		{"SVG URL and assertion (bakery)", readOB20(t, "bakery-baked.svg"), KindJSON, "bakery-baked.svg.credential", nil, "http://example.org", nil},
		{"SVG URL, empty CDATA (bakery)", readOB20(t, "bakery-no-json.svg"), KindURL, "bakery-no-json.svg.credential", nil, "http://example.org", nil},
		{"SVG bad JSON (bakery)", readOB20(t, "bakery-bad-json.svg"), 0, "", nil, "", ErrNotCredential},
		{"SVG unbaked (bakery)", unbaked, 0, "", nil, "", ErrNotBaked},
		{"SVG signed, verify attribute", intoSVG(t, unbaked, `<ob:assertion`+ns+` verify="`+string(jwt)+`"/>`), KindJWS, "", jwt, "", nil},
		{"SVG signed, content", intoSVG(t, unbaked, `<ob:assertion`+ns+`>`+"\n  "+string(jwt)+"\n"+`</ob:assertion>`), KindJWS, "", jwt, "", nil},
		{"SVG URL, content", intoSVG(t, unbaked, `<ob:assertion`+ns+`>https://example.org/a/1</ob:assertion>`), KindURL, "", []byte("https://example.org/a/1"), "https://example.org/a/1", nil},
		{"SVG JWS beside JSON", intoSVG(t, unbaked, `<ob:assertion`+ns+` verify="`+string(jwt)+`"><![CDATA[{"a":1}]]></ob:assertion>`), 0, "", nil, "", ErrNotCredential},
		{"SVG URL beside a JWS", intoSVG(t, unbaked, `<ob:assertion`+ns+` verify="https://example.org/a/1">`+string(jwt)+`</ob:assertion>`), 0, "", nil, "", ErrNotCredential},
		{"SVG URL beside non-JSON", intoSVG(t, unbaked, `<ob:assertion`+ns+` verify="https://example.org/a/1">hello</ob:assertion>`), 0, "", nil, "", ErrNotCredential},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := Extract(tt.img, nil)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("Extract: err = %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			if tt.expected != "" {
				want = readOB20(t, filepath.Join("expected", tt.expected))
			}
			format := FormatSVG
			if bytes.HasPrefix(tt.img, pngSignature) {
				format = FormatPNG
			}
			wantBaked := &Baked{Format: format, Kind: tt.kind, Legacy: true, Credential: want, HostedURL: tt.hostedURL}
			if diff := cmp.Diff(wantBaked, b); diff != "" {
				t.Errorf("Extract (-want +got):\n%s", diff)
			}
		})
	}
}

// Baking an OB 3.0 credential into an OB 2.0 badge removes the 2.0 data
// unless asked to keep it; kept, the OB 3.0 credential is what Extract
// returns.
func TestBakeOverOB20(t *testing.T) {
	cred := []byte(jws)
	for _, name := range []string{"backpack-valid-baked.png", "val-simple-badge.png", "bakery-baked.svg"} {
		for _, keep := range []bool{false, true} {
			img := readOB20(t, name)
			out, err := Bake(img, cred, &Options{KeepLegacy: keep})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			b, err := Extract(out, nil)
			if err != nil || b.Legacy || !bytes.Equal(b.Credential, cred) {
				t.Errorf("%s keep=%v: Extract = %+v, %v", name, keep, b, err)
			}
			legacy := bytes.Contains(out, []byte("openbadges\x00")) || bytes.Contains(out, []byte(":assertion"))
			if legacy != keep {
				t.Errorf("%s keep=%v: OB 2.0 data present = %v", name, keep, legacy)
			}
		}
	}
}
