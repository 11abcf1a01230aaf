package status

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-openbadges/openbadges/internal/interoptest"
	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
)

// TestInteropDCCStatus publishes lists here and has the Digital
// Credentials Consortium's verifier-core (which checks status with
// @digitalcredentials/vc-bitstring-status-list) check credentials against
// them, through the harness in interop/js, offline. Like the other interop
// tests it needs the harness's node_modules: set OPENBADGES_INTEROP_JS to
// interop/js after `npm ci` there (.ci/run does); otherwise it is skipped.
func TestInteropDCCStatus(t *testing.T) {
	dir := interoptest.Dir(t, "lists against DCC's verifier-core")
	ctx := context.Background()
	tmp := t.TempDir()
	contexts := filepath.Join(tmp, "contexts.json")
	interoptest.WriteContexts(t, contexts)

	is := newTestIssuer(t, 9)
	reg := &Registry{Store: &MemoryStore{}}
	const rev, sus = "https://example.edu/status/interop-r", "https://example.edu/status/interop-s"
	reg.Create(ctx, rev, nil)
	reg.Create(ctx, sus, &ListOptions{Purpose: Suspension})
	entry := func(url string) *Entry {
		e, err := reg.Allocate(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	good, revoked, suspended := entry(rev), entry(rev), entry(sus)
	ri, _ := revoked.Index()
	si, _ := suspended.Index()
	if err := reg.Revoke(ctx, rev, ri); err != nil {
		t.Fatal(err)
	}
	if err := reg.Suspend(ctx, sus, si); err != nil {
		t.Fatal(err)
	}
	signer := &dataintegrity.Signer{Key: is.key, VerificationMethod: is.vm}
	docs := map[string]json.RawMessage{}
	for _, url := range []string{rev, sus} {
		list, err := reg.Publish(ctx, url, &PublishOptions{Issuer: is.did, Signer: dataIntegritySigner(signer, nil)})
		if err != nil {
			t.Fatal(err)
		}
		docs[url] = list
	}
	docsFile := filepath.Join(tmp, "docs.json")
	data, _ := json.Marshal(docs)
	if err := os.WriteFile(docsFile, data, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		entry  *Entry
		check  string
		passed bool
	}{
		{"not revoked", good, "revocation_status", true},
		{"revoked", revoked, "revocation_status", false},
		{"suspended", suspended, "suspension_status", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := jsonobj.Marshal(map[string]any{
				"@context": []string{ContextVCDM20}, "id": "urn:uuid:interop", "type": []string{"VerifiableCredential"},
				"issuer": is.did, "validFrom": "2025-01-01T00:00:00Z",
				"credentialSubject": map[string]any{"id": "did:example:learner"}, "credentialStatus": tc.entry,
			})
			signed, err := signer.Sign(ctx, c, nil)
			if err != nil {
				t.Fatal(err)
			}
			credFile := filepath.Join(tmp, "cred.json")
			if err := os.WriteFile(credFile, signed, 0o600); err != nil {
				t.Fatal(err)
			}
			out, code := interoptest.Node(t, dir, "di.mjs", "dcc-verify", "--contexts", contexts, "--documents", docsFile, credFile)
			var res struct {
				Checks map[string]string `json:"checks"`
			}
			if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &res); err != nil {
				t.Fatalf("exit %d: %s", code, out)
			}
			want := map[bool]string{true: "passed", false: "failed"}[tc.passed]
			if res.Checks[tc.check] != want || res.Checks["valid_signature"] != "passed" || (code == 0) != tc.passed {
				t.Errorf("exit %d, %s %q, want %q: %s", code, tc.check, res.Checks[tc.check], want, out)
			}
		})
	}
}
