package keys

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"math/big"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// invalidEd25519 are 32-byte strings of the right length that are not
// usable Ed25519 public keys, with the reason each is refused.
var invalidEd25519 = []struct {
	name, hex, reason string
}{
	// y coordinates for which x² = (y²-1)/(dy²+1) has no square root.
	{"off curve: y = 2", "0200000000000000000000000000000000000000000000000000000000000000", reasonOffCurve},
	{"off curve: y = 11, x negative", "0b00000000000000000000000000000000000000000000000000000000000080", reasonOffCurve},
	// The key of edJWK (RFC 8037 A.2) with bit 5 or bit 7 of its first
	// byte flipped: one bit away from a real key.
	{"off curve: a published key, one bit flipped", "16f521b2365eecc76ff04b2873ad28de66b55398f6b455130ec390777f713272", reasonOffCurve},
	{"off curve: a published key, another bit flipped", "b6f521b2365eecc76ff04b2873ad28de66b55398f6b455130ec390777f713272", reasonOffCurve},
	// y = p + 3: a point of large order whose canonical encoding is y = 3.
	{"non-canonical: y = p + 3", "f0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", reasonNonCanonical},
	// y = p + 1: the identity written the long way.
	{"non-canonical: the identity as y = p + 1", "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", reasonNonCanonical},
	// x = 0 with its sign bit set ("negative zero"), which RFC 8032
	// §5.1.3 refuses.
	{"non-canonical: the identity with x = -0", "0100000000000000000000000000000000000000000000000000000000000080", reasonNonCanonical},
	// The eight points of order dividing 8 (canonical encodings).
	{"small order: the identity", "0100000000000000000000000000000000000000000000000000000000000000", reasonSmallOrder},
	{"small order: order 2", "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", reasonSmallOrder},
	{"small order: order 4", "0000000000000000000000000000000000000000000000000000000000000000", reasonSmallOrder},
	{"small order: order 4, x negative", "0000000000000000000000000000000000000000000000000000000000000080", reasonSmallOrder},
	{"small order: order 8", "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", reasonSmallOrder},
	{"small order: order 8, x negative", "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa", reasonSmallOrder},
	{"small order: order 8, y negated", "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", reasonSmallOrder},
	{"small order: order 8, both negated", "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85", reasonSmallOrder},
}

const (
	reasonOffCurve     = "Ed25519 key is not a point on the curve"
	reasonNonCanonical = "Ed25519 key is not the canonical encoding of its point"
	reasonSmallOrder   = "Ed25519 key is a point of small order, for which anyone can forge signatures"
)

// TestInvalidEd25519PublicKey checks that every parser of a public key
// refuses an Ed25519 key that is not a valid point (the did:key
// specification's invalidPublicKey), with an error wrapping
// ErrInvalidPublicKey and the parser's own sentinel.
func TestInvalidEd25519PublicKey(t *testing.T) {
	const invalid = "invalid public key (invalidPublicKey): "
	for _, c := range invalidEd25519 {
		raw, err := hex.DecodeString(c.hex)
		if err != nil || len(raw) != ed25519.PublicKeySize {
			t.Fatalf("%s: bad test key: %v", c.name, err)
		}
		if ed25519Valid(raw) {
			t.Fatalf("%s: the test oracle calls this key valid", c.name)
		}
		mb := multibase(codecEd25519Pub, raw)
		jwk := `{"crv":"Ed25519","kty":"OKP","x":"` + b64(raw) + `"}`
		didJWK := "did:jwk:" + b64([]byte(jwk))
		for _, p := range []struct {
			name   string
			parse  func() (any, error)
			is     []error
			prefix string
		}{
			{"ParsePublicKeyMultibase", func() (any, error) { return ParsePublicKeyMultibase(mb) },
				[]error{ErrMultibase}, "keys: invalid Multikey encoding: "},
			{"ParseDIDKey", func() (any, error) { return ParseDIDKey("did:key:" + mb) },
				[]error{ErrDID, ErrMultibase}, `keys: invalid DID: "did:key:` + mb + `": invalid Multikey encoding: `},
			{"ParseDIDKey method", func() (any, error) { return ParseDIDKey("did:key:" + mb + "#" + mb) },
				[]error{ErrDID, ErrMultibase}, `keys: invalid DID: "did:key:` + mb + "#" + mb + `": invalid Multikey encoding: `},
			{"ParsePublicJWK", func() (any, error) { k, _, err := ParsePublicJWK([]byte(jwk)); return k, err },
				[]error{ErrJWK}, "keys: invalid JWK: "},
			{"ParseDIDJWK", func() (any, error) { return ParseDIDJWK(didJWK + "#0") },
				[]error{ErrDID, ErrJWK}, "keys: invalid DID: did:jwk: invalid JWK: "},
		} {
			t.Run(c.name+"/"+p.name, func(t *testing.T) {
				k, err := p.parse()
				if err == nil {
					t.Fatalf("accepted, as %T", k)
				}
				if diff := cmp.Diff(p.prefix+invalid+c.reason, err.Error()); diff != "" {
					t.Errorf("error message (-want +got):\n%s", diff)
				}
				for _, target := range append(p.is, ErrInvalidPublicKey) {
					if !errors.Is(err, target) {
						t.Errorf("error %q does not wrap %v", err, target)
					}
				}
			})
		}
	}
}

