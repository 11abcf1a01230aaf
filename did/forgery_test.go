package did_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/did"
)

// chainErr writes the error of a Chain that no resolver resolved ref with,
// from what each resolver said.
func chainErr(ref string, errs ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "did: no resolver resolved %q", ref)
	for i, e := range errs {
		fmt.Fprintf(&b, "; [%d] %s", i+1, e)
	}
	return b.String()
}

// TestForgedFragmentKey is the forgery the default chain used to let
// through: a credential signed with the attacker's own key, naming as its
// verification method the victim's DID or URL with the attacker's key as
// the fragment (did:web:victim.example#z6Mk…, https://victim.example/…#z6Mk…).
// The key in the fragment is the attacker's word, not the victim's. Without
// the victim's document the chain is undecided; with it (given offline or
// fetched) it is a finding: the document does not list the method, or lists
// it with another key. The chain never resolves it, and so never to a key
// bound to the victim.
func TestForgedFragmentKey(t *testing.T) {
	const (
		attacker = w3cEd25519 // the attacker's key, named in the fragment
		victim   = obKey      // the key the victim publishes
	)
	controllers := []struct {
		name       string
		controller string
		docURL     string // where the controller's document is published
	}{
		{"did:web", "did:web:victim.example", "https://victim.example/.well-known/did.json"},
		{"https", "https://victim.example/issuers/1", "https://victim.example/issuers/1"},
	}
	for _, c := range controllers {
		t.Run(c.name, func(t *testing.T) {
			ref := c.controller + "#" + attacker
			isWeb := strings.HasPrefix(c.controller, "did:web:")
			// The victim's own document: one key, not the attacker's.
			victimDoc := fmt.Sprintf(`{"id": %q, "verificationMethod": [%s], "assertionMethod": ["#key-1"]}`,
				c.controller, multikey(c.controller+"#key-1", c.controller, victim))
			// A document that lists the forged id, with another key.
			otherKeyDoc := fmt.Sprintf(`{"id": %q, "verificationMethod": [%s], "assertionMethod": [%q]}`,
				c.controller, multikey(ref, c.controller, victim), ref)

			notListed := fmt.Sprintf(`did: the controller's document does not list the verification method: the document for %q does not list %q`, c.controller, ref)
			otherKey := fmt.Sprintf(`did: invalid: the document for %q lists %q with a key other than the one its fragment names`, c.controller, ref)
			// What the resolvers of the default chain without Documents say,
			// in turn, when they do not handle ref or lack its document.
			declined := []string{
				fmt.Sprintf(`did: unsupported reference: %q is not a did:key`, ref),
				fmt.Sprintf(`did: unsupported reference: %q is not a did:jwk`, ref),
			}
			withWeb := func(web, http string) []string {
				return append(append([]string(nil), declined...), web, http)
			}
			noFetcher := withWeb(
				fmt.Sprintf(`did: unsupported reference: %q is not a did:web`, ref),
				fmt.Sprintf(`did: no fetcher, and the reference needs the network: %q is at %q`, ref, c.docURL))
			notFound := withWeb(
				fmt.Sprintf(`did: unsupported reference: %q is not a did:web`, ref),
				fmt.Sprintf(`did: no document for %q at %q: fetch: %q: status 404 Not Found, want 200`, ref, c.docURL, c.docURL))
			if isWeb {
				noFetcher = withWeb(
					fmt.Sprintf(`did: no fetcher, and the reference needs the network: %q is at %s`, c.controller, c.docURL),
					fmt.Sprintf(`did: unsupported reference: %q is not an https URL`, ref))
				notFound = withWeb(
					fmt.Sprintf(`did: no document for %q at %q: fetch: %q: status 404 Not Found, want 200`, ref, c.docURL, c.docURL),
					fmt.Sprintf(`did: unsupported reference: %q is not an https URL`, ref))
			}
			unavailable := fmt.Sprintf(`did: the document could not be had: fetching %q for %q: `, c.docURL, ref)

			live := newSite(t)
			down := newSite(t)
			down.srv.Close() // a server that refuses connections: the network failed
			tests := []struct {
				name          string
				opts          did.Options
				status        int    // served at docURL by live, if opts.Fetcher is serverFetcher{live}
				body          string //
				wantErr       string // exactly, or up to "…" at its end
				wantIs        []error
				wantUndecided bool
				findIs        error // what FindKey of the attacker's key wraps
			}{
				{
					name:          "offline, no document",
					opts:          did.Options{},
					wantErr:       chainErr(ref, noFetcher...),
					wantIs:        []error{did.ErrNoFetcher},
					wantUndecided: true,
					findIs:        did.ErrNoFetcher,
				},
				{
					name:    "the victim's document, given offline",
					opts:    did.Options{Documents: map[string][]byte{c.controller: []byte(victimDoc)}},
					wantErr: notListed,
					wantIs:  []error{did.ErrNotListed},
					findIs:  did.ErrNotListed,
				},
				{
					name:    "a document listing the id with another key, given offline",
					opts:    did.Options{Documents: map[string][]byte{c.controller: []byte(otherKeyDoc)}},
					wantErr: otherKey,
					wantIs:  []error{did.ErrInvalid},
					findIs:  did.ErrNotListed, // no method holds the attacker's key
				},
				{
					name:    "the victim's document, fetched",
					opts:    did.Options{Fetcher: serverFetcher{live}},
					status:  http.StatusOK,
					body:    victimDoc,
					wantErr: notListed,
					wantIs:  []error{did.ErrNotListed},
					findIs:  did.ErrNotListed,
				},
				{
					name:    "a document listing the id with another key, fetched",
					opts:    did.Options{Fetcher: serverFetcher{live}},
					status:  http.StatusOK,
					body:    otherKeyDoc,
					wantErr: otherKey,
					wantIs:  []error{did.ErrInvalid},
					findIs:  did.ErrNotListed, // no method holds the attacker's key
				},
				{
					name:    "no document where the victim would publish it",
					opts:    did.Options{Fetcher: serverFetcher{live}},
					status:  http.StatusNotFound,
					wantErr: chainErr(ref, notFound...),
					wantIs:  []error{did.ErrNoMethod, did.ErrNoDocument},
					findIs:  did.ErrNoDocument,
				},
				{
					name:          "server error",
					opts:          did.Options{Fetcher: serverFetcher{live}},
					status:        http.StatusInternalServerError,
					wantErr:       unavailable + fmt.Sprintf(`fetch: %q: status 500 Internal Server Error, want 200`, c.docURL),
					wantIs:        []error{did.ErrUnavailable},
					wantUndecided: true,
					findIs:        did.ErrUnavailable,
				},
				{
					name:          "server down",
					opts:          did.Options{Fetcher: serverFetcher{down}},
					wantErr:       unavailable + fmt.Sprintf(`serverFetcher: %q: `, c.docURL) + "…",
					wantIs:        []error{did.ErrUnavailable},
					wantUndecided: true,
					findIs:        did.ErrUnavailable,
				},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					if tt.status != 0 {
						live.serve(c.docURL, tt.status, tt.body)
					}
					r := did.NewResolver(tt.opts)
					vm, err := r.Resolve(context.Background(), ref)
					if vm != nil {
						t.Fatalf("Resolve(%s) = %+v: the forged method resolved", ref, summarize(t, vm))
					}
					checkErrorPrefix(t, err, tt.wantErr)
					for _, target := range tt.wantIs {
						if !errors.Is(err, target) {
							t.Errorf("error does not wrap %v", target)
						}
					}
					if got := did.Undecided(err); got != tt.wantUndecided {
						t.Errorf("Undecided = %v, want %v", got, tt.wantUndecided)
					}

					// The same forgery in a JWT whose header carries the
					// attacker's jwk and no kid: the victim's document, had
					// or not, never yields the attacker's key.
					vm, err = r.FindKey(context.Background(), c.controller, parseKey(t, attacker))
					if vm != nil {
						t.Fatalf("FindKey(%s, the attacker's key) = %+v", c.controller, summarize(t, vm))
					}
					if !errors.Is(err, tt.findIs) || did.Undecided(err) != tt.wantUndecided {
						t.Errorf("FindKey(%s, the attacker's key): %v (Undecided %v); want %v, Undecided %v", c.controller, err, did.Undecided(err), tt.findIs, tt.wantUndecided)
					}
				})
			}

			// The victim's real key resolves from the same document, bound
			// to the victim: the refusals above are not a resolver that
			// refuses everything.
			live.serve(c.docURL, http.StatusOK, victimDoc)
			for name, opts := range map[string]did.Options{
				"offline": {Documents: map[string][]byte{c.controller: []byte(victimDoc)}},
				"fetched": {Fetcher: serverFetcher{live}},
			} {
				r := did.NewResolver(opts)
				want := summary{
					ID: c.controller + "#key-1", Type: "Multikey", Controller: c.controller, Key: victim,
					Binding: did.BindingDocument, Relationships: []string{did.AssertionMethod},
				}
				vm, err := r.Resolve(context.Background(), c.controller+"#key-1")
				if err != nil {
					t.Fatalf("%s: Resolve of the victim's key: %v", name, err)
				}
				if diff := cmp.Diff(want, summarize(t, vm)); diff != "" {
					t.Errorf("%s: Resolve of the victim's key (-want +got):\n%s", name, diff)
				}
				vm, err = r.FindKey(context.Background(), c.controller, parseKey(t, victim))
				if err != nil {
					t.Fatalf("%s: FindKey of the victim's key: %v", name, err)
				}
				if diff := cmp.Diff(want, summarize(t, vm)); diff != "" {
					t.Errorf("%s: FindKey of the victim's key (-want +got):\n%s", name, diff)
				}
			}

			// Fragment, which is not in the default chain, still reads the
			// attacker's key, and says it is asserted: a hint, nothing more.
			vm, err := did.Chain{did.NewResolver(did.Options{}), did.Fragment{}}.Resolve(context.Background(), ref)
			if err != nil || vm.Binding != did.BindingAsserted {
				t.Errorf("a Chain ending with Fragment: %v, %v; want BindingAsserted", vm, err)
			}
		})
	}
}

// checkErrorPrefix checks err's message against want: exactly, or if want
// ends with "…", up to there (for the text of an operating system's error).
func checkErrorPrefix(t testing.TB, err error, want string) {
	t.Helper()
	prefix, ok := strings.CutSuffix(want, "…")
	if !ok {
		checkError(t, err, want)
		return
	}
	if got := errorString(err); !strings.HasPrefix(got, prefix) || len(got) == len(prefix) {
		t.Errorf("error %q, want %q followed by the fetcher's error", got, prefix)
	}
}
