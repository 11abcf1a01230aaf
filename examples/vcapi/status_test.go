package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/status"
)

// messageServer is a test server and what it keeps.
func messageServer(t *testing.T) (*server, func(method, path, body string) (int, map[string]any, string)) {
	t.Helper()
	s, err := buildServer(config{BaseURL: testBase, Ed25519: testEd25519, P256: testP256})
	if err != nil {
		t.Fatal(err)
	}
	h := s.routes()
	return s, func(method, path, body string) (int, map[string]any, string) { return do(t, h, method, path, body) }
}

// statusEntries returns the credentialStatus entries of an issued
// credential, one or an array.
func statusEntries(t *testing.T, vc json.RawMessage) []status.Entry {
	t.Helper()
	var c struct {
		CredentialStatus json.RawMessage `json:"credentialStatus"`
	}
	if err := json.Unmarshal(vc, &c); err != nil {
		t.Fatal(err)
	}
	var many []status.Entry
	if json.Unmarshal(c.CredentialStatus, &many) == nil {
		return many
	}
	var one status.Entry
	if err := json.Unmarshal(c.CredentialStatus, &one); err != nil {
		t.Fatalf("credentialStatus: %v\n%s", err, vc)
	}
	return []status.Entry{one}
}

// statusCheck returns the outcome and message of the status check of a
// verification.
func statusCheck(t *testing.T, m map[string]any) (string, string) {
	t.Helper()
	results, _ := m["results"].([]any)
	for _, r := range results {
		rm, _ := r.(map[string]any)
		if rm["id"] == "status" {
			o, _ := rm["outcome"].(string)
			msg, _ := rm["message"].(string)
			return o, msg
		}
	}
	t.Fatalf("no status check: %v", m)
	return "", ""
}

