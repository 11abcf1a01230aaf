package render

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/internal/browsertest"
)

const testOfferURI = "openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fbadges.example.edu%2Foffers%2Fabc"

func TestOffer(t *testing.T) {
	exp := time.Date(2026, 12, 8, 14, 5, 0, 0, time.UTC)
	tests := []struct {
		name  string
		offer Offer
		lang  string
		want  []string // in the page
	}{
		{"en", Offer{URI: testOfferURI, Expires: exp, TxCode: true}, "en", []string{
			`<section class="offer" aria-labelledby="offer-h">`, `<h2 id="offer-h">Add this badge to your wallet</h2>`,
			`aria-label="QR code of the offer to add this badge to a wallet"`,
			`<a href="openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fbadges.example.edu%2Foffers%2Fabc">open the offer on this device</a>.`,
			`Your wallet will ask for the code we sent you.`, `It can be used once, until 8 December 2026 14:05 UTC.`}},
		{"fr, no code, no expiry", Offer{URI: testOfferURI}, "fr", []string{`Ajoutez ce badge à votre portefeuille`, `ouvrez l’offre sur cet appareil</a>.</p>`}},
		{"ar", Offer{URI: "https://wallet.example/offer?x=1&y=2", Expires: exp}, "ar", []string{`أضف هذه الشارة إلى محفظتك`, `href="https://wallet.example/offer?x=1&amp;y=2"`, `١٤:٠٥`}},
	}
	r := newRenderer(t, Config{})
	cred := signed(t, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := r.HTML(context.Background(), cred, &Options{Lang: tt.lang, Offer: &tt.offer})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !bytes.Contains(page, []byte(w)) {
					t.Errorf("the page lacks %s", w)
				}
			}
			for _, not := range []string{"ZgotmplZ", "Your wallet will ask"} {
				if not == "Your wallet will ask" && tt.offer.TxCode {
					continue
				}
				if bytes.Contains(page, []byte(not)) {
					t.Errorf("the page has %s", not)
				}
			}
			img, err := r.SVG(context.Background(), cred, &Options{Lang: tt.lang, Offer: &tt.offer})
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(img, []byte("credential_offer")) || bytes.Contains(img, []byte("wallet.example")) {
				t.Error("the SVG image shows the offer: it is the learner's alone")
			}
		})
	}
	without, err := r.HTML(context.Background(), cred, nil)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(without, []byte(`class="offer"`)) {
		t.Error("a page without an offer shows one")
	}
	for _, bad := range []string{"javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>", "relative/path", "openid-credential-offer://?" + strings.Repeat("a", 2100), "https://a.example/ b"} {
		if _, err := r.HTML(context.Background(), cred, &Options{Offer: &Offer{URI: bad}}); err == nil {
			t.Errorf("an offer of %.40q is shown", bad)
		}
	}
	// A view made by hand with a bad URI links nowhere.
	if l := (&OfferView{URI: "javascript:alert(1)"}).Link(); l != "#" {
		t.Errorf("Link: %q", l)
	}
}

// TestOfferInBrowser: the page with an offer is accessible, and its QR
// code, as Chromium draws it, reads as the offer to an independent reader
// (zbarimg).
func TestOfferInBrowser(t *testing.T) {
	zbar := browsertest.Tool(t, "zbarimg", "zbar-tools")
	browser := browsertest.New(t)
	r := newRenderer(t, Config{})
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			page, err := r.HTML(context.Background(), signed(t, nil), &Options{Lang: lang,
				Offer: &Offer{URI: testOfferURI, Expires: time.Now().Add(10 * time.Minute), TxCode: true}})
			if err != nil {
				t.Fatal(err)
			}
			base := browsertest.Serve(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				w.Write(page)
			}))
			ctx := browsertest.NewTab(t, browser)
			browsertest.Navigate(ctx, t, base+"/")
			browsertest.Accessible(ctx, t)
			path := filepath.Join(t.TempDir(), "page.png")
			if err := os.WriteFile(path, browsertest.FullScreenshot(ctx, t), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(zbar, "--raw", "-q", path).Output()
			if err != nil {
				t.Fatalf("zbarimg found no code: %v", err)
			}
			if codes := strings.Split(strings.TrimSpace(string(out)), "\n"); !slices.Contains(codes, testOfferURI) {
				t.Errorf("the QR codes read %q, none the offer", codes)
			}
		})
	}
}
