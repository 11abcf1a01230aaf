package main

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-openbadges/openbadges/internal/atomicfile"
	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/keys"
)

// keygenReport is what keygen prints: everything public about the new key.
type keygenReport struct {
	File               string          `json:"file,omitempty"` // none with --store
	Store              string          `json:"store,omitempty"`
	Controller         string          `json:"controller,omitempty"`
	Type               keys.Type       `json:"type"`
	Algorithm          keys.Algorithm  `json:"alg"`
	KeyID              string          `json:"kid"`
	DID                string          `json:"did"` // the key's own did:key or did:jwk
	PublicKeyMultibase string          `json:"publicKeyMultibase,omitempty"`
	JWK                json.RawMessage `json:"jwk"`
	Encrypted          bool            `json:"encrypted,omitempty"`
	Retired            string          `json:"retired,omitempty"` // the key --rotate retired
}

// keygenUsage is keygen's usage line.
const keygenUsage = "[--type ed25519|p256|p384|p521|rsa|rsa3072] [--json] [--out FILE | --store DIR --controller ID [--id KEYID] [--import FILE|-] [--rotate] [--encrypt [--passphrase-file FILE|-]]]"

// passphraseEnv names the environment variable that holds the passphrase
// of a key directory's encrypted keys, when --passphrase-file is not given.
// (A passphrase is never a flag's value: every user could read it with ps.)
const passphraseEnv = "OPENBADGES_PASSPHRASE"

// runKeygen generates a key, writes its private JWK to a new file readable
// only by its owner (or adds it to a key directory, --store), and prints
// the public facts: as text, or as JSON with --json.
func runKeygen(e env, args []string) int {
	fs := newFlags(e, "keygen", keygenUsage)
	typeName := fs.String("type", "ed25519", "key type: ed25519, p256, p384, p521, rsa (2048 bits) or rsa3072")
	out := fs.String("out", "", "file for the private JWK (created 0600; must not exist; never standard output); default: <type>-<thumbprint>.jwk here")
	asJSON := fs.Bool("json", false, "print the key's public facts as JSON")
	var st storeFlags
	fs.StringVar(&st.dir, "store", "", "add the key to this key directory (created 0700 if missing) as --controller's active key, instead of writing --out")
	fs.StringVar(&st.controller, "controller", "", "with --store: the key's controller, the issuer: a did:web DID or https URL, or did:key or did:jwk for the new key's own DID")
	fs.StringVar(&st.id, "id", "", "with --store: the key's ID, CONTROLLER#FRAGMENT (default: CONTROLLER#key-N, the first N unused; for did:key and did:jwk, the DID's verification method)")
	fs.StringVar(&st.importFile, "import", "", "with --store: add this private key file (a JWK, as keygen --out writes it, or a Multikey pair; - for standard input) instead of generating a key")
	fs.BoolVar(&st.rotate, "rotate", false, "with --store: if the controller has an active key, retire it (keeping its public key) and make the new key active")
	fs.BoolVar(&st.encrypt, "encrypt", false, "with --store: encrypt the private key at rest with a passphrase (scrypt and AES-256-GCM), read from $"+passphraseEnv+" or --passphrase-file")
	fs.IntVar(&st.logN, "scrypt-log-n", keys.DefaultScryptLogN, fmt.Sprintf("with --encrypt: the scrypt work factor, log2 of N, from %d to %d; each step doubles the time and memory to encrypt, decrypt or guess a passphrase (%d: about a second and 256 MiB)", keys.MinScryptLogN, keys.MaxScryptLogN, keys.DefaultScryptLogN))
	fs.StringVar(&st.passphraseFile, "passphrase-file", "", "with --encrypt: read the passphrase from this file (mode 0600; one trailing newline is dropped; - for standard input) instead of $"+passphraseEnv)
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return exitCantRun
	}
	storeMode := false
	fs.Visit(func(f *flag.Flag) { storeMode = storeMode || f.Name != "type" && f.Name != "out" && f.Name != "json" })
	if storeMode {
		err := st.check(fs, *out)
		if err == nil {
			err = notStdin("--store", st.dir)
		}
		if err == nil {
			err = oneStdin(stdinUse{"--import", st.importFile}, stdinUse{"--passphrase-file", st.passphraseFile})
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "openbadges keygen: %v\n", err)
			return exitCantRun
		}
		return keygenStore(e, &st, *typeName, *asJSON)
	}
	if *out == "-" {
		fmt.Fprintln(e.stderr, "openbadges keygen: --out -: a private key is never printed; name a file (created 0600), or omit --out for one named after the key")
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
	if *asJSON {
		return printJSON(e, "keygen", rep.keygenReport)
	}
	fmt.Fprintf(e.stdout, "wrote the private key to %s (readable by you only: keep it secret)\n", rep.File)
	printKeyFacts(e.stdout, &rep.keygenReport)
	return exitOK
}

