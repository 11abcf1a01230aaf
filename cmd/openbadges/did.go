package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/fetch"
	"github.com/go-openbadges/openbadges/keys"
)

// resolveReport is what `did resolve` prints.
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

// runDID dispatches the did subcommands.
func runDID(e env, args []string) int {
	if len(args) == 0 || args[0] != "resolve" {
		fmt.Fprintln(e.stderr, "usage: openbadges did resolve [--offline-map FILE] [--network] DID|URL")
		return exitCantRun
	}
	return runResolve(e, args[1:])
}

// runResolve resolves one verification method and prints its key and
// controller as JSON: exit 0 when resolved, 1 when it cannot be, 2 on bad
// usage or an unreadable map.
func runResolve(e env, args []string) int {
	fs := newFlags(e, "did resolve", "[--offline-map FILE] [--network] DID|URL")
	mapFile := fs.String("offline-map", "", "JSON file mapping DIDs and URLs to their documents, used instead of the network")
	network := fs.Bool("network", false, "allow fetching did:web and https documents (https only, public addresses only, 10 s, 1 MiB)")
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
	vm, err := did.NewResolver(opts).Resolve(ctx, fs.Arg(0))
	if err != nil {
		fmt.Fprintf(e.stderr, "openbadges did resolve: %v\n", err)
		if errors.Is(err, did.ErrNoFetcher) {
			fmt.Fprintln(e.stderr, "(add --network to fetch it, or --offline-map with its document)")
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
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		fmt.Fprintf(e.stderr, "openbadges did resolve: %v\n", err)
		return exitCantRun
	}
	return exitOK
}
