package main

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/proof/jose"
)

// maxKeyFile bounds a key file.
const maxKeyFile = 64 << 10

// maxCredential bounds a credential read by sign and verify.
const maxCredential = dataintegrity.DefaultMaxBytes

// runSign adds a Data Integrity proof to a credential and prints it.
func runSign(e env, args []string) int {
	const usageLine = "--key FILE [--format di|jwt|vc+jwt] [--suite SUITE] [--alg ALG] [--vm URL] [--embed-jwk] [--created TIME] [--proof-object] [FILE|-]"
	fs := newFlags(e, "sign", usageLine)
	keyFile := fs.String("key", "", "private key: a JWK as keygen writes it, or a Multikey pair with secretKeyMultibase")
	format := fs.String("format", "di", "di: add a Data Integrity proof; jwt: print an OB 3.0 VC-JWT; vc+jwt: print a W3C VC-JOSE token")
	alg := fs.String("alg", "", "JWT algorithm: RS256, ES256, ES384 or EdDSA (default: the key's)")
	embedJWK := fs.Bool("embed-jwk", false, "JWT: put the public key in the header's jwk as well as the kid")
	suite := fs.String("suite", "", "cryptosuite (default eddsa-rdfc-2022 for Ed25519 keys, ecdsa-rdfc-2019 for P-256 and P-384)")
	vm := fs.String("vm", "", "verification method URL, the JWT's kid (default: the key's did:key URL if the issuer is that did:key, else <issuer id>#<publicKeyMultibase>; for RSA keys a JWT embeds the jwk instead)")
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
	if method == "" && *format == "di" {
		if method, err = defaultMethod(doc, signer.Public()); err != nil {
			return fail(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	switch *format {
	case "jwt", "vc+jwt":
		return signJWT(e, ctx, doc, signer, *format, *alg, *vm, *embedJWK)
	case "di":
	default:
		fs.Usage()
		return exitCantRun
	}
	if *alg != "" || *embedJWK {
		return fail(fmt.Errorf("--alg and --embed-jwk are for --format jwt"))
	}
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

// readSigningKey reads a private key file (see readKeyFile) and returns
// its key.
func readSigningKey(e env, name string) (crypto.Signer, error) {
	kf, err := readKeyFile(e, name)
	if err != nil {
		return nil, err
	}
	return kf.signer, nil
}

// keyFile is a private key file as read: the key, and its id and
// controller when the file names them.
type keyFile struct {
	signer crypto.Signer
	// id is the key's own id: a JWK's kid (keygen writes the key's did:key
	// or did:jwk verification method; a keys.DirStore file, the id under
	// which keys.DIDDocument publishes the key) or a Multikey pair's id.
	id string
	// controller is the file's "controller" member (a Multikey pair, a
	// keys.DirStore file), or "".
	controller string
}

// readKeyFile reads a private key file: a private JWK, or a JSON object
// with a Multikey secretKeyMultibase (the W3C test vectors' form). Every
// command that reads a private key reads it here, so that every one refuses
// a file that group or others have any access to (keys.ReadPrivateFile: a
// *keys.ModeError that says to chmod 600 the file). Standard input ("-")
// is a pipe or a terminal of the user's own, and is read as it is.
func readKeyFile(e env, name string) (*keyFile, error) {
	var data []byte
	var err error
	if name == "-" {
		data, err = readInput(e, name, maxKeyFile)
	} else {
		data, err = keys.ReadPrivateFile(name, maxKeyFile)
	}
	if err != nil {
		return nil, err
	}
	defer clear(data)
	var probe struct {
		Secret     string `json:"secretKeyMultibase"`
		ID         string `json:"id"`
		Controller string `json:"controller"`
	}
	if json.Unmarshal(data, &probe) == nil && probe.Secret != "" {
		s, err := keys.ParseSecretKeyMultibase(probe.Secret)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return &keyFile{signer: s, id: probe.ID, controller: probe.Controller}, nil
	}
	s, kid, err := keys.ParsePrivateJWK(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &keyFile{signer: s, id: kid, controller: probe.Controller}, nil
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

// signJWT prints the credential signed as a compact JWS.
func signJWT(e env, ctx context.Context, doc []byte, signer crypto.Signer, format, alg, kid string, embed bool) int {
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "openbadges sign: %v\n", err)
		return exitCantRun
	}
	if kid == "" {
		var err error
		if kid, err = defaultMethod(doc, signer.Public()); err != nil {
			if !errors.Is(err, keys.ErrUnsupportedKey) {
				return fail(err)
			}
			kid, embed = "", true // an RSA key has no Multikey form: carry it in the header
		}
	}
	s := &jose.Signer{Key: signer, KeyID: kid, EmbedJWK: embed, Algorithm: keys.Algorithm(alg), Check: true}
	if format == "vc+jwt" {
		s.Format = jose.FormatVCJOSE
	}
	token, err := s.Sign(ctx, doc)
	if err != nil {
		return fail(err)
	}
	if _, err := fmt.Fprintln(e.stdout, token); err != nil {
		return fail(err)
	}
	return exitOK
}
