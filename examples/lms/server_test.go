package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/keys"
)

// writeServerIssuer writes an issuer folder for examples/issuer-server
// with the LMS's three courses, and returns its issuer.json.
func writeServerIssuer(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	signer, err := keys.Generate(keys.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	did, _ := keys.DIDKey(signer.Public())
	vm, _ := keys.DIDKeyVerificationMethod(signer.Public())
	store, err := keys.OpenDir(filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	k, err := keys.NewKey(vm, did, signer)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Add(context.Background(), k); err != nil {
		t.Fatal(err)
	}
	var achievements []any
	for _, c := range courses {
		achievements = append(achievements, map[string]any{
			"achievement": map[string]any{
				"id": c.id, "type": []string{"Achievement"}, "achievementType": "Course", "name": c.name,
				"description": "The " + c.name + " course.", "criteria": map[string]any{"narrative": "Complete the course and pass its final exam."},
				"resultDescription": []any{map[string]any{
					"id": c.exam, "type": []string{"ResultDescription"}, "name": "Final exam",
					"resultType": "Percent", "valueMin": "0", "valueMax": "100", "requiredValue": "70",
				}},
			},
			"criteria": map[string]any{"completion": true, "minScore": map[string]any{"resultDescription": c.exam, "min": "70"}},
		})
	}
	b, _ := json.Marshal(map[string]any{
		"issuer":   map[string]any{"id": did, "type": []string{"Profile"}, "name": "Example University", "url": "https://example.edu"},
		"keyStore": "keys", "database": "sqlite:issuer.db", "achievements": achievements,
	})
	path := filepath.Join(dir, "issuer.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestServer builds and starts examples/issuer-server, as its own
// process, and runs the LMS against it with -server: every event is
// decided there, and awards.json holds an offer and a sign-in code for
// each badge issued.
func TestServer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs examples/issuer-server")
	}
	bin := filepath.Join(t.TempDir(), "issuer-server")
	if out, err := exec.Command("go", "build", "-o", bin, "../issuer-server").CombinedOutput(); err != nil {
		t.Fatalf("building the issuer server: %v\n%s", err, out)
	}
	const token = "lms-test-award-token"
	cert := filepath.Join(t.TempDir(), "cert.pem")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-addr", "127.0.0.1:0", "-config", writeServerIssuer(t), "-cert", cert)
	cmd.Env = append(os.Environ(), "OPENBADGES_AWARD_TOKEN="+token)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cancel()
		cmd.Wait()
		if t.Failed() {
			t.Logf("issuer-server: %s", stderr.String())
		}
	}()
	serving := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		re := regexp.MustCompile(`^serving (https://\S+) at `)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				serving <- m[1]
			}
		}
	}()
	var url string
	select {
	case url = <-serving:
	case <-time.After(60 * time.Second):
		t.Fatalf("the issuer server did not start: %s", stderr.String())
	}

	t.Setenv(envAwardToken, token)
	out := t.TempDir()
	var lmsOut, lmsErr bytes.Buffer
	if err := run(context.Background(), []string{"-out", out, "-n", "40", "-seed", "3", "-server", url, "-cacert", cert}, &lmsOut, &lmsErr); err != nil {
		t.Fatalf("lms: %v\n%s", err, lmsErr.String())
	}
	if !strings.Contains(lmsOut.String(), "40 events sent to "+url) {
		t.Errorf("lms printed %q", lmsOut.String())
	}
	fi, err := os.Stat(filepath.Join(out, "awards.json"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("awards.json: %v %v", fi, err)
	}
	data, _ := os.ReadFile(filepath.Join(out, "awards.json"))
	var awards []remoteAward
	if err := json.Unmarshal(data, &awards); err != nil {
		t.Fatal(err)
	}
	states := map[string]int{}
	for _, a := range awards {
		states[a.State]++
		if a.State == "issued" && (!strings.HasPrefix(a.Offer, "openid-credential-offer://") || a.SignIn == "") {
			t.Errorf("an issued award without an offer or sign-in code: %+v", a)
		}
		if a.Error != "" {
			t.Errorf("an award failed: %+v", a)
		}
	}
	if len(awards) != 40 || states["issued"] == 0 || states["denied"] == 0 {
		t.Errorf("%d awards, by state %v", len(awards), states)
	}

	// Without the token, or with the wrong one, nothing is awarded.
	t.Setenv(envAwardToken, "wrong")
	if err := run(context.Background(), []string{"-out", t.TempDir(), "-n", "2", "-server", url, "-cacert", cert}, &lmsOut, &lmsErr); err == nil || !strings.Contains(lmsErr.String(), "401") {
		t.Errorf("a wrong token: %v, %s", err, lmsErr.String())
	}
}
