package main

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
)

// maxKeyFile bounds a key file.
const maxKeyFile = 64 << 10

// maxCredential bounds a credential read by sign and verify.
const maxCredential = dataintegrity.DefaultMaxBytes

// runSign adds a Data Integrity proof to a credential and prints it.
func runSign(e env, args []string) int {
	const usageLine = "--key FILE [--suite eddsa-rdfc-2022|eddsa-jcs-2022|ecdsa-rdfc-2019|ecdsa-jcs-2019] [--vm URL] [--created TIME] [--proof-object] [FILE|-]"
	fs := newFlags(e, "sign", usageLine)
	keyFile := fs.String("key", "", "private key: a JWK as keygen writes it, or a Multikey pair with secretKeyMultibase")
	suite := fs.String("suite", "", "cryptosuite (default eddsa-rdfc-2022 for Ed25519 keys, ecdsa-rdfc-2019 for P-256 and P-384)")
	vm := fs.String("vm", "", "verification method URL (default: the key's did:key URL if the issuer is that did:key, else <issuer id>#<publicKeyMultibase>)")
	created := fs.String("created", "", "the proof's created time, RFC 3339 (default: now)")
	proofObject := fs.Bool("proof-object", false, "write a first proof as a bare object (the VC Data Model examples' form) instead of the one-element array the OB 3.0 JSON Schema requires")
	timeout := fs.Duration("timeout", time.Minute, "give up after this long")
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	if *keyFile == "" || fs.NArg() > 1 {
		fs.Usage()
		return exitCantRun
	}
	name := "-"
	if fs.NArg() == 1 {
		name = fs.Arg(0)
	}
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "openbadges sign: %v\n", err)
		return exitCantRun
	}
	signer, err := readSigningKey(e, *keyFile)
	if err != nil {
		return fail(err)
	}
	doc, err := readInput(e, name, maxCredential)
	if err != nil {
		return fail(err)
	}
	opts := &dataintegrity.ProofOptions{}
	if *created != "" {
		if opts.Created, err = time.Parse(time.RFC3339, *created); err != nil {
			return fail(fmt.Errorf("--created: %w", err))
		}
	}
	method := *vm
	if method == "" {
		if method, err = defaultMethod(doc, signer.Public()); err != nil {
			return fail(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	s := &dataintegrity.Signer{Key: signer, VerificationMethod: method, Suite: *suite, Check: true, ProofObject: *proofObject}
	out, err := s.Sign(ctx, doc, opts)
	if err != nil {
		return fail(err)
	}
	// Indentation changes whitespace only: every value keeps its bytes.
	var buf bytes.Buffer
	if err := json.Indent(&buf, out, "", "  "); err != nil {
		return fail(err)
	}
	buf.WriteByte('\n')
	if _, err := e.stdout.Write(buf.Bytes()); err != nil {
		return fail(err)
	}
	return exitOK
}

// readSigningKey reads a private key file: a private JWK, or a JSON object
// with a Multikey secretKeyMultibase (the W3C test vectors' form).
func readSigningKey(e env, name string) (crypto.Signer, error) {
	data, err := readInput(e, name, maxKeyFile)
	if err != nil {
		return nil, err
	}
	var probe struct {
		Secret string `json:"secretKeyMultibase"`
	}
	if json.Unmarshal(data, &probe) == nil && probe.Secret != "" {
		s, err := keys.ParseSecretKeyMultibase(probe.Secret)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return s, nil
	}
	s, _, err := keys.ParsePrivateJWK(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}

// defaultMethod picks the verification method for a credential's issuer:
// the key's did:key URL when the issuer is that did:key, otherwise
// <issuer id>#<publicKeyMultibase>.
func defaultMethod(doc []byte, pub crypto.PublicKey) (string, error) {
	var c struct {
		Issuer json.RawMessage `json:"issuer"`
	}
	if err := json.Unmarshal(doc, &c); err != nil {
		return "", fmt.Errorf("reading the issuer: %w", err)
	}
	var issuer string
	if err := json.Unmarshal(c.Issuer, &issuer); err != nil {
		var obj struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(c.Issuer, &obj) == nil {
			issuer = obj.ID
		}
	}
	if issuer == "" {
		return "", fmt.Errorf("the credential names no issuer id; pass --vm")
	}
	didKey, err := keys.DIDKey(pub)
	if err == nil && issuer == didKey {
		return keys.DIDKeyVerificationMethod(pub)
	}
	if strings.HasPrefix(issuer, "did:key:") {
		return "", fmt.Errorf("the issuer %s is a did:key of another key; sign with its key or pass --vm", issuer)
	}
	mb, err := keys.PublicKeyMultibase(pub)
	if err != nil {
		return "", fmt.Errorf("%w; pass --vm", err)
	}
	return issuer + "#" + mb, nil
}
