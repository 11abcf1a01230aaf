package verify

import (
	"bytes"
	"context"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"image"
	"image/png"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jws"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/fetch"
	"github.com/go-openbadges/openbadges/keys"
)

// t2017 is a time within the validity of the OB 2.0 fixtures: after their
// issuedOn (2016-12-31), before the spec example's expires (2017-06-30).
var t2017 = time.Date(2017, 1, 2, 0, 0, 0, 0, time.UTC)

// ob20Map reads the offline map in testdata/ob20/DIR.
func ob20Map(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	dir = "testdata/ob20/" + dir
	docs, err := ParseDocumentMap(mustRead(t, dir+"/offline-map.json"), dir)
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

// edited returns a copy of docs with url set to doc, or removed when doc
// is nil.
func edited(docs map[string][]byte, url string, doc []byte) map[string][]byte {
	out := maps.Clone(docs)
	if doc == nil {
		delete(out, url)
	} else {
		out[url] = doc
	}
	return out
}

// editJSON returns the JSON object b changed by edit.
func editJSON(t testing.TB, b []byte, edit func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	out, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// privateKey reads a private JWK of testdata/ob20/jose/keys.
func privateKey(t testing.TB, name string) crypto.Signer {
	t.Helper()
	k, _, err := keys.ParsePrivateJWK(mustRead(t, "testdata/ob20/jose/keys/"+name+".private.json"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// signOB20 signs payload as a compact JWS with jwx (an implementation
// other than the one verifying), with the header {"alg": alg}.
func signOB20(t testing.TB, key crypto.Signer, alg jwa.SignatureAlgorithm, payload []byte) []byte {
	t.Helper()
	tok, err := jws.Sign(payload, jws.WithKey(alg, key))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// payloadOf returns the payload of a compact JWS, undecoded checks aside.
func payloadOf(t testing.TB, token []byte) []byte {
	t.Helper()
	parts := bytes.Split(bytes.TrimSpace(token), []byte("."))
	b, err := base64.RawURLEncoding.DecodeString(string(parts[1]))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// withPayload returns token with its payload replaced, its header and
// signature kept: a tampered JWS.
func withPayload(token, payload []byte) []byte {
	parts := bytes.Split(bytes.TrimSpace(token), []byte("."))
	return bytes.Join([][]byte{parts[0], []byte(base64.RawURLEncoding.EncodeToString(payload)), parts[2]}, []byte("."))
}

// tamperSignature returns a copy of token with its signature's last
// characters changed.
func tamperSignature(token []byte) []byte {
	out := bytes.Clone(bytes.TrimSpace(token))
	copy(out[len(out)-2:], "AA")
	return out
}

// withHeader returns token with its header replaced.
func withHeader(token []byte, header string) []byte {
	parts := bytes.Split(bytes.TrimSpace(token), []byte("."))
	return bytes.Join([][]byte{[]byte(base64.RawURLEncoding.EncodeToString([]byte(header))), parts[1], parts[2]}, []byte("."))
}

// legacyPNG returns a 1×1 PNG holding text in a tEXt chunk with the OB 2.0
// keyword "openbadges", as OB 2.0 bakers write it.
func legacyPNG(t testing.TB, text []byte) []byte {
	t.Helper()
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	b := img.Bytes()
	iend := len(b) - 12 // the IEND chunk: length, type, CRC
	data := append([]byte("openbadges\x00"), text...)
	chunk := fmt.Appendf(nil, "%c%c%c%ctEXt", byte(len(data)>>24), byte(len(data)>>16), byte(len(data)>>8), byte(len(data)))
	chunk = append(chunk, data...)
	crc := crc32.ChecksumIEEE(chunk[4:])
	chunk = append(chunk, byte(crc>>24), byte(crc>>16), byte(crc>>8), byte(crc))
	return append(append(append([]byte{}, b[:iend]...), chunk...), b[iend:]...)
}

// legacySVG returns an SVG holding text as OB 2.0 bakers write it: a URL
// in the verify attribute of an <openbadges:assertion>, anything else as
// its character data.
func legacySVG(text []byte) []byte {
	el := `<openbadges:assertion><![CDATA[` + string(text) + `]]></openbadges:assertion>`
	if isHTTPURL(text) {
		el = `<openbadges:assertion verify="` + string(text) + `"></openbadges:assertion>`
	}
	return []byte(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">` + el + `</svg>`)
}

// goneFetcher answers 410 Gone for the URLs in gone and serves nothing
// else.
type goneFetcher map[string]bool

func (f goneFetcher) Fetch(ctx context.Context, url string) ([]byte, error) {
	if f[url] {
		return nil, &fetch.StatusError{URL: url, StatusCode: 410}
	}
	return nil, fmt.Errorf("fetch: %s: no such host (test)", url)
}

// ob20Want is what a test expects of an OB 2.0 report: the verdict, the
// outcome of every check (those not named are Passed, but issuer,
// recipient and endorsements, Skipped unless named), and the exact message
// of one check.
type ob20Want struct {
	verified, inconclusive bool
	outcomes               map[string]Outcome
	at, message            string
}

// ob20Outcomes returns every check's outcome.
func ob20Outcomes(rep *Report) map[string]Outcome {
	got := map[string]Outcome{}
	for _, c := range rep.Checks {
		got[c.ID] = c.Outcome
	}
	return got
}

func (w ob20Want) check(t *testing.T, rep *Report) {
	t.Helper()
	want := map[string]Outcome{}
	for _, id := range ob20Checks {
		want[id] = Passed
	}
	want[CheckIssuer], want[CheckRecipient], want[CheckEndorsements] = Skipped, Skipped, Skipped
	maps.Copy(want, w.outcomes)
	if d := cmp.Diff(want, ob20Outcomes(rep)); d != "" {
		t.Errorf("outcomes (-want +got):\n%s\n%s", d, rep)
	}
	if rep.Verified != w.verified || rep.Inconclusive != w.inconclusive {
		t.Errorf("verified %v inconclusive %v, want %v %v\n%s", rep.Verified, rep.Inconclusive, w.verified, w.inconclusive, rep)
	}
	var ids []string
	for _, c := range rep.Checks {
		ids = append(ids, c.ID)
	}
	if d := cmp.Diff(ob20Checks, ids); d != "" {
		t.Errorf("checks (-want +got):\n%s", d)
	}
	if w.at != "" {
		if c := rep.Check(w.at); c == nil || c.Message != w.message {
			t.Errorf("%s check says\n%q, want\n%q", w.at, c.Message, w.message)
		}
	}
}

// verifyOB20 verifies input with docs and policy.
func verifyOB20(t *testing.T, input []byte, tr Trust, p Policy) *Report {
	t.Helper()
	rep, err := Verify(context.Background(), input, &tr, &p)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestOB20SignedByJose verifies the signed OB 2.0 assertions made by panva's
// jose (testdata/ob20/jose, see its README): the spec's signed example,
// RS256 and ES256, with the key published as a CryptographicKey
// (publicKeyPem) that names the issuer as owner, listed by the issuer's
// Profile; each other fixture fails on its own check; tampered copies, a
// key owned by someone else or not listed, and missing documents too.
func TestOB20SignedByJose(t *testing.T) {
	docs := ob20Map(t, "jose")
	read := func(name string) []byte { return mustRead(t, "testdata/ob20/jose/"+name) }
	spec := read("spec-rs256.jws")
	rsa := privateKey(t, "rs256")
	key := read("publicKey.json")
	verified := func(proof string) ob20Want {
		return ob20Want{verified: true, at: CheckProof, message: proof}
	}
	const byRSA = "verified: RS256 by https://example.org/publicKey.json, a key of the issuer's Profile that names the issuer as its owner"
	const profileMissing = "the issuer's Profile https://example.org/organization.json is not in Trust.Documents, and fetching is off: supply it in Trust.Documents (openbadges verify --offline-map) or allow fetching (Trust.Fetcher, --allow-network)"
	nobody := &Identity{Type: "emailAddress", Value: "nobody@example.org"}
	for _, tc := range []struct {
		name   string
		input  []byte
		docs   map[string][]byte
		policy Policy
		want   ob20Want
	}{
		{"spec example RS256", spec, docs, Policy{Now: t2017}, verified(byRSA)},
		{"spec example ES256", read("spec-es256.jws"), docs, Policy{Now: t2017},
			verified("verified: ES256 by https://example.org/publicKey-es256.json, a key of the issuer's Profile that names the issuer as its owner")},
		{"verify alias, no creator: the issuer's keys are tried", read("alias-no-creator.jws"), docs, Policy{Now: t2017}, verified(byRSA)},
		{"embedded BadgeClass, recipient", read("recipient-embedded-badge.jws"), docs, Policy{Now: t2017, Recipient: nobody},
			ob20Want{verified: true, outcomes: map[string]Outcome{CheckRecipient: Passed}, at: CheckBadge,
				message: `BadgeClass "Ephemeral Robotics Badge" (urn:uuid:0e4d7c1f-2b7a-4f1e-8a53-1f2e3d4c5b6a, embedded) by An Example Badge Issuer, whose Profile was read from its id`}},
		{"another recipient", read("recipient-embedded-badge.jws"), docs, Policy{Now: t2017, Recipient: &Identity{Type: "emailAddress", Value: "beth@example.org"}},
			ob20Want{outcomes: map[string]Outcome{CheckRecipient: Failed}, at: CheckRecipient, message: "the assertion is not issued to this email"}},
		{"a recipient of another type", read("recipient-embedded-badge.jws"), docs, Policy{Now: t2017, Recipient: &Identity{Type: "url", Value: "https://example.org/nobody"}},
			ob20Want{outcomes: map[string]Outcome{CheckRecipient: Failed}, at: CheckRecipient, message: "the assertion is issued to a recipient of type email, not url"}},
		{"trusted issuer", spec, docs, Policy{Now: t2017}, verified(byRSA)},
		{"revoked by id", read("revoked.jws"), docs, Policy{Now: t2017},
			ob20Want{outcomes: map[string]Outcome{CheckStatus: Failed}, at: CheckStatus,
				message: `revoked: the issuer's revocation list https://example.org/revocationList.json lists it, with the reason "Honor code violation"`}},
		{"revoked by uid", read("revoked-uid.jws"), docs, Policy{Now: t2017},
			ob20Want{outcomes: map[string]Outcome{CheckStatus: Failed}, at: CheckStatus,
				message: `revoked: the issuer's revocation list https://example.org/revocationList.json lists it, with the reason "Issued in error."`}},
		{"expired", read("expired.jws"), docs, Policy{Now: t2026},
			ob20Want{outcomes: map[string]Outcome{CheckValidity: Failed}, at: CheckValidity, message: "expired: expires was 2017-06-30T23:59:59Z"}},
		{"not yet valid", spec, docs, Policy{Now: time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)},
			ob20Want{outcomes: map[string]Outcome{CheckValidity: Failed}, at: CheckValidity, message: "not yet valid: issuedOn is 2016-12-31T23:59:59Z"}},
		{"tampered payload", withPayload(spec, bytes.Replace(payloadOf(t, spec), []byte("2016-12-31"), []byte("2016-12-30"), 1)), docs, Policy{Now: t2017},
			ob20Want{outcomes: map[string]Outcome{CheckProof: Failed}, at: CheckProof,
				message: "the JWS does not verify with the issuer's key: https://example.org/publicKey.json: jose: the signature does not verify: the signature does not verify with the RSA-2048 key"}},
		{"tampered signature", tamperSignature(spec), docs, Policy{Now: t2017},
			ob20Want{outcomes: map[string]Outcome{CheckProof: Failed}, at: CheckProof,
				message: "the JWS does not verify with the issuer's key: https://example.org/publicKey.json: jose: the signature does not verify: the signature does not verify with the RSA-2048 key"}},
		{"alg none", withHeader(spec, `{"alg":"none"}`), docs, Policy{Now: t2017},
			ob20Want{outcomes: map[string]Outcome{CheckProof: Failed}, at: CheckProof,
				message: `the JWS does not verify with the issuer's key: https://example.org/publicKey.json: jose: algorithm refused: alg "none": an unsigned token proves nothing`}},
		{"alg HS256", withHeader(spec, `{"alg":"HS256"}`), docs, Policy{Now: t2017},
			ob20Want{outcomes: map[string]Outcome{CheckProof: Failed}, at: CheckProof,
				message: `the JWS does not verify with the issuer's key: https://example.org/publicKey.json: jose: algorithm refused: alg "HS256": a shared-secret MAC cannot show who issued a credential`}},
		{"re-signed by jwx", signOB20(t, rsa, jwa.RS256, payloadOf(t, spec)), docs, Policy{Now: t2017}, verified(byRSA)},
		{"the key names another owner", spec, edited(docs, "https://example.org/publicKey.json", editJSON(t, key, func(m map[string]any) { m["owner"] = "https://attacker.example/issuer.json" })), Policy{Now: t2017},
			ob20Want{outcomes: map[string]Outcome{CheckProof: Failed}, at: CheckProof,
				message: "the JWS does not verify with the issuer's key: https://example.org/publicKey.json: the key's owner is https://attacker.example/issuer.json, not the issuer https://example.org/organization.json"}},
		{"the key names no owner", spec, edited(docs, "https://example.org/publicKey.json", editJSON(t, key, func(m map[string]any) { delete(m, "owner") })), Policy{Now: t2017},
			ob20Want{outcomes: map[string]Outcome{CheckProof: Failed}, at: CheckProof,
				message: "the JWS does not verify with the issuer's key: https://example.org/publicKey.json: the key document names no owner: nothing ties it to the issuer"}},
		{"the key document is not at its id", spec, edited(docs, "https://example.org/publicKey.json", editJSON(t, key, func(m map[string]any) { m["id"] = "https://example.org/other-key.json" })), Policy{Now: t2017},
			ob20Want{outcomes: map[string]Outcome{CheckProof: Failed}, at: CheckProof,
				message: `the JWS does not verify with the issuer's key: https://example.org/publicKey.json: https://example.org/publicKey.json says its id is "https://example.org/other-key.json": a document counts only at its own id`}},
		{"the key is not the issuer's (Profile lists another)", spec, edited(docs, "https://example.org/organization.json", editJSON(t, read("organization.json"), func(m map[string]any) { m["publicKey"] = "https://example.org/publicKey-es256.json" })), Policy{Now: t2017},
			ob20Want{outcomes: map[string]Outcome{CheckProof: Failed}, at: CheckProof,
				message: `signed with the key https://example.org/publicKey.json, which the issuer's Profile (https://example.org/organization.json) does not list (publicKey: ["https://example.org/publicKey-es256.json"]): nothing shows it is the issuer's`}},
		{"the Profile lists no key", spec, edited(docs, "https://example.org/organization.json", editJSON(t, read("organization.json"), func(m map[string]any) { delete(m, "publicKey") })), Policy{Now: t2017},
			ob20Want{outcomes: map[string]Outcome{CheckProof: Failed}, at: CheckProof,
				message: `signed with the key https://example.org/publicKey.json, which the issuer's Profile (https://example.org/organization.json) does not list (publicKey: []): nothing shows it is the issuer's`}},
		{"no documents", spec, nil, Policy{Now: t2017},
			ob20Want{inconclusive: true, outcomes: map[string]Outcome{CheckBadge: Indeterminate, CheckProof: Indeterminate, CheckStatus: Indeterminate}, at: CheckBadge,
				message: "the BadgeClass https://example.org/robotics-badge.json is not in Trust.Documents, and fetching is off: supply it in Trust.Documents (openbadges verify --offline-map) or allow fetching (Trust.Fetcher, --allow-network)"}},
		{"no Profile: the signature holds, the key is not confirmed", spec, edited(docs, "https://example.org/organization.json", nil), Policy{Now: t2017},
			ob20Want{inconclusive: true, outcomes: map[string]Outcome{CheckBadge: Indeterminate, CheckProof: Indeterminate, CheckStatus: Indeterminate}, at: CheckProof,
				message: "not verified: no key is confirmed as the issuer's without the issuer's Profile: " + profileMissing}},
		{"no Profile, tampered: failed all the same", withPayload(spec, bytes.Replace(payloadOf(t, spec), []byte("deadsea"), []byte("deadsee"), 1)), edited(docs, "https://example.org/organization.json", nil), Policy{Now: t2017},
			ob20Want{inconclusive: true, outcomes: map[string]Outcome{CheckBadge: Indeterminate, CheckProof: Failed, CheckStatus: Indeterminate}, at: CheckProof,
				message: "not verified with the key it names (https://example.org/publicKey.json): jose: the signature does not verify: the signature does not verify with the RSA-2048 key"}},
		{"no key document", spec, edited(docs, "https://example.org/publicKey.json", nil), Policy{Now: t2017},
			ob20Want{inconclusive: true, outcomes: map[string]Outcome{CheckProof: Indeterminate}, at: CheckProof,
				message: "not verified: a key of the issuer's cannot be had: https://example.org/publicKey.json: https://example.org/publicKey.json is not in Trust.Documents, and fetching is off: supply it in Trust.Documents (openbadges verify --offline-map) or allow fetching (Trust.Fetcher, --allow-network)"}},
		{"no revocation list", spec, edited(docs, "https://example.org/revocationList.json", nil), Policy{Now: t2017},
			ob20Want{inconclusive: true, outcomes: map[string]Outcome{CheckStatus: Indeterminate}, at: CheckStatus,
				message: "the status could not be decided: the revocation list https://example.org/revocationList.json is not in Trust.Documents, and fetching is off: supply it in Trust.Documents (openbadges verify --offline-map) or allow fetching (Trust.Fetcher, --allow-network)"}},
		{"no revocation list, accepted", spec, edited(docs, "https://example.org/revocationList.json", nil), Policy{Now: t2017, AllowUnknownStatus: true},
			ob20Want{verified: true, inconclusive: true, outcomes: map[string]Outcome{CheckStatus: Indeterminate}}},
		{"the revocation list is another issuer's", spec, edited(docs, "https://example.org/revocationList.json", editJSON(t, read("revocationList.json"), func(m map[string]any) { m["issuer"] = "https://attacker.example/issuer.json" })), Policy{Now: t2017},
			ob20Want{inconclusive: true, outcomes: map[string]Outcome{CheckStatus: Indeterminate}, at: CheckStatus,
				message: "the status could not be decided: the revocation list https://example.org/revocationList.json is https://attacker.example/issuer.json's, not the issuer's"}},
		{"no BadgeClass", spec, edited(docs, "https://example.org/robotics-badge.json", nil), Policy{Now: t2017},
			ob20Want{inconclusive: true, outcomes: map[string]Outcome{CheckBadge: Indeterminate, CheckProof: Indeterminate, CheckStatus: Indeterminate}}},
		{"the Profile is not an issuer's", spec, edited(docs, "https://example.org/organization.json", editJSON(t, read("organization.json"), func(m map[string]any) { delete(m, "email") })), Policy{Now: t2017},
			ob20Want{outcomes: map[string]Outcome{CheckBadge: Failed, CheckProof: Skipped, CheckStatus: Skipped}, at: CheckBadge,
				message: "the issuer's Profile at https://example.org/organization.json breaks the Open Badges 2.0 rules: /email: email is required"}},
		{"a SignedBadge without its JWS", payloadOf(t, spec), docs, Policy{Now: t2017},
			ob20Want{outcomes: map[string]Outcome{CheckProof: Failed}, at: CheckProof,
				message: "a SignedBadge assertion given as JSON, without the JWS that signs it: nothing shows its issuer made it"}},
		{"baked in a PNG", legacyPNG(t, bytes.TrimSpace(spec)), docs, Policy{Now: t2017}, verified(byRSA)},
		{"baked in an SVG", legacySVG(bytes.TrimSpace(spec)), docs, Policy{Now: t2017}, verified(byRSA)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := Trust{Documents: tc.docs}
			if tc.name == "trusted issuer" {
				tr.TrustedIssuers = []string{"https://example.org/organization.json"}
				tc.want.outcomes = map[string]Outcome{CheckIssuer: Passed}
			}
			rep := verifyOB20(t, tc.input, tr, tc.policy)
			tc.want.check(t, rep)
			if rep.Version != versionOB20 || rep.Class != "Assertion" || rep.Encoding != "signed" {
				t.Errorf("version %q class %q encoding %q, want OB 2.0, Assertion, signed", rep.Version, rep.Class, rep.Encoding)
			}
		})
	}
}

// TestOB20Forgery signs assertions in the issuer's name with an attacker's
// own key (testdata/ob20/jose/keys/attacker-rs256), naming it in every way
// a signed OB 2.0 assertion can, and checks that none verifies, with the
// issuer's real documents and with the attacker's: the attacker's key
// named as creator (its document names the attacker as owner, or, a lie,
// the issuer); no creator; an embedded BadgeClass whose embedded issuer
// Profile lists the attacker's key (an embedded Profile is never trusted);
// a BadgeClass the attacker hosts that names the issuer. The issuer is
// trusted in every case (which never confirms a key).
func TestOB20Forgery(t *testing.T) {
	docs := ob20Map(t, "jose")
	spec := payloadOf(t, mustRead(t, "testdata/ob20/jose/spec-rs256.jws"))
	attacker := privateKey(t, "attacker-rs256")
	const attackerKey = "https://attacker.example/publicKey.json"
	attackerDoc := mustRead(t, "testdata/ob20/jose/attacker-publicKey.json")
	claiming := edited(docs, attackerKey, editJSON(t, attackerDoc, func(m map[string]any) { m["owner"] = "https://example.org/organization.json" }))
	forge := func(edit func(m map[string]any)) []byte {
		return signOB20(t, attacker, jwa.RS256, editJSON(t, spec, edit))
	}
	creator := func(m map[string]any) {
		m["verification"] = map[string]any{"type": "SignedBadge", "creator": attackerKey}
	}
	notListed := `signed with the key https://attacker.example/publicKey.json, which the issuer's Profile (https://example.org/organization.json) does not list (publicKey: ["https://example.org/publicKey.json" "https://example.org/publicKey-es256.json"]): nothing shows it is the issuer's`
	for _, tc := range []struct {
		name    string
		input   []byte
		docs    map[string][]byte
		message string
	}{
		{"creator: the attacker's key, owned by the attacker", forge(creator), docs, notListed},
		{"creator: the attacker's key, claiming the issuer as owner", forge(creator), claiming, notListed},
		{"no creator", forge(func(m map[string]any) { m["verification"] = map[string]any{"type": "SignedBadge"} }), claiming,
			"the JWS does not verify with the issuer's keys: https://example.org/publicKey.json: jose: the signature does not verify: the signature does not verify with the RSA-2048 key; https://example.org/publicKey-es256.json: jose: algorithm refused: alg RS256 does not fit the P-256 key"},
		{"an embedded issuer Profile listing the attacker's key", forge(func(m map[string]any) {
			creator(m)
			m["badge"] = map[string]any{"type": "BadgeClass", "id": "urn:uuid:5c0e3d0a-4a3e-4d2b-9c1f-8e7d6c5b4a39", "name": "Forged", "description": "Forged",
				"image": "https://example.org/robotics-badge.png", "criteria": "https://example.org/robotics-badge.html",
				"issuer": map[string]any{"type": "Issuer", "id": "https://example.org/organization.json", "name": "An Example Badge Issuer",
					"url": "https://example.org", "email": "contact@example.org", "publicKey": attackerKey}}
		}), claiming, notListed},
		{"a BadgeClass the attacker hosts, naming the issuer", forge(func(m map[string]any) {
			creator(m)
			m["badge"] = "https://attacker.example/badge.json"
		}), edited(claiming, "https://attacker.example/badge.json", editJSON(t, mustRead(t, "testdata/ob20/jose/robotics-badge.json"), func(m map[string]any) {
			m["id"] = "https://attacker.example/badge.json"
		})), notListed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := verifyOB20(t, tc.input, Trust{Documents: tc.docs, TrustedIssuers: []string{"https://example.org/organization.json"}}, Policy{Now: t2017, Strict: true})
			ob20Want{outcomes: map[string]Outcome{CheckProof: Failed, CheckIssuer: Passed}, at: CheckProof, message: tc.message}.check(t, rep)
			if rep.Issuer != "https://example.org/organization.json" {
				t.Errorf("issuer %q", rep.Issuer)
			}
			ds, _ := rep.Check(CheckProof).Details.([]OB20KeyDetail)
			for _, d := range ds {
				if d.Verified {
					t.Errorf("a forged signature verified: %+v", d)
				}
			}
		})
	}
}

// TestOB20Hosted verifies hosted OB 2.0 assertions (testdata/ob20/hosted:
// the spec's examples): given as JSON, as the URL, baked; the copy at the
// assertion's id is the one verified and must be the one given; its id
// must be within the issuer's verification policy; revoked by its copy or
// by 410 Gone; missing documents are inconclusive.
func TestOB20Hosted(t *testing.T) {
	docs := ob20Map(t, "hosted")
	const id = "https://example.org/beths-robotics-badge.json"
	assertion := mustRead(t, "testdata/ob20/hosted/assertion.json")
	org := mustRead(t, "testdata/ob20/jose/organization.json")
	hostedAt := func(url string, edit func(m map[string]any)) (in []byte, d map[string][]byte) {
		b := editJSON(t, assertion, func(m map[string]any) {
			m["id"] = url
			if edit != nil {
				edit(m)
			}
		})
		return b, edited(docs, url, b)
	}
	policyDoc := func(v map[string]any) []byte {
		return editJSON(t, org, func(m map[string]any) { m["verification"] = v })
	}
	policy := func(v map[string]any) map[string][]byte {
		return edited(docs, "https://example.org/organization.json", policyDoc(v))
	}
	// urnIssuer names, as the BadgeClass's issuer, a Profile whose id is
	// a urn:uuid.
	const urn = "urn:uuid:2b7d3c6e-5a1f-4e8b-9d0c-3f2a1b4c5d6e"
	urnIssuer := edited(edited(docs, "https://example.org/robotics-badge.json", editJSON(t, docs["https://example.org/robotics-badge.json"], func(m map[string]any) { m["issuer"] = urn })),
		urn, editJSON(t, org, func(m map[string]any) { m["id"] = urn }))
	const hosted = "hosted by its issuer at https://example.org/beths-robotics-badge.json (host example.org is in the host of the issuer's id)"
	verified := ob20Want{verified: true, at: CheckProof, message: hosted}
	other, otherDocs := hostedAt("https://badges.example.net/a/1.json", nil)
	plain, plainDocs := hostedAt(id, func(m map[string]any) {
		m["recipient"] = map[string]any{"type": "url", "hashed": false, "identity": "https://beth.example"}
	})
	for _, tc := range []struct {
		name    string
		input   []byte
		trust   Trust
		policy  Policy
		want    ob20Want
		subject string
	}{
		{"JSON", assertion, Trust{Documents: docs}, Policy{Now: t2017}, verified, ""},
		{"the URL", []byte(id), Trust{Documents: docs}, Policy{Now: t2017}, verified, ""},
		{"the URL baked in a PNG", legacyPNG(t, []byte(id)), Trust{Documents: docs}, Policy{Now: t2017}, verified, ""},
		{"the URL baked in an SVG", legacySVG([]byte(id)), Trust{Documents: docs}, Policy{Now: t2017}, verified, ""},
		{"JSON baked in an SVG", legacySVG(assertion), Trust{Documents: docs}, Policy{Now: t2017}, verified, ""},
		{"the same JSON written otherwise", editJSON(t, assertion, func(map[string]any) {}), Trust{Documents: docs}, Policy{Now: t2017}, verified, ""},
		{"embedded BadgeClass and issuer (spec Linked Data example)", mustRead(t, "testdata/ob20/hosted/linked-data.json"),
			Trust{Documents: edited(docs, id, mustRead(t, "testdata/ob20/hosted/linked-data.json"))}, Policy{Now: t2017},
			ob20Want{verified: true, at: CheckBadge, message: `BadgeClass "Awesome Robotics Badge" (https://example.org/robotics-badge.json, embedded) by An Example Badge Issuer, whose Profile was read from its id`}, ""},
		{"a plain url recipient", plain, Trust{Documents: plainDocs}, Policy{Now: t2017, Recipient: &Identity{Type: "url", Value: "https://beth.example"}},
			ob20Want{verified: true, outcomes: map[string]Outcome{CheckRecipient: Passed}, at: CheckRecipient, message: "the recipient's url (plain) matches"}, ""},
		{"expired", assertion, Trust{Documents: docs}, Policy{Now: t2026},
			ob20Want{outcomes: map[string]Outcome{CheckValidity: Failed}, at: CheckValidity, message: "expired: expires was 2017-06-30T23:59:59Z"}, ""},
		{"the copy given differs from the hosted one", editJSON(t, assertion, func(m map[string]any) { m["recipient"].(map[string]any)["salt"] = "other" }), Trust{Documents: docs}, Policy{Now: t2017},
			ob20Want{outcomes: map[string]Outcome{CheckProof: Failed}, at: CheckProof,
				message: `the assertion given is not the one its issuer hosts at https://example.org/beths-robotics-badge.json: they differ at "/recipient/salt"`}, ""},
		{"the copy given has a member the hosted one lacks", editJSON(t, assertion, func(m map[string]any) { m["narrative"] = "Built a robot." }), Trust{Documents: docs}, Policy{Now: t2017},
			ob20Want{outcomes: map[string]Outcome{CheckProof: Failed}, at: CheckProof,
				message: `the assertion given is not the one its issuer hosts at https://example.org/beths-robotics-badge.json: they differ at "/narrative"`}, ""},
		{"the hosted copy cannot be had", assertion, Trust{Documents: edited(docs, id, nil)}, Policy{Now: t2017},
			ob20Want{inconclusive: true, outcomes: map[string]Outcome{CheckProof: Indeterminate, CheckStatus: Indeterminate}, at: CheckProof,
				message: "not verified: a hosted assertion is verified by its copy at its id, and https://example.org/beths-robotics-badge.json is not in Trust.Documents, and fetching is off: supply it in Trust.Documents (openbadges verify --offline-map) or allow fetching (Trust.Fetcher, --allow-network)"}, ""},
		{"the URL cannot be had", []byte(id), Trust{}, Policy{Now: t2017},
			ob20Want{inconclusive: true, outcomes: map[string]Outcome{CheckInput: Indeterminate, CheckContext: Skipped, CheckRules: Skipped, CheckBadge: Skipped, CheckProof: Skipped, CheckStatus: Skipped, CheckValidity: Skipped}, at: CheckInput,
				message: "the URL of an Open Badges 2.0 assertion, https://example.org/beths-robotics-badge.json, which cannot be read: https://example.org/beths-robotics-badge.json is not in Trust.Documents, and fetching is off: supply it in Trust.Documents (openbadges verify --offline-map) or allow fetching (Trust.Fetcher, --allow-network)"}, ""},
		{"the URL's document says its id is another URL: that one is read, and must be in the policy", []byte(id), Trust{Documents: edited(otherDocs, id, other)}, Policy{Now: t2017},
			ob20Want{outcomes: map[string]Outcome{CheckProof: Failed}, at: CheckInput,
				message: "the URL of an Open Badges 2.0 assertion, https://example.org/beths-robotics-badge.json, whose document says its id is https://badges.example.net/a/1.json, where it was read"}, ""},
		{"the URL's document says its id is a urn", []byte(id), Trust{Documents: edited(docs, id, editJSON(t, assertion, func(m map[string]any) { m["id"] = "urn:uuid:8a4f0a6e-1c1e-4b55-9c2a-0f0e6d7c8b9a" }))}, Policy{Now: t2017},
			ob20Want{outcomes: map[string]Outcome{CheckInput: Failed, CheckContext: Skipped, CheckRules: Skipped, CheckBadge: Skipped, CheckProof: Skipped, CheckStatus: Skipped, CheckValidity: Skipped}, at: CheckInput,
				message: `the URL of an Open Badges 2.0 assertion, https://example.org/beths-robotics-badge.json, which cannot be read: https://example.org/beths-robotics-badge.json says its id is "urn:uuid:8a4f0a6e-1c1e-4b55-9c2a-0f0e6d7c8b9a", where it cannot be read: a document counts only at its own id`}, ""},
		{"no Profile", assertion, Trust{Documents: edited(docs, "https://example.org/organization.json", nil)}, Policy{Now: t2017},
			ob20Want{inconclusive: true, outcomes: map[string]Outcome{CheckBadge: Indeterminate, CheckProof: Indeterminate}}, ""},
		{"revoked: the hosted copy says so", assertion, Trust{Documents: edited(docs, id, mustRead(t, "testdata/ob20/hosted/revoked.json"))}, Policy{Now: t2017},
			ob20Want{outcomes: map[string]Outcome{CheckContext: Skipped, CheckRules: Skipped, CheckBadge: Skipped, CheckProof: Skipped, CheckStatus: Failed, CheckValidity: Skipped}, at: CheckStatus,
				message: `revoked: its copy at https://example.org/beths-robotics-badge.json says so, with the reason "Turns out the student's robot was just three stacked children in a trenchcoat with dryer vent hose arms."`}, ""},
		{"revoked: 410 Gone", assertion, Trust{Fetcher: goneFetcher{id: true}, Documents: edited(docs, id, nil)}, Policy{Now: t2017},
			ob20Want{outcomes: map[string]Outcome{CheckContext: Skipped, CheckRules: Skipped, CheckBadge: Skipped, CheckProof: Skipped, CheckStatus: Failed, CheckValidity: Skipped}, at: CheckStatus,
				message: "revoked: https://example.org/beths-robotics-badge.json answers 410 Gone, which is how an issuer revokes a hosted assertion"}, ""},
		{"revoked: the URL answers 410 Gone", []byte(id), Trust{Fetcher: goneFetcher{id: true}}, Policy{Now: t2017},
			ob20Want{outcomes: map[string]Outcome{CheckContext: Skipped, CheckRules: Skipped, CheckBadge: Skipped, CheckProof: Skipped, CheckStatus: Failed, CheckValidity: Skipped}, at: CheckStatus,
				message: "revoked: https://example.org/beths-robotics-badge.json answers 410 Gone, which is how an issuer revokes a hosted assertion"}, ""},
		{"allowedOrigins violated: hosted on another host", other, Trust{Documents: otherDocs}, Policy{Now: t2017},
			ob20Want{outcomes: map[string]Outcome{CheckProof: Failed}, at: CheckProof,
				message: `hosted at https://badges.example.net/a/1.json, outside the issuer's verification policy: host badges.example.net is not the host of the issuer's id ["example.org"]`}, ""},
		{"allowedOrigins names the other host", other, Trust{Documents: edited(otherDocs, "https://example.org/organization.json", policyDoc(map[string]any{"type": "VerificationObject", "allowedOrigins": []any{"example.org", "badges.example.net"}}))}, Policy{Now: t2017},
			ob20Want{verified: true, at: CheckProof, message: "hosted by its issuer at https://badges.example.net/a/1.json (host badges.example.net is in the issuer's allowedOrigins)"}, ""},
		{"allowedOrigins without the issuer's own host", assertion, Trust{Documents: policy(map[string]any{"allowedOrigins": "badges.example.net"})}, Policy{Now: t2017},
			ob20Want{outcomes: map[string]Outcome{CheckProof: Failed}, at: CheckProof,
				message: `hosted at https://example.org/beths-robotics-badge.json, outside the issuer's verification policy: host example.org is not the issuer's allowedOrigins ["badges.example.net"]`}, ""},
		{"startsWith holds", assertion, Trust{Documents: policy(map[string]any{"startsWith": []any{"https://example.org/other/", "https://example.org/beths-"}})}, Policy{Now: t2017},
			ob20Want{verified: true, at: CheckProof, message: "hosted by its issuer at https://example.org/beths-robotics-badge.json (host example.org is in the host of the issuer's id and startsWith)"}, ""},
		{"startsWith violated", assertion, Trust{Documents: policy(map[string]any{"startsWith": "https://example.org/badges/"})}, Policy{Now: t2017},
			ob20Want{outcomes: map[string]Outcome{CheckProof: Failed}, at: CheckProof,
				message: `hosted at https://example.org/beths-robotics-badge.json, outside the issuer's verification policy: the id starts with none of the issuer's startsWith ["https://example.org/badges/"]`}, ""},
		{"an unknown verificationProperty", assertion, Trust{Documents: policy(map[string]any{"verificationProperty": "url"})}, Policy{Now: t2017},
			ob20Want{outcomes: map[string]Outcome{CheckBadge: Failed, CheckProof: Skipped}, at: CheckBadge,
				message: `the issuer's Profile at https://example.org/organization.json breaks the Open Badges 2.0 rules: /verification/verificationProperty: verificationProperty must name a property (only id is supported), got "url"`}, ""},
		{"an issuer whose id is not a URL, without allowedOrigins", assertion, Trust{Documents: urnIssuer}, Policy{Now: t2017},
			ob20Want{outcomes: map[string]Outcome{CheckProof: Failed}, at: CheckProof,
				message: "hosted at https://example.org/beths-robotics-badge.json, outside the issuer's verification policy: the issuer's id urn:uuid:2b7d3c6e-5a1f-4e8b-9d0c-3f2a1b4c5d6e is not an http(s) URL and its Profile gives no allowedOrigins: nothing ties the host example.org to the issuer"}, ""},
		{"an id that is not a URL", editJSON(t, assertion, func(m map[string]any) { m["id"] = "urn:uuid:8a4f0a6e-1c1e-4b55-9c2a-0f0e6d7c8b9a" }), Trust{Documents: docs}, Policy{Now: t2017},
			ob20Want{outcomes: map[string]Outcome{CheckRules: Failed, CheckProof: Failed, CheckStatus: Skipped}, at: CheckProof,
				message: `a HostedBadge assertion's id must be the http(s) URL it is hosted at; "urn:uuid:8a4f0a6e-1c1e-4b55-9c2a-0f0e6d7c8b9a" is not one`}, ""},
		{"a JWS over a hosted assertion: the hosted copy counts", signOB20(t, privateKey(t, "attacker-rs256"), jwa.RS256, assertion), Trust{Documents: docs}, Policy{Now: t2017},
			ob20Want{verified: true, outcomes: map[string]Outcome{CheckProof: Warning}, at: CheckProof,
				message: hosted + "; it came as a JWS, whose signature is not checked: a hosted assertion is verified by its copy at its id"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := verifyOB20(t, tc.input, tc.trust, tc.policy)
			tc.want.check(t, rep)
			if rep.Version != versionOB20 {
				t.Errorf("version %q", rep.Version)
			}
		})
	}
}

// TestOB20Endorsements verifies the endorsements an assertion and its
// BadgeClass name (testdata/ob20/hosted: the spec's examples), each with
// its own report: hosted ones verify, one about something else verifies
// with a warning of its own, and one that cannot be had is inconclusive
// (a warning for the assertion, which is not affected).
func TestOB20Endorsements(t *testing.T) {
	docs := ob20Map(t, "hosted")
	const id = "https://example.org/beths-robotics-badge.json"
	assertion := editJSON(t, mustRead(t, "testdata/ob20/hosted/assertion.json"), func(m map[string]any) {
		m["endorsement"] = []any{"https://example.org/endorsement-125.json"}
	})
	docs = edited(docs, id, assertion)
	badge := editJSON(t, docs["https://example.org/robotics-badge.json"], func(m map[string]any) {
		m["endorsement"] = "https://example.org/endorsement-124.json"
	})
	withBadge := edited(docs, "https://example.org/robotics-badge.json", badge)
	wrongClaim := edited(withBadge, "https://example.org/endorsement-124.json", editJSON(t, withBadge["https://example.org/endorsement-125.json"], func(m map[string]any) {
		m["id"] = "https://example.org/endorsement-124.json"
	}))
	endorsementOK := ob20Want{verified: true, outcomes: map[string]Outcome{CheckEndorsements: Skipped}}
	// The same endorsement embedded, without the context it inherits.
	embedded := editJSON(t, assertion, func(m map[string]any) {
		var e map[string]any
		if err := json.Unmarshal(docs["https://example.org/endorsement-125.json"], &e); err != nil {
			t.Fatal(err)
		}
		delete(e, "@context")
		m["endorsement"] = e
	})
	for _, tc := range []struct {
		name    string
		input   []byte
		docs    map[string][]byte
		want    ob20Want
		reports []ob20Want
	}{
		{"the assertion's", assertion, docs, ob20Want{verified: true, outcomes: map[string]Outcome{CheckEndorsements: Passed}, at: CheckEndorsements,
			message: "1 endorsement(s) verify: 1 of the assertion"}, []ob20Want{endorsementOK}},
		{"embedded, without its context", embedded, edited(docs, id, embedded), ob20Want{verified: true, outcomes: map[string]Outcome{CheckEndorsements: Passed}, at: CheckEndorsements,
			message: "1 endorsement(s) verify: 1 of the assertion"}, []ob20Want{endorsementOK}},
		{"the assertion's and its BadgeClass's", assertion, withBadge, ob20Want{verified: true, outcomes: map[string]Outcome{CheckEndorsements: Passed}, at: CheckEndorsements,
			message: "2 endorsement(s) verify: 1 of the assertion, 1 of its BadgeClass"}, []ob20Want{endorsementOK, endorsementOK}},
		{"one about something else: a warning of its own", assertion, wrongClaim, ob20Want{verified: true, outcomes: map[string]Outcome{CheckEndorsements: Passed}, at: CheckEndorsements,
			message: "2 endorsement(s) verify: 1 of the assertion, 1 of its BadgeClass"},
			[]ob20Want{endorsementOK, {verified: true, outcomes: map[string]Outcome{CheckRules: Warning, CheckEndorsements: Skipped}, at: CheckRules,
				message: "Open Badges 2.0 Endorsement rules: the endorsement is about https://example.org/beths-robotics-badge.json, not https://example.org/robotics-badge.json, which lists it"}}},
		{"one that cannot be had", assertion, edited(withBadge, "https://example.org/endorsement-124.json", nil), ob20Want{verified: true, outcomes: map[string]Outcome{CheckEndorsements: Warning}},
			[]ob20Want{endorsementOK, {inconclusive: true, outcomes: map[string]Outcome{CheckInput: Indeterminate, CheckContext: Skipped, CheckRules: Skipped, CheckBadge: Skipped, CheckProof: Skipped, CheckStatus: Skipped, CheckValidity: Skipped}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := verifyOB20(t, tc.input, Trust{Documents: tc.docs}, Policy{Now: t2017, Recipient: &Identity{Type: "emailAddress", Value: "nobody@example.org"}})
			tc.want.outcomes[CheckRecipient] = Failed
			tc.want.verified = false
			tc.want.check(t, rep)
			if len(rep.Endorsements) != len(tc.reports) {
				t.Fatalf("%d endorsement reports, want %d", len(rep.Endorsements), len(tc.reports))
			}
			for i, w := range tc.reports {
				// The recipient is the assertion's, not asked of an
				// endorsement.
				w.outcomes[CheckRecipient] = Skipped
				w.check(t, rep.Endorsements[i])
				if c := rep.Endorsements[i].Class; c != "Endorsement" && w.outcomes[CheckInput] == "" {
					t.Errorf("endorsement %d: class %q", i, c)
				}
			}
		})
	}
}

// TestOB20Inputs checks what is recognized as Open Badges 2.0 and what is
// refused: a 1.x assertion, OB 2.0 data in an image that is none of the
// three forms, a JWS whose payload is not 2.0, and an OB 3.0 credential
// (not taken for 2.0).
func TestOB20Inputs(t *testing.T) {
	for _, tc := range []struct {
		name, input string
		version     string
		first       Check
	}{
		{"OB 1.1", `{"@context": "https://w3id.org/openbadges/v1", "type": "Assertion", "id": "https://example.org/a/1", "badge": "https://example.org/b"}`, "OB 1.x",
			Check{ID: CheckInput, Outcome: Failed, Message: "an Open Badges 1.x assertion: only Open Badges 2.0 and 3.0 are verified (its issuer may offer a 2.0 or 3.0 badge)"}},
		{"OB 1.0 (no context)", `{"uid": "1", "recipient": "sha256$00", "badge": "https://example.org/b", "verify": {"type": "hosted", "url": "https://example.org/a/1"}}`, "OB 1.x",
			Check{ID: CheckInput, Outcome: Failed, Message: "an Open Badges 1.x assertion: only Open Badges 2.0 and 3.0 are verified (its issuer may offer a 2.0 or 3.0 badge)"}},
		{"a broken assertion", `{"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "recipient": 7}`, versionOB20,
			Check{ID: CheckInput, Outcome: Failed, Message: "an Open Badges 2.0 assertion (JSON) that cannot be read: credential: /recipient: want an OB 2.0 IdentityObject object, got a number"}},
		{"OB 2.0 data that is no assertion", string(legacyPNG(t, []byte(`{"name": "not a badge"}`))), versionOB20,
			Check{ID: CheckInput, Outcome: Failed, Message: "the PNG's Open Badges 2.0 data is not an Open Badges assertion"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := verifyOB20(t, []byte(tc.input), Trust{}, Policy{Now: t2017})
			if d := cmp.Diff(tc.first, rep.Checks[0]); d != "" || rep.Version != tc.version || rep.Verified {
				t.Errorf("version %q, verified %v, first check (-want +got):\n%s", rep.Version, rep.Verified, d)
			}
			if len(rep.Checks) != len(ob20Checks) {
				t.Errorf("%d checks, want %d:\n%s", len(rep.Checks), len(ob20Checks), rep)
			}
		})
	}
	// An OB 3.0 credential is not taken for 2.0, nor a URL-shaped string
	// for anything but a hosted assertion.
	rep := verifyOB20(t, mustRead(t, "testdata/ob30/simple.json"), Trust{}, Policy{Now: t2026})
	if rep.Version == versionOB20 || rep.Check(CheckBadge) != nil {
		t.Errorf("an OB 3.0 credential was verified as OB 2.0:\n%s", rep)
	}
	if _, err := Verify(context.Background(), []byte("https://example.org/a b"), nil, nil); err == nil || !strings.Contains(err.Error(), "not a credential") {
		t.Errorf("a URL with a space: error %v, want ErrInput", err)
	}
}

// TestInScope applies issuers' verification policies to hosted ids.
func TestInScope(t *testing.T) {
	const issuer = "https://example.org/issuer.json"
	for _, tc := range []struct {
		id, issuer string
		origins    []string
		startsWith []string
		ok         bool
	}{
		{"https://example.org/a/1", issuer, nil, nil, true},
		{"https://EXAMPLE.org/a/1", issuer, nil, nil, true},
		{"http://example.org/a/1", issuer, nil, nil, true},
		{"https://example.org:8443/a/1", issuer, nil, nil, false},
		{"https://sub.example.org/a/1", issuer, nil, nil, false},
		{"https://example.org.attacker.example/a/1", issuer, nil, nil, false},
		{"https://example.org@attacker.example/a/1", issuer, nil, nil, false},
		{"https://attacker.example/a/1", issuer, []string{"example.org"}, nil, false},
		{"https://badges.example.net/a/1", issuer, []string{"example.org", "badges.example.net"}, nil, true},
		{"https://example.org/a/1", issuer, nil, []string{"https://example.org/a/"}, true},
		{"https://example.org/b/1", issuer, nil, []string{"https://example.org/a/"}, false},
		{"https://other.example/a/1", issuer, nil, []string{"https://other.example/a/"}, false},
		{"https://other.example/a/1", issuer, []string{"other.example"}, []string{"https://other.example/a/"}, true},
		{"https://example.org/a/1", "urn:uuid:1", nil, nil, false},
		{"https://example.org/a/1", "urn:uuid:1", []string{"example.org"}, nil, true},
	} {
		p := &credential.OB2Verification{AllowedOrigins: tc.origins, StartsWith: tc.startsWith}
		if ok, why := inScope(tc.id, tc.issuer, p, &OB20HostedDetail{}); ok != tc.ok {
			t.Errorf("inScope(%q, %q, %v, %v) = %v (%s), want %v", tc.id, tc.issuer, tc.origins, tc.startsWith, ok, why, tc.ok)
		}
	}
}

// TestSameJSON compares JSON values as hosted copies are compared.
func TestSameJSON(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want string // the pointer where they differ; "" when the same
	}{
		{`{"a": 1, "b": [1, {"c": "x"}]}`, `{"b":[1,{"c":"x"}],"a":1}`, ""},
		{`{"a": 1}`, `{"a": 1.0}`, "/a"},
		{`{"a": "1"}`, `{"a": 1}`, "/a"},
		{`{"a": [1, 2]}`, `{"a": [1]}`, "/a/1"},
		{`{"a/b": {"c~d": true}}`, `{"a/b": {"c~d": false}}`, "/a~1b/c~0d"},
		{`{"a": null}`, `{}`, "/a"},
		{`{"a": {}}`, `{"a": []}`, "/a"},
	} {
		p, same := sameJSON([]byte(tc.a), []byte(tc.b))
		if same != (tc.want == "") || p != tc.want {
			t.Errorf("sameJSON(%s, %s) = %q, %v, want %q", tc.a, tc.b, p, same, tc.want)
		}
	}
}
