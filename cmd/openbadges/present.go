package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/present"
)

// presentHelp is what `openbadges help present` says after the usage.
const presentHelp = `
Makes a Verifiable Presentation of the credentials (JSON, a JWT, or a PNG or
SVG badge with one baked in), signed with the holder's key, for a verifier:
give the challenge and domain the verifier asked for, which it checks
(openbadges verify --challenge C --domain D). Each credential is carried as
it is: a JSON credential with its proof byte for byte, a JWT as an
EnvelopedVerifiableCredential.

The holder is --holder, or the key file's controller, or the DID or URL
--vm is under, or else the key's own did:key (did:jwk for RSA). The key must
be the holder's: the holder's document lists it under authentication (a
did:key or did:jwk holder is its key).

Formats: di (a JSON presentation with a Data Integrity proof, the default),
jwt (a vp+jwt compact JWS; JWT credentials only), enveloped (the vp+jwt in
an EnvelopedVerifiablePresentation, as the VC API returns it).

The output is the presentation, on standard output, to send to the
verifier; there is no report and no --json (openbadges verify checks it).
`

// runPresent signs a presentation of the credentials and prints it: the
// output is the presentation, for the verifier.
func runPresent(e env, args []string) int {
	const usageLine = "--key FILE [--holder ID] [--vm URL] [--challenge C] [--domain D] [--format di|jwt|enveloped] [--suite SUITE] [--id URL] [--created TIME] [--expires DURATION] CRED..."
	fs := newFlags(e, "present", usageLine)
	keyName := fs.String("key", "", "the holder's private key: a JWK as keygen writes it, or a Multikey pair with secretKeyMultibase (- for standard input)")
	holder := fs.String("holder", "", "the holder's DID or URL (default: the key file's controller, the DID or URL --vm is under, or the key's did:key)")
	vm := fs.String("vm", "", "verification method URL of the key, which the holder's document lists under authentication (default: the key file's id when it is one of the holder's methods, or the did:key or did:jwk method)")
	challenge := fs.String("challenge", "", "the verifier's challenge")
	domain := fs.String("domain", "", "the verifier's domain")
	format := fs.String("format", "di", "di: a Data Integrity proof; jwt: a vp+jwt; enveloped: the vp+jwt in an EnvelopedVerifiablePresentation")
	suite := fs.String("suite", "", "Data Integrity cryptosuite (default eddsa-rdfc-2022 for Ed25519 keys, ecdsa-rdfc-2019 for P-256 and P-384)")
	id := fs.String("id", "", "the presentation's id, a URL such as urn:uuid:…")
	created := fs.String("created", "", "when the proof is made, RFC 3339 (default: now)")
	expires := fs.Duration("expires", 0, "how long the presentation is valid after --created (default: no expiry)")
	timeout := fs.Duration("timeout", time.Minute, "give up after this long")
	if u := fs.Usage; u != nil {
		fs.Usage = func() { u(); fmt.Fprint(fs.Output(), presentHelp) }
	}
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	if *keyName == "" || fs.NArg() == 0 {
		fs.Usage()
		return exitCantRun
	}
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "openbadges present: %s\n", forPeople(err.Error()))
		return exitCantRun
	}
	uses := []stdinUse{{"--key", *keyName}}
	for i, name := range fs.Args() {
		uses = append(uses, stdinUse{fmt.Sprintf("credential %d", i+1), name})
	}
	if err := oneStdin(uses...); err != nil {
		return fail(err)
	}
	var f present.Format
	switch *format {
	case "di":
		f = present.DataIntegrity
	case "jwt":
		f = present.JWT
	case "enveloped":
		f = present.Enveloped
	default:
		fs.Usage()
		return exitCantRun
	}
	opts := &present.Options{Challenge: *challenge, Domain: *domain, ID: *id}
	if *created != "" {
		t, err := time.Parse(time.RFC3339, *created)
		if err != nil {
			return fail(fmt.Errorf("--created: %w", err))
		}
		opts.Created = t
	}
	if *expires < 0 {
		return fail(errors.New("--expires: want a positive duration"))
	}
	if *expires > 0 {
		if opts.Created.IsZero() {
			opts.Created = time.Now()
		}
		opts.Expires = opts.Created.Add(*expires)
	}
	kf, err := readKeyFile(e, *keyName)
	if err != nil {
		return fail(err)
	}
	h, err := presentHolder(*keyName, kf, *holder, *vm)
	if err != nil {
		return fail(err)
	}
	h.Format, h.Suite = f, *suite
	var creds [][]byte
	for _, name := range fs.Args() {
		c, err := readInput(e, name, maxCredential)
		if err != nil {
			return fail(err)
		}
		creds = append(creds, c)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	out, err := h.Present(ctx, creds, opts)
	if err != nil {
		return fail(err)
	}
	if f != present.JWT {
		// Indentation changes whitespace only: every value keeps its bytes.
		var buf bytes.Buffer
		if err := json.Indent(&buf, out, "", "  "); err != nil {
			return fail(err)
		}
		out = buf.Bytes()
	}
	if _, err := fmt.Fprintf(e.stdout, "%s\n", out); err != nil {
		return fail(err)
	}
	return exitOK
}

