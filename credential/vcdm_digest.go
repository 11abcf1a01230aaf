package credential

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"mime"
	"regexp"
	"strings"
	"sync"

	"github.com/go-openbadges/openbadges/internal/base58"
	"github.com/go-openbadges/openbadges/schema"
)

// A digest is one relatedResource digest, as read from the document.
type digest struct {
	ptr    string    // where it is in the document
	alg    *hashAlg  // how it was made
	sum    []byte    // the digest itself
	format formatter // writes another digest the way this one is written
}

type formatter func(sum []byte) string

// hashAlg is a hash function a digest may name.
type hashAlg struct {
	name      string // as people write it: "SHA-384"
	sri       string // the SRI hash-algo token, "" if SRI does not allow it
	multihash uint64 // the multicodec code
	size      int    // bytes
	sum       func([]byte) []byte
}

// hashAlgs are the functions SRI (sha256, sha384, sha512) and the
// Multihash table of Controlled Identifiers 1.0 (SHA-2 and SHA-3, 256 to
// 512 bits) allow.
var hashAlgs = []*hashAlg{
	{"SHA-256", "sha256", 0x12, 32, func(b []byte) []byte { s := sha256.Sum256(b); return s[:] }},
	{"SHA-384", "sha384", 0x20, 48, func(b []byte) []byte { s := sha512.Sum384(b); return s[:] }},
	{"SHA-512", "sha512", 0x13, 64, func(b []byte) []byte { s := sha512.Sum512(b); return s[:] }},
	{"SHA3-256", "", 0x16, 32, func(b []byte) []byte { s := sha3.Sum256(b); return s[:] }},
	{"SHA3-384", "", 0x15, 48, func(b []byte) []byte { s := sha3.Sum384(b); return s[:] }},
	{"SHA3-512", "", 0x14, 64, func(b []byte) []byte { s := sha3.Sum512(b); return s[:] }},
}

// sriExpression is the SRI hash-expression grammar (SRI §3.5): an
// algorithm, "-", a base64 value (standard alphabet, padding optional),
// and options after "?".
var sriExpression = regexp.MustCompile(`^([a-z0-9]+)-([A-Za-z0-9+/]+={0,2})(\?[\x21-\x7e]*)?$`)

// parseSRI reads a digestSRI value: one SRI hash-expression such as
// "sha384-…" (VCDM 2.0 §5.3).
func parseSRI(s string) (digest, error) {
	g := sriExpression.FindStringSubmatch(s)
	if g == nil {
		return digest{}, fmt.Errorf("digestSRI %q is not an SRI hash expression such as sha384-<base64 digest> (one per string; the standard base64 alphabet)", s)
	}
	var alg *hashAlg
	for _, a := range hashAlgs {
		if a.sri != "" && a.sri == g[1] {
			alg = a
		}
	}
	if alg == nil {
		return digest{}, fmt.Errorf("digestSRI %q names the hash %q; SRI allows sha256, sha384 and sha512", s, g[1])
	}
	sum, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(g[2], "="))
	if err != nil || len(sum) != alg.size {
		return digest{}, fmt.Errorf("digestSRI %q does not hold a %s digest: its base64 value decodes to %d bytes, not %d", s, alg.name, len(sum), alg.size)
	}
	return digest{alg: alg, sum: sum, format: func(sum []byte) string {
		return alg.sri + "-" + base64.StdEncoding.EncodeToString(sum)
	}}, nil
}

// parseMultibaseDigest reads a digestMultibase value: a Multibase-encoded
// Multihash (VC Data Integrity §2.6), in base58btc ("z…") or
// base64url without padding ("u…"), the two encodings Controlled
// Identifiers 1.0 requires implementations to read.
func parseMultibaseDigest(s string) (digest, error) {
	var raw []byte
	var err error
	var enc func([]byte) string
	switch {
	case strings.HasPrefix(s, "z"):
		raw, err = base58.Decode(s[1:])
		enc = func(b []byte) string { return "z" + base58.Encode(b) }
	case strings.HasPrefix(s, "u"):
		raw, err = base64.RawURLEncoding.DecodeString(s[1:])
		enc = func(b []byte) string { return "u" + base64.RawURLEncoding.EncodeToString(b) }
	default:
		return digest{}, fmt.Errorf("digestMultibase %q is not in base58btc (z…) or base64url (u…)", s)
	}
	if err != nil {
		return digest{}, fmt.Errorf("digestMultibase %q does not decode: %v", s, err)
	}
	alg, sum, err := parseMultihash(raw)
	if err != nil {
		return digest{}, fmt.Errorf("digestMultibase %q is not a Multihash (a hash code, a length, then the digest): %v", s, err)
	}
	return digest{alg: alg, sum: sum, format: func(sum []byte) string {
		return enc(append(binary.AppendUvarint(binary.AppendUvarint(nil, alg.multihash), uint64(len(sum))), sum...))
	}}, nil
}

