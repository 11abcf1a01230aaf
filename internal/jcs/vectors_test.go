package jcs

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The W3C Data Integrity JCS vectors (see testdata/README.md): the
// canonical document and canonical proof configuration of eddsa-jcs-2022
// and ecdsa-jcs-2019 (P-256), with the SHA-256 hashes published beside them
// (docHash*.txt, proofHash*.txt).
func TestW3CVectors(t *testing.T) {
	tests := []struct {
		name, input, want, sha256 string
	}{
		{"eddsa-jcs-2022 document", "unsigned.json", "canonDocJCS.txt", "59b7cb6251b8991add1ce0bc83107e3db9dbbab5bd2c28f687db1a03abc92f19"},
		{"eddsa-jcs-2022 proof", "proofConfigJCS.json", "proofCanonJCS.txt", "66ab154f5c2890a140cb8388a22a160454f80575f6eae09e5a097cabe539a1db"},
		{"ecdsa-jcs-2019 P-256 document", "unsigned.json", "canonDocJCSECDSAP256.txt", "59b7cb6251b8991add1ce0bc83107e3db9dbbab5bd2c28f687db1a03abc92f19"},
		{"ecdsa-jcs-2019 P-256 proof", "proofConfigJCSECDSAP256.json", "proofCanonJCSECDSAP256.txt", "fe5799489119c7fe3c528715e72bd39d2ec6b4ab345978df32e9a9312648ec25"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			input := readTestdata(t, tt.input)
			want := readTestdata(t, tt.want)
			// The expected files are the canonical text itself, with no
			// trailing newline (their hashes prove it), so they are
			// compared untrimmed; a newline added by an editor fails here
			// rather than being silently stripped.
			if bytes.HasSuffix(want, []byte("\n")) {
				t.Fatalf("%s ends in a newline; the vector has none", tt.want)
			}
			got, err := Transform(input)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("Transform(%s) mismatch (-want +got):\n%s", tt.input, diff)
			}
			sum := sha256.Sum256(got)
			if h := hex.EncodeToString(sum[:]); h != tt.sha256 {
				t.Errorf("sha256(Transform(%s)) = %s, want %s", tt.input, h, tt.sha256)
			}
			// The canonical form is a fixed point.
			again, err := Transform(want)
			if err != nil || !bytes.Equal(again, want) {
				t.Errorf("Transform(%s) = %s, %v; want it unchanged", tt.want, again, err)
			}
		})
	}
}

func readTestdata(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
