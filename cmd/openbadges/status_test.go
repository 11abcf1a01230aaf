package main

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/status"
)

// callStatus runs `openbadges status ARGS` through runStatus and returns
// its exit status and outputs.
func callStatus(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = runStatus(env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut}, args)
	return code, out.String(), errOut.String()
}

// mustStatus runs a status subcommand that must succeed.
func mustStatus(t *testing.T, args ...string) string {
	t.Helper()
	code, stdout, stderr := callStatus(t, "", args...)
	if code != exitOK {
		t.Fatalf("status %v: exit %d\nstdout: %s\nstderr: %s", args, code, stdout, stderr)
	}
	return stdout
}

// statusSetup is a store, a key file and its DID.
type statusSetup struct {
	dir, store, key, did string
	signer               crypto.Signer
}

func newStatusSetup(t *testing.T, typ keys.Type) *statusSetup {
	t.Helper()
	dir := t.TempDir()
	signer, err := keys.Generate(typ)
	if err != nil {
		t.Fatal(err)
	}
	jwk, err := keys.PrivateJWK(signer, "")
	if err != nil {
		t.Fatal(err)
	}
	s := &statusSetup{dir: dir, store: filepath.Join(dir, "lists"), key: filepath.Join(dir, "issuer.jwk"), signer: signer}
	if err := os.WriteFile(s.key, jwk, 0o600); err != nil {
		t.Fatal(err)
	}
	if s.did, err = keys.DID(signer.Public()); err != nil {
		t.Fatal(err)
	}
	return s
}

