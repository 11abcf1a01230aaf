package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/bake"
	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/internal/forgerytest"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/proof/jose"
	"github.com/go-openbadges/openbadges/status"
	"github.com/go-openbadges/openbadges/status/statussign"
)

// The issuer of the fixtures: a university with a did:web DID, as
// institutions publish them, whose DID document the tests supply as a
// trust file (the page) and in an offline map (the command line).
const (
	issuerDID     = "did:web:university.example"
	issuerKeyID   = issuerDID + "#key-1"
	statusListURL = "https://university.example/status/1"
	learnerEmail  = "ada@example.org"
	identitySalt  = "5e1f0c4a2b7d9e83"
)

// issuerKey is the university's Ed25519 key; its seed is fixed, so every
// run signs the same bytes.
func issuerKey() ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x55}, ed25519.SeedSize))
}

// fixtures are the badges and trust files of the tests, written into dir.
type fixtures struct {
	dir string
	// Trust files: the university's DID document, the status list, the
	// victim's DID document of the forgery, and an offline map serving all
	// three, for the command line.
	didDoc, list, victimDoc, offlineMap string
	// Badges, each a file in dir.
	files map[string]string
}

// badgeCase is one input and what the page and the command line must say
// of it.
type badgeCase struct {
	name    string // the fixture's key
	verdict string // the page's data-verdict
	exit    int    // openbadges verify's exit status
	check   string // the ID of the check that decides, "" for a verified badge
	trust   bool   // with the trust files (else none)
}

