package render

import (
	"bytes"
	"context"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"math"
	"strings"
	"testing"

	"github.com/go-openbadges/openbadges/internal/forgerytest"
	"github.com/go-openbadges/openbadges/verify"
)

// badgePNG draws a round badge, so pages in screenshots look as they do
// with a real one.
func badgePNG(t testing.TB) []byte {
	t.Helper()
	const n = 160
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			d := math.Hypot(float64(x)-n/2+.5, float64(y)-n/2+.5)
			switch {
			case d < 52:
				img.Set(x, y, color.NRGBA{0x1a, 0x3a, 0x6b, 0xff})
			case d < 62:
				img.Set(x, y, color.NRGBA{0xd4, 0xa7, 0x2c, 0xff})
			case d < 72:
				img.Set(x, y, color.NRGBA{0x1a, 0x3a, 0x6b, 0xff})
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// dataURI makes a data: URI of a PNG.
func dataURI(b []byte) string { return "data:image/png;base64," + base64.StdEncoding.EncodeToString(b) }

// signed returns sampleFull, changed by edit, issued by the did:web
// victim of package forgerytest and signed with its key: the identifiers
// institutions use, not did:key.
func signed(t testing.TB, edit func(doc obj)) []byte {
	t.Helper()
	badge := dataURI(badgePNG(t))
	cred := credentialWith(t, func(d obj) {
		d["issuer"].(obj)["id"] = forgerytest.VictimDID
		delete(d["issuer"].(obj), "image")
		achievementOf(d)["image"].(obj)["id"] = badge
		if edit != nil {
			edit(d)
		}
	})
	return forgerytest.SignDI(t, forgerytest.VictimKey(), forgerytest.VictimDID+"#key-1", cred)
}

// verifyBytes verifies a credential in any form verify reads, trusting the
// victim's published documents (offline), and returns the report.
func verifyBytes(t testing.TB, input []byte) *verify.Report {
	t.Helper()
	trust := &verify.Trust{Documents: forgerytest.VictimDocuments(t).ByID()}
	rep, err := verify.Verify(context.Background(), input, trust, nil)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	return rep
}

// hostile is text an attacker puts in a credential: markup, a script, the
// end of the script element the credential sits in, a bidi override, and
// a control character.
const hostile = `<script>window.pwned=1</script></script><img src=x onerror="window.pwned=2">` +
	"\u202eevil\x01 & \"quoted\" 'single' ]]> <!--"

// failed returns the IDs of the checks of rep that failed.
func failed(rep *verify.Report) string {
	var ids []string
	for _, c := range rep.Failed() {
		ids = append(ids, c.ID)
	}
	return strings.Join(ids, ",")
}
