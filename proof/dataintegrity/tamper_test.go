package dataintegrity

import (
	"context"
	"crypto"
	"encoding/json"
	"fmt"
	"sort"
	"testing"

	"github.com/go-openbadges/openbadges/keys"
)

func vectorKeyString(t *testing.T, multibase string) crypto.Signer {
	t.Helper()
	k, err := keys.ParseSecretKeyMultibase(multibase)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// dropProof returns doc without its i-th proof (test helper; re-encodes).
func dropProof(t *testing.T, doc []byte, i int) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatal(err)
	}
	proofs := m["proof"].([]any)
	m["proof"] = append(proofs[:i:i], proofs[i+1:]...)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// mutation is one change to a signed document.
type mutation struct {
	name string
	doc  []byte
}

// mutations returns every single change of the kinds an attacker or an
// accident makes: each scalar value changed, each member removed, a member
// added to each object, each array element removed.
func mutations(t *testing.T, doc []byte) []mutation {
	t.Helper()
	var root any
	if err := json.Unmarshal(doc, &root); err != nil {
		t.Fatal(err)
	}
	var out []mutation
	add := func(name string, change func()) {
		// Work on a fresh copy each time.
		var cp any
		if err := json.Unmarshal(doc, &cp); err != nil {
			t.Fatal(err)
		}
		root = cp
		change()
		b, err := json.Marshal(root)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, mutation{name, b})
	}
	// paths to every node, as a sequence of keys/indexes
	var paths [][]any
	var walk func(v any, path []any)
	walk = func(v any, path []any) {
		paths = append(paths, append([]any(nil), path...))
		switch x := v.(type) {
		case map[string]any:
			for _, k := range sortedKeys(x) {
				walk(x[k], append(path, k))
			}
		case []any:
			for i, e := range x {
				walk(e, append(path, i))
			}
		}
	}
	walk(root, nil)
	get := func(path []any) (parent any, key any, v any) {
		var cur any = root
		for _, p := range path {
			parent, key = cur, p
			switch c := cur.(type) {
			case map[string]any:
				cur = c[p.(string)]
			case []any:
				cur = c[p.(int)]
			}
		}
		return parent, key, cur
	}
	set := func(parent, key, v any) {
		switch p := parent.(type) {
		case map[string]any:
			p[key.(string)] = v
		case []any:
			p[key.(int)] = v
		}
	}
	for _, path := range paths {
		name := fmt.Sprint(path)
		add("change "+name, func() {
			parent, key, v := get(path)
			switch x := v.(type) {
			case string:
				set(parent, key, x+"x")
			case float64:
				set(parent, key, x+1)
			case bool:
				set(parent, key, !x)
			case map[string]any:
				x["tampered"] = "yes"
			case []any:
				// A new element: repeating one would change nothing,
				// as RDF values are sets.
				set(parent, key, append(x, "urn:example:tampered"))
			}
		})
		if len(path) == 0 {
			continue
		}
		add("remove "+name, func() {
			parent, key, _ := get(path)
			switch p := parent.(type) {
			case map[string]any:
				delete(p, key.(string))
			case []any:
				i := key.(int)
				gp, gk, _ := get(path[:len(path)-1])
				np := append(append([]any{}, p[:i]...), p[i+1:]...)
				if gp == nil {
					root = np
				} else {
					set(gp, gk, np)
				}
			}
		})
	}
	return out
}

// jcsContextExceptions are the mutations a JCS proof does not cover.
var jcsContextExceptions = map[string]bool{
	"change [@context]":       true,
	"remove [proof @context]": true,
}

// TestTamper changes every value, removes every member and array element
// and adds a member to every object of signed documents, one change at a
// time: none of the results may verify.
func TestTamper(t *testing.T) {
	for _, tc := range []struct {
		name, path string
		jcs        bool
	}{
		{"1EdTech OB 3.0 eddsa-rdfc-2022", "testdata/di-eddsa/ob3-1edtech/signed-credential.json", false},
		{"W3C eddsa-rdfc-2022", "testdata/di-eddsa/TestVectors/eddsa-rdfc-2022/signedDataInt.json", false},
		{"W3C eddsa-jcs-2022", "testdata/di-eddsa/TestVectors/eddsa-jcs-2022/signedJCS.json", true},
		{"W3C ecdsa-rdfc-2019 P-384 employ", "testdata/di-ecdsa/TestVectors/ecdsa-rdfc-2019-p384/employ/signedECDSAP384.json", false},
		{"W3C Ed25519Signature2020", "testdata/di-eddsa/TestVectors/Ed25519Signature2020/signedEdSig.json", false},
		{"digitalbazaar VCDM 1.1 eddsa-rdfc-2022", "testdata/interop/signed-by-digitalbazaar-vcdm11-eddsa-rdfc-2022.json", false},
		{"digitalbazaar VCDM 1.1 eddsa-jcs-2022", "testdata/interop/signed-by-digitalbazaar-vcdm11-eddsa-jcs-2022.json", true},
		{"digitalbazaar VCDM 1.1 ecdsa-rdfc-2019 P-256", "testdata/interop/signed-by-digitalbazaar-vcdm11-ecdsa-rdfc-2019-p256.json", false},
		{"digitalbazaar VCDM 1.1 ecdsa-jcs-2019 P-256", "testdata/interop/signed-by-digitalbazaar-vcdm11-ecdsa-jcs-2019-p256.json", true},
		{"digitalbazaar directions eddsa-rdfc-2022", "testdata/interop/signed-by-digitalbazaar-direction-eddsa-rdfc-2022.json", false},
		{"digitalbazaar directions ecdsa-rdfc-2019 P-384", "testdata/interop/signed-by-digitalbazaar-direction-ecdsa-rdfc-2019-p384.json", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ver := &Verifier{Resolver: vectorResolver(t)}
			orig := readFile(t, tc.path)
			res, err := ver.Verify(context.Background(), orig)
			if err != nil || len(res.Proofs) != 1 || !res.Proofs[0].SignatureValid {
				t.Fatalf("the untouched document does not verify: %v %+v", err, res)
			}
			ms := mutations(t, orig)
			if len(ms) < 40 {
				t.Fatalf("only %d mutations", len(ms))
			}
			for _, m := range ms {
				if tc.jcs && jcsContextExceptions[m.name] {
					// The JCS suites sign the document with the proof's
					// @context, which the document's must start with
					// (vc-di-eddsa §3.3.2 step 3, vc-di-ecdsa likewise):
					// contexts appended after it, and a proof @context
					// equal to the document's removed, are outside what
					// is signed. These are the spec's rules, shown here.
					res, err := ver.Verify(context.Background(), m.doc)
					if err != nil || !res.Proofs[0].SignatureValid {
						t.Errorf("%s: the spec keeps this signature valid; got %v %v", m.name, err, res.Err())
					}
					continue
				}
				res, err := ver.Verify(context.Background(), m.doc)
				if err != nil {
					continue // not even a checkable document
				}
				if res.Verified {
					t.Errorf("%s: still verified", m.name)
				}
				for _, p := range res.Proofs {
					if p.SignatureValid {
						t.Errorf("%s: signature still valid", m.name)
					}
				}
			}
		})
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
