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
	// Repeated multiply-by-256-and-add into base-58 digits at the end of
	// buf; log(256)/log(58) < 1.38 digits per byte.
	buf := make([]byte, (len(b)-zeros)*138/100+1)
	used := 0 // digits of buf in use, from the end
	for _, v := range b[zeros:] {
		carry := int(v)
		j := 0
		for k := len(buf) - 1; k >= 0 && (carry != 0 || j < used); k-- {
			carry += 256 * int(buf[k])
			buf[k] = byte(carry % 58)
			carry /= 58
			j++
		}
		used = j
	}
	digits := buf[len(buf)-used:]
	for len(digits) > 0 && digits[0] == 0 {
		digits = digits[1:]
	}
	out := make([]byte, zeros+len(digits))
	for i := range zeros {
		out[i] = '1'
	}
	for i, d := range digits {
		out[zeros+i] = base58Alphabet[d]
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
