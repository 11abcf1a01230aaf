package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/internal/forgerytest"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/status"
	"github.com/go-openbadges/openbadges/status/statussign"
	"github.com/go-openbadges/openbadges/verify"
)

// TestVerifyCommand checks the full verification from the command line:
// each flag, the exit statuses, and a report a person can read.
//
// The 1EdTech validator's fixtures name https issuers that publish no
// controller document: their keys sit only in the verification method's URL
// fragment, a hint that anyone can write under any issuer's URL. So, on
// purpose unlike the 1EdTech validator, which accepts them, they are not
// verified without the issuer's document (exit 3, inconclusive, saying how
// to supply it), and verified with a document that lists the key, here
// testdata/verify/issuers/ (made for the tests, see its README) through
// --offline-map.
func TestVerifyCommand(t *testing.T) {
	const (
		d       = "testdata/verify/"
		now     = "2026-01-01T00:00:00Z"
		issuers = d + "issuers/offline-map.json" // the issuers' documents only
		all     = d + "offline-map.json"         // the documents and the status list
		list    = "https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/heads/main/inspector-vc/src/test/resources/ob30/bit-string-list/testlist"
	)
	for _, tc := range []struct {
		name   string
		args   []string
		status int
		stdout []string // substrings
		stderr string
	}{
		// Was exit 0 with only a warning that nothing binds the key to the
		// issuer: with the issuer's document the key is confirmed.
		{"baked PNG, the issuer's document", []string{"verify", "--now", now, "--offline-map", issuers, d + "simple-json.png"}, 0,
			[]string{d + "simple-json.png: VERIFIED: png AchievementCredential (VCDM 2.0) from https://example.com/issuers/876543\n",
				"  input             passed        a JSON credential baked into PNG\n",
				"  proof             passed        verified: eddsa-rdfc-2022 by https://example.com/issuers/876543 (key bound to its controller: document)\n"}, ""},
		// Was exit 0 (verified, with a warning): without the issuer's
		// document the key read from the fragment is not confirmed, so the
		// badge is not verified, and the report says what to supply.
		{"baked PNG, no document: inconclusive", []string{"verify", "--now", now, d + "simple-json.png"}, 3,
			[]string{d + "simple-json.png: NOT VERIFIED (inconclusive): png AchievementCredential (VCDM 2.0) from https://example.com/issuers/876543\n",
				"  proof             indeterminate not verified: the key that signed is not confirmed as the issuer's; the controller document of https://example.com/issuers/876543 (published at that URL) would confirm or refute it: pass --offline-map FILE (openbadges publish writes one) or --allow-network. "}, ""},
		{"recipient", []string{"verify", "--now", now, "--offline-map", issuers, "--recipient", "id:did:example:ebfeb1f712ebc6f1c276e12ec21", d + "simple-json.png"}, 0,
			[]string{"  recipient         passed        the subject's id is did:example:ebfeb1f712ebc6f1c276e12ec21\n"}, ""},
		{"wrong recipient", []string{"verify", "--now", now, "--offline-map", issuers, "--recipient", "id:did:example:eve", d + "simple-json.png"}, 1,
			[]string{"NOT VERIFIED: png", "  recipient         failed        the subject's id is \"did:example:ebfeb1f712ebc6f1c276e12ec21\", not \"did:example:eve\"\n"}, ""},
		// A failed check decides, even when another could not decide.
		{"wrong recipient, no document", []string{"verify", "--now", now, "--recipient", "id:did:example:eve", d + "simple-json.png"}, 1,
			[]string{"NOT VERIFIED: png", "  proof             indeterminate ", "  recipient         failed        "}, ""},
		{"untrusted issuer", []string{"verify", "--now", now, "--offline-map", issuers, "--trust", "https://example.org/other", d + "simple-json.png"}, 1,
			[]string{"  issuer            failed        https://example.com/issuers/876543 is not one of the trusted issuers\n"}, ""},
		// --trust names whom the caller accepts; it never confirms a key.
		{"trusted issuer, no document", []string{"verify", "--now", now, "--trust", "https://example.com/issuers/876543", d + "simple-json.png"}, 3,
			[]string{"NOT VERIFIED (inconclusive)", "  proof             indeterminate ", "  issuer            passed        "}, ""},
		{"trusted issuer, the issuer's document", []string{"verify", "--now", now, "--offline-map", issuers, "--trust", "https://example.com/issuers/876543", d + "simple-json.png"}, 0,
			[]string{"VERIFIED: png", "  issuer            passed        "}, ""},
		{"strict, the issuer's document", []string{"verify", "--now", now, "--offline-map", issuers, "--strict", d + "simple-json.png"}, 0,
			[]string{"VERIFIED: png"}, ""},
		{"expired", []string{"verify", "--now", now, d + "simple-err-expired.json"}, 1,
			[]string{"  validity          failed        expired: validUntil was 2010-01-01T00:00:00Z\n"}, ""},
		// The list is signed by the credential's https issuer: with the
		// issuer's document both verify and the revocation is decided.
		{"revoked, list and issuer from the offline map", []string{"verify", "--now", now, "--offline-map", all, d + "credential-status-revoked.json"}, 1,
			[]string{"NOT VERIFIED: json", "  status            failed        revoked: bit 23 of " + list + " is 1: revoked\n",
				"  read " + list + " from the offline map (921 bytes)\n"}, ""},
		{"revoked, --allow-unknown-status", []string{"verify", "--now", now, "--allow-unknown-status", "--offline-map", all, d + "credential-status-revoked.json"}, 1,
			[]string{"NOT VERIFIED: json", "  status            failed        revoked: "}, ""},
		// Was exit 0, "VERIFIED (inconclusive)": a status that cannot be
		// decided is no longer accepted by default (fail closed).
		{"status unknown offline", []string{"verify", "--now", now, "--offline-map", issuers, d + "credential-status-revoked.json"}, 3,
			[]string{"NOT VERIFIED (inconclusive): json", "  proof             passed        ",
				"  status            indeterminate the status could not be decided: status: the status list could not be retrieved: " + list + ": not available offline: pass --offline-map FILE (openbadges publish writes one) or --allow-network\n"}, ""},
		// Was --require-status giving exit 1; accepting an unknown status is
		// now the caller's explicit choice, and the report still says so.
		{"status unknown offline, --allow-unknown-status", []string{"verify", "--now", now, "--allow-unknown-status", "--offline-map", issuers, d + "credential-status-revoked.json"}, 0,
			[]string{"VERIFIED (status unknown, accepted by policy): json", "  status            indeterminate the status could not be decided: "}, ""},
		// The list without its issuer's document: neither the credential's
		// proof nor the list's can be confirmed, so nothing is decided, not
		// even the revocation the unconfirmed list claims.
		{"list without the issuer's document", []string{"verify", "--now", now, "--offline-map", d + "testlist-only.json", d + "credential-status-revoked.json"}, 3,
			[]string{"NOT VERIFIED (inconclusive): json", "  proof             indeterminate ", "  status            indeterminate the status could not be decided: status: the status list does not verify: "}, ""},
		{"--require-status is gone", []string{"verify", "--require-status", d + "credential-status-revoked.json"}, 2, nil, "flag provided but not defined: -require-status"},
		{"JSON report", []string{"verify", "--json", "--now", now, d + "simple-err-expired.json"}, 1,
			[]string{`"verified": false`, `"id": "validity",` + "\n" + `      "outcome": "failed",`}, ""},
		{"JSON report, inconclusive", []string{"verify", "--json", "--now", now, d + "simple-json.png"}, 3,
			[]string{`"verified": false,` + "\n" + `  "inconclusive": true,`, `"id": "proof",` + "\n" + `      "outcome": "indeterminate",`}, ""},
		{"bad --now", []string{"verify", "--now", "yesterday", d + "simple-json.png"}, 2, nil, "--now: parsing time"},
		{"bad --recipient", []string{"verify", "--recipient", "ada", d + "simple-json.png"}, 2, nil, `--recipient "ada": want TYPE:VALUE`},
		{"bad --context", []string{"verify", "--context", "nofile", d + "simple-json.png"}, 2, nil, `--context "nofile": want URL=FILE`},
		{"missing map file", []string{"verify", "--offline-map", d + "nope.json", d + "simple-json.png"}, 2, nil, "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, stdout, stderr := call(t, "", tc.args...)
			if status != tc.status {
				t.Errorf("status = %d, want %d (stderr %q)\n%s", status, tc.status, stderr, stdout)
			}
			for _, s := range tc.stdout {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
			if tc.stderr == "" && stderr != "" || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tc.stderr)
			}
		})
	}
}