func TestMessageStatus(t *testing.T) {
	s, do := messageServer(t)
	ctx := context.Background()
	four := `[{"status":"0x0","message":"pending_review"},{"status":"0x1","message":"accepted"},{"status":"0x2","message":"rejected"},{"status":"0x3","message":"undefined"}]`
	issueWith := func(t *testing.T, id, options string) json.RawMessage {
		t.Helper()
		code, m, body := do("POST", "/credentials/issue", issueBody(unsigned(id, ""), options))
		if code != 201 {
			t.Fatalf("issue %s: %d\n%s", options, code, body)
		}
		vc, _ := json.Marshal(m["verifiableCredential"])
		return vc
	}
	verifyStatus := func(t *testing.T, vc json.RawMessage) (int, string, string) {
		t.Helper()
		code, m, _ := do("POST", "/credentials/verify", verifyBody(vc))
		o, msg := statusCheck(t, m)
		return code, o, msg
	}

	t.Run("issue, set, verify", func(t *testing.T) {
		vc := issueWith(t, "urn:uuid:msg-1", `{"credentialStatus":{"type":"BitstringStatusListEntry","statusPurpose":"message","statusSize":2,"statusMessage":`+four+`,"statusReference":"https://example.org/status-dictionary/"}}`)
		es := statusEntries(t, vc)
		listURL := testBase + "/status/ed25519/message-2/1"
		want := status.Entry{
			ID: es[0].ID, Type: "BitstringStatusListEntry", StatusPurpose: status.Message, StatusListIndex: es[0].StatusListIndex,
			StatusListCredential: listURL, StatusSize: 2, StatusMessage: status.NewStatusMessages("pending_review", "accepted", "rejected", "undefined"),
			StatusReference: status.References{"https://example.org/status-dictionary/"},
		}
		if d := cmp.Diff([]status.Entry{want}, es); d != "" {
			t.Fatalf("entries (-want +got):\n%s", d)
		}
		if code, o, msg := verifyStatus(t, vc); code != 200 || o != "passed" || msg != `not revoked or suspended (1 status entry checked); status message "pending_review" (0x0)` {
			t.Fatalf("before: %d %s %q", code, o, msg)
		}
		code, m, body := do("POST", "/credentials/status", `{"credentialId":"urn:uuid:msg-1","credentialStatus":{"type":"BitstringStatusListEntry","statusPurpose":"message","status":"0x2"}}`)
		if code != 200 {
			t.Fatalf("set 0x2: %d\n%s", code, body)
		}
		if changed, _ := m["credentialStatus"].([]any); len(changed) != 1 || changed[0].(map[string]any)["status"] != "0x2" {
			t.Errorf("response: %s", body)
		}
		if code, o, msg := verifyStatus(t, vc); code != 200 || o != "passed" || msg != `not revoked or suspended (1 status entry checked); status message "rejected" (0x2)` {
			t.Fatalf("after: %d %s %q", code, o, msg)
		}
		// A number sets a value too, and the list served has it, 2 bits
		// an entry.
		if code, _, body := do("POST", "/credentials/status", `{"credentialId":"urn:uuid:msg-1","credentialStatus":[{"status":3}]}`); code != 200 {
			t.Fatalf("set 3: %d\n%s", code, body)
		}
		code, m, body = do("GET", "/status/ed25519/message-2/1", "")
		if code != 200 {
			t.Fatalf("GET list: %d\n%s", code, body)
		}
		sub, _ := m["credentialSubject"].(map[string]any)
		bits, err := status.ParseBitstring(sub["encodedList"].(string), 0)
		if err != nil {
			t.Fatal(err)
		}
		idx, _ := es[0].Index()
		if v, _ := bits.Value(idx, 2); v != 3 || bits.Count() != 2 || sub["statusPurpose"] != "message" || bits.Len() != 2*status.MinListLength {
			t.Errorf("list: value %d, %d bits set of %d, purpose %v", v, bits.Count(), bits.Len(), sub["statusPurpose"])
		}
		if code, o, msg := verifyStatus(t, vc); code != 200 || o != "passed" || !strings.HasSuffix(msg, `status message "undefined" (0x3)`) {
			t.Fatalf("after 3: %d %s %q", code, o, msg)
		}
	})

	t.Run("default message entry", func(t *testing.T) {
		for i, opt := range []string{`"message"`, `{"statusPurpose":"message"}`, `{"type":"BitstringStatusListEntry","statusPurpose":"message","statusSize":2}`} {
			vc := issueWith(t, fmt.Sprint("urn:uuid:default-", i), `{"credentialStatus":`+opt+`}`)
			es := statusEntries(t, vc)
			if len(es) != 1 || es[0].StatusSize != 2 || !cmp.Equal(es[0].StatusMessage, defaultMessages()) || es[0].StatusReference != nil {
				t.Errorf("%s: %+v", opt, es)
			}
		}
	})

	t.Run("beside revocation, in the order asked", func(t *testing.T) {
		vc := issueWith(t, "urn:uuid:both", `{"credentialStatus":["revocation",{"statusPurpose":"message","statusSize":1}]}`)
		es := statusEntries(t, vc)
		if len(es) != 2 || es[0].StatusPurpose != status.Revocation || es[1].StatusPurpose != status.Message ||
			es[1].StatusSize != 0 || es[1].StatusMessage != nil || es[1].StatusListCredential != testBase+"/status/ed25519/message-1/1" {
			t.Fatalf("entries: %+v", es)
		}
		if code, _, body := do("POST", "/credentials/status", `{"credentialId":"urn:uuid:both","credentialStatus":{"statusPurpose":"message","status":"0x1"}}`); code != 200 {
			t.Fatalf("set: %d\n%s", code, body)
		}
		if code, o, msg := verifyStatus(t, vc); code != 200 || !strings.HasSuffix(msg, `(2 status entries checked); status message "set" (0x1)`) {
			t.Fatalf("%d %s %q", code, o, msg)
		}
		// Revoked, the message is still reported.
		if code, _, body := do("POST", "/credentials/status", `{"credentialId":"urn:uuid:both","credentialStatus":{"status":"revoked"}}`); code != 200 {
			t.Fatalf("revoke: %d\n%s", code, body)
		}
		if code, o, msg := verifyStatus(t, vc); code != 422 || o != "failed" || !strings.HasPrefix(msg, "revoked: ") || !strings.HasSuffix(msg, `status message "set" (0x1)`) {
			t.Fatalf("%d %s %q", code, o, msg)
		}
	})

	t.Run("8 bits", func(t *testing.T) {
		msgs := make([]string, 256)
		for v := range msgs {
			msgs[v] = fmt.Sprint("code ", v)
		}
		raw, _ := json.Marshal(status.NewStatusMessages(msgs...))
		vc := issueWith(t, "urn:uuid:eight", `{"cryptosuite":"ecdsa-rdfc-2019","credentialStatus":{"statusPurpose":"message","statusSize":8,"statusMessage":`+string(raw)+`,"statusReference":["https://example.org/a","https://example.org/b"]}}`)
		es := statusEntries(t, vc)
		if es[0].StatusListCredential != testBase+"/status/p256/message-8/1" || len(es[0].StatusMessage) != 256 || len(es[0].StatusReference) != 2 {
			t.Fatalf("entry: %s %d messages, references %q", es[0].StatusListCredential, len(es[0].StatusMessage), es[0].StatusReference)
		}
		if code, _, body := do("POST", "/credentials/status", `{"credentialId":"urn:uuid:eight","credentialStatus":{"statusPurpose":"message","status":"0xc8"}}`); code != 200 {
			t.Fatalf("set: %d\n%s", code, body)
		}
		if code, o, msg := verifyStatus(t, vc); code != 200 || !strings.HasSuffix(msg, `status message "code 200" (0xc8)`) {
			t.Fatalf("%d %s %q", code, o, msg)
		}
	})

	t.Run("refused at issue", func(t *testing.T) {
		allocated := func() int {
			n := 0
			urls, _ := s.registry.Store.URLs(ctx)
			for _, u := range urls {
				l, _ := s.registry.Store.Load(ctx, u)
				n += l.AllocatedCount()
			}
			return n
		}
		before := allocated()
		for _, opt := range []string{
			`{"statusPurpose":"message","statusSize":2,"statusMessage":[{"status":"0x0","message":"a"},{"status":"0x1","message":"b"}]}`,
			`{"statusPurpose":"message","statusMessage":` + four + `}`,
			`{"statusPurpose":"message","statusSize":2,"statusMessage":[{"status":"0x0","message":"a"},{"status":"0x1","message":"b"},{"status":"two","message":"c"},{"status":"0x3","message":"d"}]}`,
			`{"statusPurpose":"message","statusSize":2,"statusMessage":[{"status":"0x0","message":"a"},{"status":"0x1","message":"b"},{"status":"0x1","message":"c"},{"status":"0x3","message":"d"}]}`,
			`{"statusPurpose":"message","statusSize":2,"statusMessage":[{"status":"0x0"},{"status":"0x1"},{"status":"0x2"},{"status":"0x3"}]}`,
			`{"statusPurpose":"message","statusSize":3}`,
			`{"statusPurpose":"message","statusSize":17,"statusMessage":[]}`,
			`{"statusPurpose":"message","statusSize":0}`,
			`{"statusPurpose":"message","statusSize":"2"}`,
			`{"statusPurpose":"message","statusReference":"status-dictionary"}`,
			`{"statusPurpose":"message","statusReference":7}`,
			`{"statusPurpose":"revocation","statusSize":2}`,
			`{"statusPurpose":"refresh"}`,
			`["revocation",{"statusPurpose":"message","statusSize":2,"statusMessage":[]}]`,
			`["message",{"statusPurpose":"message"}]`,
		} {
			code, m, body := do("POST", "/credentials/issue", issueBody(unsigned("urn:uuid:bad", ""), `{"credentialStatus":`+opt+`}`))
			if code != 400 || m["type"] != problemBadRequest {
				t.Errorf("%s: %d, want 400\n%s", opt, code, body)
			}
		}
		if n := allocated(); n != before {
			t.Errorf("refused requests allocated %d entries", n-before)
		}
	})

	t.Run("refused updates", func(t *testing.T) {
		issueWith(t, "urn:uuid:upd", `{"credentialStatus":["message","revocation"]}`)
		for _, tt := range []struct {
			body string
			want int
		}{
			{`{"credentialId":"urn:uuid:upd","credentialStatus":{"statusPurpose":"message","status":"0x4"}}`, 400},
			{`{"credentialId":"urn:uuid:upd","credentialStatus":{"statusPurpose":"message","status":"0xZZ"}}`, 400},
			{`{"credentialId":"urn:uuid:upd","credentialStatus":{"statusPurpose":"message","status":-1}}`, 400},
			{`{"credentialId":"urn:uuid:upd","credentialStatus":{"statusPurpose":"message","status":1.5}}`, 400},
			{`{"credentialId":"urn:uuid:upd","credentialStatus":{"statusPurpose":"message"},"status":true}`, 400},
			{`{"credentialId":"urn:uuid:upd","credentialStatus":{"statusPurpose":"revocation","status":"0x1"}}`, 400},
			{`{"credentialId":"urn:uuid:upd","credentialStatus":[{"status":"0x1"},{"status":"0x2"}]}`, 400},
			{`{"credentialId":"urn:uuid:msg-none","credentialStatus":{"status":"0x1"}}`, 404},
			{`{"credentialId":"urn:uuid:upd","credentialStatus":[{"status":"0x1"},{"status":"revoked"}]}`, 200},
		} {
			if code, _, body := do("POST", "/credentials/status", tt.body); code != tt.want {
				t.Errorf("%s: %d, want %d\n%s", tt.body, code, tt.want, body)
			}
		}
	})
}

