package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/fetch"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/proof/jose"
)

// proofReport is one proof's line in `verify --json`.
type proofReport struct {
	Index              int      `json:"index"`
	Suite              string   `json:"suite"`
	VerificationMethod string   `json:"verificationMethod"`
	Created            string   `json:"created,omitempty"`
	Verified           bool     `json:"verified"`
	SignatureValid     bool     `json:"signatureValid"`
	Controller         string   `json:"controller,omitempty"`
	Binding            string   `json:"binding,omitempty"`
	Issuer             string   `json:"issuer,omitempty"`
	Error              string   `json:"error,omitempty"`
	Warnings           []string `json:"warnings,omitempty"`
	CanonicalDocument  string   `json:"canonicalDocument,omitempty"`
	CanonicalProof     string   `json:"canonicalProof,omitempty"`
	DocumentHash       string   `json:"documentHash,omitempty"`
	ProofHash          string   `json:"proofHash,omitempty"`
}

// verifyReport is what `verify --json` prints.
type verifyReport struct {
	File     string        `json:"file"`
	Verified bool          `json:"verified"`
	Proofs   []proofReport `json:"proofs"`
	Error    string        `json:"error,omitempty"`
}

// runVerify checks the proofs of a credential, a JSON document with Data
// Integrity proofs or a compact JWS: exit 0 when every proof verified, 1
// when one did not (or there is none), 2 when the input could not be
// checked at all.
func runVerify(e env, args []string) int {
	fs := newFlags(e, "verify", "[--json] [--offline-map FILE] [--network] FILE|-")
	asJSON := fs.Bool("json", false, "print a JSON report, with the canonical forms and hashes of failed proofs")
	mapFile := fs.String("offline-map", "", "JSON file mapping DIDs and URLs to their documents (controller documents of https keys)")
	network := fs.Bool("network", false, "allow fetching did:web and https key documents (https only)")
	timeout := fs.Duration("timeout", time.Minute, "give up after this long")
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitCantRun
	}
	name := fs.Arg(0)
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "openbadges verify: %v\n", err)
		return exitCantRun
	}
	var opts did.Options
	if *mapFile != "" {
		docs, err := readOfflineMap(e, *mapFile)
		if err != nil {
			return fail(err)
		}
		opts.Documents = docs
	}
	if *network {
		opts.Fetcher = fetch.HTTP{}
	}
	doc, err := readInput(e, name, maxCredential)
	if err != nil {
		return fail(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	var rep *verifyReport
	if trimmed := bytes.TrimSpace(doc); len(trimmed) > 0 && trimmed[0] != '{' {
		if bytes.Count(trimmed, []byte(".")) != 2 {
			return fail(fmt.Errorf("%s is neither a JSON credential nor a compact JWS", displayName(name)))
		}
		rep, err = verifyJWT(ctx, trimmed, did.NewResolver(opts))
	} else {
		rep, err = verifyDataIntegrity(ctx, doc, did.NewResolver(opts))
	}
	if err != nil {
		return fail(err)
	}
	rep.File = displayName(name)
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return fail(err)
		}
	} else {
		for _, p := range rep.Proofs {
			switch {
			case p.Verified:
				fmt.Fprintf(e.stdout, "proof[%d] %s by %s: verified (%s)\n", p.Index, p.Suite, p.VerificationMethod, keyNote(p))
			default:
				fmt.Fprintf(e.stdout, "proof[%d] %s by %s: NOT verified: %s\n", p.Index, p.Suite, p.VerificationMethod, p.Error)
			}
			for _, w := range p.Warnings {
				fmt.Fprintf(e.stdout, "  warning: %s\n", w)
			}
		}
		verdict := "verified"
		if !rep.Verified {
			verdict = "NOT verified"
		}
		if rep.Error != "" {
			verdict += ": " + rep.Error
		}
		fmt.Fprintf(e.stdout, "%s: %s\n", rep.File, verdict)
	}
	if !rep.Verified {
		return exitNo
	}
	return exitOK
}

// verifyDataIntegrity checks the Data Integrity proofs of a JSON
// credential.
func verifyDataIntegrity(ctx context.Context, doc []byte, r did.Resolver) (*verifyReport, error) {
	res, err := (&dataintegrity.Verifier{Resolver: r}).Verify(ctx, doc)
	if err != nil {
		return nil, err
	}
	rep := &verifyReport{Verified: res.Verified, Proofs: []proofReport{}}
	if len(res.Proofs) == 0 {
		rep.Error = res.Err().Error()
	}
	for i, p := range res.Proofs {
		pr := proofReport{
			Index: i, Suite: p.Proof.Suite(), VerificationMethod: p.Proof.VerificationMethod, Created: p.Proof.Created,
			Verified: p.Verified, SignatureValid: p.SignatureValid, Issuer: p.Issuer,
		}
		if p.Method != nil {
			pr.Controller, pr.Binding = p.Method.Controller, p.Method.Binding.String()
		}
		if p.Err != nil {
			pr.Error = p.Err.Error()
		}
		if d := p.Diagnostics; d != nil {
			pr.CanonicalDocument, pr.CanonicalProof = string(d.CanonicalDocument), string(d.CanonicalProof)
			pr.DocumentHash, pr.ProofHash = hex.EncodeToString(d.DocumentHash), hex.EncodeToString(d.ProofHash)
		}
		rep.Proofs = append(rep.Proofs, pr)
	}
	return rep, nil
}

// verifyJWT checks a compact JWS credential, reported as its one proof.
func verifyJWT(ctx context.Context, token []byte, r did.Resolver) (*verifyReport, error) {
	res, err := (&jose.Verifier{Resolver: r}).Verify(ctx, token)
	if err != nil {
		return nil, err
	}
	pr := proofReport{
		Suite:              res.Format.String() + " " + res.Header.Algorithm,
		VerificationMethod: res.Header.KeyID,
		Verified:           res.Verified,
		SignatureValid:     res.SignatureValid,
		Issuer:             res.Claims.Issuer,
		Warnings:           res.Warnings,
	}
	switch {
	case pr.VerificationMethod != "":
	case len(res.Header.JWK) > 0:
		pr.VerificationMethod = "the header's jwk"
	default:
		pr.VerificationMethod = "no key named"
	}
	if res.Format == 0 {
		pr.Suite = "JWT " + res.Header.Algorithm
	}
	if res.Method != nil {
		pr.Controller, pr.Binding = res.Method.Controller, res.Method.Binding.String()
	}
	if res.Err != nil {
		pr.Error = res.Err.Error()
	}
	return &verifyReport{Verified: res.Verified, Proofs: []proofReport{pr}}, nil
}

// keyNote says how the key of a verified proof is bound to its controller.
func keyNote(p proofReport) string {
	if p.Controller == "" {
		return "key bound to no controller: " + p.Binding
	}
	return "key bound to " + p.Controller + ": " + p.Binding
}