// write writes a file in the setup's folder and returns its path.
func (s *statusSetup) write(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(s.dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// credential writes a credential by the setup's issuer with the entries.
func (s *statusSetup) credential(t *testing.T, name, id string, entries ...json.RawMessage) string {
	t.Helper()
	c := map[string]any{
		"@context":          []string{"https://www.w3.org/ns/credentials/v2", status.ContextOBExtensions},
		"id":                id,
		"type":              []string{"VerifiableCredential"},
		"issuer":            s.did,
		"credentialSubject": map[string]any{"id": "did:example:learner"},
		"credentialStatus":  entries,
	}
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return s.write(t, name, data)
}

// offlineMap writes a map from each URL to the file of the same index.
func (s *statusSetup) offlineMap(t *testing.T, pairs ...string) string {
	t.Helper()
	m := map[string]string{}
	for i := 0; i+1 < len(pairs); i += 2 {
		m[pairs[i]] = pairs[i+1]
	}
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return s.write(t, "offline-map.json", data)
}

// TestStatusBitstring goes through an issuer's day: create a list,
// allocate an entry, publish, check, revoke, publish, check.
func TestStatusBitstring(t *testing.T) {
	for _, format := range []string{"di", "jwt", "vc+jwt"} {
		t.Run(format, func(t *testing.T) {
			s := newStatusSetup(t, keys.Ed25519)
			const url = "https://example.edu/status/1"
			out := mustStatus(t, "create", "--store", s.store, "--url", url)
			if out != "created the revocation list "+url+" (131072 entries) in "+s.store+"\n" {
				t.Errorf("create said %q", out)
			}
			code, entryJSON, stderr := callStatus(t, "", "allocate", "--store", s.store, "--url", url)
			if code != exitOK || stderr != "" {
				t.Fatalf("allocate: %d %s", code, stderr)
			}
			var entry status.Entry
			if err := json.Unmarshal([]byte(entryJSON), &entry); err != nil {
				t.Fatalf("allocate printed %q: %v", entryJSON, err)
			}
			index, err := entry.Index()
			if err != nil {
				t.Fatal(err)
			}
			want := status.Entry{
				ID: fmt.Sprintf("%s#%d", url, index), Type: "BitstringStatusListEntry", StatusPurpose: status.Revocation,
				StatusListIndex: fmt.Sprint(index), StatusListCredential: url,
			}
			if d := cmp.Diff(want, entry); d != "" {
				t.Errorf("entry (-want +got):\n%s", d)
			}
			cred := s.credential(t, "cred.json", "urn:uuid:1", json.RawMessage(entryJSON))
			listFile := filepath.Join(s.dir, "list")
			omap := s.offlineMap(t, url, "list")
			validFrom := time.Now().UTC().Add(-time.Minute).Format(time.RFC3339)
			publish := func() {
				t.Helper()
				out := mustStatus(t, "publish", "--store", s.store, "--url", url, "--key", s.key, "--format", format, "--valid-from", validFrom, "--out", listFile)
				if !strings.HasPrefix(out, "wrote "+listFile+": ") {
					t.Errorf("publish said %q", out)
				}
				fi, err := os.Stat(listFile)
				if err != nil || fi.Mode().Perm() != 0o600 {
					t.Errorf("the published file: %v, %v", fi, err)
				}
			}
			publish()
			code, stdout, stderr := callStatus(t, "", "check", "--offline-map", omap, cred)
			if code != exitOK || !strings.HasSuffix(stdout, cred+": not revoked\n") || stderr != "" {
				t.Fatalf("check before revoking: %d\n%s%s", code, stdout, stderr)
			}
			out = mustStatus(t, "revoke", "--store", s.store, "--url", url, "--index", fmt.Sprint(index))
			if out != fmt.Sprintf("revoked index %d of %s; publish the list again for verifiers to see it\n", index, url) {
				t.Errorf("revoke said %q", out)
			}
			// Not published yet: verifiers still see the old list.
			if code, _, _ := callStatus(t, "", "check", "--offline-map", omap, cred); code != exitOK {
				t.Errorf("check before publishing the revocation: %d", code)
			}
			publish()
			code, stdout, _ = callStatus(t, "", "check", "--offline-map", omap, cred)
			wantLine := fmt.Sprintf("credentialStatus[0] BitstringStatusListEntry (revocation) %s index %d: revoked: bit %d of %s is 1: revoked\n", url, index, index, url)
			if code != exitNo || !strings.HasPrefix(stdout, wantLine) || !strings.HasSuffix(stdout, cred+": revoked\n") {
				t.Errorf("check after revoking: %d\n%s\nwant first line %q", code, stdout, wantLine)
			}
			// After validUntil the answer is indeterminate: exit 2.
			later := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
			code, stdout, _ = callStatus(t, "", "check", "--offline-map", omap, "--now", later, cred)
			if code != exitCantRun || !strings.Contains(stdout, "indeterminate") || !strings.Contains(stdout, "expired") {
				t.Errorf("check after validUntil: %d\n%s", code, stdout)
			}
			// Without the list: indeterminate.
			code, stdout, _ = callStatus(t, "", "check", cred)
			if code != exitCantRun || !strings.Contains(stdout, "could not be retrieved") {
				t.Errorf("check without the list: %d\n%s", code, stdout)
			}
		})
	}
}

func TestStatusSuspension(t *testing.T) {
	s := newStatusSetup(t, keys.P256)
	const url = "https://example.edu/status/suspensions"
	mustStatus(t, "create", "--store", s.store, "--url", url, "--purpose", "suspension")
	entryJSON := mustStatus(t, "allocate", "--store", s.store, "--url", url)
	cred := s.credential(t, "cred.json", "urn:uuid:2", json.RawMessage(entryJSON))
	listFile := filepath.Join(s.dir, "list.json")
	omap := s.offlineMap(t, url, "list.json")
	publishCheck := func(wantCode int, wantOutcome string) {
		t.Helper()
		mustStatus(t, "publish", "--store", s.store, "--url", url, "--key", s.key, "--out", listFile)
		code, stdout, _ := callStatus(t, "", "check", "--json", "--offline-map", omap, cred)
		var rep statusCheckReport
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatalf("check --json printed %q", stdout)
		}
		if code != wantCode || rep.Outcome != wantOutcome || len(rep.Entries) != 1 || rep.Entries[0].List == nil {
			t.Fatalf("check: %d %+v", code, rep)
		}
		l := rep.Entries[0].List
		if l.Format != "Data Integrity ecdsa-rdfc-2019" || l.Issuer != s.did || l.Binding != "self" || l.Length != status.MinListLength || l.Source != "documents" {
			t.Errorf("list report %+v", l)
		}
	}
	publishCheck(exitOK, "not revoked")
	if out := mustStatus(t, "suspend", "--store", s.store, "--url", url, "--credential", cred); !strings.HasPrefix(out, "suspended index ") {
		t.Errorf("suspend said %q", out)
	}
	publishCheck(exitNo, "suspended")
	data, _ := os.ReadFile(cred)
	if code, out, stderr := callStatus(t, string(data), "unsuspend", "--store", s.store, "--url", url, "--credential", "-"); code != exitOK || !strings.HasPrefix(out, "unsuspended index ") {
		t.Fatalf("unsuspend: %d %q %s", code, out, stderr)
	}
	publishCheck(exitOK, "not revoked")
	// A suspension list cannot revoke.
	if code, _, stderr := callStatus(t, "", "revoke", "--store", s.store, "--url", url, "--credential", cred); code != exitCantRun || !strings.Contains(stderr, "no revocation entry") {
		t.Errorf("revoke in a suspension list: %d %s", code, stderr)
	}
}

func TestStatus1EdTech(t *testing.T) {
	s := newStatusSetup(t, keys.Ed25519)
	const url = "https://example.edu/revocations"
	if out := mustStatus(t, "create", "--store", s.store, "--url", url, "--type", "1edtech"); out != "created the 1EdTech revocation list "+url+" in "+s.store+"\n" {
		t.Errorf("create said %q", out)
	}
	code, entryJSON, stderr := callStatus(t, "", "allocate", "--store", s.store, "--url", url)
	if code != exitOK || entryJSON != "{\n  \"id\": \"https://example.edu/revocations\",\n  \"type\": \"1EdTechRevocationList\"\n}\n" {
		t.Fatalf("allocate: %d %q", code, entryJSON)
	}
	if stderr != "openbadges status allocate: add https://purl.imsglobal.org/spec/ob/v3p0/extensions.json to the credential's @context\n" {
		t.Errorf("allocate's note: %q", stderr)
	}
	revoked := s.credential(t, "revoked.json", "urn:uuid:revoked", json.RawMessage(entryJSON))
	fine := s.credential(t, "fine.json", "urn:uuid:fine", json.RawMessage(entryJSON))
	if out := mustStatus(t, "revoke", "--store", s.store, "--url", url, "--credential", revoked, "--reason", "issued in error"); out != "revoked "+revoked+" in "+url+"; publish the list again for verifiers to see it\n" {
		t.Errorf("revoke said %q", out)
	}
	listFile := filepath.Join(s.dir, "revocations.json")
	if out := mustStatus(t, "publish", "--store", s.store, "--url", url, "--issuer", s.did, "--out", listFile); out != "wrote "+listFile+": 1 revoked credentials; serve it at "+url+"\n" {
		t.Errorf("publish said %q", out)
	}
	data, err := os.ReadFile(listFile)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf(`{
  "id": "https://example.edu/revocations",
  "issuer": %q,
  "revokedCredential": [
    {
      "id": "urn:uuid:revoked",
      "revoked": true,
      "revocationReason": "issued in error"
    }
  ]
}
`, s.did)
	if string(data) != want {
		t.Errorf("published:\n%s\nwant:\n%s", data, want)
	}
	omap := s.offlineMap(t, url, "revocations.json")
	if code, stdout, _ := callStatus(t, "", "check", "--offline-map", omap, revoked); code != exitNo || !strings.Contains(stdout, "lists urn:uuid:revoked as revoked: issued in error") {
		t.Errorf("check revoked: %d\n%s", code, stdout)
	}
	if code, stdout, _ := callStatus(t, "", "check", "--offline-map", omap, fine); code != exitOK {
		t.Errorf("check fine: %d\n%s", code, stdout)
	}
	// Errors particular to 1EdTech lists.
	for _, args := range [][]string{
		{"revoke", "--store", s.store, "--url", url, "--index", "3"},
		{"suspend", "--store", s.store, "--url", url, "--credential", revoked},
		{"publish", "--store", s.store, "--url", url},
		{"create", "--store", s.store, "--url", "https://example.edu/revocations-s", "--type", "1edtech", "--purpose", "suspension"},
	} {
		if code, _, stderr := callStatus(t, "", args...); code != exitCantRun || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}

// TestStatusCheckVector checks the 1EdTech validator's revoked credential
// against its list, as the validator does.
//
// The list is signed by https://1edtech.edu/issuers/565049, which
// publishes no controller document: its key is only in the verification
// method's URL fragment, a hint anyone can write, which the 1EdTech
// validator accepts and we do not (on purpose). A list whose key is not
// confirmed says nothing, so the map serves, beside the list, a document
// made for the tests that lists the key (testdata/sign/issuers, see its
// README): the list's key is then bound by that document ("key document",
// where it was "key asserted"), and the credential is revoked. Without the
// document the status is undecided (exit 2), and with a document of the
// issuer's that lists another key, the list is refused.
func TestStatusCheckVector(t *testing.T) {
	code, stdout, stderr := callStatus(t, "", "check", "--offline-map", "testdata/status/offline-map.json", "--now", "2025-06-01T00:00:00Z", "testdata/status/credential-status-revoked.json")
	const listURL = "https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/heads/main/inspector-vc/src/test/resources/ob30/bit-string-list/testlist"
	const vm = "https://1edtech.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
	want := "credentialStatus[0] BitstringStatusListEntry (revocation) " + listURL + " index 23: revoked: bit 23 of " + listURL + " is 1: revoked\n" +
		"  list: Data Integrity eddsa-rdfc-2022 by https://1edtech.edu/issuers/565049 (key document)\n" +
		"  warning: statusListIndex is a JSON number; the W3C Recommendation requires a string\n" +
		"  warning: the list credential's id \"https://example.com/credentials/status/3\" is not the URL it was retrieved from\n" +
		"testdata/status/credential-status-revoked.json: revoked\n"
	if code != exitNo || stdout != want || stderr != "" {
		t.Errorf("exit %d\n%s\nwant\n%s\nstderr %s", code, stdout, want, stderr)
	}
	// The same through standard input, as JSON.
	data, err := os.ReadFile("testdata/status/credential-status-revoked.json")
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, _ = callStatus(t, string(data), "check", "--json", "--offline-map", "testdata/status/offline-map.json", "--now", "2025-06-01T00:00:00Z", "-")
	var rep statusCheckReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	index := 23
	wantRep := statusCheckReport{File: "standard input", Outcome: "revoked", Entries: []statusEntryReport{{
		Type: "BitstringStatusListEntry", Purpose: "revocation", ListURL: listURL, Index: &index, Outcome: "revoked",
		Reason: "bit 23 of " + listURL + " is 1: revoked",
		Warnings: []string{
			"statusListIndex is a JSON number; the W3C Recommendation requires a string",
			`the list credential's id "https://example.com/credentials/status/3" is not the URL it was retrieved from`,
		},
		List: &statusListReport{
			Source: "documents", Issuer: "https://1edtech.edu/issuers/565049", Format: "Data Integrity eddsa-rdfc-2022",
			VerificationMethod: vm,
			Binding:            "document", Length: 131072, ValidFrom: "2021-04-05T14:27:40Z",
		},
	}}}
	if code != exitNo || !cmp.Equal(wantRep, rep) {
		t.Errorf("exit %d, report (-want +got):\n%s", code, cmp.Diff(wantRep, rep))
	}

	// Without the issuer's document, or with one that lists another key:
	// the list's bit is not read (no Length), whatever it says.
	list, err := filepath.Abs("testdata/status/testlist.json")
	if err != nil {
		t.Fatal(err)
	}
	other, err := keys.Generate(keys.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	otherKey, err := keys.NewKey("https://1edtech.edu/issuers/565049#key-1", "https://1edtech.edu/issuers/565049", other)
	if err != nil {
		t.Fatal(err)
	}
	published := &keys.MemoryStore{}
	if err := published.Add(context.Background(), otherKey); err != nil {
		t.Fatal(err)
	}
	otherDoc, err := keys.MultikeyDocument(context.Background(), published, "https://1edtech.edu/issuers/565049")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeMap := func(name string, m map[string]any) string {
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		name    string
		omap    string
		code    int
		outcome string
		reason  string
		binding string
	}{
		{"no issuer document", writeMap("list-only.json", map[string]any{listURL: list}), exitCantRun, "indeterminate",
			"status: the status list does not verify: " + listURL + ": proof[0] (eddsa-rdfc-2022): did: the key is not confirmed as the controller's: dataintegrity: cannot resolve the verification method \"" + vm + "\": did: no resolver resolved \"" + vm + "\"; [1] did: unsupported reference: \"" + vm + "\" is not a did:key; [2] did: unsupported reference: \"" + vm + "\" is not a did:jwk; [3] did: verification method not found: no document for \"https://1edtech.edu/issuers/565049\" in the map; [4] did: unsupported reference: \"" + vm + "\" is not a did:web; [5] did: no fetcher, and the reference needs the network: \"" + vm + "\" is at \"https://1edtech.edu/issuers/565049\"",
			"asserted"},
		{"the issuer's document lists another key", writeMap("forged.json", map[string]any{listURL: list, "https://1edtech.edu/issuers/565049": json.RawMessage(otherDoc)}), exitCantRun, "indeterminate",
			// The document was had and does not list the key: the list is
			// refused, and what the credential's status is stays unknown.
			"status: the status list does not verify: " + listURL + ": proof[0] (eddsa-rdfc-2022): dataintegrity: cannot resolve the verification method \"" + vm + "\": did: the controller's document does not list the verification method: the document for \"https://1edtech.edu/issuers/565049\" does not list \"" + vm + "\"",
			""},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := callStatus(t, string(data), "check", "--json", "--offline-map", c.omap, "--now", "2025-06-01T00:00:00Z", "-")
			var rep statusCheckReport
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatalf("not JSON: %v\n%s\n%s", err, stdout, stderr)
			}
			want := statusCheckReport{File: "standard input", Outcome: c.outcome, Entries: []statusEntryReport{{
				Type: "BitstringStatusListEntry", Purpose: "revocation", ListURL: listURL, Index: &index, Outcome: c.outcome,
				Reason:   c.reason,
				Warnings: []string{"statusListIndex is a JSON number; the W3C Recommendation requires a string"},
				List: &statusListReport{
					Source: "documents", Format: "Data Integrity eddsa-rdfc-2022", VerificationMethod: vm, Binding: c.binding,
				},
			}}}
			if code != c.code || !cmp.Equal(want, rep) {
				t.Errorf("exit %d, want %d; report (-want +got):\n%s", code, c.code, cmp.Diff(want, rep))
			}
		})
	}
}

