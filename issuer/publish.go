package issuer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/internal/atomicfile"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/status"
	"github.com/go-openbadges/openbadges/status/statussign"
)

// PublishOptions say how Publish writes.
type PublishOptions struct {
	// Validity is how long the status list credentials are valid
	// (validUntil, which tells verifiers how long they may cache them).
	// If zero, status.DefaultValidity: publish again before it passes.
	Validity time.Duration
}

// Published is what Publish wrote.
type Published struct {
	// Files maps each URL to be served to the file under the folder that
	// holds it (slash-separated, relative to the folder).
	Files map[string]string
	// Map is the offline map written as map.json (see
	// verify.ParseDocumentMap): each identity and URL a verifier looks up
	// (the issuer's DID or id, each status list's URL) and its file, so
	// `openbadges verify --offline-map DIR/map.json` checks the issuer's
	// credentials with nothing served.
	Map string
}

// MapFile is the name of the offline map Publish writes.
const MapFile = "map.json"

// Publish writes into dir what must be served at the issuer's URLs for
// verifiers to confirm its credentials: the issuer's document (for a
// did:web issuer, its DID document where did:web puts it, such as
// /.well-known/did.json; for an https issuer id, its controller document
// at the id's path) and its JWK Set at /.well-known/jwks.json, both from
// the key store (so they list its retired keys too, which credentials
// issued before a rotation name); every status list of the issuer's
// Registry, signed with the issuer's key; and map.json, an offline map of
// all of it. A did:key or did:jwk issuer has no document to publish.
//
// Files for the issuer's own host are at the URL's path under dir, so
// that dir is the web root to serve at the issuer's URL; a URL on another
// host is under dir/HOST/PATH. Each file is written atomically and
// readable by all (0644), as a web server needs; dir is created if
// missing. Publish changes nothing in the issuer's stores: call it again
// after every revocation, and before the lists' validity passes.
func (i *Issuer) Publish(ctx context.Context, dir string, opts *PublishOptions) (*Published, error) {
	if opts == nil {
		opts = &PublishOptions{}
	}
	id := i.cfg.Issuer.ID
	out := &Published{Files: map[string]string{}}
	offline := map[string]string{}
	home := ""
	switch {
	case strings.HasPrefix(id, "did:web:"):
		u, err := did.WebURL(id)
		if err != nil {
			return nil, fmt.Errorf("issuer: publishing: %w", err)
		}
		home = hostOf(u)
		doc, err := i.document(ctx, keys.DIDDocument)
		if err != nil {
			return nil, err
		}
		f, err := write(dir, home, u, doc)
		if err != nil {
			return nil, err
		}
		out.Files[u], offline[id] = f, f
	case strings.HasPrefix(id, "https://"):
		home = hostOf(id)
		doc, err := i.document(ctx, keys.MultikeyDocument)
		if err != nil {
			return nil, err
		}
		f, err := write(dir, home, id, doc)
		if err != nil {
			return nil, err
		}
		out.Files[id], offline[id] = f, f
	}
	if home != "" {
		set, err := i.document(ctx, keys.JWKSet)
		if err != nil {
			return nil, err
		}
		u := "https://" + home + "/.well-known/jwks.json"
		f, err := write(dir, home, u, set)
		if err != nil {
			return nil, err
		}
		out.Files[u] = f
	}
	if reg := i.cfg.Status.Registry; reg != nil {
		urls, err := reg.Store.URLs(ctx)
		if err != nil {
			return nil, fmt.Errorf("issuer: publishing: %w", err)
		}
		var signer status.Signer
		for _, u := range urls {
			l, err := reg.Store.Load(ctx, u)
			if err != nil {
				return nil, fmt.Errorf("issuer: publishing %s: %w", u, err)
			}
			po := &status.PublishOptions{Issuer: id, Validity: opts.Validity}
			if l.Method == status.MethodBitstring {
				if signer == nil {
					k, err := i.signingKey(ctx)
					if err != nil {
						return nil, err
					}
					signer = statussign.DataIntegrity(&dataintegrity.Signer{Key: k.Signer, VerificationMethod: k.ID}, nil)
				}
				po.Signer = signer
			}
			doc, err := reg.Publish(ctx, u, po)
			if err != nil {
				return nil, fmt.Errorf("issuer: publishing %s: %w", u, err)
			}
			f, err := write(dir, home, u, doc)
			if err != nil {
				return nil, err
			}
			out.Files[u], offline[u] = f, f
		}
	}
	m, err := json.MarshalIndent(offline, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := writeFile(filepath.Join(dir, MapFile), append(m, '\n')); err != nil {
		return nil, err
	}
	out.Map = MapFile
	i.log.InfoContext(ctx, "published", "files", len(out.Files), "dir", dir)
	return out, nil
}

// document makes one of the issuer's documents from its key store, which
// must be able to list its keys.
func (i *Issuer) document(ctx context.Context, make func(context.Context, keys.Lister, string) ([]byte, error)) ([]byte, error) {
	l, ok := i.cfg.Keys.(keys.Lister)
	if !ok {
		return nil, fmt.Errorf("%w: publishing the issuer's document needs a key store that lists keys (keys.Lister), such as keys.MemoryStore or keys.DirStore", ErrConfig)
	}
	doc, err := make(ctx, l, i.cfg.Issuer.ID)
	if err != nil {
		return nil, fmt.Errorf("issuer: publishing the issuer's document: %w", err)
	}
	return doc, nil
}

// hostOf returns the host (and port) of an https URL.
func hostOf(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return p.Host
}

// write stores doc, the content of URL u, under dir: at u's path for the
// issuer's host home, else under dir/HOST. It returns the file's path
// relative to dir, slash-separated.
func write(dir, home, u string, doc []byte) (string, error) {
	p, err := url.Parse(u)
	if err != nil || p.Scheme != "https" || p.Host == "" || p.RawQuery != "" || p.Fragment != "" {
		return "", fmt.Errorf("issuer: publishing: %q is not an https URL a file can be served at", u)
	}
	rel := path.Clean("/" + p.Path)
	if rel == "/" || strings.HasSuffix(p.Path, "/") {
		return "", fmt.Errorf("issuer: publishing: %s names a folder, not a file", u)
	}
	if p.Host != home {
		rel = "/" + p.Host + rel
	}
	rel = strings.TrimPrefix(rel, "/")
	if err := writeFile(filepath.Join(dir, filepath.FromSlash(rel)), doc); err != nil {
		return "", err
	}
	return rel, nil
}

// writeFile writes a published file atomically, readable by all.
func writeFile(p string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("issuer: publishing: %w", err)
	}
	if err := atomicfile.WriteFile(p, data, tempPrefix); err != nil {
		return fmt.Errorf("issuer: publishing: %w", err)
	}
	if err := os.Chmod(p, 0o644); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("issuer: publishing: %w", err)
	}
	return nil
}
