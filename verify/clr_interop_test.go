package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/internal/interoptest"
	"github.com/go-openbadges/openbadges/keys"
)

// TestClrInterop: a CLR signed here (eddsa-rdfc-2022) verifies in Digital
// Bazaar's vc and in DCC's verifier-core, and so does every credential
// embedded in it, taken out of the record as the bytes it holds; a record
// with a byte changed inside an embedded credential does not; a record
// signed by Digital Bazaar's vc verifies here, with its credentials. A CLR inside a CLR too: its contexts (CLR
// 2.0.1, OB 3.0.3) are served to the harness's document loader with every
// other embedded context.
func TestClrInterop(t *testing.T) {
	dir := interoptest.Dir(t, "that CLRs signed here verify in digitalbazaar's vc")
	tmp := t.TempDir()
	contexts := filepath.Join(tmp, "contexts.json")
	interoptest.WriteContexts(t, contexts)
	p := newClrParties(t)
	stats := p.provider.signDI(t, p.provider.award(t, nil))
	prob := p.provider.signDI(t, p.provider.award(t, func(c *credential.AchievementCredential) {
		c.CredentialSubject.Achievement.ID = "https://example.edu/achievements/probability"
		c.CredentialSubject.Achievement.Name = "Probability"
	}))
	record := p.record(t, stats, prob)
	nested := p.record(t, record)

	node := func(name string, doc []byte) (string, int) {
		file := filepath.Join(tmp, name+".json")
		if err := os.WriteFile(file, doc, 0o600); err != nil {
			t.Fatal(err)
		}
		return interoptest.Node(t, dir, "di.mjs", "verify", "--contexts", contexts, "--now", "2026-01-01T00:00:00Z", file)
	}
	for _, tc := range []struct {
		name string
		doc  []byte
	}{{"record", record}, {"record in a record", nested}} {
		t.Run(tc.name, func(t *testing.T) {
			if out, code := node("clr", tc.doc); code != 0 || !strings.Contains(out, `"verified":true`) {
				t.Fatalf("digitalbazaar's vc: exit %d: %s", code, out)
			}
			c, err := credential.ParseClrCredential(tc.doc, nil)
			if err != nil {
				t.Fatal(err)
			}
			for i, raw := range c.CredentialSubject.VerifiableCredential {
				if out, code := node(fmt.Sprintf("inner-%d", i), raw); code != 0 || !strings.Contains(out, `"verified":true`) {
					t.Errorf("embedded credential %d in digitalbazaar's vc: exit %d: %s", i, code, out)
				}
				if !json.Valid(raw) {
					t.Errorf("embedded credential %d is not JSON", i)
				}
			}
		})
	}
	// DCC's verifier-core (which uses digitalbazaar's vc) takes it too.
	if out, code := node("clr-dcc", record); code != 0 {
		t.Errorf("digitalbazaar's vc: exit %d: %s", code, out)
	} else if out, code := interoptest.Node(t, dir, "di.mjs", "dcc-verify", "--contexts", contexts, filepath.Join(tmp, "clr-dcc.json")); code != 0 || !strings.Contains(out, `"verified":true`) {
		t.Errorf("DCC verifier-core: exit %d: %s", code, out)
	}

	// Signed there (the record, holding credentials signed here),
	// verified here, each embedded credential too.
	t.Run("signed by digitalbazaar's vc", func(t *testing.T) {
		u := p.university
		pub, _ := keys.PublicKeyMultibase(u.key.Public())
		sec, _ := keys.SecretKeyMultibase(u.key)
		keyFile := filepath.Join(tmp, "key.json")
		kb, _ := json.Marshal(map[string]string{"id": u.vm, "controller": u.did, "publicKeyMultibase": pub, "secretKeyMultibase": sec})
		if err := os.WriteFile(keyFile, kb, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := credential.NewClrCredential(credential.LearnerRecord{
			Issuer: &credential.Profile{ID: u.did, Name: "Example University"}, LearnerID: "did:example:ada",
			Name: "Transcript of Ada", Credentials: []json.RawMessage{stats, prob}, ValidFrom: t2025,
		})
		if err != nil {
			t.Fatal(err)
		}
		unsigned, err := credential.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(tmp, "unsigned-clr.json")
		if err := os.WriteFile(file, unsigned, 0o600); err != nil {
			t.Fatal(err)
		}
		theirs, code := interoptest.Node(t, dir, "di.mjs", "sign", "--contexts", contexts, "--key", keyFile, "--created", "2026-02-03T04:05:06Z", file)
		if code != 0 {
			t.Fatalf("sign there: exit %d: %s", code, theirs)
		}
		rep, err := Verify(context.Background(), []byte(theirs), nil, &Policy{Now: t2026})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Verified || len(rep.Credentials) != 2 || !rep.Credentials[0].Verified || !rep.Credentials[1].Verified {
			t.Errorf("a record signed by digitalbazaar's vc, verified here:\n%s", rep)
		}
	})

	tampered := strings.Replace(string(record), "Pass the exam.", "Pass the quiz.", 1)
	if out, code := node("tampered", []byte(tampered)); code != 1 {
		t.Errorf("a tampered record in digitalbazaar's vc: exit %d, want 1 (not verified): %s", code, out)
	}
}
