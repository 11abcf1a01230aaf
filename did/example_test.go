package did_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"strings"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/fetch"
	"github.com/go-openbadges/openbadges/keys"
)

// Without a Fetcher, the default resolver works offline: did:key and did:jwk
// carry their key.
func ExampleNewResolver() {
	r := did.NewResolver(did.Options{})
	vm, err := r.Resolve(context.Background(),
		"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(vm.Type, vm.Binding)
	fmt.Println(vm.Controller)
	fmt.Printf("%T\n", vm.PublicKey)
	fmt.Println(vm.Relationships)
	// Output:
	// Multikey self
	// did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2
	// ed25519.PublicKey
	// [assertionMethod authentication capabilityInvocation capabilityDelegation]
}

// A Resolver of your own joins a Chain by keeping the error contract:
// ErrUnsupported (or ErrNoMethod, ErrNoFetcher) lets the next one try, any
// other error stops the chain.
func ExampleChain() {
	// Keys registered out of band, under a URN scheme of our own.
	registry := map[string]string{
		"urn:example:key:1": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
	}
	local := did.ResolverFunc(func(ctx context.Context, ref string) (*did.VerificationMethod, error) {
		if !strings.HasPrefix(ref, "urn:example:") {
			return nil, fmt.Errorf("%w: not a urn:example reference", did.ErrUnsupported)
		}
		mb, ok := registry[ref]
		if !ok {
			return nil, fmt.Errorf("%w: %s is not registered", did.ErrNoMethod, ref)
		}
		pub, err := keys.ParsePublicKeyMultibase(mb)
		if err != nil {
			return nil, err // stops the chain
		}
		return &did.VerificationMethod{ID: ref, Type: "Multikey", Controller: "urn:example:issuer", PublicKey: pub, Binding: did.BindingLocal}, nil
	})
	r := did.Chain{local, did.Key{}}

	for _, ref := range []string{
		"urn:example:key:1",
		"did:key:zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP",
		"urn:example:key:2",
	} {
		vm, err := r.Resolve(context.Background(), ref)
		if err != nil {
			fmt.Println("error:", err)
			fmt.Println("a chain around this one would go on:", errors.Is(err, did.ErrNoMethod))
			continue
		}
		fmt.Println(vm.Controller, vm.Binding)
	}
	// Output:
	// urn:example:issuer local
	// did:key:zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP self
	// error: did: no resolver resolved "urn:example:key:2"; [1] did: verification method not found: urn:example:key:2 is not registered; [2] did: unsupported reference: "urn:example:key:2" is not a did:key
	// a chain around this one would go on: true
}

// Web fetches a did:web's DID document, from the URL WebURL gives, through
// the Fetcher it is given: fetch.HTTP{} in production. Here memoryWeb, a
// Fetcher that serves documents from memory, stands in for the web.
func ExampleWeb() {
	w := did.Web{Fetcher: memoryWeb{
		"https://example.com/.well-known/did.json": `{
		  "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
		  "id": "did:web:example.com",
		  "verificationMethod": [{
		    "id": "did:web:example.com#key-1",
		    "type": "Multikey",
		    "controller": "did:web:example.com",
		    "publicKeyMultibase": "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP"
		  }],
		  "assertionMethod": ["#key-1"]
		}`,
	}}
	vm, err := w.Resolve(context.Background(), "did:web:example.com#key-1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(vm.Type, vm.Binding, vm.Controller, vm.Relationships)

	// No document where the DID says: a finding, not a gap.
	_, err = w.Resolve(context.Background(), "did:web:example.com:users:alice#key-1")
	fmt.Println(errors.Is(err, did.ErrNoDocument), did.Undecided(err))
	// Output:
	// fetching https://example.com/.well-known/did.json
	// Multikey document did:web:example.com [assertionMethod]
	// fetching https://example.com/users/alice/did.json
	// true false
}

// memoryWeb is a fetch.Fetcher that serves documents from memory, by URL,
// and says what it fetches: a stand-in for the web in the examples. A URL
// it has no document for is a 404, as fetch.HTTP reports it.
type memoryWeb map[string]string

func (m memoryWeb) Fetch(ctx context.Context, url string) ([]byte, error) {
	fmt.Println("fetching", url)
	doc, ok := m[url]
	if !ok {
		return nil, &fetch.StatusError{URL: url, StatusCode: http.StatusNotFound}
	}
	return []byte(doc), nil
}

// WebURL says where a did:web's document is.
func ExampleWebURL() {
	for _, d := range []string{"did:web:example.com", "did:web:example.com%3A8443:users:alice", "did:web:example.com:..:admin"} {
		u, err := did.WebURL(d)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(u)
	}
	// Output:
	// https://example.com/.well-known/did.json
	// https://example.com:8443/users/alice/did.json
	// did: invalid: did:web "did:web:example.com:..:admin": path segment "..": it is a dot-segment
}

// Fragment reads the key the Open Badges 3.0 examples put in the
// verification method's fragment. Nothing ties it to the issuer: anyone can
// name their own key under any issuer's URL, so the binding is asserted and
// the key is a hint of which key to look up, never a confirmation. No proof
// verifies with it, and NewResolver leaves Fragment out: without the
// issuer's document, the reference is undecided.
func ExampleFragment() {
	const ref = "https://example.com/issuers/876543#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
	vm, err := did.Fragment{}.Resolve(context.Background(), ref)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(vm.Controller, vm.Binding)
	if vm.Binding == did.BindingAsserted {
		fmt.Println("a hint only: the key is not confirmed by", vm.Controller)
	}

	_, err = did.NewResolver(did.Options{}).Resolve(context.Background(), ref)
	fmt.Println("the default resolver, offline: undecided:", did.Undecided(err))
	// Output:
	// https://example.com/issuers/876543 asserted
	// a hint only: the key is not confirmed by https://example.com/issuers/876543
	// the default resolver, offline: undecided: true
}

// Undecided tells a key that could not be confirmed for want of its
// controller's document (inconclusive: say which document would decide)
// from a finding about it (failed).
func ExampleUndecided() {
	const issuer = "https://example.com/issuers/876543"
	// The issuer's document, as the issuer publishes it: one key, key-1.
	doc := []byte(`{
	  "id": "https://example.com/issuers/876543",
	  "verificationMethod": [{
	    "id": "#key-1",
	    "type": "Multikey",
	    "controller": "https://example.com/issuers/876543",
	    "publicKeyMultibase": "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
	  }],
	  "assertionMethod": ["#key-1"]
	}`)
	// Someone else's key, named under the issuer's URL.
	const forged = issuer + "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"

	for _, opts := range []did.Options{{}, {Documents: map[string][]byte{issuer: doc}}} {
		_, err := did.NewResolver(opts).Resolve(context.Background(), forged)
		switch {
		case did.Undecided(err):
			fmt.Println("inconclusive: needs the document at", issuer)
		case errors.Is(err, did.ErrNotListed):
			fmt.Println("failed: the issuer's document does not list it")
		}
	}
	// Output:
	// inconclusive: needs the document at https://example.com/issuers/876543
	// failed: the issuer's document does not list it
}

// A JWT whose header carries its key (jwk) and no kid names no method: a
// KeyFinder looks the key up in the issuer's document, and the key counts
// only if the document lists it.
func ExampleKeyFinder() {
	const issuer = "did:web:example.com"
	r := did.NewResolver(did.Options{Documents: map[string][]byte{issuer: []byte(`{
	  "id": "did:web:example.com",
	  "verificationMethod": [{
	    "id": "did:web:example.com#key-1",
	    "type": "Multikey",
	    "controller": "did:web:example.com",
	    "publicKeyMultibase": "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP"
	  }],
	  "assertionMethod": ["#key-1"]
	}`)}})
	for _, mb := range []string{
		"zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP", // the issuer's key
		"z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",  // another
	} {
		pub, err := keys.ParsePublicKeyMultibase(mb)
		if err != nil {
			log.Fatal(err)
		}
		vm, err := r.FindKey(context.Background(), issuer, pub)
		if err != nil {
			fmt.Println("not the issuer's:", errors.Is(err, did.ErrNotListed))
			continue
		}
		fmt.Println(vm.ID, vm.Binding, vm.Relationships)
	}
	// Output:
	// did:web:example.com#key-1 document [assertionMethod]
	// not the issuer's: true
}

// A Map holds controller documents obtained out of band; with one, the same
// issuer#z6Mk… reference is confirmed by the issuer's document.
func ExampleMap() {
	const issuer = "https://example.com/issuers/876543"
	r := did.NewResolver(did.Options{Documents: map[string][]byte{
		issuer: []byte(`{
		  "id": "https://example.com/issuers/876543",
		  "verificationMethod": [{
		    "id": "#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi",
		    "type": "Multikey",
		    "controller": "https://example.com/issuers/876543",
		    "publicKeyMultibase": "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
		  }],
		  "assertionMethod": ["#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"]
		}`),
	}})
	vm, err := r.Resolve(context.Background(), issuer+"#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(vm.Controller, vm.Binding, vm.Relationships)
	// Output:
	// https://example.com/issuers/876543 document [assertionMethod]
}

// HTTP refuses http URLs outright, before any fetch: keys come over https.
func ExampleHTTP() {
	_, err := did.HTTP{Fetcher: fetch.HTTP{}}.Resolve(context.Background(), "http://example.com/issuers/876543#key-1")
	fmt.Println(err)
	fmt.Println(errors.Is(err, did.ErrInvalid))
	// Output:
	// did: invalid: "http://example.com/issuers/876543#key-1": verification methods are fetched over https only, never http
	// true
}
