package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/verify"
)

// TestLMS runs a small term and checks what it writes: a summary whose
// counts add up, one JSON credential and one baked PNG per award, and
// badges that verify offline with the map the run wrote.
func TestLMS(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"-out", dir, "-n", "60", "-seed", "7"}, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	var sum summary
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	tot := sum.Total
	if tot.Awarded+tot.Repeated+tot.Denied+tot.InReview+tot.Failed != 60 || tot.Failed != 0 || tot.Awarded == 0 || tot.Denied == 0 || tot.InReview == 0 {
		t.Errorf("summary: %+v", tot)
	}
	var per tally
	for _, a := range sum.PerAchievement {
		per.Repeated += a.Repeated
		per.Awarded += a.Awarded
		per.Denied += a.Denied
		per.InReview += a.InReview
	}
	if d := cmp.Diff(tally{Awarded: tot.Awarded, Repeated: tot.Repeated, Denied: tot.Denied, InReview: tot.InReview}, per); d != "" {
		t.Errorf("per achievement does not add up (-total +sum):\n%s", d)
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, "*.png"))
	jsons, _ := filepath.Glob(filepath.Join(dir, "*-*-*-*-*.json"))
	if len(pngs) != tot.Awarded || len(jsons) != tot.Awarded {
		t.Errorf("%d PNGs and %d credentials", len(pngs), len(jsons))
	}
	if !strings.Contains(stderr.String(), "100% 60/60") {
		t.Errorf("no progress bar: %q", stderr.String())
	}
	if !strings.Contains(stdout.String(), "60 events: ") {
		t.Errorf("stdout: %s", stdout.String())
	}
	// A verifier with only the output folder checks a badge offline.
	var offline map[string]string
	b, _ = os.ReadFile(filepath.Join(dir, "offline-map.json"))
	if err := json.Unmarshal(b, &offline); err != nil {
		t.Fatal(err)
	}
	docs := map[string][]byte{}
	for u, f := range offline {
		docs[u], _ = os.ReadFile(filepath.Join(dir, f))
	}
	img, _ := os.ReadFile(pngs[0])
	rep, err := verify.Verify(context.Background(), img, &verify.Options{Documents: docs, RequireStatus: true})
	if err != nil || !rep.Verified || rep.Check(verify.CheckStatus).Outcome != verify.Passed {
		t.Errorf("%v\n%s", err, rep)
	}
}
