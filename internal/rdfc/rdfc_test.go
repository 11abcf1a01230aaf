package rdfc

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// manifestEntry is one entry of testdata/manifest.jsonld.
type manifestEntry struct {
	ID            string `json:"id"`
	Type          string `json:"type"`
	Name          string `json:"name"`
	Action        string `json:"action"`
	Result        string `json:"result"`
	HashAlgorithm string `json:"hashAlgorithm"`
}

// raceEnabled is set when the race detector, which slows the code down
// several times, is on.
var raceEnabled bool

const (
	evalTest     = "rdfc:RDFC10EvalTest"
	mapTest      = "rdfc:RDFC10MapTest"
	negativeTest = "rdfc:RDFC10NegativeEvalTest"
)

func loadManifest(tb testing.TB) []manifestEntry {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "manifest.jsonld"))
	if err != nil {
		tb.Fatal(err)
	}
	var m struct {
		Entries []manifestEntry `json:"entries"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		tb.Fatal(err)
	}
	return m.Entries
}

func readTestdata(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(name)))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func parseTestdata(tb testing.TB, name string) []Quad {
	tb.Helper()
	quads, err := ParseNQuads(readTestdata(tb, name))
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return quads
}

func (e manifestEntry) options(tb testing.TB) Options {
	tb.Helper()
	switch e.HashAlgorithm {
	case "", "SHA256":
		return Options{}
	case "SHA384":
		return Options{Hash: crypto.SHA384}
	}
	tb.Fatalf("%s: unknown hashAlgorithm %q", e.ID, e.HashAlgorithm)
	return Options{}
}

// TestW3CSuite runs every entry of the W3C RDFC-1.0 test suite manifest.
func TestW3CSuite(t *testing.T) {
	entries := loadManifest(t)
	counts := map[string]int{}
	// One Scratch for the whole suite: every entry reuses what the ones
	// before left, including the work space of a run that failed.
	scratch := &Scratch{}
	for _, e := range entries {
		counts[e.Type]++
		t.Run(strings.TrimPrefix(e.ID, "#"), func(t *testing.T) {
			opts := e.options(t)
			in := parseTestdata(t, e.Action)
			switch e.Type {
			case evalTest:
				res, err := Canonicalize(context.Background(), in, opts)
				if err != nil {
					t.Fatalf("%s: %v", e.Name, err)
				}
				want := readTestdata(t, e.Result)
				if diff := cmp.Diff(string(want), string(res.NQuads())); diff != "" {
					t.Errorf("%s: canonical N-Quads mismatch (-want +got):\n%s", e.Name, diff)
				}
				opts.Scratch = scratch
				direct, err := CanonicalNQuads(context.Background(), in, opts)
				if err != nil {
					t.Fatalf("%s: CanonicalNQuads: %v", e.Name, err)
				}
				if diff := cmp.Diff(string(want), string(direct)); diff != "" {
					t.Errorf("%s: CanonicalNQuads mismatch (-want +got):\n%s", e.Name, diff)
				}
				var written bytes.Buffer
				if err := WriteCanonical(context.Background(), &written, in, opts); err != nil {
					t.Fatalf("%s: WriteCanonical: %v", e.Name, err)
				}
				if diff := cmp.Diff(string(want), written.String()); diff != "" {
					t.Errorf("%s: WriteCanonical mismatch (-want +got):\n%s", e.Name, diff)
				}
			case mapTest:
				res, err := Canonicalize(context.Background(), in, opts)
				if err != nil {
					t.Fatalf("%s: %v", e.Name, err)
				}
				var want map[string]string
				if err := json.Unmarshal(readTestdata(t, e.Result), &want); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, res.Issued); diff != "" {
					t.Errorf("%s: issued identifiers mismatch (-want +got):\n%s", e.Name, diff)
				}
			case negativeTest:
				// Wall-clock time on a shared machine is noisy: take the
				// fastest of three runs.
				var fastest time.Duration
				for i := range 3 {
					start := time.Now()
					_, err := Canonicalize(context.Background(), in, opts)
					elapsed := time.Since(start)
					if !errors.Is(err, ErrWorkLimit) {
						t.Fatalf("%s: got error %v, want ErrWorkLimit", e.Name, err)
					}
					opts.Scratch = scratch
					if _, err := CanonicalNQuads(context.Background(), in, opts); !errors.Is(err, ErrWorkLimit) {
						t.Fatalf("%s: CanonicalNQuads: got error %v, want ErrWorkLimit", e.Name, err)
					}
					if i == 0 || elapsed < fastest {
						fastest = elapsed
					}
				}
				t.Logf("%s: fails with ErrWorkLimit after %v", e.Name, fastest)
				limit := time.Second
				if raceEnabled {
					limit *= 5
				}
				if fastest > limit {
					t.Errorf("%s: took %v to fail, want well under %v", e.Name, fastest, limit)
				}
			default:
				t.Fatalf("unknown test type %q", e.Type)
			}
		})
	}
	want := map[string]int{evalTest: 64, mapTest: 21, negativeTest: 1}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("manifest entry counts (-want +got):\n%s", diff)
	}
}

// TestDefaultMaxWork checks that the default work limit leaves headroom over
// the most demanding positive test and reports what each test needs.
func TestDefaultMaxWork(t *testing.T) {
	most, mostID := 0, ""
	for _, e := range loadManifest(t) {
		if e.Type != evalTest {
			continue
		}
		_, work, err := canonicalize(context.Background(), parseTestdata(t, e.Action), Options{Hash: e.options(t).Hash, MaxWork: -1})
		if err != nil {
			t.Fatalf("%s: %v", e.ID, err)
		}
		if work > most {
			most, mostID = work, e.ID
		}
	}
	t.Logf("most work in a positive test: %d (%s); default limit %d", most, mostID, defaultMaxWork)
	if most*10 > defaultMaxWork {
		t.Errorf("default MaxWork %d is less than ten times the %d units %s needs", defaultMaxWork, most, mostID)
	}
}