// TestVerifyHelp checks that verify --help says what the exit statuses
// mean and how to supply the issuer's document.
func TestVerifyHelp(t *testing.T) {
	status, stdout, stderr := call(t, "", "verify", "--help")
	if status != exitOK || stdout != "" {
		t.Fatalf("verify --help: exit %d, stdout %q", status, stdout)
	}
	for _, want := range []string{
		"usage: openbadges verify ",
		"  --allow-unknown-status\n",
		"  --offline-map string\n",
		"  --trust ID\n",
		"\nExit status:\n" +
			"  0  verified\n" +
			"  1  not verified: a check failed (forged, tampered, revoked, expired, ...)\n" +
			"  2  could not run: bad usage, unreadable input, not a credential\n" +
			"  3  not verified, inconclusive: nothing failed, but something could not\n" +
			"     be decided (the issuer's document or the status list could not be\n" +
			"     had); the report says what to supply. --allow-unknown-status accepts\n" +
			"     an undecided status (exit 0), for a wallet that knows it is offline.\n",
		"The issuer's document: offline, supply it with --offline-map, a JSON\n" +
			"object from DID or URL to the document (a file path relative to the map,\n" +
			"or the document itself), e.g.\n" +
			"  {\"did:web:example.edu\": \"did.json\",\n" +
			"   \"https://example.edu/issuers/1\": \"issuer.json\",\n" +
			"   \"https://example.edu/status/1\": \"status-list.json\"}\n" +
			"or let it be fetched with --allow-network",
		"A key named only in the verification method's URL\nfragment (issuer#z6Mk...) or in a JWT header's jwk is a hint, never a\nconfirmation.",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("verify --help lacks %q:\n%s", want, stderr)
		}
	}
	// Neither a flag that is gone nor a deprecated alias is listed.
	if strings.Contains(stderr, "require-status") || strings.Contains(stderr, "--network") {
		t.Errorf("verify --help names --require-status or --network:\n%s", stderr)
	}
	// openbadges help verify says the same, then the flags and examples.
	status, stdout, _ = call(t, "", "help", "verify")
	if want := "usage: openbadges verify "; status != exitOK || !strings.HasPrefix(stdout, want) || !strings.Contains(stdout, verifyHelp+"\nflags:\n  --allow-network\n") ||
		!strings.Contains(stdout, "\nexamples:\n  # verify a badge offline, with the documents openbadges publish wrote\n  openbadges verify --offline-map public/map.json baked.png\n") {
		t.Errorf("help verify: exit %d, stdout:\n%s", status, stdout)
	}
	// --network is still read, deprecated: a notice on stderr. (A missing
	// file, so that nothing is fetched.)
	status, _, stderr = call(t, "", "verify", "--network", "testdata/nope.json")
	if want := "openbadges verify: --network is deprecated: use --allow-network\nopenbadges verify: open testdata/nope.json: no such file or directory\n"; stderr != want || status != exitCantRun {
		t.Errorf("verify --network: exit %d, stderr %q, want it to start with %q", status, stderr, want)
	}
}

