package jsonld

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/internal/interoptest"
	"github.com/go-openbadges/openbadges/internal/rdfc"
)

// directionDocs are the documents of testdata/direction: each NAME.json
// with the canonical N-Quads digitalbazaar's eddsa-rdfc-2022 cryptosuite
// makes of it in NAME.nq.
var directionDocs = []string{"value-objects", "ob", "term-direction"}

// TestDirection checks that values with a base direction are converted as
// JSON-LD's rdfDirection i18n-datatype mode converts them, which the
// digitalbazaar cryptosuites use: the canonical N-Quads are exactly theirs
// (testdata/direction/*.nq, see its README).
func TestDirection(t *testing.T) {
	c := testConverter(t)
	for _, name := range directionDocs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want, err := os.ReadFile(filepath.Join("testdata/direction", name+".nq"))
			if err != nil {
				t.Fatal(err)
			}
			doc := decodeFile(t, filepath.Join("testdata/direction", name+".json"))
			got, err := c.Canonical(context.Background(), doc, rdfc.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(string(want), string(got)); d != "" {
				t.Errorf("canonical N-Quads (-digitalbazaar +ours):\n%s", d)
			}
		})
	}
}

func decodeFile(t *testing.T, path string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, string(raw))
}

// directionCredential returns a credential with the contexts ctx after
// the VCDM 2.0 context, and the members extra.
func directionCredential(ctx, extra string) string {
	return `{"@context":["https://www.w3.org/ns/credentials/v2"` + ctx + `],"id":"urn:uuid:1","type":["VerifiableCredential"],"issuer":"did:example:1","credentialSubject":{"id":"did:example:2"` + extra + `}}`
}

// directionRefused are documents with a base direction that must not be
// converted: the error each gives, and whether digitalbazaar's stack
// (jsonld.js 9 with rdfDirection i18n-datatype, safe mode) refuses it too.
var directionRefused = []struct {
	name, doc, want string
	safe            bool // the error wraps ErrSafeMode
	peerRefuses     bool
}{
	{"not ltr or rtl", directionCredential("", `,"name":{"@value":"x","@direction":"up"}`),
		`JSON-LD safe mode: /credentialSubject/name/@direction: @direction "up" is not a base direction: it must be "ltr" or "rtl"`, true, true},
	{"upper case", directionCredential("", `,"name":{"@value":"x","@language":"ar","@direction":"RTL"}`),
		`JSON-LD safe mode: /credentialSubject/name/@direction: @direction "RTL" is not a base direction: it must be "ltr" or "rtl"`, true, true},
	{"null", directionCredential("", `,"name":{"@value":"x","@direction":null}`),
		`JSON-LD safe mode: /credentialSubject/name/@direction: @direction null is not a base direction: it must be "ltr" or "rtl"`, true, true},
	{"not a string", directionCredential("", `,"name":{"@value":"x","@direction":1}`),
		`JSON-LD safe mode: /credentialSubject/name/@direction: @direction 1 is not a base direction: it must be "ltr" or "rtl"`, true, true},
	// jsonld.js writes the number and drops the direction without a word.
	{"direction of a number", directionCredential("", `,"name":{"@value":5,"@direction":"rtl"}`),
		`JSON-LD safe mode: @direction on a value that is not a string would be dropped: only text has a direction`, true, false},
	// jsonld.js drops it without a word.
	{"direction of a node", directionCredential("", `,"@direction":"rtl","name":"x"`),
		`JSON-LD safe mode: /credentialSubject/@direction: @direction on an object that is not a value (with @value) would be dropped: only text has a direction`, true, false},
	{"bad language tag", directionCredential("", `,"name":{"@value":"x","@language":"en_US","@direction":"rtl"}`),
		`JSON-LD safe mode: en_us: not a valid language tag`, true, true},
	{"with a type", directionCredential("", `,"name":{"@value":"x","@type":"urn:t","@direction":"rtl"}`),
		`JSON-LD: invalid value object: value object must not include @type with either @language or @direction`, false, true},
	{"term's direction in upper case", directionCredential(`,{"motto":{"@id":"urn:motto","@direction":"RTL"}}`, `,"motto":"x"`),
		`JSON-LD safe mode: @context: @direction "RTL" is not a base direction: it must be "ltr", "rtl" or null`, true, true},
	{"term's direction not ltr or rtl", directionCredential(`,{"motto":{"@id":"urn:motto","@direction":"up"}}`, `,"motto":"x"`),
		`JSON-LD safe mode: @direction "up" is not a base direction: it must be "ltr" or "rtl"`, true, true},
	// jsonld.js loses the default under the credential's type-scoped
	// context and writes a plain string.
	{"default direction", directionCredential(`,{"@direction":"rtl"}`, `,"name":"x"`),
		`JSON-LD safe mode: @context: a default @direction ("rtl") is lost by jsonld.js wherever another context applies after it`, true, false},
	{"embedded default direction", directionCredential("", `,"@context":{"@direction":"ltr"},"name":"x"`),
		`JSON-LD safe mode: @context: a default @direction ("ltr") is lost by jsonld.js`, true, false},
	{"default direction not ltr or rtl", directionCredential(`,{"@direction":"up"}`, `,"name":"x"`),
		`JSON-LD: invalid base direction: up`, false, true},
}