// presentHolder returns the Holder for the key file kf (named keyName).
// The holder is holderID, or the file's controller, or the DID or URL vm
// is under, or the key's own did:key (did:jwk for a key with none). The
// verification method is, for a did:key or did:jwk holder, its own (the
// holder must be the key's); otherwise vm, or the key file's id, which must
// be one of the holder's methods: there is nothing else to go by, and a
// guessed id would sign what nothing confirms.
func presentHolder(keyName string, kf *keyFile, holderID, vm string) (*present.Holder, error) {
	pub := kf.signer.Public()
	switch {
	case holderID != "":
	case kf.controller != "":
		holderID = kf.controller
	case vm != "":
		holderID, _, _ = strings.Cut(vm, "#")
	default:
		var err error
		if holderID, err = keys.DIDKey(pub); err != nil {
			if holderID, err = keys.DIDJWK(pub); err != nil {
				return nil, err
			}
		}
	}
	if kf.controller != "" && kf.controller != holderID {
		return nil, fmt.Errorf("key %s belongs to %s (its controller), not to the holder %s", keyName, kf.controller, holderID)
	}
	methodOf := func(id string) bool {
		frag, ok := strings.CutPrefix(id, holderID+"#")
		return ok && frag != ""
	}
	var self string
	switch {
	case strings.HasPrefix(holderID, "did:key:"):
		if d, err := keys.DIDKey(pub); err != nil || d != holderID {
			return nil, fmt.Errorf("the holder %s is the did:key of another key than %s", holderID, keyName)
		}
		self, _ = keys.DIDKeyVerificationMethod(pub)
	case strings.HasPrefix(holderID, "did:jwk:"):
		if d, err := keys.DIDJWK(pub); err != nil || d != holderID {
			return nil, fmt.Errorf("the holder %s is the did:jwk of another key than %s", holderID, keyName)
		}
		self, _ = keys.DIDJWKVerificationMethod(pub)
	}
	method := vm
	switch {
	case self != "" && vm != "" && vm != self:
		return nil, fmt.Errorf("--vm %s is not the verification method of the holder %s (want %s)", vm, holderID, self)
	case self != "":
		method = self
	case vm != "" && !methodOf(vm):
		return nil, fmt.Errorf("--vm %s is not a verification method of the holder %s (want %s#…)", vm, holderID, holderID)
	case vm == "" && methodOf(kf.id):
		method = kf.id
	case vm == "":
		return nil, fmt.Errorf("key %s names no verification method of the holder %s: pass --vm with the id under which the holder's document lists the key (%s#…)", keyName, holderID, holderID)
	}
	return &present.Holder{ID: holderID, Key: kf.signer, VerificationMethod: method}, nil
}
