package openbadges

import (
	"os"
	"regexp"
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
