package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/google/go-cmp/cmp"
)

// The table for testdata/badges at 2026-01-01, with nothing but the badges:
// three verify (each with the warning that nothing binds the key to the
// issuer), one expired, one VCDM 1.1 JWT whose context is not embedded,
// and one whose revocation list the wallet does not hold.
const wantTable = `FILE                            ISSUER              ACHIEVEMENT    RECIPIENT                                                                                             VERDICT       WHY
credential-status-revoked.json  1EdTech Testing     Achievement 1  did:web:dc.1edtech.org:wellspring2022:wellspring-portal:learner:6896f98f-6b42-4c75-98ec-8befd0dc0b29  INCONCLUSIVE  status: the status could not be decided: status: the status list could not be retrieved: https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/heads/main/inspector-vc/src/test/resources/ob30/bit-string-list/testlist: not in Options.Documents, and fetching is off
simple-err-expired.json         Example Corp        Teamwork       did:example:ebfeb1f712ebc6f1c276e12ec21                                                               NOT VERIFIED  validity: expired: validUntil was 2010-01-01T00:00:00Z
simple-json.png                 Example Corp        Teamwork       did:example:ebfeb1f712ebc6f1c276e12ec21                                                               VERIFIED      1 warning
simple-jwt.svg                  Example Corp        Teamwork       did:example:ebfeb1f712ebc6f1c276e12ec21                                                               VERIFIED      1 warning
simple.json                     Example Corp        Teamwork       did:example:ebfeb1f712ebc6f1c276e12ec21                                                               VERIFIED      1 warning
simple.jwt                      Example University  -              did:example:ebfeb1f712ebc6f1c276e12ec21                                                               NOT VERIFIED  jsonld: JSON-LD: loading remote context failed: dereferencing a URL did not result in a valid JSON-LD context (https://imsglobal.github.io/openbadges-specification/context.json): schema: unknown JSON-LD context "https://imsglobal.github.io/openbadges-specification/context.json" (not embedded, and fetching is off)
`

// With the revocation list (-offline-map) and a recipient none of them was
// issued to.
const wantTableMapAda = `FILE                            ISSUER              ACHIEVEMENT    RECIPIENT                                                                                             VERDICT       WHY
credential-status-revoked.json  1EdTech Testing     Achievement 1  did:web:dc.1edtech.org:wellspring2022:wellspring-portal:learner:6896f98f-6b42-4c75-98ec-8befd0dc0b29  NOT VERIFIED  status: revoked: bit 23 of https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/heads/main/inspector-vc/src/test/resources/ob30/bit-string-list/testlist is 1: revoked
simple-err-expired.json         Example Corp        Teamwork       did:example:ebfeb1f712ebc6f1c276e12ec21                                                               NOT VERIFIED  validity: expired: validUntil was 2010-01-01T00:00:00Z
simple-json.png                 Example Corp        Teamwork       did:example:ebfeb1f712ebc6f1c276e12ec21                                                               NOT VERIFIED  recipient: the credential is not issued to this emailAddress
simple-jwt.svg                  Example Corp        Teamwork       did:example:ebfeb1f712ebc6f1c276e12ec21                                                               NOT VERIFIED  recipient: the credential is not issued to this emailAddress
simple.json                     Example Corp        Teamwork       did:example:ebfeb1f712ebc6f1c276e12ec21                                                               NOT VERIFIED  recipient: the credential is not issued to this emailAddress
simple.jwt                      Example University  -              did:example:ebfeb1f712ebc6f1c276e12ec21                                                               NOT VERIFIED  jsonld: JSON-LD: loading remote context failed: dereferencing a URL did not result in a valid JSON-LD context (https://imsglobal.github.io/openbadges-specification/context.json): schema: unknown JSON-LD context "https://imsglobal.github.io/openbadges-specification/context.json" (not embedded, and fetching is off)
`

// The files that are not badges, whatever their names say.
const wantNotes = `skipped notes.txt: not a badge (text/plain; charset=utf-8)
skipped unbaked.svg: not a badge (bake: the image holds no baked credential: the SVG has no <credential> element in namespace https://purl.imsglobal.org/ob/v3p0)
`

func TestWallet(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"offline, no map", []string{"-now", "2026-01-01T00:00:00Z", "testdata/badges"}, wantTable},
		{"map and recipient", []string{"-now", "2026-01-01T00:00:00Z", "-offline-map", "testdata/offline/offline-map.json",
			"-recipient", "emailAddress:ada@example.org", "testdata/badges"}, wantTableMapAda},
		{"map and the subject's id", []string{"-now", "2026-01-01T00:00:00Z", "-offline-map", "testdata/offline/offline-map.json",
			"-recipient", "id:did:example:ebfeb1f712ebc6f1c276e12ec21", "testdata/badges"},
			// The recipient check passes where it can; the revocation is now known.
			strings.Replace(wantTable, revokedInconclusive, revokedNotVerified, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if err := run(tt.args, &stdout, &stderr); err != nil {
				t.Fatalf("run: %v\n%s", err, stderr.String())
			}
			if diff := cmp.Diff(tt.want, stdout.String()); diff != "" {
				t.Errorf("table (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantNotes, stderr.String()); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
		})
	}
}

// The row of the revoked credential, without and with its list.
const (
	revokedInconclusive = "INCONCLUSIVE  status: the status could not be decided: status: the status list could not be retrieved: https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/heads/main/inspector-vc/src/test/resources/ob30/bit-string-list/testlist: not in Options.Documents, and fetching is off"
	revokedNotVerified  = "NOT VERIFIED  status: revoked: bit 23 of https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/heads/main/inspector-vc/src/test/resources/ob30/bit-string-list/testlist is 1: revoked"
)

func TestWalletErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // in the error
	}{
		{"no folder", nil, "want one folder"},
		{"two folders", []string{"a", "b"}, "want one folder"},
		{"bad time", []string{"-now", "yesterday", "testdata/badges"}, "-now: parsing time"},
		{"bad recipient", []string{"-recipient", "ada", "testdata/badges"}, `-recipient "ada": want TYPE:VALUE`},
		{"missing map", []string{"-offline-map", "testdata/nope.json", "testdata/badges"}, "no such file"},
		{"map is not a map", []string{"-offline-map", "testdata/offline/testlist", "testdata/badges"}, "want a JSON object"},
		{"missing folder", []string{"testdata/nope"}, "no such file"},
		{"bad flag", []string{"-nope", "testdata/badges"}, "flag provided but not defined: -nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(tt.args, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout: %q", stdout.String())
			}
		})
	}
}

func TestIdentity(t *testing.T) {
	for _, tt := range []struct {
		o    credential.IdentityObject
		want string
	}{
		{credential.NewHashedIdentity(credential.IdentifierTypeEmailAddress, "ada@example.org"), "hashed email"},
		{credential.NewPlainIdentity(credential.IdentifierTypeEmailAddress, "ada@example.org"), "email ada@example.org"},
		{credential.NewHashedIdentity(credential.IdentifierTypeSourcedID, "12345"), "hashed sourcedId"},
	} {
		if got := identity(tt.o); got != tt.want {
			t.Errorf("identity(%+v) = %q, want %q", tt.o, got, tt.want)
		}
	}
}
