package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/go-openbadges/openbadges/keys"
)

// keygenReport is what keygen prints: everything public about the new key.
type keygenReport struct {
	File               string          `json:"file"`
	Type               keys.Type       `json:"type"`
	Algorithm          keys.Algorithm  `json:"alg"`
	KeyID              string          `json:"kid"`
	DID                string          `json:"did"`
	PublicKeyMultibase string          `json:"publicKeyMultibase,omitempty"`
	JWK                json.RawMessage `json:"jwk"`
}

// runKeygen generates a key, writes its private JWK to a new file readable
// only by its owner, and prints the public facts as JSON.
func runKeygen(e env, args []string) int {
	fs := newFlags(e, "keygen", "--type ed25519|p256|p384|p521|rsa|rsa3072 [--out FILE]")
	typeName := fs.String("type", "ed25519", "key type: ed25519, p256, p384, p521, rsa (2048 bits) or rsa3072")
	out := fs.String("out", "", "file for the private JWK (created 0600; must not exist); default: <type>-<thumbprint>.jwk here")
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return exitCantRun
	}
	typ, err := keys.ParseType(*typeName)
	if err != nil {
		fmt.Fprintf(e.stderr, "openbadges keygen: %v\n", err)
		return exitCantRun
	}
	rep, private, err := newKey(typ)
	if err != nil {
		fmt.Fprintf(e.stderr, "openbadges keygen: %v\n", err)
		return exitCantRun
	}
	rep.File = *out
	if rep.File == "" {
		thumb, err := keys.Thumbprint(rep.publicKey)
		if err != nil {
			fmt.Fprintf(e.stderr, "openbadges keygen: %v\n", err)
			return exitCantRun
		}
		rep.File = fmt.Sprintf("%s-%s.jwk", typ, thumb[:12])
	}
	if err := writeNewFile(rep.File, private); err != nil {
		fmt.Fprintf(e.stderr, "openbadges keygen: %v\n", err)
		return exitCantRun
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep.keygenReport); err != nil {
		fmt.Fprintf(e.stderr, "openbadges keygen: %v\n", err)
		return exitCantRun
	}
	return exitOK
}

// generated is a report plus the public key it describes.
type generated struct {
	keygenReport
	publicKey any
}

// newKey generates a key of type typ and describes it. The key ID is the
// id of its verification method in its own DID: did:key for the types
// Multikey encodes, did:jwk for RSA.
func newKey(typ keys.Type) (*generated, []byte, error) {
	signer, err := keys.Generate(typ)
	if err != nil {
		return nil, nil, err
	}
	pub := signer.Public()
	alg, err := keys.AlgorithmOf(pub)
	if err != nil {
		return nil, nil, err
	}
	g := &generated{keygenReport: keygenReport{Type: typ, Algorithm: alg}, publicKey: pub}
	if mb, err := keys.PublicKeyMultibase(pub); err == nil {
		g.PublicKeyMultibase = mb
		if g.DID, err = keys.DIDKey(pub); err != nil {
			return nil, nil, err
		}
		g.KeyID, err = keys.DIDKeyVerificationMethod(pub)
		if err != nil {
			return nil, nil, err
		}
	} else {
		if g.DID, err = keys.DIDJWK(pub); err != nil {
			return nil, nil, err
		}
		if g.KeyID, err = keys.DIDJWKVerificationMethod(pub); err != nil {
			return nil, nil, err
		}
	}
	if g.JWK, err = keys.PublicJWK(pub, g.KeyID); err != nil {
		return nil, nil, err
	}
	private, err := keys.PrivateJWK(signer, g.KeyID)
	if err != nil {
		return nil, nil, err
	}
	return g, private, nil
}

// writeNewFile writes data to a new file at path, readable and writable by
// its owner only. The file appears complete or not at all, and an existing
// file is never replaced.
func writeNewFile(path string, data []byte) (err error) {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s already exists; keygen never overwrites a key", path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".keygen-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	// A hard link creates the name atomically and fails if it exists.
	if err := os.Link(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Remove(tmp.Name()); err != nil {
		return err
	}
	// Make the new name durable.
	dir, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer dir.Close()
	return dir.Sync()
}
