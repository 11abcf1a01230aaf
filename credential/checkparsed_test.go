package credential

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/google/go-cmp/cmp"
)

// TestCheckParsed checks that CheckParsed, given the parse tree of a
// document, finds what Check finds, on every JSON fixture; and that it
// parses again when the options are stricter than the tree's limits.
func TestCheckParsed(t *testing.T) {
	n := 0
	err := filepath.WalkDir("testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var tree jsonobj.Tree
		if jsonobj.ParseTree(data, len(data), parsedDepth, &tree) != nil {
			return nil
		}
		n++
		want, wantErr := Check(data, nil)
		got, gotErr := CheckParsed(data, &tree, nil)
		if diff := cmp.Diff(want, got); diff != "" || (wantErr == nil) != (gotErr == nil) {
			t.Errorf("%s: CheckParsed differs from Check (-Check +CheckParsed):\n%s%v %v", p, diff, wantErr, gotErr)
		}
		if len(data) > 10 {
			small := &CheckOptions{Parse: ParseOptions{MaxBytes: len(data) - 1}}
			_, want := Check(data, small)
			_, got := CheckParsed(data, &tree, small)
			if want == nil || got == nil || want.Error() != got.Error() {
				t.Errorf("%s: over MaxBytes, Check says %v, CheckParsed %v", p, want, got)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Fatalf("%d fixtures, want at least 50", n)
	}
	got, err := CheckParsed([]byte(`{"type": ["VerifiableCredential"]}`), nil, nil)
	want, _ := Check([]byte(`{"type": ["VerifiableCredential"]}`), nil)
	if err != nil || !cmp.Equal(want, got) {
		t.Errorf("CheckParsed without a tree = %v, %v; want Check's %v", got, err, want)
	}
}