// TestStatusRollover: a full list hands over to the next URL.
func TestStatusRollover(t *testing.T) {
	s := newStatusSetup(t, keys.Ed25519)
	const url = "https://example.edu/status/7"
	store, err := status.OpenDir(s.store)
	if err != nil {
		t.Fatal(err)
	}
	l, err := status.NewList(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range l.Allocated {
		l.Allocated[i] = 0xff
	}
	_ = l.Allocated.Set(99, false)
	if err := store.Create(context.Background(), l); err != nil {
		t.Fatal(err)
	}
	if out := mustStatus(t, "allocate", "--store", s.store, "--url", url); !strings.Contains(out, `"statusListIndex": "99"`) {
		t.Errorf("the last free index: %s", out)
	}
	code, out, stderr := callStatus(t, "", "allocate", "--store", s.store, "--url", url)
	if code != exitOK || !strings.Contains(out, `"statusListCredential": "https://example.edu/status/8"`) {
		t.Fatalf("allocate from a full list: %d %s %s", code, out, stderr)
	}
	if stderr != "openbadges status allocate: https://example.edu/status/7 is full; the entry is in https://example.edu/status/8, which follows it: publish that list too\n" {
		t.Errorf("stderr %q", stderr)
	}
}

func TestStatusErrors(t *testing.T) {
	s := newStatusSetup(t, keys.Ed25519)
	const url = "https://example.edu/status/1"
	mustStatus(t, "create", "--store", s.store, "--url", url)
	cred := s.credential(t, "cred.json", "urn:uuid:1")
	notJSON := s.write(t, "notjson", []byte("this is not JSON"))
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string // substring
	}{
		{"no subcommand", nil, exitCantRun, "usage: openbadges status <subcommand>"},
		{"unknown subcommand", []string{"frobnicate"}, exitCantRun, `unknown subcommand "frobnicate"`},
		{"create without store", []string{"create", "--url", url}, exitCantRun, "usage: openbadges status create"},
		{"create without url", []string{"create", "--store", s.store}, exitCantRun, "usage: openbadges status create"},
		{"create twice", []string{"create", "--store", s.store, "--url", url}, exitCantRun, "already exists"},
		{"create http", []string{"create", "--store", s.store, "--url", "http://example.edu/s"}, exitCantRun, "https URL"},
		{"create short", []string{"create", "--store", s.store, "--url", "https://example.edu/s", "--length", "8"}, exitCantRun, "multiple of 8 from 131072"},
		{"create bad type", []string{"create", "--store", s.store, "--url", "https://example.edu/s", "--type", "2021"}, exitCantRun, "want bitstring or 1edtech"},
		{"create bad purpose", []string{"create", "--store", s.store, "--url", "https://example.edu/s", "--purpose", "message"}, exitCantRun, "unsupported"},
		{"allocate unknown list", []string{"allocate", "--store", s.store, "--url", "https://example.edu/nope"}, exitCantRun, "no such status list"},
		{"allocate extra argument", []string{"allocate", "--store", s.store, "--url", url, "x"}, exitCantRun, "usage: openbadges status allocate"},
		{"revoke without index", []string{"revoke", "--store", s.store, "--url", url}, exitCantRun, "usage: openbadges status revoke"},
		{"revoke with both", []string{"revoke", "--store", s.store, "--url", url, "--index", "1", "--credential", cred}, exitCantRun, "not both"},
		{"revoke unallocated", []string{"revoke", "--store", s.store, "--url", url, "--index", "1"}, exitCantRun, "index not allocated"},
		{"revoke out of range", []string{"revoke", "--store", s.store, "--url", url, "--index", "131072"}, exitCantRun, "out of range"},
		{"revoke a credential with no entry", []string{"revoke", "--store", s.store, "--url", url, "--credential", cred}, exitCantRun, "no revocation entry"},
		{"revoke not JSON", []string{"revoke", "--store", s.store, "--url", url, "--credential", notJSON}, exitCantRun, "malformed"},
		{"unsuspend in a revocation list", []string{"unsuspend", "--store", s.store, "--url", url, "--index", "1"}, exitCantRun, "not allowed by the list's purpose"},
		{"suspend has no reason", []string{"suspend", "--store", s.store, "--url", url, "--index", "1", "--reason", "x"}, exitCantRun, "flag provided but not defined: -reason"},
		{"publish without key", []string{"publish", "--store", s.store, "--url", url}, exitCantRun, "--key is required"},
		{"publish missing key file", []string{"publish", "--store", s.store, "--url", url, "--key", filepath.Join(s.dir, "nope.jwk")}, exitCantRun, "no such file"},
		{"publish bad format", []string{"publish", "--store", s.store, "--url", url, "--key", s.key, "--format", "cose"}, exitCantRun, "want di, jwt or vc+jwt"},
		{"publish bad valid-from", []string{"publish", "--store", s.store, "--url", url, "--key", s.key, "--valid-from", "tomorrow"}, exitCantRun, "--valid-from"},
		{"publish did:key of another key", []string{"publish", "--store", s.store, "--url", url, "--key", s.key, "--issuer", "did:key:z6Mkr7m55Pzd1uRBqBEms9QHWmAhYdDoXi9pxBvhKne12hmr"}, exitCantRun, "did:key of another key"},
		{"publish unknown list", []string{"publish", "--store", s.store, "--url", "https://example.edu/nope", "--key", s.key}, exitCantRun, "no such status list"},
		// A did:web issuer's list signed with a key whose file names no
		// method of the issuer: an id made up from the key
		// (issuer#z6Mk…, what publish used to name) is in no document, so
		// nothing could confirm the list; --vm is asked for.
		{"publish for a did:web issuer, no method named", []string{"publish", "--store", s.store, "--url", url, "--key", s.key, "--issuer", "did:web:example.edu"}, exitCantRun, "pass --vm with the id under which the issuer's document lists the key (did:web:example.edu#…)"},
		{"check no file", []string{"check"}, exitCantRun, "usage: openbadges status check"},
		{"check missing file", []string{"check", filepath.Join(s.dir, "nope.json")}, exitCantRun, "no such file"},
		{"check not JSON", []string{"check", notJSON}, exitCantRun, "malformed"},
		{"check bad now", []string{"check", "--now", "soon", cred}, exitCantRun, "--now"},
		{"check missing map", []string{"check", "--offline-map", filepath.Join(s.dir, "nope.json"), cred}, exitCantRun, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := callStatus(t, "", tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.stderr)
			}
		})
	}
	// A credential without credentialStatus: nothing can revoke it.
	if code, out, _ := callStatus(t, "", "check", cred); code != exitOK || out != cred+": no credentialStatus: nothing can revoke it\n" {
		t.Errorf("no status: %d %q", code, out)
	}
	// help
	if code, out, _ := callStatus(t, "", "help"); code != exitOK || !strings.Contains(out, "subcommands:") {
		t.Errorf("help: %d %q", code, out)
	}
	if code, _, stderr := callStatus(t, "", "check", "--help"); code != exitOK || !strings.Contains(stderr, "-offline-map") {
		t.Errorf("check --help: %d %q", code, stderr)
	}
}