// The forgery test's parties (see forgerytest). The victim is a real
// issuer with a did:web DID and an https issuer URL, each publishing a
// document that lists its own key under assertionMethod; the attacker has
// an Ed25519 key of their own and nothing else.
const (
	victimWeb   = forgerytest.VictimDID
	victimHTTPS = forgerytest.VictimHTTPS
	forgeryNow  = "2026-01-01T00:00:00Z"
)

var (
	victimKey   = forgerytest.VictimKey()
	attackerKey = forgerytest.AttackerKey()
)

// obCredential is an unsigned Open Badges 3.0 credential naming issuer.
func obCredential(issuer string) []byte {
	return []byte(`{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "id": "urn:uuid:6f1c0b57-4f0e-4d43-9a53-0d2f7c5f4b11",
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "issuer": {"id": "` + issuer + `", "type": ["Profile"], "name": "Victim University"},
  "validFrom": "2025-01-01T00:00:00Z",
  "name": "Doctor of Philosophy",
  "credentialSubject": {
    "id": "did:example:mallory",
    "type": ["AchievementSubject"],
    "achievement": {
      "id": "https://victim.example/achievements/phd",
      "type": ["Achievement"],
      "criteria": {"narrative": "Defend a thesis before the faculty."},
      "description": "The university's highest degree.",
      "name": "PhD"
    }
  }
}`)
}

