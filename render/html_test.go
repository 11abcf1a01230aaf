package render

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/go-openbadges/openbadges/bake"
	"github.com/google/go-cmp/cmp"
)

// TestFormsVerify: the HTML page and the SVG image each carry the signed
// credential, which comes back out (package bake) and verifies against
// the did:web issuer's published document; tampered, it fails the proof.
func TestFormsVerify(t *testing.T) {
	cred := signed(t, nil)
	r := newRenderer(t, Config{VerifyURL: "https://verify.example.edu/?id={id}"})
	ctx := context.Background()
	page, err := r.HTML(ctx, cred, nil)
	if err != nil {
		t.Fatal(err)
	}
	img, err := r.SVG(ctx, cred, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, input string
		form        []byte
	}{{"html", "html", page}, {"svg", "svg", img}} {
		t.Run(tt.name, func(t *testing.T) {
			b, err := bake.Extract(tt.form, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got, want any
			if err := json.Unmarshal([]byte(b.Credential), &got); err != nil {
				t.Fatal(err)
			}
			_ = json.Unmarshal(cred, &want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("the embedded credential differs (-want +got):\n%s", diff)
			}
			rep := verifyBytes(t, tt.form)
			if !rep.Verified || rep.Input != tt.input {
				t.Errorf("verified %v (input %q), want true (%q):\n%s", rep.Verified, rep.Input, tt.input, rep)
			}
			// Tamper with the embedded credential, not the text shown.
			at := bytes.Index(tt.form, []byte(b.Credential))
			if at < 0 {
				t.Fatal("the extracted credential is not in the form as such")
			}
			at += bytes.Index([]byte(b.Credential), []byte("Works well with others."))
			tampered := append([]byte{}, tt.form...)
			copy(tampered[at:], "Works well with ofhers.")
			rep = verifyBytes(t, tampered)
			if rep.Verified || failed(rep) != "proof" {
				t.Errorf("tampered: verified %v, failed %q, want false, \"proof\"", rep.Verified, failed(rep))
			}
		})
	}
}

// TestHostileText: markup, scripts, the end of the script element, bidi
// overrides and control characters in every field are escaped: the page
// holds exactly one script element (the credential's), which gives back
// the credential's value, and the SVG is well-formed XML.
func TestHostileText(t *testing.T) {
	long := strings.Repeat("W", 10000)
	cred := credentialWith(t, func(d obj) {
		a := achievementOf(d)
		a["name"] = hostile + long
		a["description"] = hostile
		a["criteria"].(obj)["narrative"] = hostile
		d["issuer"].(obj)["name"] = hostile
		d["issuer"].(obj)["url"] = "javascript:alert(1)"
		subjectOf(d)["identifier"].([]any)[0].(obj)["identityHash"] = hostile
		a["alignment"].([]any)[0].(obj)["targetName"] = hostile
		d["evidence"].([]any)[0].(obj)["id"] = "javascript:alert(1)"
	})
	r := newRenderer(t, Config{})
	page, err := r.HTML(context.Background(), cred, nil)
	if err != nil {
		t.Fatal(err)
	}
	lower := bytes.ToLower(page)
	if n := bytes.Count(lower, []byte("<script")); n != 1 {
		t.Errorf("%d <script elements, want 1 (the credential's)", n)
	}
	// The text is there, escaped (the browser test proves no script runs);
	// markup and links made of it are not.
	for _, bad := range []string{"<img src=x", `href="javascript:`, "</script></script>", "\x01"} {
		if bytes.Contains(lower, []byte(bad)) {
			t.Errorf("the page holds %q unescaped", bad)
		}
	}
	if !bytes.Contains(page, []byte("evil")) || !bytes.Contains(page, []byte("\u202c")) {
		t.Error("the bidi override in the text is not closed")
	}
	b, err := bake.Extract(page, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got, want any
	if err := json.Unmarshal([]byte(b.Credential), &got); err != nil {
		t.Fatalf("the embedded credential: %v", err)
	}
	_ = json.Unmarshal(cred, &want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the embedded credential differs (-want +got):\n%s", diff)
	}

	img, err := r.SVG(context.Background(), cred, nil)
	if err != nil {
		t.Fatal(err)
	}
	wellFormed(t, img)
	if bytes.Contains(bytes.ToLower(img), []byte("<script")) {
		t.Error("the SVG holds a script element")
	}
}

// wellFormed fails unless b is well-formed XML.
func wellFormed(t *testing.T, b []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
	}
}

func TestTemplates(t *testing.T) {
	good := `<!DOCTYPE html><html lang="{{.Lang}}"><head><title>{{.Title}}</title></head><body><main><h1>{{.Title}}</h1>{{embed .}}</main></body></html>`
	tests := []struct {
		name    string
		files   fstest.MapFS
		wantErr error
		msg     string
	}{
		{name: "an issuer's page", files: fstest.MapFS{"certificate.html": {Data: []byte(good)}}},
		{name: "no templates of ours", files: fstest.MapFS{"other.txt": {Data: []byte("x")}}},
		{name: "a parse error", files: fstest.MapFS{"certificate.html": {Data: []byte(`{{.Title`)}},
			wantErr: ErrTemplate, msg: "certificate.html"},
		{name: "a field that does not exist", files: fstest.MapFS{"certificate.html": {Data: []byte(strings.Replace(good, "{{.Title}}", "{{.Titel}}", 1))}},
			wantErr: ErrTemplate, msg: "Titel"},
		{name: "fails only on a bare certificate", files: fstest.MapFS{"certificate.html": {Data: []byte(strings.Replace(good, "{{.Title}}", "{{.Endorsement.Comment}}{{.Title}}", 1))}},
			wantErr: ErrTemplate, msg: "Comment"},
		{name: "the credential left out", files: fstest.MapFS{"certificate.html": {Data: []byte(strings.Replace(good, "{{embed .}}", "", 1))}},
			wantErr: ErrTemplate, msg: "{{embed .}}"},
		{name: "a broken SVG template", files: fstest.MapFS{"certificate.svg": {Data: []byte(`<svg>{{range}}</svg>`)}},
			wantErr: ErrTemplate, msg: "certificate.svg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := New(Config{Templates: tt.files})
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.msg) {
					t.Fatalf("err = %v, want %v mentioning %q", err, tt.wantErr, tt.msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			page, err := r.HTML(context.Background(), sampleFull, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := bake.Extract(page, nil); err != nil {
				t.Errorf("the issuer's page does not carry the credential: %v", err)
			}
		})
	}
}

func TestBrand(t *testing.T) {
	tests := []struct {
		name  string
		brand Brand
		want  string // the error, or "" for none
	}{
		{"defaults", Brand{}, ""},
		{"dark colours", Brand{Primary: "#003366", Accent: "#6B2C91"}, ""},
		{"too light to read", Brand{Primary: "#ffcc00"}, "Primary #ffcc00 has a contrast of 1.51:1 on white"},
		{"not a colour", Brand{Accent: "red"}, `Accent: "red" is not a #rrggbb colour`},
		{"a logo that is no image", Brand{Logo: []byte("<html>")}, "Logo: not a PNG"},
		{"CSS injection in the font", Brand{Font: "x; } body { display:none"}, "is not a CSS font-family list"},
		{"a signature image that is no image", Brand{Signatures: []Signature{{Name: "A", Image: []byte("x")}}}, "Signatures[0].Image"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(Config{Brand: tt.brand})
			switch {
			case tt.want == "" && err != nil:
				t.Fatal(err)
			case tt.want != "" && (!errors.Is(err, ErrBrand) || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("err = %v, want ErrBrand with %q", err, tt.want)
			}
		})
	}
	for _, c := range []string{defaultPrimary, defaultAccent} {
		if r, _ := contrastOnWhite(c); r < 4.5 {
			t.Errorf("default colour %s: contrast %.2f", c, r)
		}
	}
}

// fakeFetcher serves fixed bodies by URL, and records what was asked.
type fakeFetcher struct {
	bodies map[string][]byte
	asked  []string
}

func (f *fakeFetcher) Fetch(ctx context.Context, u string) ([]byte, error) {
	f.asked = append(f.asked, u)
	if b, ok := f.bodies[u]; ok {
		return b, nil
	}
	return nil, errors.New("not found")
}

// TestFetchedImages: with a Fetcher, https images are fetched and embedded
// as data: URIs, sniffed by their content (an HTML page claiming to be the
// badge is left out); without one, nothing is fetched and the page stays
// offline.
func TestFetchedImages(t *testing.T) {
	png := badgePNG(t)
	cred := credentialWith(t, func(d obj) {
		achievementOf(d)["image"] = obj{"id": "https://example.edu/badge.png", "type": "Image", "caption": "The badge"}
		d["issuer"].(obj)["image"] = "https://example.edu/logo.png"
	})
	f := &fakeFetcher{bodies: map[string][]byte{
		"https://example.edu/badge.png": png,
		"https://example.edu/logo.png":  []byte("<html><script>alert(1)</script></html>"),
	}}
	c, err := newRenderer(t, Config{Fetcher: f}).Certificate(context.Background(), cred, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Image == nil || c.Image.Type != "image/png" || !bytes.Equal(c.Image.Data, png) || c.Image.Alt != "The badge" {
		t.Errorf("the badge image: %+v", c.Image)
	}
	if c.Issuer.Image != nil {
		t.Errorf("an HTML page served as the logo was embedded: %+v", c.Issuer.Image)
	}
	if c.ImageURL != "https://example.edu/badge.png" {
		t.Errorf("ImageURL %q", c.ImageURL)
	}
	if diff := cmp.Diff([]string{"https://example.edu/logo.png", "https://example.edu/badge.png"}, f.asked); diff != "" {
		t.Errorf("fetched (-want +got):\n%s", diff)
	}
	c, err = newRenderer(t, Config{}).Certificate(context.Background(), cred, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Image != nil || c.Issuer.Image != nil || c.ImageURL != "https://example.edu/badge.png" {
		t.Errorf("without a Fetcher: image %+v, logo %+v", c.Image, c.Issuer.Image)
	}
}
