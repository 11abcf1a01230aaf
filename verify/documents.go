package verify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
)

// MaxMapDocumentBytes bounds each file an offline map names
// (ParseDocumentMap).
const MaxMapDocumentBytes = 16 << 20

// ErrDocumentMap is wrapped by the errors of ParseDocumentMap.
var ErrDocumentMap = errors.New("verify: offline map")

// ParseDocumentMap reads an offline map, the form in which openbadges
// verify --offline-map and the examples take Trust.Documents: a JSON
// object whose members map a DID or URL to its document, given either
// inline (any JSON value other than a string) or as the path of a file
// holding it (a JSON string), relative to dir unless absolute. Files are
// read whole, up to MaxMapDocumentBytes each.
//
//	{"did:web:example.edu": "example.edu-did.json",
//	 "https://example.edu/issuers/1": {"id": "https://example.edu/issuers/1", …}}
//
// The documents are not checked here: Verify checks each as it reads it.
// A document given here is the caller's word that it is its issuer's (see
// Trust.Documents), so a map must come from the operator, never from the
// party being verified.
func ParseDocumentMap(data []byte, dir string) (map[string][]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil || m == nil {
		return nil, fmt.Errorf("%w: want a JSON object mapping DIDs and URLs to documents or file paths", ErrDocumentMap)
	}
	docs := make(map[string][]byte, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		v := m[k]
		if u, err := url.Parse(k); err != nil || !u.IsAbs() || u.Opaque == "" && u.Host == "" {
			return nil, fmt.Errorf("%w: %q is not a DID or an absolute URL (is the file a document rather than a map of them?)", ErrDocumentMap, k)
		}
		var path string
		switch t := bytes.TrimSpace(v); {
		case len(t) > 0 && t[0] == '{':
			docs[k] = v
			continue
		case json.Unmarshal(t, &path) != nil || path == "" || t[0] != '"':
			return nil, fmt.Errorf("%w: %s: want a document (a JSON object) or the path of its file", ErrDocumentMap, k)
		}
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		b, err := readLimited(path, MaxMapDocumentBytes)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrDocumentMap, k, err)
		}
		docs[k] = b
	}
	return docs, nil
}

// readLimited reads the file at path, refusing more than limit bytes.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, limit)
	}
	return b, nil
}