// obCredential is an unsigned Open Badges 3.0 credential by issuer, with
// the learner's email address hashed, and extra members spliced in before
// validFrom.
func obCredential(issuerID, id, name, description, extra string) []byte {
	return []byte(`{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "id": "` + id + `",
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "issuer": {"id": "` + issuerID + `", "type": ["Profile"], "name": "Northfield University", "url": "https://university.example"},
  ` + extra + `"validFrom": "2025-06-14T09:00:00Z",
  "name": ` + quote(name) + `,
  "credentialSubject": {
    "type": ["AchievementSubject"],
    "identifier": [{"type": "IdentityObject", "hashed": true, "identityHash": "` + credential.HashIdentity(learnerEmail, identitySalt) + `", "identityType": "emailAddress", "salt": "` + identitySalt + `"}],
    "achievement": {
      "id": "https://university.example/achievements/data-science-101",
      "type": ["Achievement"],
      "achievementType": "Course",
      "criteria": {"narrative": "Complete the twelve weekly labs and pass the final project review with a score of 70 or more."},
      "description": ` + quote(description) + `,
      "name": ` + quote(name) + `
    }
  }
}`)
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// newFixtures makes every fixture at test time, offline: the university
// signs (Data Integrity eddsa-rdfc-2022, and a VC-JWT) with its did:web key,
// publishes its status list with one credential revoked, and bakes badges
// into a PNG and an SVG; an attacker signs in the name of forgerytest's
// victim.
func newFixtures(t testing.TB, dir string) *fixtures {
	t.Helper()
	ctx := context.Background()
	f := &fixtures{dir: dir, files: map[string]string{}}
	write := func(name string, data []byte) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	key := issuerKey()
	store := &keys.MemoryStore{}
	k, err := keys.NewKey(issuerKeyID, issuerDID, key)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Add(ctx, k); err != nil {
		t.Fatal(err)
	}
	didDoc, err := keys.DIDDocument(ctx, store, issuerDID)
	if err != nil {
		t.Fatal(err)
	}
	f.didDoc = write("university-did.json", didDoc)

	// The status list: two entries, the second revoked.
	reg := &status.Registry{Store: &status.MemoryStore{}}
	if _, err := reg.Create(ctx, statusListURL, nil); err != nil {
		t.Fatal(err)
	}
	entryJSON := func() (string, int) {
		e, err := reg.Allocate(ctx, statusListURL)
		if err != nil {
			t.Fatal(err)
		}
		i, err := e.Index()
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		return string(b), i
	}
	goodEntry, _ := entryJSON()
	revokedEntry, revokedIndex := entryJSON()
	if err := reg.Revoke(ctx, statusListURL, revokedIndex); err != nil {
		t.Fatal(err)
	}
	list, err := reg.Publish(ctx, statusListURL, &status.PublishOptions{
		Issuer:    issuerDID,
		Signer:    statussign.DataIntegrity(&dataintegrity.Signer{Key: key, VerificationMethod: issuerKeyID}, nil),
		ValidFrom: time.Now().Add(-time.Hour).Truncate(time.Second), Validity: 30 * 24 * time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}
	f.list = write("status-list.json", list)

	victim := forgerytest.VictimDocuments(t)
	f.victimDoc = write("victim-did.json", victim.DID)
	f.offlineMap = write("offline-map.json", []byte(`{
  "`+issuerDID+`": "university-did.json",
  "`+statusListURL+`": "status-list.json",
  "`+forgerytest.VictimDID+`": "victim-did.json"
}`))

	const (
		name = "Introduction to Data Science"
		desc = "Foundations of data analysis: cleaning, visualising and modelling real data sets with Python."
	)
	status := func(entry string) string { return `"credentialStatus": ` + entry + ",\n  " }
	di := func(cred []byte) []byte { return forgerytest.SignDI(t, key, issuerKeyID, cred) }
	valid := di(obCredential(issuerDID, "urn:uuid:2b8f5c1e-7a43-4d55-9c1e-0f6e4f6b8a01", name, desc, status(goodEntry)))
	f.files["valid.json"] = write("valid.json", valid)

	tok, err := (&jose.Signer{Key: key, KeyID: issuerKeyID}).Sign(ctx, obCredential(issuerDID, "urn:uuid:2b8f5c1e-7a43-4d55-9c1e-0f6e4f6b8a02", name, desc, ""))
	if err != nil {
		t.Fatal(err)
	}
	f.files["valid.jwt"] = write("valid.jwt", []byte(tok))

	pngBadge, err := bake.Bake(badgePNG(t), valid, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.files["valid.png"] = write("valid.png", pngBadge)
	svgBadge, err := bake.Bake([]byte(badgeSVG), valid, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.files["valid.svg"] = write("valid.svg", svgBadge)

	// Certificates that carry the credential: an HTML page (in a <script>
	// element, as package render writes it) and a PDF (an embedded file).
	f.files["valid.html"] = write("valid.html", certificateHTML(valid))
	f.files["valid.pdf"] = write("valid.pdf", certificatePDF(valid))

	tampered := bytes.Replace(valid, []byte(`"name": "Introduction to Data Science"`), []byte(`"name": "Doctorate in Data Science"`), 2)
	if bytes.Equal(tampered, valid) {
		t.Fatal("nothing to tamper with")
	}
	f.files["tampered.json"] = write("tampered.json", tampered)

	f.files["revoked.json"] = write("revoked.json", di(obCredential(issuerDID, "urn:uuid:2b8f5c1e-7a43-4d55-9c1e-0f6e4f6b8a03", name, desc, status(revokedEntry))))
	f.files["expired.json"] = write("expired.json", di(obCredential(issuerDID, "urn:uuid:2b8f5c1e-7a43-4d55-9c1e-0f6e4f6b8a04", name, desc, `"validUntil": "2025-12-31T23:59:59Z",`+"\n  ")))

	// The attacker's key, named in the fragment of the victim's did:web:
	// the victim's DID document (a trust file) does not list it.
	attacker := forgerytest.AttackerKey()
	mb, err := keys.PublicKeyMultibase(attacker.Public())
	if err != nil {
		t.Fatal(err)
	}
	forged := bytes.ReplaceAll(obCredential(forgerytest.VictimDID, "urn:uuid:2b8f5c1e-7a43-4d55-9c1e-0f6e4f6b8a05", name, desc, ""),
		[]byte(`"name": "Northfield University"`), []byte(`"name": "Victim University"`))
	f.files["forged.json"] = write("forged.json", forgerytest.SignDI(t, attacker, forgerytest.VictimDID+"#"+mb, forged))

	// Markup in every field a person reads, validly signed: it must show
	// as text, and no script may run.
	const evil = `<img src=x onerror="document.title='pwned'"><script>document.title='pwned'</script>`
	f.files["hostile.json"] = write("hostile.json", di(obCredential(issuerDID, "urn:uuid:2b8f5c1e-7a43-4d55-9c1e-0f6e4f6b8a06", "Course "+evil, "Described "+evil, "")))

	f.files["plain.png"] = write("plain.png", badgePNG(t))
	f.files["not-a-badge.txt"] = write("not-a-badge.txt", []byte("Dear Ada,\nthank you for your letter.\n"))
	big := bytes.Repeat([]byte(" "), 20<<20)
	copy(big, "{")
	big[len(big)-1] = '}'
	f.files["huge.json"] = write("huge.json", big)
	return f
}

// networkIssuer is an issuer that publishes on the network: its DID
// document, its status list, and a badge with an entry in the list.
type networkIssuer struct {
	didDoc, list, badge []byte
}

// newNetworkIssuer makes the documents of the issuer did, whose status
// list is at base+"/status/1", and a badge it issued.
func newNetworkIssuer(t testing.TB, did, base string) *networkIssuer {
	t.Helper()
	ctx := context.Background()
	key := issuerKey()
	store := &keys.MemoryStore{}
	k, err := keys.NewKey(did+"#key-1", did, key)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Add(ctx, k); err != nil {
		t.Fatal(err)
	}
	n := &networkIssuer{}
	if n.didDoc, err = keys.DIDDocument(ctx, store, did); err != nil {
		t.Fatal(err)
	}
	listURL := base + "/status/1"
	reg := &status.Registry{Store: &status.MemoryStore{}}
	if _, err := reg.Create(ctx, listURL, nil); err != nil {
		t.Fatal(err)
	}
	e, err := reg.Allocate(ctx, listURL)
	if err != nil {
		t.Fatal(err)
	}
	entry, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	n.list, err = reg.Publish(ctx, listURL, &status.PublishOptions{
		Issuer:    did,
		Signer:    statussign.DataIntegrity(&dataintegrity.Signer{Key: key, VerificationMethod: did + "#key-1"}, nil),
		ValidFrom: time.Now().Add(-time.Hour).Truncate(time.Second), Validity: 24 * time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}
	n.badge = forgerytest.SignDI(t, key, did+"#key-1", obCredential(did, "urn:uuid:2b8f5c1e-7a43-4d55-9c1e-0f6e4f6b8a07",
		"Introduction to Data Science", "Foundations of data analysis.", `"credentialStatus": `+string(entry)+",\n  "))
	return n
}

// cases are the inputs every test runs, through the page and the command
// line alike.
func (f *fixtures) cases() []badgeCase {
	return []badgeCase{
		{"valid.json", "verified", 0, "", true},
		{"valid.jwt", "verified", 0, "", true},
		{"valid.png", "verified", 0, "", true},
		{"valid.svg", "verified", 0, "", true},
		{"valid.html", "verified", 0, "", true},
		{"valid.pdf", "verified", 0, "", true},
		{"tampered.json", "not-verified", 1, "proof", true},
		{"revoked.json", "not-verified", 1, "status", true},
		{"expired.json", "not-verified", 1, "validity", true},
		{"forged.json", "not-verified", 1, "proof", true},
		// Without the issuer's document, its key cannot be confirmed.
		{"valid.json", "inconclusive", 3, "proof", false},
		{"hostile.json", "verified", 0, "", true},
		{"plain.png", "not-verified", 1, "input", true},
		{"not-a-badge.txt", "error", 2, "", true},
		{"huge.json", "error", 2, "", true},
	}
}

// certificateHTML is a certificate page with cred in its script element.
func certificateHTML(cred []byte) []byte {
	return []byte(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Certificate: Introduction to Data Science</title>
<script type="` + bake.ScriptType(cred) + `">` + string(bake.EscapeScript(cred)) + `</script>
</head><body><main><h1>Introduction to Data Science</h1><p>Northfield University</p></main></body></html>
`)
}

// certificatePDF is a one-page PDF with cred attached as credential.json.
func certificatePDF(cred []byte) []byte {
	var b bytes.Buffer
	var offsets []int
	obj := func(body string) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	obj("<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(credential.json) 4 0 R] >> >> >>")
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>")
	obj("<< /Type /Filespec /F (credential.json) /UF (credential.json) /AFRelationship /Data /EF << /F 5 0 R >> >>")
	obj(fmt.Sprintf("<< /Type /EmbeddedFile /Subtype /application#2Fjson /Length %d >>\nstream\n%s\nendstream", len(cred), cred))
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return b.Bytes()
}

// badgePNG draws a badge image: a medal in the university's colours.
func badgePNG(t testing.TB) []byte {
	t.Helper()
	const size = 160
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	c := float64(size) / 2
	for y := range size {
		for x := range size {
			dx, dy := float64(x)+0.5-c, float64(y)+0.5-c
			r := math.Hypot(dx, dy)
			switch {
			case r < 58:
				img.Set(x, y, color.NRGBA{0x12, 0x28, 0x4f, 0xff})
			case r < 66:
				img.Set(x, y, color.NRGBA{0xd9, 0xa4, 0x1e, 0xff})
			case r < 74:
				img.Set(x, y, color.NRGBA{0x12, 0x28, 0x4f, 0xff})
			}
			// A star in the middle.
			a := math.Atan2(dy, dx)
			star := 22 + 12*math.Cos(5*a)
			if r < star {
				img.Set(x, y, color.NRGBA{0xf2, 0xc9, 0x4c, 0xff})
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const badgeSVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 160 160" width="160" height="160">
<circle cx="80" cy="80" r="74" fill="#12284f"/><circle cx="80" cy="80" r="62" fill="none" stroke="#d9a41e" stroke-width="8"/>
<text x="80" y="92" font-family="sans-serif" font-size="34" font-weight="700" fill="#f2c94c" text-anchor="middle">DS</text>
</svg>`

// TestFixturesDump writes the fixtures into OPENBADGES_WEB_FIXTURES, to
// try them by hand: go run ./examples/verifier-web, then drop them on the
// page.
func TestFixturesDump(t *testing.T) {
	dir := os.Getenv("OPENBADGES_WEB_FIXTURES")
	if dir == "" {
		t.Skip("set OPENBADGES_WEB_FIXTURES=DIR to write the fixtures there")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f := newFixtures(t, dir)
	fmt.Println(strings.Join([]string{f.didDoc, f.list, f.victimDoc, f.offlineMap}, "\n"))
}
