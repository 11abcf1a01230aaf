package signature

import (
	"bytes"
	"encoding/asn1"
	"errors"
	"math/big"
	"testing"
)

// FuzzRawECDSA: what a signer returns as an ECDSA signature is either
// refused with ErrMalformed or is exactly the DER encoding of the r and s
// it is turned into, each fitting the curve.
func FuzzRawECDSA(f *testing.F) {
	for _, rs := range [][2]int64{{1, 1}, {1 << 40, 3}, {255, 256}} {
		der, _ := asn1.Marshal(struct{ R, S *big.Int }{big.NewInt(rs[0]), big.NewInt(rs[1])})
		f.Add(der, 32)
	}
	f.Add([]byte{0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x01}, 32)       // r = 0
	f.Add([]byte{0x30, 0x80, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0, 0}, 32) // BER indefinite length
	f.Fuzz(func(t *testing.T, der []byte, size int) {
		size = 32 + (size&3)*16 // 32, 48, 64, 80: the curve sizes and one more
		sig, err := rawECDSA(der, size)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
			return
		}
		if len(sig) != 2*size {
			t.Fatalf("%d-byte signature, want %d", len(sig), 2*size)
		}
		r, s := new(big.Int).SetBytes(sig[:size]), new(big.Int).SetBytes(sig[size:])
		if r.Sign() <= 0 || s.Sign() <= 0 {
			t.Fatal("r or s is zero")
		}
		again, err := asn1.Marshal(struct{ R, S *big.Int }{r, s})
		if err != nil || !bytes.Equal(again, der) {
			t.Fatalf("accepted %x, which is not the DER of r, s (%x)", der, again)
		}
	})
}
