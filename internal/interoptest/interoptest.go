// Package interoptest runs the JavaScript reference implementations kept in
// interop/js (digitalbazaar's vc, DCC's verifier-core, panva's jose) for the
// interoperability tests of the proof and status packages. Only tests use
// it.
package interoptest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/schema"
)

// EnvDir names the environment variable holding the harness's folder
// (interop/js after `npm ci` there); .ci/run sets it.
const EnvDir = "OPENBADGES_INTEROP_JS"

// Dir returns the harness's folder. Without EnvDir set the test is
// skipped, saying what it would check and how to run it; with EnvDir set
// but the harness not installed, it fails.
func Dir(t testing.TB, checks string) string {
	t.Helper()
	dir := os.Getenv(EnvDir)
	if dir == "" {
		t.Skipf("set %s to interop/js after `npm ci` there (.ci/run does) to check %s", EnvDir, checks)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); err != nil {
		t.Fatalf("%s=%s: no node_modules: run npm ci there (%v)", EnvDir, dir, err)
	}
	return dir
}

// Node runs script (di.mjs, jwt.mjs) of the harness with args and returns
// its output (stdout, then stderr when it fails) and exit status.
func Node(t testing.TB, dir, script string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", append([]string{script}, args...)...)
	cmd.Dir = dir
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return out.String(), 0
	case errors.As(err, &exit):
		return out.String() + errOut.String(), exit.ExitCode()
	}
	t.Fatalf("node: %v", err)
	return "", -1
}

// WriteContexts writes to path the map of context URL to document the
// harness loads: the embedded contexts, with the OB 3.0.3 context as 1EdTech
// publishes it (what Signers use by default).
func WriteContexts(t testing.TB, path string) {
	t.Helper()
	l, err := schema.NewLoader(schema.LoaderOptions{PublishedOB303: true})
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]json.RawMessage{}
	for _, u := range l.URLs() {
		b, err := l.ContextBytes(u)
		if err != nil {
			t.Fatal(err)
		}
		m[u] = b
	}
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}