// TestStatusPublishRSA: an RSA key publishes a VC-JWT under its did:jwk.
func TestStatusPublishRSA(t *testing.T) {
	s := newStatusSetup(t, keys.RSA2048)
	const url = "https://example.edu/status/rsa"
	mustStatus(t, "create", "--store", s.store, "--url", url)
	entryJSON := mustStatus(t, "allocate", "--store", s.store, "--url", url)
	cred := s.credential(t, "cred.json", "urn:uuid:1", json.RawMessage(entryJSON))
	listFile := filepath.Join(s.dir, "list.jwt")
	mustStatus(t, "publish", "--store", s.store, "--url", url, "--key", s.key, "--format", "jwt", "--out", listFile)
	if !strings.HasPrefix(s.did, "did:jwk:") {
		t.Fatalf("an RSA key's DID is %s", s.did)
	}
	omap := s.offlineMap(t, url, "list.jwt")
	code, stdout, _ := callStatus(t, "", "check", "--offline-map", omap, cred)
	if code != exitOK || !strings.Contains(stdout, "list: VC-JWT RS256 by "+s.did) {
		t.Errorf("check: %d\n%s", code, stdout)
	}
	// Data Integrity has no RSA suite.
	if code, _, stderr := callStatus(t, "", "publish", "--store", s.store, "--url", url, "--key", s.key); code != exitCantRun || stderr == "" {
		t.Errorf("publish di with RSA: %d %q", code, stderr)
	}
}
