package binsize

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Goal is issue 25's limit on a verify-only program, unstripped (the
// default go build): 12 MB. It is not reached yet (see README.md in this
// directory for what each dependency adds and what reaching it takes);
// TestVerifyOnlySize logs the distance.
const Goal = 12_000_000

// Ceiling is the size a verify-only program must stay under, unstripped:
// the size reached, plus 3% for toolchain and platform differences. Lower
// it as dependencies leave the verify path, down to Goal; never raise it
// without saying in the commit message what the bytes buy.
const Ceiling = 19_400_000

// goTool returns the go command, or skips the test (fails it under
// OPENBADGES_CI=1) when there is none.
func goTool(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	if os.Getenv("OPENBADGES_CI") == "1" {
		t.Fatal("the go command is not on PATH")
	}
	t.Skip("the go command is not on PATH: put the Go toolchain's bin directory on PATH to measure the verify-only program")
	return ""
}

// moduleRoot is the module's directory, from this package's.
const moduleRoot = "../.."

// TestVerifyOnlySize builds a program that imports verify alone
// (VerifyOnly) and checks its size, unstripped, against Ceiling. On
// failure it prints what each module adds.
func TestVerifyOnlySize(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program: not in -short mode")
	}
	goCmd := goTool(t)
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), "verifyonly")
	main, err := Build(ctx, goCmd, moduleRoot, VerifyOnly, out)
	if err != nil {
		t.Fatal(err)
	}
	emb, err := Embedded(ctx, goCmd, moduleRoot, main)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := MeasureFile(out, emb)
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, r := range rep.Rows {
		sum += r.Total()
	}
	own := rep.Row("github.com/go-openbadges/openbadges")
	if rep.Row(Std).Code == 0 || own.Code == 0 || own.Embedded == 0 || rep.Tables <= 0 || sum+rep.Tables > rep.File {
		t.Errorf("the measurement does not add up: rows %+v, tables %d, file %d", rep.Rows, rep.Tables, rep.File)
	}
	t.Logf("verify-only program: %d bytes unstripped (ceiling %d, goal %d: %d to go)", rep.File, Ceiling, Goal, rep.File-Goal)
	if rep.File > Ceiling {
		for _, r := range rep.Rows {
			t.Logf("%-45s %9d", r.Module, r.Total())
		}
		t.Logf("%-45s %9d", "tables", rep.Tables)
		t.Errorf("the verify-only program is %d bytes, over the ceiling of %d: what each module adds is above; go run ./internal/binsize/sizetable -base <checkout before> compares", rep.File, Ceiling)
	}
}

// verifyModules are the modules, other than the standard library, that a
// program importing verify links, with why. A change to this list is a
// change to every verifier's binary: say in the commit what it adds
// (go run ./internal/binsize/sizetable -base ...).
var verifyModules = []string{
	"filippo.io/edwards25519",                       // keys: Ed25519 point checks
	"github.com/cayleygraph/quad",                   // json-gold's N-Quads
	"github.com/gabriel-vasile/mimetype",            // validator/v10's baked-in mimetype rules
	"github.com/go-playground/locales",              // validator/v10
	"github.com/go-playground/universal-translator", // validator/v10
	"github.com/go-playground/validator/v10",        // credential: the specs' rules
	"github.com/leodido/go-urn",                     // validator/v10's urn rules
	"github.com/lestrrat-go/blackmagic",             // jwx
	"github.com/lestrrat-go/httpcc",                 // jwx
	"github.com/lestrrat-go/httprc",                 // jwx
	"github.com/lestrrat-go/iter",                   // jwx
	"github.com/lestrrat-go/jwx/v2",                 // keys: JWK import and export; credential: the jws rule
	"github.com/lestrrat-go/option",                 // jwx
	"github.com/piprate/json-gold",                  // internal/jsonld: JSON-LD contexts
	"github.com/pquerna/cachecontrol",               // json-gold
	"github.com/santhosh-tekuri/jsonschema/v6",      // schema: JSON Schema validation
	"golang.org/x/crypto",                           // keys: scrypt; validator/v10: sha3
	"golang.org/x/sys",                              // x/crypto
	"golang.org/x/text",                             // jsonschema's messages
}

// TestVerifyModules lists the modules verify imports, directly or not, and
// compares them with verifyModules, so that a new dependency of every
// verifier (or one that has left) is a conscious change.
func TestVerifyModules(t *testing.T) {
	goCmd := goTool(t)
	got, err := Modules(context.Background(), goCmd, moduleRoot, "./verify")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(verifyModules))
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("the modules verify imports changed (-listed +imported); update verifyModules, saying what each adds:\n%s", d)
	}
}
