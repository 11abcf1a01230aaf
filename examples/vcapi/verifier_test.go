package main

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"
)

// TestVerifierCurrent checks the verifier the server keeps between
// requests: the same one while nothing changes; a new one when a status
// changes, when an issuance makes a new list (a message list here), and
// when a list it holds is due to be republished, so that what it verifies
// against is always the lists as served.
func TestVerifierCurrent(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	advance := func(d time.Duration) {
		mu.Lock()
		now = now.Add(d)
		mu.Unlock()
	}
	s, err := buildServer(config{BaseURL: testBase, Ed25519: testEd25519, P256: testP256, Now: clock, StatusValidity: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	h := s.routes()
	verifyOK := func(t *testing.T, vc json.RawMessage) map[string]any {
		t.Helper()
		code, m, body := do(t, h, "POST", "/credentials/verify", verifyBody(vc))
		if code != 200 {
			t.Fatalf("verify: %d\n%s", code, body)
		}
		return m
	}
	current := func() any {
		t.Helper()
		v, err := s.verifier(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}

	vc := issue(t, h, unsigned("urn:uuid:cache-1", ""), `{"credentialStatus":"revocation"}`)
	verifyOK(t, vc)
	v1 := current()
	if current() != v1 {
		t.Fatal("a new verifier with nothing changed")
	}

	// An issuance that makes a new list: the next verification holds it.
	msg := issue(t, h, unsigned("urn:uuid:cache-2", ""), `{"credentialStatus":{"type":"BitstringStatusListEntry","statusPurpose":"message","statusSize":2,"statusMessage":[{"status":"0x0","message":"pending"},{"status":"0x1","message":"done"},{"status":"0x2","message":"x"},{"status":"0x3","message":"y"}]}}`)
	if o, m := statusCheck(t, verifyOK(t, msg)); o != "passed" || m != `not revoked or suspended (1 status entry checked); status message "pending" (0x0)` {
		t.Fatalf("the new list's entry: %s %q", o, m)
	}
	v2 := current()
	if v2 == v1 {
		t.Fatal("the verifier was kept after a new list was made")
	}

	// A list due to be republished (half its validity): a new verifier
	// with the list as served again.
	before := s.published[testBase+"/status/ed25519/revocation/1"].fresh
	advance(31 * time.Minute)
	v3 := current()
	if v3 == v2 {
		t.Fatal("the verifier was kept past the time its lists were due")
	}
	if after := s.published[testBase+"/status/ed25519/revocation/1"].fresh; !after.After(before) {
		t.Fatalf("the list was not republished: fresh %v, then %v", before, after)
	}
	if current() != v3 {
		t.Fatal("a new verifier with nothing changed, after republishing")
	}

	// A status change: revoked at once.
	if code, _, body := do(t, h, "POST", "/credentials/status", `{"credentialId":"urn:uuid:cache-1","credentialStatus":[{"type":"BitstringStatusListEntry","status":"revoked"}]}`); code != 200 {
		t.Fatalf("revoke: %d\n%s", code, body)
	}
	if code, m, _ := do(t, h, "POST", "/credentials/verify", verifyBody(vc)); code != 422 {
		t.Fatalf("after revocation: %d %v", code, problemTypes(m))
	}
}
