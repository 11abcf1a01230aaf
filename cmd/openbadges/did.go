package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/fetch"
	"github.com/go-openbadges/openbadges/keys"
)

// resolveReport is what `did resolve --json` prints.
type resolveReport struct {
	ID                 string          `json:"id"`
	Type               string          `json:"type"`
	Controller         string          `json:"controller"`
	Binding            string          `json:"binding"`
	Relationships      []string        `json:"relationships,omitempty"`
	Algorithm          keys.Algorithm  `json:"alg"`
	PublicKeyMultibase string          `json:"publicKeyMultibase,omitempty"`
	PublicKeyJWK       json.RawMessage `json:"publicKeyJwk"`
	NotBefore          string          `json:"notBefore,omitempty"`
	NotAfter           string          `json:"notAfter,omitempty"`
}

// maxOfflineMap bounds the --offline-map file.
const maxOfflineMap = 16 << 20

// didResolveUsage is did resolve's usage line.
const didResolveUsage = "[--offline-map FILE|-] [--allow-network] [--json] DID|URL"

// runDID dispatches the did subcommands.
func runDID(e env, args []string) int {
	if len(args) == 0 || args[0] != "resolve" {
		fmt.Fprintln(e.stderr, "usage: openbadges did resolve "+didResolveUsage)
		return exitCantRun
	}
	return runResolve(e, args[1:])
}

// runResolve resolves one verification method and prints its key and
// controller: exit 0 when resolved, 1 when it cannot be, 2 on bad usage or
// an unreadable map.
func runResolve(e env, args []string) int {
	fs := newFlags(e, "did resolve", didResolveUsage)
	mapFile := fs.String("offline-map", "", "JSON file mapping DIDs and URLs to their documents, used instead of the network (openbadges publish writes one)")
	network := fs.Bool("allow-network", false, "fetch did:web and https documents (https only, public addresses only, 10 s, 1 MiB)")
	deprecatedAlias(e, fs, "network", "allow-network")
	asJSON := fs.Bool("json", false, "print the key and its controller as JSON")
	timeout := fs.Duration("timeout", 30*time.Second, "give up after this long")
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitCantRun
	}
	var opts did.Options
	if *mapFile != "" {
		docs, err := readOfflineMap(e, *mapFile)
		if err != nil {
			fmt.Fprintf(e.stderr, "openbadges did resolve: %v\n", err)
			return exitCantRun
		}
		opts.Documents = docs
	}
	if *network {
		opts.Fetcher = fetch.HTTP{}
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	ref := fs.Arg(0)
	vm, err := did.NewResolver(opts).Resolve(ctx, ref)
	if err != nil {
		fmt.Fprintf(e.stderr, "openbadges did resolve: %s\n", forPeople(err.Error()))
		if errors.Is(err, did.ErrNoFetcher) {
			fmt.Fprintf(e.stderr, "%s is not available offline: pass --offline-map FILE (openbadges publish writes one) or --allow-network\n", documentOf(ref))
		}
		return exitNo
	}
	rep := resolveReport{
		ID: vm.ID, Type: vm.Type, Controller: vm.Controller, Binding: vm.Binding.String(),
		Relationships: vm.Relationships,
	}
	if rep.Algorithm, err = keys.AlgorithmOf(vm.PublicKey); err != nil {
		fmt.Fprintf(e.stderr, "openbadges did resolve: %v\n", err)
		return exitNo
	}
	rep.PublicKeyMultibase, _ = keys.PublicKeyMultibase(vm.PublicKey) // RSA has none
	if rep.PublicKeyJWK, err = keys.PublicJWK(vm.PublicKey, ""); err != nil {
		fmt.Fprintf(e.stderr, "openbadges did resolve: %v\n", err)
		return exitNo
	}
	if !vm.NotBefore.IsZero() {
		rep.NotBefore = vm.NotBefore.UTC().Format(time.RFC3339)
	}
	if !vm.NotAfter.IsZero() {
		rep.NotAfter = vm.NotAfter.UTC().Format(time.RFC3339)
	}
	if *asJSON {
		return printJSON(e, "did resolve", rep)
	}
	w := e.stdout
	fmt.Fprintf(w, "%s\n", rep.ID)
	fmt.Fprintf(w, "  controller     %s\n", rep.Controller)
	fmt.Fprintf(w, "  bound          %s\n", bindingText[rep.Binding])
	if len(rep.Relationships) > 0 {
		fmt.Fprintf(w, "  for            %s\n", strings.Join(rep.Relationships, ", "))
	}
	fmt.Fprintf(w, "  type           %s, %s\n", rep.Type, rep.Algorithm)
	if rep.PublicKeyMultibase != "" {
		fmt.Fprintf(w, "  public key     %s\n", rep.PublicKeyMultibase)
	} else {
		fmt.Fprintf(w, "  public key     %s\n", rep.PublicKeyJWK)
	}
	if rep.NotBefore != "" {
		fmt.Fprintf(w, "  valid from     %s\n", rep.NotBefore)
	}
	if rep.NotAfter != "" {
		fmt.Fprintf(w, "  valid until    %s\n", rep.NotAfter)
	}
	return exitOK
}

// bindingText says, for a person, how a key is bound to its controller
// (did.Binding's strings).
var bindingText = map[string]string{
	"self":     "self: the identifier is the key",
	"document": "document: the controller's own document lists the key",
	"local":    "local: a key the verifier was given",
	"asserted": "asserted: nothing confirms the key is the controller's",
}

// documentOf names, for a person, the document that would resolve ref.
func documentOf(ref string) string {
	base, _, _ := strings.Cut(ref, "#")
	if strings.HasPrefix(base, "did:") {
		return "the DID document of " + base
	}
	return "the controller document of " + base
}
