package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/go-openbadges/openbadges/bake"
	"github.com/go-openbadges/openbadges/internal/atomicfile"
)

// extractReport is what `extract --json` prints.
type extractReport struct {
	File       string `json:"file"`
	Format     string `json:"format"`
	Kind       string `json:"kind"`
	Legacy     bool   `json:"legacy"`
	Credential string `json:"credential"` // the exact text: JSON is not re-encoded
}

// bakeHelp is what `openbadges help bake` says after the usage.
const bakeHelp = `Bakes a signed credential (JSON with an embedded proof, or a compact JWS)
into a PNG (an iTXt chunk) or SVG (an openbadges:credential element)
image, as Open Badges 3.0 says, replacing any Open Badges 2.0 data in it
unless --keep-legacy. An unsigned credential is refused: it would verify
nowhere (--unsigned bakes a mock-up).

The output is the image, written to --out FILE or, with --out -, to
standard output; for a file, one line on standard output says what a
wallet will find in it. There is no --json: openbadges extract --json
reads the image back.

Exit status: 0 baked, 2 could not be.`

// runBake bakes a credential into a PNG or SVG image: exit 0 when the baked
// image was written, 2 when it could not be. Its output is the image;
// what it prints is a note for a person.
func runBake(e env, args []string) int {
	const usageLine = "--image FILE|- --credential FILE|- --out FILE|- [--keep-legacy] [--unsigned]"
	fs := newFlags(e, "bake", usageLine)
	imageFile := fs.String("image", "", "the PNG or SVG badge image")
	credFile := fs.String("credential", "", "the credential: JSON secured by an embedded proof, or a compact JWS (VC-JWT)")
	outFile := fs.String("out", "", `where to write the baked image ("-" for standard output)`)
	keepLegacy := fs.Bool("keep-legacy", false, "keep Open Badges 2.0 data already baked into the image (by default it is removed)")
	unsigned := fs.Bool("unsigned", false, "bake a JSON credential that has no proof (a mock-up: it verifies nowhere)")
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	if *imageFile == "" || *credFile == "" || *outFile == "" || fs.NArg() != 0 {
		fs.Usage()
		return exitCantRun
	}
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "openbadges bake: %s\n", forPeople(err.Error()))
		return exitCantRun
	}
	if err := oneStdin(stdinUse{"--image", *imageFile}, stdinUse{"--credential", *credFile}); err != nil {
		return fail(err)
	}
	img, err := readInput(e, *imageFile, bake.DefaultMaxImageBytes)
	if err != nil {
		return fail(err)
	}
	cred, err := readInput(e, *credFile, bake.DefaultMaxCredentialBytes)
	if err != nil {
		return fail(err)
	}
	if !*unsigned && !signedCredential(cred) {
		return fail(fmt.Errorf("%s has no proof: a badge baked unsigned verifies nowhere; sign it first (openbadges sign), or pass --unsigned for a mock-up", displayName(*credFile)))
	}
	baked, err := bake.Bake(img, cred, &bake.Options{KeepLegacy: *keepLegacy})
	if err != nil {
		var what string
		switch {
		case errors.Is(err, bake.ErrNotCredential):
			what = displayName(*credFile)
		default:
			what = displayName(*imageFile)
		}
		return fail(fmt.Errorf("%s: %w", what, err))
	}
	if *outFile == "-" {
		if _, err := e.stdout.Write(baked); err != nil {
			return fail(err)
		}
		return exitOK
	}
	if err := writeFileAtomic(*outFile, baked, 0o644); err != nil {
		return fail(err)
	}
	// Read back what was written: the report says what a wallet will find.
	b, err := bake.Extract(baked, nil)
	if err != nil {
		return fail(err)
	}
	fmt.Fprintf(e.stdout, "%s: baked a %s credential (%s image, %d bytes)\n", *outFile, b.Kind, b.Format, len(baked))
	return exitOK
}

// runExtract prints the credential baked into an image: exit 0 when there
// is one, 1 when the image holds none (or only Open Badges 2.0 data, unless
// --legacy), 2 when the image cannot be read.
func runExtract(e env, args []string) int {
	fs := newFlags(e, "extract", "[--json] [--legacy] IMAGE|-")
	asJSON := fs.Bool("json", false, "print the format, kind and credential as JSON")
	legacy := fs.Bool("legacy", false, "also print Open Badges 2.0 data (an assertion, a JWS or a hosted assertion URL)")
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitCantRun
	}
	name := fs.Arg(0)
	img, err := readInput(e, name, bake.DefaultMaxImageBytes)
	if err != nil {
		fmt.Fprintf(e.stderr, "openbadges extract: %v\n", err)
		return exitCantRun
	}
	b, err := bake.Extract(img, nil)
	switch {
	case errors.Is(err, bake.ErrNotBaked):
		fmt.Fprintf(e.stderr, "openbadges extract: %s: %v\n", displayName(name), err)
		return exitNo
	case err != nil:
		fmt.Fprintf(e.stderr, "openbadges extract: %s: %v\n", displayName(name), err)
		return exitCantRun
	case b.Legacy && !*legacy:
		fmt.Fprintf(e.stderr, "openbadges extract: %s: holds Open Badges 2.0 data (%s), not an Open Badges 3.0 credential; add --legacy to print it\n", displayName(name), b.Kind)
		return exitNo
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		rep := extractReport{File: displayName(name), Format: b.Format.String(), Kind: b.Kind.String(), Legacy: b.Legacy, Credential: string(b.Credential)}
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(e.stderr, "openbadges extract: %v\n", err)
			return exitCantRun
		}
		return exitOK
	}
	if _, err := fmt.Fprintf(e.stdout, "%s\n", b.Credential); err != nil {
		fmt.Fprintf(e.stderr, "openbadges extract: %v\n", err)
		return exitCantRun
	}
	return exitOK
}

// signedCredential reports whether cred carries a signature: a compact
// JWS, or a JSON object with a proof member. (Whether the signature
// verifies is openbadges verify's question.) What is neither is left to
// bake.Bake to refuse.
func signedCredential(cred []byte) bool {
	var doc map[string]json.RawMessage
	if json.Unmarshal(cred, &doc) != nil {
		return true
	}
	p, ok := doc["proof"]
	return ok && string(p) != "null" && string(p) != "[]" && string(p) != "{}"
}

// writeFileAtomic writes data to name, of mode perm, so that name is never
// left half written, even by a crash (atomicfile.WriteFileMode: a
// temporary file beside it, synced, renamed into place, the directory
// synced). It never writes a file named "-": that is standard output,
// which the caller writes.
func writeFileAtomic(name string, data []byte, perm os.FileMode) error {
	if name == "-" {
		return errors.New(`"-" is standard output, not a file name, and this output is not written there`)
	}
	return atomicfile.WriteFileMode(name, data, perm, "."+filepath.Base(name)+".")
}
