// Package base58 encodes and decodes base58 with the Bitcoin alphabet, the
// encoding of base58btc multibase values ("z…") in Multikeys and Data
// Integrity proof values. It is not a general multibase codec.
package base58

import "fmt"

// The Bitcoin base58 alphabet, which base58btc multibase uses.
const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

var base58Index = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i, c := range base58Alphabet {
		t[c] = int8(i)
	}
	return t
}()

// Encode encodes b in base58 (Bitcoin alphabet), keeping leading zero
// bytes as leading "1"s.
func Encode(b []byte) string {
	zeros := 0
	for zeros < len(b) && b[zeros] == 0 {
		zeros++
	}
	// The number b[zeros:] in limbs of base 58^5, least significant
	// first, built four bytes at a time: a limb times 2^32 plus a carry
	// stays below 2^64.
	const limbBase = 58 * 58 * 58 * 58 * 58
	rest := b[zeros:]
	limbs := make([]uint32, 0, len(rest)*138/500+2)
	for len(rest) > 0 {
		n := len(rest) % 4
		if n == 0 {
			n = 4
		}
		var chunk uint64
		for _, v := range rest[:n] {
			chunk = chunk<<8 | uint64(v)
		}
		rest = rest[n:]
		shift := uint(8 * n)
		carry := chunk
		for i := range limbs {
			x := uint64(limbs[i])<<shift + carry
			limbs[i] = uint32(x % limbBase)
			carry = x / limbBase
		}
		for carry > 0 {
			limbs = append(limbs, uint32(carry%limbBase))
			carry /= limbBase
		}
	}
	// Five digits per limb, most significant first, without the leading
	// zeros of the top limb.
	out := make([]byte, zeros, zeros+len(limbs)*5)
	for i := range zeros {
		out[i] = '1'
	}
	var digits [5]byte
	for i := len(limbs) - 1; i >= 0; i-- {
		v := limbs[i]
		for k := 4; k >= 0; k-- {
			digits[k] = base58Alphabet[v%58]
			v /= 58
		}
		d := digits[:]
		if i == len(limbs)-1 {
			for len(d) > 0 && d[0] == '1' {
				d = d[1:]
			}
		}
		out = append(out, d...)
	}
	return string(out)
}

// Decode decodes a base58 (Bitcoin alphabet) string.
func Decode(s string) ([]byte, error) {
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	// Repeated multiply-and-add into a big-endian base-256 number at the
	// end of buf; log(58)/log(256) < 0.733 bytes per digit.
	buf := make([]byte, (len(s)-zeros)*733/1000+1)
	used := 0 // bytes of buf in use, from the end
	for i := zeros; i < len(s); i++ {
		v := base58Index[s[i]]
		if v < 0 {
			return nil, fmt.Errorf("%s at offset %d is not a base58btc character", describe(s[i]), i)
		}
		carry := int(v)
		j := 0
		for k := len(buf) - 1; k >= 0 && (carry != 0 || j < used); k-- {
			carry += 58 * int(buf[k])
			buf[k] = byte(carry)
			carry >>= 8
			j++
		}
		used = j
	}
	num := buf[len(buf)-used:]
	for len(num) > 0 && num[0] == 0 {
		num = num[1:]
	}
	out := make([]byte, zeros+len(num))
	copy(out[zeros:], num)
	return out, nil
}

// describe names a byte for an error message: quoted if it is printable
// ASCII, in hexadecimal otherwise.
func describe(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("%q", c)
	}
	return fmt.Sprintf("byte %#02x", c)
}
