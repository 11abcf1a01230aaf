package verify

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseDocumentMap reads offline maps: testdata/issuers/offline-map.json
// (file paths relative to its folder), a document given inline, an
// absolute path; and refuses what is no map or names a file that is not
// there.
func TestParseDocumentMap(t *testing.T) {
	abs, err := filepath.Abs("testdata/issuers/state.gov_issuers_565049.json")
	if err != nil {
		t.Fatal(err)
	}
	issuers := map[string][]byte{
		"did:web:dc.1edtech.org:wellspring2022:wellspring-portal:org:da1e96e9-afcc-4eed-b9a2-2ddf7353214c": mustRead(t, "testdata/issuers/did_web_dc.1edtech.org_wellspring2022_wellspring-portal_org_da1e96e9-afcc-4eed-b9a2-2ddf7353214c.json"),
		"https://1edtech.edu/issuers/565049": mustRead(t, "testdata/issuers/1edtech.edu_issuers_565049.json"),
		"https://example.com/issuers/876543": mustRead(t, "testdata/issuers/example.com_issuers_876543.json"),
		"https://example.edu/issuers/565049": mustRead(t, "testdata/issuers/example.edu_issuers_565049.json"),
		"https://state.gov/issuers/565049":   mustRead(t, "testdata/issuers/state.gov_issuers_565049.json"),
	}
	for _, tc := range []struct {
		name    string
		data    string
		dir     string
		want    map[string][]byte
		wantErr string
		is      error
	}{
		{name: "testdata/issuers", data: string(mustRead(t, "testdata/issuers/offline-map.json")), dir: "testdata/issuers", want: issuers},
		{
			name: "inline and absolute",
			data: `{"https://example.org/a": {"id": "https://example.org/a"}, "https://state.gov/issuers/565049": "` + filepath.ToSlash(abs) + `"}`,
			dir:  "elsewhere",
			want: map[string][]byte{"https://example.org/a": []byte(`{"id": "https://example.org/a"}`), "https://state.gov/issuers/565049": issuers["https://state.gov/issuers/565049"]},
		},
		{name: "empty", data: `{}`, want: map[string][]byte{}},
		{name: "an array", data: `[]`, wantErr: "verify: offline map: want a JSON object mapping DIDs and URLs to documents or file paths", is: ErrDocumentMap},
		{name: "null", data: `null`, wantErr: "verify: offline map: want a JSON object mapping DIDs and URLs to documents or file paths", is: ErrDocumentMap},
		{name: "not JSON", data: `notes`, wantErr: "verify: offline map: want a JSON object mapping DIDs and URLs to documents or file paths", is: ErrDocumentMap},
		{name: "a document, not a map", data: `{"@context": "https://www.w3.org/ns/did/v1", "id": "did:web:example.edu"}`, wantErr: `verify: offline map: "@context" is not a DID or an absolute URL (is the file a document rather than a map of them?)`, is: ErrDocumentMap},
		{name: "a relative key", data: `{"example.edu/issuer": {}}`, wantErr: `verify: offline map: "example.edu/issuer" is not a DID or an absolute URL (is the file a document rather than a map of them?)`, is: ErrDocumentMap},
		{name: "a scheme alone", data: `{"https:": {}}`, wantErr: `verify: offline map: "https:" is not a DID or an absolute URL (is the file a document rather than a map of them?)`, is: ErrDocumentMap},
		{name: "a number for a document", data: `{"did:web:example.edu": 1}`, wantErr: "verify: offline map: did:web:example.edu: want a document (a JSON object) or the path of its file", is: ErrDocumentMap},
		{name: "null for a document", data: `{"did:web:example.edu": null}`, wantErr: "verify: offline map: did:web:example.edu: want a document (a JSON object) or the path of its file", is: ErrDocumentMap},
		{
			name: "a file that is not there", data: `{"https://example.org/a": "missing.json"}`, dir: "testdata",
			wantErr: "verify: offline map: https://example.org/a: open " + filepath.Join("testdata", "missing.json") + ": no such file or directory", is: fs.ErrNotExist,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseDocumentMap([]byte(tc.data), tc.dir)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr || !errors.Is(err, tc.is) || !errors.Is(err, ErrDocumentMap) {
					t.Errorf("error %v, want %q wrapping %v and ErrDocumentMap", err, tc.wantErr, tc.is)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func ExampleParseDocumentMap() {
	// The issuers' documents, as an operator keeps them beside the map.
	docs, err := ParseDocumentMap([]byte(`{
	  "https://example.edu/issuers/565049": "example.edu_issuers_565049.json",
	  "https://example.org/issuers/1": {"id": "https://example.org/issuers/1", "verificationMethod": []}
	}`), "testdata/issuers")
	if err != nil {
		fmt.Println(err)
		return
	}
	v, err := New(Trust{Documents: docs})
	fmt.Println(len(docs), v != nil, err)
	// Output: 2 true <nil>
}

// FuzzParseDocumentMap checks that no map makes ParseDocumentMap panic,
// and that what it accepts keeps its promise: every key a DID or an
// absolute URL, every inline document an object. Paths are read from an
// empty folder, so a path member fails unless it names nothing there.
func FuzzParseDocumentMap(f *testing.F) {
	for _, seed := range []string{
		`{}`, `[]`, `null`, `{"did:web:example.edu": {"id": "did:web:example.edu"}}`,
		`{"https://example.edu/status/1": "list.json"}`, `{"@context": "x"}`, `{"did:x": null}`,
		`{"https:": {}}`, `{"a": 1}`,
	} {
		f.Add([]byte(seed))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, err := ParseDocumentMap(data, dir)
		if err != nil {
			if !errors.Is(err, ErrDocumentMap) {
				t.Fatalf("%v does not wrap ErrDocumentMap", err)
			}
			return
		}
		for k, v := range docs {
			if u, err := url.Parse(k); err != nil || !u.IsAbs() {
				t.Errorf("key %q accepted", k)
			}
			if len(bytes.TrimSpace(v)) == 0 || bytes.TrimSpace(v)[0] != '{' {
				t.Errorf("%s: document %q accepted", k, v)
			}
		}
	})
}
