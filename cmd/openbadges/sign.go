package main

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/proof/jose"
)

// signHelp is what `openbadges help sign` says after the usage.
const signHelp = `Signs a credential with the issuer's key: a Data Integrity proof
(eddsa-rdfc-2022 for Ed25519 keys, ecdsa-rdfc-2019 for P-256 and P-384) by
default, or with --format jwt an OB 3.0 VC-JWT (vc+jwt: a W3C VC-JOSE
token). The credential is checked against the OB 3.0 rules first, as
openbadges validate does (--no-check skips that). The key is a key file
(--key) or the issuer's active key in a key directory (--store).

The verification method names the key under the issuer: for a did:web or
https issuer, the id under which the issuer's document lists it, from the
key file's kid or --vm, so that verifiers can confirm it.

The output is the signed credential (or the token) on standard output, to
redirect to a file; there is no report and no --json (openbadges verify
checks it). The credential is read from FILE, or standard input when it
is - or missing; only one of the credential, --key and --passphrase-file
can be standard input.

Exit status: 0 signed, 2 could not sign.`

// maxKeyFile bounds a key file.
const maxKeyFile = 64 << 10

// maxCredential bounds a credential read by sign and verify.
const maxCredential = dataintegrity.DefaultMaxBytes

// runSign adds a Data Integrity proof to a credential, or makes a VC-JWT of
// it, and prints the result: the output is the signed credential, to
// redirect to a file.
func runSign(e env, args []string) int {
	const usageLine = "--key FILE|-|--store DIR [--format di|jwt|vc+jwt] [--suite SUITE] [--alg ALG] [--vm URL] [--embed-jwk] [--created TIME] [--proof-object] [--no-check] [FILE|-]"
	fs := newFlags(e, "sign", usageLine)
	keyFile := fs.String("key", "", "private key: a JWK as keygen writes it, or a Multikey pair with secretKeyMultibase (- for standard input, when the credential is a file)")
	storeDir := fs.String("store", "", "instead of --key: sign with the issuer's active key in this key directory (keygen --store); an encrypted key's passphrase is read from $"+passphraseEnv+" or --passphrase-file")
	passphraseFile := fs.String("passphrase-file", "", "with --store: read the passphrase of an encrypted key from this file (mode 0600; - for standard input, when the credential is a file)")
	format := fs.String("format", "di", "di: add a Data Integrity proof; jwt: print an OB 3.0 VC-JWT; vc+jwt: print a W3C VC-JOSE token")
	alg := fs.String("alg", "", "JWT algorithm: RS256, ES256, ES384, ES512 or EdDSA (default: the key's)")
	embedJWK := fs.Bool("embed-jwk", false, "JWT: put the public key in the header's jwk as well as the kid (alone when there is no kid to name: the issuer's document must list the key)")
	suite := fs.String("suite", "", "cryptosuite (default eddsa-rdfc-2022 for Ed25519 keys, ecdsa-rdfc-2019 for P-256 and P-384)")
	vm := fs.String("vm", "", "verification method URL, the JWT's kid (default: the key file's kid or id when it is one of the issuer's methods, or the issuer's own did:key or did:jwk method; for a did:web or https issuer, the id under which its document lists the key)")
	created := fs.String("created", "", "the proof's created time, RFC 3339 (default: now)")
	proofObject := fs.Bool("proof-object", false, "write a first proof as a bare object (the VC Data Model examples' form) instead of the one-element array the OB 3.0 JSON Schema requires")
	timeout := fs.Duration("timeout", time.Minute, "give up after this long")
	noCheck := fs.Bool("no-check", false, "sign without checking the credential against the OB 3.0 rules first (for a credential of another kind)")
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	if (*keyFile == "") == (*storeDir == "") || fs.NArg() > 1 {
		fs.Usage()
		return exitCantRun
	}
	name := "-"
	if fs.NArg() == 1 {
		name = fs.Arg(0)
	}
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "openbadges sign: %s\n", forPeople(err.Error()))
		return exitCantRun
	}
	if err := oneStdin(stdinUse{"--key", *keyFile}, stdinUse{"--passphrase-file", *passphraseFile}, stdinUse{"the credential", name}); err != nil {
		return fail(err)
	}
	if err := notStdin("--store", *storeDir); err != nil {
		return fail(err)
	}
	doc, err := readInput(e, name, maxCredential)
	if err != nil {
		return fail(err)
	}
	if !*noCheck {
		// What validate refuses is not signed: a signature would make it
		// look finished.
		res, err := credential.Check(doc, nil)
		if err != nil {
			return fail(fmt.Errorf("%s: %w", displayName(name), err))
		}
		if !res.Valid() {
			for _, p := range res.Problems {
				fmt.Fprintln(e.stderr, p)
			}
			return fail(fmt.Errorf("%s is not a valid %s: not signed (openbadges validate shows why; --no-check signs it anyway)", displayName(name), res.Class))
		}
	}
	kf, err := signingKey(e, *keyFile, *storeDir, *passphraseFile, doc)
	if *storeDir != "" {
		*keyFile = *storeDir // for messages
	}
	if err != nil {
		return fail(err)
	}
	opts := &dataintegrity.ProofOptions{}
	if *created != "" {
		if opts.Created, err = time.Parse(time.RFC3339, *created); err != nil {
			return fail(fmt.Errorf("--created: %w", err))
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	switch *format {
	case "jwt", "vc+jwt":
		return signJWT(e, ctx, doc, *keyFile, kf, *format, *alg, *vm, *embedJWK)
	case "di":
	default:
		fs.Usage()
		return exitCantRun
	}
	if *alg != "" || *embedJWK {
		return fail(fmt.Errorf("--alg and --embed-jwk are for --format jwt"))
	}
	method := *vm
	if method == "" {
		if method, err = signMethod(doc, *keyFile, kf); err != nil {
			return fail(err)
		}
	}
	s := &dataintegrity.Signer{Key: kf.signer, VerificationMethod: method, Suite: *suite, Check: true, ProofObject: *proofObject}
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

// keyFile is a private key file as read: the key, and its id and
// controller when the file names them.
type keyFile struct {
	signer crypto.Signer
	// id is the key's own id: a JWK's kid (keygen writes the key's did:key
	// or did:jwk verification method; a keys.DirStore file, the id under
	// which keys.DIDDocument publishes the key) or a Multikey pair's id (or
	// verificationMethod, as the 1EdTech vector's key pair names it).
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
		Method     string `json:"verificationMethod"`
		Controller string `json:"controller"`
	}
	if json.Unmarshal(data, &probe) == nil && probe.Secret != "" {
		s, err := keys.ParseSecretKeyMultibase(probe.Secret)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		// A pair names its key's id as "id" (a Multikey) or, in the 1EdTech
		// OB 3.0 vector's key pair, "verificationMethod".
		id := probe.ID
		switch {
		case id == "":
			id = probe.Method
		case probe.Method != "" && probe.Method != id:
			return nil, fmt.Errorf("%s: its id %s and verificationMethod %s differ", name, id, probe.Method)
		}
		return &keyFile{signer: s, id: id, controller: probe.Controller}, nil
	}
	s, kid, err := keys.ParsePrivateJWK(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &keyFile{signer: s, id: kid, controller: probe.Controller}, nil
}

// noMethodError is issuerKeyID's error when nothing tells the id under
// which the issuer's document lists the key.
type noMethodError struct{ keyName, issuer, set string }

func (e *noMethodError) Error() string {
	return fmt.Sprintf("key %s names no verification method of the issuer %s: %s the id under which the issuer's document lists the key (%s#…), or use a key file whose kid is that id", e.keyName, e.issuer, e.set, e.issuer)
}

// signMethod returns the verification method sign and status publish
// name (the Data Integrity proof's verificationMethod, the JWT's kid) when
// --vm is not given: issuerKeyID's for the credential's issuer, so that a
// verifier holding the issuer's document can confirm the key. keyName is
// the key file's name, for messages.
func signMethod(doc []byte, keyName string, kf *keyFile) (string, error) {
	issuer, err := credentialIssuer(doc)
	if err != nil {
		return "", err
	}
	if issuer == "" {
		return "", fmt.Errorf("the credential names no issuer id; pass --vm")
	}
	m, err := issuerKeyID(issuer, "", keyName, kf, "pass --vm with")
	var none *noMethodError
	if err != nil && !errors.As(err, &none) {
		err = fmt.Errorf("%w; pass --vm", err)
	}
	return m, err
}

// signJWT prints the credential signed as a compact JWS. kid is --vm; if
// empty, the kid is signMethod's. When signMethod finds none and embed
// (--embed-jwk) is set, the token names no kid and carries the key in the
// header's jwk alone: a verifier confirms such a key by finding it in the
// issuer's document (did.KeyFinder), as it would a kid.
func signJWT(e env, ctx context.Context, doc []byte, keyName string, kf *keyFile, format, alg, kid string, embed bool) int {
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "openbadges sign: %v\n", err)
		return exitCantRun
	}
	if kid == "" {
		var err error
		if kid, err = signMethod(doc, keyName, kf); err != nil {
			var none *noMethodError
			switch {
			case !errors.As(err, &none):
				return fail(err)
			case !embed:
				return fail(fmt.Errorf("%w, or pass --embed-jwk to carry the key in the header's jwk without a kid", err))
			}
			kid = ""
		}
	}
	s := &jose.Signer{Key: kf.signer, KeyID: kid, EmbedJWK: embed, Algorithm: keys.Algorithm(alg), Check: true}
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
