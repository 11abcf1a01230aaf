package verify

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/internal/interoptest"
	"github.com/go-openbadges/openbadges/present"
)

// TestDigitalBazaarPresentation verifies a presentation, and the
// credential in it, that Digital Bazaar's @digitalbazaar/vc signed
// (testdata/interop): verified with its challenge and domain, not with
// another challenge, not once changed.
func TestDigitalBazaarPresentation(t *testing.T) {
	ctx := context.Background()
	vp := mustRead(t, "testdata/interop/signed-by-digitalbazaar-presentation.json")
	const holder = "did:key:z6MkvRXNYcE7MMduynWTgeKbDaT1iijDSC8pZqXZc8rHPrf2"
	now := time.Date(2026, 1, 1, 0, 1, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		input   []byte
		policy  Policy
		failed  []string
		creds   []bool
		wantVer bool
	}{
		{"as signed", vp, Policy{Now: now, Challenge: "c-db", Domain: "verifier.example"}, nil, []bool{true}, true},
		{"another challenge", vp, Policy{Now: now, Challenge: "c-other", Domain: "verifier.example"}, []string{CheckProof, CheckChallenge}, []bool{true}, false},
		{"the presentation changed", mustReplace(t, vp, `"urn:uuid:0c6a54e2-6a53-4f0c-9a5e-5b0f3b1a9d7e"`, `"urn:uuid:0c6a54e2-6a53-4f0c-9a5e-5b0f3b1a9d7f"`), Policy{Now: now, Challenge: "c-db"}, []string{CheckProof}, []bool{true}, false},
		{"the credential changed", mustReplace(t, vp, `"Works well in a team."`, `"Leads every team."`), Policy{Now: now, Challenge: "c-db"}, []string{CheckProof, CheckCredentials}, []bool{false}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Verify(ctx, tc.input, nil, &tc.policy)
			if err != nil {
				t.Fatal(err)
			}
			var failed []string
			for _, c := range rep.Failed() {
				failed = append(failed, c.ID)
			}
			var creds []bool
			for _, c := range rep.Credentials {
				creds = append(creds, c.Verified)
			}
			if d := cmp.Diff(tc.failed, failed); d != "" || rep.Verified != tc.wantVer || rep.Holder != holder || !cmp.Equal(creds, tc.creds) {
				t.Errorf("verified %v holder %q credentials %v; failed (-want +got):\n%s\n%s", rep.Verified, rep.Holder, creds, d, rep)
			}
		})
	}
}

// TestPresentationInterop has Digital Bazaar's @digitalbazaar/vc verify
// presentations signed here (interop/js, vp.mjs): with their challenge and
// domain, their credentials too; not with another challenge, nor with a
// credential changed.
func TestPresentationInterop(t *testing.T) {
	dir := interoptest.Dir(t, "presentations signed here against @digitalbazaar/vc")
	ctx := context.Background()
	is, holder := newIssuer(t, 1), newIssuer(t, 3)
	tmp := t.TempDir()
	contexts := filepath.Join(tmp, "contexts.json")
	interoptest.WriteContexts(t, contexts)
	good := is.signDI(t, is.award(t, nil))
	h := &present.Holder{Key: holder.key, VerificationMethod: holder.vm}
	opts := &present.Options{Challenge: "c-go", Domain: "verifier.example", Created: t2026}
	signed, err := h.Present(ctx, [][]byte{good}, opts)
	if err != nil {
		t.Fatal(err)
	}
	tampered, err := h.Present(ctx, [][]byte{mustReplace(t, good, `"name":"Statistics"`, `"name":"Statistics II"`)}, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, challenge string
		vp              []byte
		exit            int
		creds           []bool
	}{
		{"signed here", "c-go", signed, 0, []bool{true}},
		{"another challenge", "c-other", signed, 1, []bool{true}},
		{"a changed credential", "c-go", tampered, 1, []bool{false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(tmp, "vp.json")
			if err := os.WriteFile(file, tc.vp, 0o600); err != nil {
				t.Fatal(err)
			}
			out, exit := interoptest.Node(t, dir, "vp.mjs", "verify", "--contexts", contexts, "--challenge", tc.challenge, "--domain", "verifier.example", "--now", "2026-06-01T00:00:00Z", file)
			var line struct {
				Verified          bool `json:"verified"`
				CredentialResults []struct {
					Verified bool `json:"verified"`
				} `json:"credentialResults"`
			}
			if err := json.Unmarshal([]byte(out), &line); err != nil {
				t.Fatalf("exit %d: %s", exit, out)
			}
			var creds []bool
			for _, c := range line.CredentialResults {
				creds = append(creds, c.Verified)
			}
			if exit != tc.exit || line.Verified != (tc.exit == 0) || !cmp.Equal(creds, tc.creds) {
				t.Errorf("exit %d, want %d: %s", exit, tc.exit, out)
			}
		})
	}
}
