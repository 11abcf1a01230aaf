package jose

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

// FuzzVerify feeds arbitrary tokens to Verify: it must never panic, and a
// verified result must have a valid signature and a credential.
func FuzzVerify(f *testing.F) {
	for _, p := range []string{
		"testdata/1edtech/simple-jwt.jwt",
		"testdata/1edtech/simple-jwt_v1.jwt",
		"testdata/w3c/credential-jose-minimal.txt",
		"testdata/w3c/credential-jose-vc-vp-claims.txt",
	} {
		f.Add(readFile(f, p))
	}
	f.Add([]byte("e30.e30.e30"))
	v := &Verifier{}
	f.Fuzz(func(t *testing.T, token []byte) {
		res, err := v.Verify(context.Background(), token)
		if err != nil {
			return
		}
		if res.Verified && (!res.SignatureValid || len(res.Credential) == 0 || res.Method == nil) {
			t.Fatalf("verified without a signature, a credential or a key: %+v", res)
		}
	})
}

// FuzzRemoveMembers checks that cutting claims out of a payload leaves a
// JSON object without them.
func FuzzRemoveMembers(f *testing.F) {
	for _, s := range []string{`{"iss":1,"jti":2,"a":3}`, `{"a":1,"iss":2}`, `{"iss":1}`, `{}`, "{ \"nbf\" : 1 ,\n \"b\":[1,{\"iss\":2}] }"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var before map[string]any
		if jsonUnmarshal(data, &before) != nil || before == nil {
			return
		}
		var tree jsonobj.Tree
		if err := jsonobj.ParseTree(data, 1<<20, 64, &tree); err != nil {
			return // a duplicate member, say: refused before any cut
		}
		out := removeMembers(data, &tree, claimNames)
		var after map[string]any
		if err := jsonUnmarshal(out, &after); err != nil {
			t.Fatalf("removeMembers(%q) = %q: %v", data, out, err)
		}
		for _, n := range claimNames {
			delete(before, n)
		}
		if !reflect.DeepEqual(after, before) {
			t.Fatalf("removeMembers(%q) = %q", data, out)
		}
	})
}

func jsonUnmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }
