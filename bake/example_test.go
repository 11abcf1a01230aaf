package bake_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"log"
	"os"

	"github.com/go-openbadges/openbadges/bake"
)

// A credential secured by VC-JWT (shortened here; any compact JWS works the
// same way).
const vcJWT = "eyJhbGciOiJFZERTQSJ9.eyJpZCI6InVybjp1dWlkOjEyMyJ9.c2lnbmF0dXJl"

// Bake chooses PNG or SVG from the image itself.
func ExampleBake() {
	badge := []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="5"/></svg>`)
	baked, err := bake.Bake(badge, []byte(`{"id":"urn:uuid:123"}`), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(baked))
	// Output:
	// <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential><![CDATA[{"id":"urn:uuid:123"}]]></openbadges:credential><circle r="5"/></svg>
}

func ExamplePNG() {
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 8, 8))); err != nil {
		log.Fatal(err)
	}
	baked, err := bake.PNG(img.Bytes(), []byte(vcJWT), nil)
	if err != nil {
		log.Fatal(err)
	}
	// The pixels are untouched; image/png still reads the image.
	if _, err := png.Decode(bytes.NewReader(baked)); err != nil {
		log.Fatal(err)
	}
	b, err := bake.Extract(baked, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(b.Format, b.Kind, string(b.Credential) == vcJWT)
	// Output: PNG JWS true
}

func ExampleSVG() {
	badge := []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)
	baked, err := bake.SVG(badge, []byte(vcJWT), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(baked))
	// Output:
	// <svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential verify="eyJhbGciOiJFZERTQSJ9.eyJpZCI6InVybjp1dWlkOjEyMyJ9.c2lnbmF0dXJl"></openbadges:credential></svg>
}

// Extract reads a badge baked by the 1EdTech validator's fixtures.
func ExampleExtract() {
	img, err := os.ReadFile("testdata/validator/simple-jwt.svg")
	if err != nil {
		log.Fatal(err)
	}
	b, err := bake.Extract(img, nil)
	switch {
	case errors.Is(err, bake.ErrNotBaked):
		fmt.Println("no credential in this image")
		return
	case err != nil:
		log.Fatal(err)
	case b.Legacy:
		fmt.Println("an Open Badges 2.0 assertion, not an OB 3.0 credential")
		return
	}
	fmt.Println(b.Format, b.Kind, len(b.Credential), "bytes")
	// Output: SVG JWS 2263 bytes
}

// Extract reads an Open Badges 2.0 badge too: Kind says whether it holds
// the assertion, a signed assertion or the URL of a hosted one.
func ExampleExtract_openBadges20() {
	img, err := os.ReadFile("testdata/ob20/bakery-baked.svg")
	if err != nil {
		log.Fatal(err)
	}
	b, err := bake.Extract(img, nil)
	if err != nil {
		log.Fatal(err)
	}
	if b.Legacy {
		switch b.Kind {
		case bake.KindJSON:
			fmt.Printf("assertion %s, hosted at %q\n", b.Credential, b.HostedURL)
		case bake.KindJWS:
			fmt.Println("a signed assertion")
		case bake.KindURL:
			fmt.Println("fetch the assertion from", b.HostedURL)
		}
	}
	// Output: assertion {"verify":{"url":"http://example.org"}}, hosted at "http://example.org"
}

// Extract reads the credential of a certificate page: the text of its
// <script> element of type application/vc+ld+json (or application/vc, or,
// for a VC-JWT, application/vc+jwt). Schema.org markup
// (application/ld+json) and scripts in comments are not credentials.
func ExampleExtract_html() {
	page := []byte(`<!DOCTYPE html>
<html lang="en">
<head>
<title>Certificate: Statistics</title>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"EducationalOccupationalCredential"}</script>
<!-- <script type="application/vc">{"id":"urn:uuid:old"}</script> -->
<script type="application/vc+ld+json">{"id":"urn:uuid:123","name":"Statistics \u003c101\u003e"}</script>
</head>
<body><h1>Statistics &lt;101&gt;</h1></body>
</html>`)
	b, err := bake.Extract(page, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(b.Format, b.Kind)
	fmt.Println(string(b.Credential))
	// Output:
	// HTML JSON
	// {"id":"urn:uuid:123","name":"Statistics \u003c101\u003e"}
}

// A page's writer takes the script's type from ScriptType and its text from
// EscapeScript, so that nothing in the credential can end the script.
func ExampleEscapeScript() {
	cred := []byte(`{"id":"urn:uuid:123","name":"</script><script>alert(1)</script>"}`)
	fmt.Printf("<script type=%q>%s</script>\n", bake.ScriptType(cred), bake.EscapeScript(cred))
	// Output:
	// <script type="application/vc+ld+json">{"id":"urn:uuid:123","name":"\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e"}</script>
}

func ExampleDetect() {
	for _, b := range []string{"\x89PNG\r\n\x1a\n", "<svg/>", "<!DOCTYPE html>", "%PDF-1.7", "hello"} {
		fmt.Println(bake.Detect([]byte(b)))
	}
	// Output:
	// PNG
	// SVG
	// HTML
	// PDF
	// unknown
}