// printKeyFacts prints the public facts of a key keygen made, for a
// person.
func printKeyFacts(w io.Writer, rep *keygenReport) {
	if rep.Retired != "" {
		fmt.Fprintf(w, "  retired        %s (its public key stays, to verify what it signed)\n", rep.Retired)
	}
	fmt.Fprintf(w, "  type           %s, %s\n", rep.Type, rep.Algorithm)
	if rep.Controller == "" || rep.Controller == rep.DID {
		fmt.Fprintf(w, "  did            %s\n", rep.DID)
	}
	fmt.Fprintf(w, "  key id         %s\n", rep.KeyID)
	if rep.PublicKeyMultibase != "" {
		fmt.Fprintf(w, "  public key     %s\n", rep.PublicKeyMultibase)
	} else {
		var compact bytes.Buffer
		if json.Compact(&compact, rep.JWK) == nil {
			fmt.Fprintf(w, "  public key     %s\n", compact.Bytes())
		}
	}
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
	return describeKey(typ, signer)
}

// describeKey describes signer, a key of type typ, as newKey does, and
// returns its private JWK.
func describeKey(typ keys.Type, signer crypto.Signer) (*generated, []byte, error) {
	pub := signer.Public()
	alg, err := keys.AlgorithmOf(pub)
	if err != nil {
		return nil, nil, err
	}
	g := &generated{keygenReport: keygenReport{Type: typ, Algorithm: alg}, publicKey: pub}
	if mb, err := keys.PublicKeyMultibase(pub); err == nil {
		g.PublicKeyMultibase = mb
	}
	if g.DID, err = keys.DID(pub); err != nil {
		return nil, nil, err
	}
	if g.KeyID, err = keys.DIDVerificationMethod(pub); err != nil {
		return nil, nil, err
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
// its owner only. The file appears complete or not at all, even after a
// crash, and an existing file is never replaced (atomicfile.CreateFile).
func writeNewFile(path string, data []byte) error {
	err := atomicfile.CreateFile(path, data, ".keygen-")
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists; keygen never overwrites a key", path)
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// storeFlags are keygen's flags for adding the key to a key directory.
type storeFlags struct {
	dir, controller, id, importFile, passphraseFile string
	rotate, encrypt                                 bool
	logN                                            int
}

// check refuses the flags that do not go together.
func (st *storeFlags) check(fs *flag.FlagSet, out string) error {
	typeSet, logNSet := false, false
	fs.Visit(func(f *flag.Flag) {
		typeSet = typeSet || f.Name == "type"
		logNSet = logNSet || f.Name == "scrypt-log-n"
	})
	switch {
	case st.dir == "":
		return errors.New("--controller, --id, --import, --rotate, --encrypt, --scrypt-log-n and --passphrase-file are for --store DIR")
	case out != "":
		return errors.New("--out and --store: the key goes to one place; with --store, the key directory names its file")
	case st.controller == "":
		return errors.New("--store needs --controller: the issuer whose key it is (a did:web DID, an https URL, or did:key or did:jwk for the key's own DID)")
	case st.importFile != "" && typeSet:
		return errors.New("--type and --import: an imported key keeps its own type")
	case (st.passphraseFile != "" || logNSet) && !st.encrypt:
		return errors.New("--passphrase-file and --scrypt-log-n are for --encrypt")
	}
	return nil
}

// keygenStore generates (or imports) a key and adds it to a key directory
// as the controller's active key, or, with --rotate, makes it its active
// key in place of the one it had. It prints the report, the key's ID being
// its ID in the directory.
func keygenStore(e env, st *storeFlags, typeName string, asJSON bool) int {
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "openbadges keygen: %s\n", forPeople(err.Error()))
		return exitCantRun
	}
	ctx := context.Background()
	opts := keys.DirOptions{ScryptLogN: st.logN}
	if st.encrypt {
		p, err := readPassphraseInput(e, st.passphraseFile)
		if err != nil {
			return fail(err)
		}
		if len(p) == 0 {
			return fail(fmt.Errorf("--encrypt needs a passphrase: set $%s or pass --passphrase-file FILE", passphraseEnv))
		}
		defer clear(p)
		opts.Passphrase = p
	}
	var signer crypto.Signer
	var typ keys.Type
	var err error
	if st.importFile != "" {
		kf, err := readKeyFile(e, st.importFile)
		if err != nil {
			return fail(err)
		}
		signer = kf.signer
		if typ, err = keys.TypeOf(signer.Public()); err != nil {
			return fail(err)
		}
	} else {
		if typ, err = keys.ParseType(typeName); err != nil {
			return fail(err)
		}
		if signer, err = keys.Generate(typ); err != nil {
			return fail(err)
		}
	}
	rep, private, err := describeKey(typ, signer)
	if err != nil {
		return fail(err)
	}
	clear(private) // the store writes the key itself
	store, err := openKeyStore(e, st.dir, &opts)
	if err != nil {
		return fail(err)
	}
	controller, kid, err := storeKeyID(ctx, store, st.controller, st.id, rep)
	if err != nil {
		return fail(err)
	}
	k, err := keys.NewKey(kid, controller, signer)
	if err != nil {
		return fail(err)
	}
	// Keys, not ActiveKey: it reads an encrypted key without decrypting it.
	var active *keys.Key
	list, err := store.Keys(ctx, controller)
	if err != nil && !errors.Is(err, keys.ErrNoKey) {
		return fail(err)
	}
	for _, old := range list {
		if !old.Retired() {
			active = old
		}
	}
	switch {
	case active != nil && !st.rotate:
		return fail(fmt.Errorf("%s already has an active key, %s, in %s: a controller signs with one key at a time; pass --rotate to retire it (its public key stays, to verify what it signed) and make the new key active", controller, active.ID, st.dir))
	case active != nil:
		err = store.Rotate(ctx, controller, k)
		rep.Retired = active.ID
	default:
		err = store.Add(ctx, k)
	}
	if err != nil {
		return fail(err)
	}
	rep.File, rep.Store, rep.Controller, rep.KeyID, rep.Encrypted = "", st.dir, controller, kid, st.encrypt
	if rep.JWK, err = keys.PublicJWK(signer.Public(), kid); err != nil {
		return fail(err)
	}
	if asJSON {
		return printJSON(e, "keygen", rep.keygenReport)
	}
	encrypted := ""
	if rep.Encrypted {
		encrypted = ", encrypted"
	}
	fmt.Fprintf(e.stdout, "added the key to the key directory %s as the active key of %s%s\n", rep.Store, rep.Controller, encrypted)
	printKeyFacts(e.stdout, &rep.keygenReport)
	return exitOK
}

// storeKeyID returns the controller and the ID of the key rep describes in
// store. For the controller "did:key" or "did:jwk" (or the key's own DID
// in full), the controller is the key's own DID and the ID its
// verification method. For any other controller (did:web, an https URL),
// it is id, which must be one of the controller's verification methods
// (CONTROLLER#FRAGMENT), or CONTROLLER#key-N with the smallest N from 1
// that no key in store has.
func storeKeyID(ctx context.Context, store *keys.DirStore, controller, id string, rep *generated) (string, string, error) {
	if did, vm, self, err := keys.SelfDID(controller, rep.publicKey); self {
		switch {
		case errors.Is(err, keys.ErrOtherKey):
			method, own := "did:key", keys.DIDKey
			if strings.HasPrefix(controller, "did:jwk") {
				method, own = "did:jwk", keys.DIDJWK
			}
			did, _ := own(rep.publicKey)
			return "", "", fmt.Errorf("--controller %s is the DID of another key; pass --controller %s for the key's own DID (%s)", controller, method, did)
		case err != nil:
			return "", "", fmt.Errorf("--controller %s: %w", controller, err)
		case id != "" && id != vm:
			return "", "", fmt.Errorf("--id %s is not the verification method of the %s controller %s (%s)", id, did[:7], did, vm)
		}
		return did, vm, nil
	}
	if strings.ContainsAny(controller, "#") {
		return "", "", fmt.Errorf("--controller %s has a fragment: the controller is the issuer (a DID or URL), and --id its key's id", controller)
	}
	if id != "" {
		if frag, ok := strings.CutPrefix(id, controller+"#"); !ok || frag == "" {
			return "", "", fmt.Errorf("--id %s is not a verification method of %s (want %s#…), so the controller's document could not list the key under it", id, controller, controller)
		}
		return controller, id, nil
	}
	list, err := store.Keys(ctx, controller)
	if err != nil && !errors.Is(err, keys.ErrNoKey) {
		return "", "", err
	}
	for n := 1; ; n++ {
		id = fmt.Sprintf("%s#key-%d", controller, n)
		taken := slices.ContainsFunc(list, func(k *keys.Key) bool { return k.ID == id })
		if _, err := store.Key(ctx, id); !taken && errors.Is(err, keys.ErrNoKey) {
			return controller, id, nil
		}
	}
}

// readPassphrase is readPassphraseInput for a command whose standard
// input is not to be read: "-" is refused.
func readPassphrase(file string) ([]byte, error) {
	return readPassphraseInput(env{}, file)
}

// readPassphraseInput reads the passphrase of a key directory's encrypted
// keys: from file, a private file (mode 0600, as a key file), or standard
// input for "-", with one trailing newline dropped, or else from
// $OPENBADGES_PASSPHRASE. It returns nil when neither gives one.
func readPassphraseInput(e env, file string) ([]byte, error) {
	if file == "" {
		if p := os.Getenv(passphraseEnv); p != "" {
			return []byte(p), nil
		}
		return nil, nil
	}
	var data []byte
	var err error
	switch {
	case file == "-" && e.stdin == nil:
		err = errors.New("standard input (-) is not read here; give a file or set $" + passphraseEnv)
	case file == "-":
		data, err = readInput(e, file, 4<<10)
	default:
		data, err = keys.ReadPrivateFile(file, 4<<10)
	}
	if err != nil {
		return nil, fmt.Errorf("--passphrase-file: %w", err)
	}
	p, _ := bytes.CutSuffix(data, []byte("\n"))
	p, _ = bytes.CutSuffix(p, []byte("\r"))
	if len(p) == 0 {
		return nil, fmt.Errorf("--passphrase-file %s is empty", file)
	}
	return p, nil
}

// openKeyStore opens the key directory dir with opts and warns, on
// standard error, about each file in it that the store ignores: a key put
// there by hand is otherwise silently not used. Every command that opens
// a key directory opens it here.
func openKeyStore(e env, dir string, opts *keys.DirOptions) (*keys.DirStore, error) {
	store, err := keys.OpenDirWithOptions(dir, opts)
	if err != nil {
		return nil, err
	}
	for _, f := range store.Ignored() {
		fmt.Fprintf(e.stderr, "openbadges: warning: %s is ignored: %s\n", filepath.Join(dir, f.Name), f.Reason)
	}
	return store, nil
}

// storeKeyFile returns, as a key file, the active key in the key directory
// dir of the issuer of the credential doc, decrypting it with the
// passphrase of passphraseFile or $OPENBADGES_PASSPHRASE if it is
// encrypted. It is how sign reads --store.
func storeKeyFile(e env, dir, passphraseFile string, doc []byte) (*keyFile, error) {
	p, err := readPassphraseInput(e, passphraseFile)
	if err != nil {
		return nil, err
	}
	defer clear(p)
	store, err := openKeyStore(e, dir, &keys.DirOptions{Passphrase: p})
	if err != nil {
		return nil, err
	}
	issuer, err := credentialIssuer(doc)
	if err != nil {
		return nil, err
	}
	if issuer == "" {
		return nil, errors.New("the credential names no issuer id")
	}
	k, err := store.ActiveKey(context.Background(), issuer)
	switch {
	case errors.Is(err, keys.ErrNoKey):
		return nil, fmt.Errorf("the key directory %s has no active key of the issuer %s: add one with openbadges keygen --store %s --controller %s", dir, issuer, dir, issuer)
	case errors.Is(err, keys.ErrPassphrase) && len(p) == 0:
		return nil, fmt.Errorf("%w: set $%s or pass --passphrase-file FILE", err, passphraseEnv)
	case err != nil:
		return nil, err
	}
	return &keyFile{signer: k.Signer, id: k.ID, controller: k.Controller}, nil
}

// issuerKeys returns the key store and key ID (empty for the issuer's
// active key) that issue signs with, from the config file path (fc, whose
// relative paths rel resolves): the key file key, under issuerKeyID's id,
// in a store of its own, or the key directory keyStore, whose active key
// of the issuer signs (decrypted with $OPENBADGES_PASSPHRASE if it is
// encrypted).
func issuerKeys(e env, path, issuerID string, fc *issuer.FileConfig, rel func(string) string) (keys.Store, string, error) {
	if fc.KeyStore != "" {
		if fc.Key != "" || fc.KeyID != "" {
			return nil, "", fmt.Errorf("%s: keyStore and key or keyId are both set: the key directory holds the issuer's active key and its id; set one", path)
		}
		p, err := readPassphrase("")
		if err != nil {
			return nil, "", err
		}
		store, err := openKeyStore(e, rel(fc.KeyStore), &keys.DirOptions{Passphrase: p})
		clear(p)
		if err != nil {
			return nil, "", fmt.Errorf("%s: keyStore: %w", path, err)
		}
		return store, "", nil
	}
	kf, err := readKeyFile(e, rel(fc.Key))
	if err != nil {
		return nil, "", err
	}
	kid, err := issuerKeyID(issuerID, fc.KeyID, fc.Key, kf, "set keyId to")
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", path, err)
	}
	k, err := keys.NewKey(kid, issuerID, kf.signer)
	if err != nil {
		return nil, "", err
	}
	store := &keys.MemoryStore{}
	if err := store.Add(context.Background(), k); err != nil {
		return nil, "", err
	}
	return store, kid, nil
}

// signingKey reads the key sign signs the credential doc with: the key
// file keyName, or, if storeDir is set, the issuer's active key in that
// key directory (storeKeyFile).
func signingKey(e env, keyName, storeDir, passphraseFile string, doc []byte) (*keyFile, error) {
	if storeDir != "" {
		return storeKeyFile(e, storeDir, passphraseFile, doc)
	}
	return readKeyFile(e, keyName)
}

// credentialIssuer returns the id of the issuer of the credential doc,
// "" when it names none.
func credentialIssuer(doc []byte) (string, error) {
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
	return issuer, nil
}