// TestEd25519Oracle checks the fuzz tests' oracle on keys that are valid:
// published ones and freshly generated ones.
func TestEd25519Oracle(t *testing.T) {
	for _, mb := range []string{edPub, edPub2} {
		pub, err := ParsePublicKeyMultibase(mb)
		if err != nil {
			t.Fatal(err)
		}
		if !ed25519Valid(pub.(ed25519.PublicKey)) {
			t.Errorf("oracle refuses %s", mb)
		}
	}
	for range 64 {
		pub, _, err := ed25519.GenerateKey(nil)
		if err != nil {
			t.Fatal(err)
		}
		if !ed25519Valid(pub) {
			t.Errorf("oracle refuses generated key %x", pub)
		}
		if _, err := ParsePublicKeyMultibase(multibase(codecEd25519Pub, pub)); err != nil {
			t.Errorf("generated key %x: %v", pub, err)
		}
	}
}

// The field and curve constants of Ed25519 (RFC 8032 §5.1).
var (
	ed25519P = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))
	ed25519D = func() *big.Int {
		d := new(big.Int).ModInverse(big.NewInt(121666), ed25519P)
		d.Mul(d, big.NewInt(-121665))
		return d.Mod(d, ed25519P)
	}()
	// ed25519Y8 is the y coordinate of two of the four points of order 8;
	// the other two have -y8.
	ed25519Y8 = leInt([]byte{
		0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f,
		0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a,
	})
)

// leInt reads b as a little-endian unsigned integer.
func leInt(b []byte) *big.Int {
	be := make([]byte, len(b))
	for i, c := range b {
		be[len(b)-1-i] = c
	}
	return new(big.Int).SetBytes(be)
}

// ed25519Valid is the fuzz tests' oracle of a valid Ed25519 public key,
// written from RFC 8032 §5.1.3 with math/big, apart from the code under
// test: y canonical (below p), x² = (y²-1)/(dy²+1) a square, no sign bit
// on x = 0, and not one of the eight points of order dividing 8 (whose y
// is 1, -1, 0, y8 or -y8).
func ed25519Valid(b []byte) bool {
	if len(b) != ed25519.PublicKeySize {
		return false
	}
	sign := b[31] >> 7
	y := leInt(append(append([]byte(nil), b[:31]...), b[31]&0x7f))
	p := ed25519P
	if y.Cmp(p) >= 0 {
		return false
	}
	y2 := new(big.Int).Mul(y, y)
	u := new(big.Int).Sub(y2, big.NewInt(1))
	v := new(big.Int).Mul(ed25519D, y2)
	v.Add(v, big.NewInt(1)).Mod(v, p)
	vInv := new(big.Int).ModInverse(v, p)
	if vInv == nil {
		return false
	}
	x2 := u.Mul(u, vInv).Mod(u, p)
	if x2.Sign() == 0 {
		if sign == 1 {
			return false
		}
	} else if new(big.Int).Exp(x2, new(big.Int).Rsh(p, 1), p).Cmp(big.NewInt(1)) != 0 {
		return false // (p-1)/2 = p>>1 since p is odd: Euler's criterion
	}
	minusOne := new(big.Int).Sub(p, big.NewInt(1))
	minusY8 := new(big.Int).Sub(p, ed25519Y8)
	for _, small := range []*big.Int{big.NewInt(0), big.NewInt(1), minusOne, ed25519Y8, minusY8} {
		if y.Cmp(small) == 0 {
			return false
		}
	}
	return true
}

// TestEd25519CheckCache: the keys checkEd25519 accepted are remembered, an
// invalid one never is, and the set stays within maxValidEd25519.
func TestEd25519CheckCache(t *testing.T) {
	defer func(n int64) { maxValidEd25519 = n }(maxValidEd25519)
	maxValidEd25519 = 3
	validEd25519.Clear()
	validEd25519N.Store(0)
	for i := range 10 {
		pub := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{byte(i)}, 32)).Public().(ed25519.PublicKey)
		for range 2 {
			if err := checkEd25519(pub); err != nil {
				t.Fatal(err)
			}
		}
		if _, ok := validEd25519.Load([32]byte(pub)); !ok && validEd25519N.Load() != 0 {
			t.Errorf("key %d: accepted, not remembered", i)
		}
		if n := validEd25519N.Load(); n > maxValidEd25519 {
			t.Errorf("key %d: %d keys remembered, over the bound of %d", i, n, maxValidEd25519)
		}
	}
	small := make([]byte, 32)
	small[0] = 1 // the identity (y = 1): of small order
	for range 2 {
		if err := checkEd25519(small); !errors.Is(err, ErrInvalidPublicKey) {
			t.Fatalf("the identity: %v, want ErrInvalidPublicKey", err)
		}
	}
	if _, ok := validEd25519.Load([32]byte(small)); ok {
		t.Error("an invalid key was remembered")
	}
}