// victimDocuments writes the victim's did:web DID document and https
// controller document (forgerytest.VictimDocuments: key-1 only, never the
// attacker's key), and the offline map that serves them, into dir; it
// returns the map's path.
func victimDocuments(t *testing.T, dir string) string {
	t.Helper()
	docs := forgerytest.VictimDocuments(t)
	attackerMB, _ := keys.PublicKeyMultibase(attackerKey.Public())
	for _, doc := range [][]byte{docs.DID, docs.HTTPS} {
		if bytes.Contains(doc, []byte(attackerMB)) {
			t.Fatalf("the victim's document lists the attacker's key:\n%s", doc)
		}
	}
	writeFile(t, filepath.Join(dir, "did.json"), docs.DID)
	writeFile(t, filepath.Join(dir, "issuer.json"), docs.HTTPS)
	m := filepath.Join(dir, "victim-map.json")
	writeFile(t, m, []byte(`{"`+victimWeb+`": "did.json", "`+victimHTTPS+`": "issuer.json"}`))
	return m
}

func writeFile(t *testing.T, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(name, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// edited changes the achievement's name in a signed credential, a JSON
// one or the payload of a compact JWS, keeping the signature.
func edited(t *testing.T, signed []byte) []byte {
	t.Helper()
	swap := func(b []byte) []byte {
		out := bytes.Replace(b, []byte(`"name":"PhD"`), []byte(`"name":"MD"`), 1)
		if out2 := bytes.Replace(b, []byte(`"name": "PhD"`), []byte(`"name": "MD"`), 1); !bytes.Equal(out2, b) {
			out = out2
		}
		if bytes.Equal(out, b) {
			t.Fatalf("nothing to edit in %s", b)
		}
		return out
	}
	parts := strings.Split(string(signed), ".")
	if len(parts) != 3 || strings.HasPrefix(parts[0], "{") {
		return swap(signed)
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	parts[1] = base64.RawURLEncoding.EncodeToString(swap(payload))
	return []byte(strings.Join(parts, "."))
}

// forgeryCase is a credential and what verify must say of it.
type forgeryCase struct {
	name   string
	issuer string // the issuer the credential names, for --trust
	cred   []byte
	// noDocs and withDocs are the exit statuses without any document and
	// with the victim's real documents in the offline map, whatever else
	// the policy says (--trust the named issuer, --strict).
	noDocs, withDocs int
}

// forgeryCases are the attacker's credentials, each naming the victim as
// issuer and signed with the attacker's key, and, as positive controls,
// the victim's own.
func forgeryCases(t *testing.T) []forgeryCase {
	diBy, jwtBy := forgerytest.SignDI, forgerytest.SignJWT
	attackerMB, err := keys.PublicKeyMultibase(attackerKey.Public())
	if err != nil {
		t.Fatal(err)
	}
	victimMB, _ := keys.PublicKeyMultibase(victimKey.Public())
	victimDIDKey, _ := keys.DIDKey(victimKey.Public())
	victimDIDJWK, _ := keys.DIDJWK(victimKey.Public())
	attackerVM, _ := keys.DIDKeyVerificationMethod(attackerKey.Public())
	webCred, httpsCred := obCredential(victimWeb), obCredential(victimHTTPS)
	// A key in a fragment or a header jwk is a hint: without the victim's
	// document nothing can confirm or refute it (exit 3); the document,
	// which does not list the attacker's key, refutes it (exit 1). A
	// did:key or did:jwk issuer is its own document: refuted at once.
	return []forgeryCase{
		{"DI, did:web issuer, fragment key", victimWeb, diBy(t, attackerKey, victimWeb+"#"+attackerMB, webCred), 3, 1},
		{"DI, https issuer, fragment key", victimHTTPS, diBy(t, attackerKey, victimHTTPS+"#"+attackerMB, httpsCred), 3, 1},
		{"DI, did:web issuer, the attacker's did:key method", victimWeb, diBy(t, attackerKey, attackerVM, webCred), 1, 1},
		{"VC-JWT, did:web issuer, kid with the key", victimWeb, jwtBy(t, attackerKey, victimWeb+"#"+attackerMB, webCred), 3, 1},
		{"VC-JWT, https issuer, kid with the key", victimHTTPS, jwtBy(t, attackerKey, victimHTTPS+"#"+attackerMB, httpsCred), 3, 1},
		{"VC-JWT, header jwk, iss someone else's did:key", victimDIDKey, jwtBy(t, attackerKey, "", obCredential(victimDIDKey)), 1, 1},
		{"VC-JWT, header jwk, iss a did:jwk", victimDIDJWK, jwtBy(t, attackerKey, "", obCredential(victimDIDJWK)), 1, 1},
		{"VC-JWT, header jwk, iss did:web", victimWeb, jwtBy(t, attackerKey, "", webCred), 3, 1},
		{"VC-JWT, header jwk, iss https", victimHTTPS, jwtBy(t, attackerKey, "", httpsCred), 3, 1},

		// The victim's own credentials, edited after signing. With a key at
		// hand (a header jwk, a key in the fragment) the signature is
		// checked first: it does not verify, which no document can mend,
		// so the credential fails with or without the victim's document.
		// A method whose fragment is no key (#key-1) gives nothing to check
		// the signature with until the document comes.
		{"tampered: the victim's VC-JWT, header jwk", victimHTTPS, edited(t, jwtBy(t, victimKey, "", httpsCred)), 1, 1},
		{"tampered: the victim's DI credential, fragment key", victimWeb, edited(t, diBy(t, victimKey, victimWeb+"#"+victimMB, webCred)), 1, 1},
		{"tampered: the victim's DI credential, #key-1", victimWeb, edited(t, diBy(t, victimKey, victimWeb+"#key-1", webCred)), 3, 1},

		// Positive controls: the victim's real key verifies with its
		// document, and is undecided without it.
		{"control: DI, did:web issuer", victimWeb, diBy(t, victimKey, victimWeb+"#key-1", webCred), 3, 0},
		{"control: DI, https issuer", victimHTTPS, diBy(t, victimKey, victimHTTPS+"#key-1", httpsCred), 3, 0},
		{"control: VC-JWT, did:web issuer, kid", victimWeb, jwtBy(t, victimKey, victimWeb+"#key-1", webCred), 3, 0},
		{"control: VC-JWT, header jwk, iss did:web", victimWeb, jwtBy(t, victimKey, "", webCred), 3, 0},
		{"control: VC-JWT, header jwk, iss https", victimHTTPS, jwtBy(t, victimKey, "", httpsCred), 3, 0},
		{"control: VC-JWT, header jwk, iss its did:key", victimDIDKey, jwtBy(t, victimKey, "", obCredential(victimDIDKey)), 0, 0},
	}
}

// verdict is what the forgery test compares: the exit status and the
// report's verdict and proof check.
type verdict struct {
	Exit         int
	Verified     bool
	Inconclusive bool
	Proof        verify.Outcome
}

// TestVerifyForgery runs the attacker's credentials through openbadges
// verify: each is NOT VERIFIED, inconclusive (exit 3) when nothing can
// refute the key and failed (exit 1) once the victim's document is
// supplied, whatever --trust and --strict say. The victim's own
// credentials are the positive controls.
func TestVerifyForgery(t *testing.T) {
	dir := t.TempDir()
	victimMap := victimDocuments(t, dir)
	for i, tc := range forgeryCases(t) {
		file := filepath.Join(dir, fmt.Sprintf("cred-%d", i))
		writeFile(t, file, tc.cred)
		t.Run(tc.name, func(t *testing.T) {
			for _, p := range []struct {
				name string
				args []string
				docs bool
			}{
				{"no documents", nil, false},
				{"no documents, --trust", []string{"--trust", tc.issuer}, false},
				{"no documents, --strict", []string{"--strict"}, false},
				{"victim's documents", []string{"--offline-map", victimMap}, true},
				{"victim's documents, --trust", []string{"--offline-map", victimMap, "--trust", tc.issuer}, true},
				{"victim's documents, --strict", []string{"--offline-map", victimMap, "--strict"}, true},
			} {
				args := append(append([]string{"verify", "--json", "--now", forgeryNow}, p.args...), file)
				status, stdout, stderr := call(t, "", args...)
				var rep verify.Report
				if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
					t.Fatalf("%s: exit %d, not a JSON report (%v): %s\n%s", p.name, status, err, stderr, stdout)
				}
				got := verdict{Exit: status, Verified: rep.Verified, Inconclusive: rep.Inconclusive}
				if c := rep.Check(verify.CheckProof); c != nil {
					got.Proof = c.Outcome
				}
				want := verdict{Exit: tc.noDocs}
				if p.docs {
					want.Exit = tc.withDocs
				}
				switch want.Exit {
				case 0:
					want.Verified, want.Proof = true, verify.Passed
				case 1:
					want.Proof = verify.Failed
				case 3:
					want.Inconclusive, want.Proof = true, verify.Indeterminate
				}
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("%s (-want +got):\n%s\nproof: %s", p.name, d, rep.Check(verify.CheckProof).Message)
				}
			}
		})
	}
}

// statusFixture is a did:key issuer with a revocation list, a credential
// with an entry in it, and the list published, in a folder.
type statusFixture struct {
	dir, cred string
	reg       *status.Registry
	signer    status.Signer
	issuer    string
	index     int
}

const statusListURL = "https://example.edu/status/1"

func newStatusFixture(t *testing.T) *statusFixture {
	t.Helper()
	ctx := context.Background()
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x73}, ed25519.SeedSize))
	issuer, _ := keys.DIDKey(key.Public())
	vm, _ := keys.DIDKeyVerificationMethod(key.Public())
	f := &statusFixture{dir: t.TempDir(), issuer: issuer, reg: &status.Registry{Store: &status.MemoryStore{}}}
	f.signer = statussign.DataIntegrity(&dataintegrity.Signer{Key: key, VerificationMethod: vm}, nil)
	if _, err := f.reg.Create(ctx, statusListURL, nil); err != nil {
		t.Fatal(err)
	}
	entry, err := f.reg.Allocate(ctx, statusListURL)
	if err != nil {
		t.Fatal(err)
	}
	if f.index, err = entry.Index(); err != nil {
		t.Fatal(err)
	}
	entryJSON, err := json.Marshal(entry)
	if err != nil {
		t.Fatal(err)
	}
	unsigned := bytes.Replace(obCredential(issuer), []byte(`"validFrom"`), []byte(`"credentialStatus": `+string(entryJSON)+`, "validFrom"`), 1)
	f.cred = filepath.Join(f.dir, "cred.json")
	writeFile(t, f.cred, forgerytest.SignDI(t, key, vm, unsigned))
	return f
}

