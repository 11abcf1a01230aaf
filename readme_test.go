package openbadges

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestReadmeSnippets checks that every Go snippet of the README's tour is
// part of the Example it names, line for line, so that the README shows
// code that compiles and whose output go test checks.
func TestReadmeSnippets(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile("(?s)<!-- example: (\\S+) (\\S+) -->\n```go\n(.*?)```")
	matches := re.FindAllStringSubmatch(string(readme), -1)
	if len(matches) < 7 {
		t.Fatalf("%d tour snippets, want at least 7", len(matches))
	}
	for _, m := range matches {
		file, name, snippet := m[1], m[2], m[3]
		src, err := os.ReadFile(file)
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		body := funcBody(string(src), name)
		if body == "" {
			t.Errorf("%s has no func %s", file, name)
			continue
		}
		if !strings.Contains(body, snippet) {
			t.Errorf("the README's snippet from %s %s is not in it:\n%s", file, name, snippet)
		}
	}
}

// funcBody returns the text of the function name in src, from its
// signature to its closing brace at the start of a line.
func funcBody(src, name string) string {
	i := strings.Index(src, "\nfunc "+name+"(")
	if i < 0 {
		return ""
	}
	j := strings.Index(src[i:], "\n}\n")
	if j < 0 {
		return ""
	}
	return src[i : i+j+3]
}

// TestReadmeNamesEveryPackage keeps the README's package table in step with
// the module, as TestDocNamesEveryPackage does doc.go: every package
// outside internal/ has a row or a link in it ("[`p`](p)"; a program's own
// packages, below examples/NAME/, go with it), and every package it links
// to exists.
func TestReadmeNamesEveryPackage(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(string(readme), "\n## Packages\n")
	if start < 0 {
		t.Fatal("README.md has no Packages section")
	}
	table := string(readme[start:])
	if end := strings.Index(table[1:], "\n## "); end >= 0 {
		table = table[:end+1]
	}
	pkgs := modulePackages(t)
	for _, p := range pkgs {
		if parts := strings.Split(p, "/"); parts[0] == "examples" && len(parts) > 2 {
			continue
		}
		if !strings.Contains(table, "[`"+p+"`]("+p+")") {
			t.Errorf("the README's Packages table does not name %s", p)
		}
	}
	for _, m := range regexp.MustCompile("\\[`([^`]+)`\\]\\(([^)]+)\\)").FindAllStringSubmatch(table, -1) {
		if m[1] != m[2] {
			t.Errorf("the README links %s to %s", m[1], m[2])
		}
		if !slices.Contains(pkgs, m[1]) {
			t.Errorf("the README's Packages table names %s, which is not a package of the module", m[1])
		}
	}
}