func TestParseStatusOptions(t *testing.T) {
	four := status.NewStatusMessages("a", "b", "c", "d")
	raw, _ := json.Marshal(four)
	tests := []struct {
		raw  string
		want []statusWant
	}{
		{`true`, []statusWant{{purpose: status.Revocation}}},
		{`false`, nil},
		{`"suspension"`, []statusWant{{purpose: status.Suspension}}},
		{`"message"`, []statusWant{{purpose: status.Message, size: 2, messages: defaultMessages()}}},
		{`{"statusPurpose":"message","statusSize":1}`, []statusWant{{purpose: status.Message, size: 1}}},
		{`{"statusPurpose":"message","statusSize":2,"statusMessage":` + string(raw) + `,"statusReference":["https://a.example","https://b.example"]}`,
			[]statusWant{{purpose: status.Message, size: 2, messages: four, reference: []string{"https://a.example", "https://b.example"}}}},
		{`{"statusPurpose":"message","statusMessage":` + string(raw[:len(raw)-1]) + `,{"status":"0x4","message":"e"}]}`,
			[]statusWant{{purpose: status.Message, size: 1, messages: append(four, status.StatusMessage{Status: "0x4", Message: "e"})}}},
		{`["revocation",{"type":"BitstringStatusListEntry","statusPurpose":"suspension"},"message"]`,
			[]statusWant{{purpose: status.Revocation}, {purpose: status.Suspension}, {purpose: status.Message, size: 2, messages: defaultMessages()}}},
	}
	for _, tt := range tests {
		got, err := parseStatusOptions(json.RawMessage(tt.raw))
		if err != nil {
			t.Errorf("%s: %v", tt.raw, err)
			continue
		}
		if d := cmp.Diff(tt.want, got, cmp.AllowUnexported(statusWant{})); d != "" {
			t.Errorf("%s (-want +got):\n%s", tt.raw, d)
		}
	}
}