// TestDirectionRefused checks that a malformed direction is refused, and
// a default direction, which JSON-LD processors apply differently.
func TestDirectionRefused(t *testing.T) {
	c := testConverter(t)
	for _, tc := range directionRefused {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			quads, err := c.ToRDF(context.Background(), decode(t, tc.doc))
			if err == nil {
				t.Fatalf("converted: %s", nquads(t, quads))
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %q\ndoes not start %q", err, tc.want)
			}
			if got := errors.Is(err, ErrSafeMode); got != tc.safe {
				t.Errorf("errors.Is(err, ErrSafeMode) = %v, want %v", got, tc.safe)
			}
		})
	}
}

// TestDirectionInterop canonicalizes the documents of TestDirection and
// TestDirectionRefused with digitalbazaar's eddsa-rdfc-2022 cryptosuite
// through the harness in interop/js: the same N-Quads as here, and the
// same refusals, but for the cases where jsonld.js drops a direction that
// this package refuses to leave unsigned.
func TestDirectionInterop(t *testing.T) {
	dir := interoptest.Dir(t, "base directions against jsonld.js")
	tmp := t.TempDir()
	contexts := filepath.Join(tmp, "contexts.json")
	interoptest.WriteContexts(t, contexts)
	c := testConverter(t)
	for _, name := range directionDocs {
		t.Run(name, func(t *testing.T) {
			path, err := filepath.Abs(filepath.Join("testdata/direction", name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			theirs, code := interoptest.Node(t, dir, "di.mjs", "canonize", "--contexts", contexts, path)
			if code != 0 {
				t.Fatalf("canonize there: exit %d: %s", code, theirs)
			}
			ours, err := c.Canonical(context.Background(), decodeFile(t, path), rdfc.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(theirs, string(ours)); d != "" {
				t.Errorf("canonical N-Quads (-digitalbazaar +ours):\n%s", d)
			}
		})
	}
	for i, tc := range directionRefused {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(tmp, "refused.json")
			if err := os.WriteFile(path, []byte(tc.doc), 0o600); err != nil {
				t.Fatal(err)
			}
			out, code := interoptest.Node(t, dir, "di.mjs", "canonize", "--contexts", contexts, path)
			if want := map[bool]int{true: 1, false: 0}[tc.peerRefuses]; code != want {
				t.Errorf("directionRefused[%d]: canonize there: exit %d, want %d: %s", i, code, want, out)
			}
		})
	}
}
