package openbadges

import (
	"io/fs"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestDocNamesEveryPackage keeps the package doc in step with the module:
// every package outside internal/ is named in doc.go (a library package
// by its link, a program by its path), and every package doc.go links to
// exists.
func TestDocNamesEveryPackage(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	pkgs := modulePackages(t)
	const prefix = "github.com/go-openbadges/openbadges/"
	for _, p := range pkgs {
		// A library package by its link, a program by its path.
		named := strings.Contains(string(doc), "["+prefix+p+"]")
		if strings.HasPrefix(p, "cmd/") || strings.HasPrefix(p, "examples/") {
			named = regexp.MustCompile(`(^|[\s(])` + regexp.QuoteMeta(p) + `($|[\s:)])`).Match(doc)
		}
		if !named {
			t.Errorf("doc.go does not name the package %s", p)
		}
	}
	for _, m := range regexp.MustCompile(`\[`+regexp.QuoteMeta(prefix)+`([^\]]+)\]`).FindAllSubmatch(doc, -1) {
		if p := string(m[1]); !slices.Contains(pkgs, p) {
			t.Errorf("doc.go links to %s%s, which is not a package of the module", prefix, p)
		}
	}
}

// modulePackages returns the module's packages outside internal/, as
// paths from the module's root, found by walking the tree.
func modulePackages(t *testing.T) []string {
	t.Helper()
	var pkgs []string
	err := fs.WalkDir(os.DirFS("."), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if p != "." && (name == "testdata" || name == "internal" || name == "node_modules" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return fs.SkipDir
			}
			return nil
		}
		if dir := path.Dir(p); dir != "." && strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") && !slices.Contains(pkgs, dir) {
			pkgs = append(pkgs, dir)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) < 20 {
		t.Fatalf("found %d packages, want the module's (20 or more)", len(pkgs))
	}
	return pkgs
}

// TestFilesStayReadable keeps every non-test Go file of the module at 600
// lines or fewer: a file that grows past that holds more than one concept
// and is split along them (issue 26).
func TestFilesStayReadable(t *testing.T) {
	const limit = 600
	n := 0
	err := fs.WalkDir(os.DirFS("."), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); p != "." && (name == "testdata" || name == "node_modules" || strings.HasPrefix(name, ".")) {
				return fs.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		n++
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if lines := strings.Count(string(data), "\n"); lines > limit {
			t.Errorf("%s has %d lines, more than %d: split it along the concepts it holds", p, lines, limit)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Fatalf("read %d Go files, want the module's (100 or more)", n)
	}
}
