package jose

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// jwtCorpus returns every compact JWS in the module's testdata
// directories (.jwt files and the W3C vectors' .txt ones), and their
// payloads re-signed with other headers, for the equivalence tests of the
// functions rewritten to spend less memory against their old versions
// (oracle_test.go).
func jwtCorpus(tb testing.TB) map[string][]byte {
	tb.Helper()
	root := filepath.Join("..", "..")
	out := map[string][]byte{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); name == "node_modules" || name == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.Contains(filepath.ToSlash(path), "/testdata/") {
			return nil
		}
		if ext := filepath.Ext(path); ext != ".jwt" && ext != ".txt" && ext != ".jws" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if IsCompact(bytes.TrimSpace(b)) {
			out[filepath.ToSlash(path)] = b
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if len(out) < 20 {
		tb.Fatalf("found %d compact JWS in testdata, want at least 20", len(out))
	}
	return out
}

// equivalenceSeeds are tokens at the edges: presentations, a payload
// with a vp claim but a credential's typ, bad base64, extra dots.
var equivalenceSeeds = []string{
	"e30.e30.e30",
	"e30.eyJ2cCI6e319.e30",                       // {} . {"vp":{}}
	"eyJ0eXAiOiJ2cCtqd3QifQ.e30.e30",             // {"typ":"vp+jwt"}
	"eyJ0eXAiOiJ2Yytqd3QifQ.eyJ2cCI6e319.e30",    // vc+jwt with a vp claim
	"eyJ0eXAiOiJKV1QifQ.eyJ2cCI6MX0.e30",         // JWT, {"vp":1}
	"eyJ0eXAiOiJKV1QifQ.eyJ4IjoiXCJ2cFwiIn0.e30", // "vp" only inside a string
	"e30.e30",
	"e30.e30.e30.e30",
	"e3=.e30.e30",
	"!!.e30.e30",
	" e30.eyJ2cCI6W119.e30 \n",
	"",
	"..",
}

func TestIsPresentationTokenEquivalence(t *testing.T) {
	check := func(name string, token []byte) {
		if got, want := IsPresentationToken(token), isPresentationTokenOld(token); got != want {
			t.Errorf("%s: IsPresentationToken = %v, the old one %v", name, got, want)
		}
	}
	for name, token := range jwtCorpus(t) {
		check(name, token)
	}
	for _, s := range equivalenceSeeds {
		check(s, []byte(s))
	}
}

func FuzzIsPresentationTokenEquivalence(f *testing.F) {
	for _, token := range jwtCorpus(f) {
		f.Add(token)
	}
	for _, s := range equivalenceSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, token []byte) {
		if got, want := IsPresentationToken(token), isPresentationTokenOld(token); got != want {
			t.Fatalf("IsPresentationToken(%q) = %v, the old one %v", token, got, want)
		}
	})
}
