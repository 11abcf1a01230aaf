package jcs

import (
	"errors"
	"math"
	"strconv"
)

// number parses the number starting at p.pos and appends its canonical form.
func (p *parser) number() error {
	data := p.data
	start := p.pos
	i := start
	if data[i] == '-' {
		i++
	}
	digits := 0 // in the integer part
	switch {
	case i == len(data):
		return p.errAt(ErrSyntax, i, "unexpected end of input in number, want a digit")
	case data[i] == '0':
		i++
		digits = 1
		if i < len(data) && data[i] >= '0' && data[i] <= '9' {
			return p.errAt(ErrSyntax, i, "invalid digit after leading 0 in number")
		}
	case data[i] >= '1' && data[i] <= '9':
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
			digits++
		}
	default:
		return p.errAt(ErrSyntax, i, "invalid character "+quoteByte(data[i])+" in number, want a digit")
	}
	integer := true
	if i < len(data) && data[i] == '.' {
		integer = false
		i++
		j := i
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
		if i == j {
			return p.errAfterNumber(i, "after decimal point in number, want a digit")
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		integer = false
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		j := i
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
		if i == j {
			return p.errAfterNumber(i, "in number exponent, want a digit")
		}
	}
	p.pos = i
	lit := data[start:i]

	// An integer of at most 15 digits is exactly a double, and
	// Number.prototype.toString writes it as it is, except for -0.
	if integer && digits <= 15 {
		if len(lit) == 2 && lit[0] == '-' && lit[1] == '0' {
			p.out = append(p.out, '0')
		} else {
			p.out = append(p.out, lit...)
		}
		return nil
	}
	f, err := strconv.ParseFloat(string(lit), 64)
	if err != nil {
		// The grammar is checked above, so this can only be overflow:
		// ParseFloat returns ±Inf for it, and silently rounds underflow
		// to zero, as ECMAScript's JSON.parse does.
		if errors.Is(err, strconv.ErrRange) {
			return p.errAt(ErrNumberRange, start, "number "+string(lit)+" is not a finite IEEE 754 double")
		}
		return p.errAt(ErrSyntax, start, "invalid number "+string(lit))
	}
	p.out = appendNumber(p.out, f)
	return nil
}

func (p *parser) errAfterNumber(i int, what string) error {
	if i == len(p.data) {
		return p.errAt(ErrSyntax, i, "unexpected end of input "+what)
	}
	return p.errAt(ErrSyntax, i, "invalid character "+quoteByte(p.data[i])+" "+what)
}

// appendNumber appends f as ECMAScript's Number.prototype.toString writes
// it (ECMA-262 Number::toString with radix 10), which is the JCS form of a
// number. f must be finite.
func appendNumber(dst []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		panic("jcs: appendNumber of a non-finite number")
	}
	if f == 0 { // +0 and -0 alike
		return append(dst, '0')
	}
	if f < 0 {
		dst = append(dst, '-')
		f = -f
	}
	// strconv writes the shortest digits that read back as f, choosing the
	// closest to f when there is a choice, which is the digit string s of
	// ECMA-262: "d.ddde±x", or "de±x" for one digit.
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], f, 'e', -1, 64)
	var digitBuf [17]byte
	digits := append(digitBuf[:0], e[0])
	i := 1
	if e[1] == '.' {
		for i = 2; e[i] != 'e'; i++ {
			digits = append(digits, e[i])
		}
	}
	// e[i] == 'e'; the exponent follows as a sign and at least two digits.
	exp := 0
	for _, c := range e[i+2:] {
		exp = exp*10 + int(c-'0')
	}
	if e[i+1] == '-' {
		exp = -exp
	}
	// In ECMA-262's terms the value is 0.s × 10^n with k digits in s.
	k, n := len(digits), exp+1
	switch {
	case k <= n && n <= 21: // an integer below 1e21: the digits, then zeros
		dst = append(dst, digits...)
		for range n - k {
			dst = append(dst, '0')
		}
	case 0 < n && n <= 21: // a decimal point inside the digits
		dst = append(dst, digits[:n]...)
		dst = append(dst, '.')
		dst = append(dst, digits[n:]...)
	case -6 < n && n <= 0: // 0.000ddd, down to 1e-6
		dst = append(dst, '0', '.')
		for range -n {
			dst = append(dst, '0')
		}
		dst = append(dst, digits...)
	default: // exponent form: d[.ddd]e±x
		dst = append(dst, digits[0])
		if k > 1 {
			dst = append(dst, '.')
			dst = append(dst, digits[1:]...)
		}
		dst = append(dst, 'e')
		if n-1 >= 0 {
			dst = append(dst, '+')
		}
		dst = strconv.AppendInt(dst, int64(n-1), 10)
	}
	return dst
}
