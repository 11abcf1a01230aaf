package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/status"
	"github.com/go-openbadges/openbadges/status/statussign"
)

// TestStatusMessage verifies credentials with a status message entry (2
// bits) beside a revocation entry: the message is reported whatever the
// verdict, and decides none.
func TestStatusMessage(t *testing.T) {
	ctx := context.Background()
	is := newIssuer(t, 1)
	reg := &status.Registry{Store: &status.MemoryStore{}, Now: func() time.Time { return t2025 }}
	const (
		msgURL = "https://example.edu/status/review"
		revURL = "https://example.edu/status/revocation"
		ref    = "https://example.edu/status/review-codes"
	)
	if _, err := reg.Create(ctx, msgURL, &status.ListOptions{
		Purpose: status.Message, StatusSize: 2, StatusReference: []string{ref},
		StatusMessage: status.NewStatusMessages("pending_review", "accepted", "rejected", "undefined"),
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Create(ctx, revURL, nil); err != nil {
		t.Fatal(err)
	}
	msg, err := reg.Allocate(ctx, msgURL)
	if err != nil {
		t.Fatal(err)
	}
	rev, err := reg.Allocate(ctx, revURL)
	if err != nil {
		t.Fatal(err)
	}
	mi, _ := msg.Index()
	ri, _ := rev.Index()
	// An Open Badge has one credentialStatus (the 1EdTech JSON Schema
	// says so); a VC of the data model may have more.
	badge := func(e status.Entry) []byte {
		return is.signDI(t, is.award(t, func(c *credential.AchievementCredential) {
			c.CredentialStatus = credential.OneOrMany[credential.CredentialStatus]{statusOf(e)}
		}))
	}
	vc := func(entries ...status.Entry) []byte {
		raw, err := json.Marshal(map[string]any{
			"@context": []string{credential.ContextVCDM20}, "type": []string{"VerifiableCredential"},
			"issuer": is.did, "validFrom": "2025-01-01T00:00:00Z", "credentialStatus": entries,
			"credentialSubject": map[string]any{"id": "did:example:ada"},
		})
		if err != nil {
			t.Fatal(err)
		}
		return is.signDI(t, raw)
	}
	cred := vc(*msg, *rev)
	publish := func(url string) []byte {
		b, err := reg.Publish(ctx, url, &status.PublishOptions{Issuer: is.did, Signer: statussign.DataIntegrity(&dataintegrity.Signer{Key: is.key, VerificationMethod: is.vm}, nil), Validity: 3 * 365 * 24 * time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	msg0, rev0 := publish(msgURL), publish(revURL)
	if err := reg.SetStatus(ctx, msgURL, mi, 2); err != nil {
		t.Fatal(err)
	}
	msg2 := publish(msgURL)
	if err := reg.Revoke(ctx, revURL, ri); err != nil {
		t.Fatal(err)
	}
	rev1 := publish(revURL)
	// msg0's proof over msg2's bits.
	tampered := []byte(strings.Replace(string(msg0), encodedList(t, msg0), encodedList(t, msg2), 1))
	// An entry whose statusMessage has as many elements as statusSize,
	// as the W3C test suite expects, not one for each possible value.
	short := *msg
	short.StatusMessage = short.StatusMessage[:2]
	where := func(v int, m string) string {
		return fmt.Sprintf("entry %d of %s (bits %d to %d) is %#x (%q): a status message", mi, msgURL, 2*mi, 2*mi+1, v, m)
	}
	tests := []struct {
		name    string
		cred    []byte
		docs    map[string][]byte
		outcome Outcome
		message string
	}{
		{"Open Badge, message 2", badge(*msg), map[string][]byte{msgURL: msg2}, Passed,
			`not revoked or suspended (1 status entry checked); status message "rejected" (0x2)`},
		{"message 0", cred, map[string][]byte{msgURL: msg0, revURL: rev0}, Passed,
			`not revoked or suspended (2 status entries checked); status message "pending_review" (0x0)`},
		{"message 2", cred, map[string][]byte{msgURL: msg2, revURL: rev0}, Passed,
			`not revoked or suspended (2 status entries checked); status message "rejected" (0x2)`},
		{"message 2, revoked", cred, map[string][]byte{msgURL: msg2, revURL: rev1}, Failed,
			fmt.Sprintf(`revoked: bit %d of %s is 1: revoked; status message "rejected" (0x2)`, ri, revURL)},
		{"message list missing", cred, map[string][]byte{revURL: rev0}, Indeterminate,
			"the status could not be decided: status: the status list could not be retrieved: " + msgURL + ": not in Trust.Documents, and fetching is off"},
		{"message list tampered", cred, map[string][]byte{msgURL: tampered, revURL: rev0}, Indeterminate,
			"the status could not be decided: status: the status list does not verify: " + msgURL},
		{"Open Badge, statusMessage as long as statusSize", badge(short), map[string][]byte{msgURL: msg2}, Indeterminate,
			"the status could not be decided: status: malformed value: statusMessage has 2 elements; statusSize 2 has 4 possible values, and the number of messages must equal it"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := New(Trust{Documents: tc.docs})
			if err != nil {
				t.Fatal(err)
			}
			rep, err := v.Verify(ctx, tc.cred, &Policy{Now: t2026, VCOnly: !strings.Contains(tc.name, "Open Badge")})
			if err != nil {
				t.Fatal(err)
			}
			c := rep.Check(CheckStatus)
			if c == nil {
				t.Fatalf("no status check:\n%s", rep)
			}
			if c.Outcome != tc.outcome || !strings.HasPrefix(c.Message, tc.message) {
				t.Errorf("%s: %q\nwant %s: %q", c.Outcome, c.Message, tc.outcome, tc.message)
			}
			if rep.Verified != (tc.outcome == Passed) {
				t.Errorf("Verified = %v\n%s", rep.Verified, rep)
			}
		})
	}
	// The details show the value, its message and the reference.
	v, err := New(Trust{Documents: map[string][]byte{msgURL: msg2, revURL: rev0}})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := v.Verify(ctx, cred, &Policy{Now: t2026, VCOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(rep.Check(CheckStatus).Details)
	if err != nil {
		t.Fatal(err)
	}
	want := []StatusDetail{{
		Type: "BitstringStatusListEntry", Purpose: "message", ListURL: msgURL, Index: mi, StatusSize: 2,
		Status: "0x2", Message: "rejected", StatusReference: []string{ref}, Outcome: "not revoked", Reason: where(2, "rejected"), Source: "fetcher",
	}, {
		Type: "BitstringStatusListEntry", Purpose: "revocation", ListURL: revURL, Index: ri,
		Status: "0x0", Message: "unset", Outcome: "not revoked", Reason: fmt.Sprintf("bit %d of %s is 0: not revoked", ri, revURL), Source: "fetcher",
	}}
	var gotDetails []StatusDetail
	if err := json.Unmarshal(got, &gotDetails); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, gotDetails); d != "" {
		t.Errorf("details (-want +got):\n%s", d)
	}
}

// encodedList returns the encodedList of a published list credential.
func encodedList(t testing.TB, doc []byte) string {
	t.Helper()
	var c struct {
		CredentialSubject struct {
			EncodedList string `json:"encodedList"`
		} `json:"credentialSubject"`
	}
	if err := json.Unmarshal(doc, &c); err != nil || c.CredentialSubject.EncodedList == "" {
		t.Fatalf("no encodedList: %v", err)
	}
	return c.CredentialSubject.EncodedList
}

// statusOf is e as package credential models it, as an issuer maps it.
func statusOf(e status.Entry) credential.CredentialStatus {
	return credential.CredentialStatus{ID: e.ID, Type: credential.TypeName(e.Type), Extra: e.Extra()}
}