// publish writes the list as published now into the folder, and a map
// serving it; it returns the map's path. edit, if not nil, changes the
// signed list (to tamper with it).
func (f *statusFixture) publish(t *testing.T, name string, edit func([]byte) []byte) string {
	t.Helper()
	list, err := f.reg.Publish(context.Background(), statusListURL, &status.PublishOptions{
		Issuer: f.issuer, Signer: f.signer, ValidFrom: time.Now().Add(-time.Hour), Validity: 48 * time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		list = edit(list)
	}
	writeFile(t, filepath.Join(f.dir, name+".json"), list)
	m := filepath.Join(f.dir, name+"-map.json")
	writeFile(t, m, []byte(`{"`+statusListURL+`": "`+name+`.json"}`))
	return m
}

// TestVerifyStatusFailClosed checks that a status that cannot be decided
// is not verified (exit 3) unless --allow-unknown-status accepts it (exit
// 0, the report still saying so), and that a revocation is exit 1 either
// way. The issuer is a did:key, so its key is confirmed without documents
// and the status alone decides.
func TestVerifyStatusFailClosed(t *testing.T) {
	f := newStatusFixture(t)
	good := f.publish(t, "good", nil)
	// The list's bits changed after signing (all revoked): the proof fails,
	// so nothing the list says can be believed.
	tampered := f.publish(t, "tampered", func(b []byte) []byte {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		bits, _ := status.NewBitstring(status.MinListLength)
		for i := 0; i < bits.Len(); i++ {
			bits.Set(i, true)
		}
		m["credentialSubject"].(map[string]any)["encodedList"] = bits.Encode()
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return out
	})
	// A list that says "not revoked", signed by someone other than the
	// issuer: it does not verify as the issuer's.
	forged := func() string {
		mb, _ := keys.PublicKeyMultibase(attackerKey.Public())
		saved := f.signer
		f.signer = statussign.DataIntegrity(&dataintegrity.Signer{Key: attackerKey, VerificationMethod: f.issuer + "#" + mb}, nil)
		defer func() { f.signer = saved }()
		return f.publish(t, "forged", nil)
	}()
	if err := f.reg.Revoke(context.Background(), statusListURL, f.index); err != nil {
		t.Fatal(err)
	}
	revoked := f.publish(t, "revoked", nil)

	for _, tc := range []struct {
		name    string
		args    []string
		exit    int
		verdict string // the report's first line, after the file name
		status  verify.Outcome
	}{
		{"list decided, not revoked", []string{"--offline-map", good}, 0, "VERIFIED: json", verify.Passed},
		{"no list: not verified", nil, 3, "NOT VERIFIED (inconclusive): json", verify.Indeterminate},
		{"no list, --allow-unknown-status", []string{"--allow-unknown-status"}, 0, "VERIFIED (status unknown, accepted by policy): json", verify.Indeterminate},
		{"tampered list: not verified", []string{"--offline-map", tampered}, 3, "NOT VERIFIED (inconclusive): json", verify.Indeterminate},
		{"tampered list, --allow-unknown-status", []string{"--offline-map", tampered, "--allow-unknown-status"}, 0, "VERIFIED (status unknown, accepted by policy): json", verify.Indeterminate},
		{"list signed by another key: not verified", []string{"--offline-map", forged}, 3, "NOT VERIFIED (inconclusive): json", verify.Indeterminate},
		{"revoked", []string{"--offline-map", revoked}, 1, "NOT VERIFIED: json", verify.Failed},
		{"revoked, --allow-unknown-status", []string{"--offline-map", revoked, "--allow-unknown-status"}, 1, "NOT VERIFIED: json", verify.Failed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{"verify"}, tc.args...), f.cred)
			status, stdout, stderr := call(t, "", args...)
			if status != tc.exit || stderr != "" {
				t.Errorf("exit %d, want %d (stderr %q)\n%s", status, tc.exit, stderr, stdout)
			}
			if want := f.cred + ": " + tc.verdict + " "; !strings.HasPrefix(stdout, want) {
				t.Errorf("stdout does not start with %q:\n%s", want, stdout)
			}
			if want := fmt.Sprintf("\n  status            %-13s ", tc.status); !strings.Contains(stdout, want) {
				t.Errorf("stdout lacks %q:\n%s", want, stdout)
			}
		})
	}
}
