package webverify

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestOB20Names checks that the page names an Open Badges 2.0 badge's
// issuer and achievement as the verification read them: the issuer's
// Profile from its id, and the BadgeClass from its URL when the assertion
// names it only by URL (the spec's signed example).
func TestOB20Names(t *testing.T) {
	var files []File
	for _, name := range []string{"organization.json", "publicKey.json", "revocationList.json", "robotics-badge.json"} {
		files = append(files, File{Name: name, Data: mustReadFile(t, filepath.Join("testdata/ob20", name))})
	}
	badge := mustReadFile(t, "testdata/ob20/spec-rs256.jws")
	for _, tc := range []struct {
		name                string
		files               []File
		verdict             Verdict
		issuer, achievement string
	}{
		{"with the issuer's documents", files, VerdictVerified, "An Example Badge Issuer", "Awesome Robotics Badge"},
		{"without them", nil, VerdictInconclusive, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := (&Verifier{}).Verify(context.Background(), badge, &Options{Files: tc.files, Now: "2017-01-02T00:00:00Z"})
			if v.Verdict != tc.verdict || v.Issuer.Name != tc.issuer || v.Achievement.Name != tc.achievement {
				t.Errorf("%s, issuer %q, achievement %q; want %s, %q, %q (%s)", v.Verdict, v.Issuer.Name, v.Achievement.Name, tc.verdict, tc.issuer, tc.achievement, v.Summary)
			}
		})
	}
}

func mustReadFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