// parseMultihash reads a Multihash: the hash's code and the digest's
// length as unsigned varints, then the digest.
func parseMultihash(b []byte) (*hashAlg, []byte, error) {
	code, n := binary.Uvarint(b)
	if n <= 0 {
		return nil, nil, errors.New("no hash code")
	}
	size, m := binary.Uvarint(b[n:])
	if m <= 0 {
		return nil, nil, errors.New("no length")
	}
	sum := b[n+m:]
	var alg *hashAlg
	for _, a := range hashAlgs {
		if a.multihash == code {
			alg = a
		}
	}
	switch {
	case alg == nil:
		return nil, nil, fmt.Errorf("hash code 0x%x is none of SHA-256, SHA-384, SHA-512 and SHA3-256 to SHA3-512", code)
	case size != uint64(alg.size) || len(sum) != alg.size:
		return nil, nil, fmt.Errorf("a %s digest is %d bytes; this one says %d and has %d", alg.name, alg.size, size, len(sum))
	}
	return alg, sum, nil
}

// relatedResources checks relatedResource: objects with a unique URL id
// and at least one well-formed digest, which must match the resource when
// the Loader holds it.
func (m *dataModel) relatedResources(ptr string, doc jnode) {
	seen := map[string]string{}
	for _, e := range m.objects(ptr, doc, "relatedResource", "vcdm/relatedResource") {
		idv, hasID := e.obj.get("id")
		var id string
		if hasID {
			id, _ = idv.str()
		}
		switch {
		case !hasID:
			m.add(e.ptr+"/id", "vcdm/relatedResource-id", "each relatedResource needs an id, the URL of the resource its digest is of")
		case !isAbsoluteURI(id):
			m.id(e.ptr, e.obj)
			id = ""
		case seen[id] != "":
			m.add(e.ptr+"/id", "vcdm/relatedResource-id", "%q is also the id of %s: each resource is listed once", id, seen[id])
		default:
			seen[id] = e.ptr
		}
		if v, ok := e.obj.get("mediaType"); ok {
			if s, ok := v.str(); !ok || !isMediaType(s) {
				m.add(e.ptr+"/mediaType", "vcdm/relatedResource-mediaType", "mediaType must be a media type such as application/ld+json, got %s", v.describeValue())
			}
		}
		sri, hasSRI := e.obj.get("digestSRI")
		mb, hasMB := e.obj.get("digestMultibase")
		if !hasSRI && !hasMB {
			m.add(e.ptr, "vcdm/relatedResource-digest", "each relatedResource needs a digestSRI or a digestMultibase: without one it secures nothing")
			continue
		}
		var ds []digest
		if hasSRI {
			ds = append(ds, m.digests(e.ptr+"/digestSRI", sri, parseSRI)...)
		}
		if hasMB {
			ds = append(ds, m.digests(e.ptr+"/digestMultibase", mb, parseMultibaseDigest)...)
		}
		if id != "" && len(ds) > 0 {
			m.integrity(id, ds)
		}
	}
}

// isMediaType reports whether s is a type/subtype media type, with
// parameters or not.
func isMediaType(s string) bool {
	mt, _, err := mime.ParseMediaType(s)
	typ, sub, ok := strings.Cut(mt, "/")
	return err == nil && ok && typ != "" && sub != ""
}

// digests reads a digestSRI or digestMultibase value: one string or an
// array of strings, each read by parse.
func (m *dataModel) digests(p string, v jnode, parse func(string) (digest, error)) []digest {
	if v.isArray() && v.empty() {
		m.add(p, "vcdm/relatedResource-digest", "a digest must be a string or an array of strings, got an empty array")
	}
	var out []digest
	v.eachOne(func(i int, item jnode) {
		at := pointerAt(p, i)
		s, ok := item.str()
		if !ok {
			m.add(at, "vcdm/relatedResource-digest", "a digest must be a string, got %s", item.describe())
			return
		}
		d, err := parse(s)
		if err != nil {
			m.add(at, "vcdm/relatedResource-digest", "%v", err)
			return
		}
		d.ptr = at
		out = append(out, d)
	})
	return out
}

// integrity compares digests with the resource at id when the Loader
// holds it.
func (m *dataModel) integrity(id string, ds []digest) {
	l := m.contexts()
	if l == nil {
		return
	}
	body, err := l.ContextBytes(id)
	if err != nil {
		return // not held, so not used: see CheckDataModel
	}
	for _, d := range ds {
		if want := d.alg.sum(body); !bytes.Equal(want, d.sum) {
			m.add(d.ptr, "vcdm/relatedResource-integrity", "the digest does not match %s as this library holds it (a pinned copy of the published document), whose %s digest is %s: the digest is wrong, or was made from another version of the resource", id, d.alg.name, d.format(want))
		}
	}
}

// defaultLoader serves the embedded contexts for relatedResource checks
// when CheckOptions.Loader is nil; built once per process, on first use.
var defaultLoader = sync.OnceValues(func() (*schema.Loader, error) {
	return schema.NewLoader(schema.LoaderOptions{})
})

// contexts returns the Loader that relatedResource digests are checked
// against, or nil (with m.err set) when it cannot be built.
func (m *dataModel) contexts() *schema.Loader {
	if m.loader != nil || m.err != nil {
		return m.loader
	}
	if m.loader = m.opts.Loader; m.loader == nil {
		l, err := defaultLoader()
		if err != nil {
			m.err = fmt.Errorf("credential: loading the embedded contexts: %w", err)
			return nil
		}
		m.loader = l
	}
	return m.loader
}
