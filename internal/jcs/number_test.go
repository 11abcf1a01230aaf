package jcs

import (
	"errors"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// RFC 8785 Appendix B: IEEE 754 bit patterns and their JCS serialization.
// The two non-finite rows of the table (7fffffffffffffff NaN and
// 7ff0000000000000 Infinity) have no JSON spelling; TestNonFiniteRejected
// covers them.
var appendixB = []struct {
	bits uint64
	want string
}{
	{0x0000000000000000, "0"},
	{0x8000000000000000, "0"},
	{0x0000000000000001, "5e-324"},
	{0x8000000000000001, "-5e-324"},
	{0x7fefffffffffffff, "1.7976931348623157e+308"},
	{0xffefffffffffffff, "-1.7976931348623157e+308"},
	{0x4340000000000000, "9007199254740992"},
	{0xc340000000000000, "-9007199254740992"},
	{0x4430000000000000, "295147905179352830000"},
	{0x44b52d02c7e14af5, "9.999999999999997e+22"},
	{0x44b52d02c7e14af6, "1e+23"},
	{0x44b52d02c7e14af7, "1.0000000000000001e+23"},
	{0x444b1ae4d6e2ef4e, "999999999999999700000"},
	{0x444b1ae4d6e2ef4f, "999999999999999900000"},
	{0x444b1ae4d6e2ef50, "1e+21"},
	{0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
	{0x3eb0c6f7a0b5ed8d, "0.000001"},
	{0x41b3de4355555553, "333333333.3333332"},
	{0x41b3de4355555554, "333333333.33333325"},
	{0x41b3de4355555555, "333333333.3333333"},
	{0x41b3de4355555556, "333333333.3333334"},
	{0x41b3de4355555557, "333333333.33333343"},
	{0xbecbf647612f3696, "-0.0000033333333333333333"},
	{0x43143ff3c1cb0959, "1424953923781206.2"},
}

func TestAppendixB(t *testing.T) {
	for _, tt := range appendixB {
		f := math.Float64frombits(tt.bits)
		t.Run(strconv.FormatUint(tt.bits, 16), func(t *testing.T) {
			if diff := cmp.Diff(tt.want, string(appendNumber(nil, f))); diff != "" {
				t.Errorf("appendNumber(%016x) mismatch (-want +got):\n%s", tt.bits, diff)
			}
			// The same through the parser, from a 17-digit literal (and a
			// shortest one) that reads back as these bits.
			for _, lit := range []string{strconv.FormatFloat(f, 'g', 17, 64), strconv.FormatFloat(f, 'g', -1, 64)} {
				got, err := Transform([]byte(lit))
				if err != nil {
					t.Fatalf("Transform(%s): %v", lit, err)
				}
				if diff := cmp.Diff(tt.want, string(got)); diff != "" {
					t.Errorf("Transform(%s) mismatch (-want +got):\n%s", lit, diff)
				}
			}
		})
	}
}

// More values with known ECMAScript String(x) results.
func TestAppendNumberECMAScript(t *testing.T) {
	tests := []struct {
		f    float64
		want string
	}{
		{1, "1"}, {-1, "-1"}, {10, "10"}, {100, "100"}, {0.5, "0.5"},
		{0.1, "0.1"}, {math.Float64frombits(0x3fd3333333333334), "0.30000000000000004"} /* 0.1+0.2 */, {123.456, "123.456"},
		{4.35, "4.35"}, {1.0 / 3, "0.3333333333333333"}, {2.0 / 3, "0.6666666666666666"},
		{1e20, "100000000000000000000"}, {123456789012345680000, "123456789012345680000"},
		{1e21, "1e+21"}, {1.5e21, "1.5e+21"}, {1e100, "1e+100"}, {-1e100, "-1e+100"},
		{1e-6, "0.000001"}, {1.234e-6, "0.000001234"}, {1.2e-5, "0.000012"},
		{1e-7, "1e-7"}, {-1e-7, "-1e-7"}, {1.5e-7, "1.5e-7"}, {5e-7, "5e-7"},
		{1.23e-18, "1.23e-18"}, {1e-323, "1e-323"},
		{math.SmallestNonzeroFloat64, "5e-324"},
		{math.Float64frombits(0x000fffffffffffff), "2.225073858507201e-308"},
		{math.Float64frombits(0x0010000000000000), "2.2250738585072014e-308"},
		{math.MaxFloat64, "1.7976931348623157e+308"},
		{1 << 53, "9007199254740992"}, {1<<53 - 1, "9007199254740991"},
		{1e15, "1000000000000000"}, {1e16, "10000000000000000"},
		{12345678.5, "12345678.5"}, {123456789012345.6, "123456789012345.6"},
		{math.Copysign(0, -1), "0"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, string(appendNumber(nil, tt.f))); diff != "" {
			t.Errorf("appendNumber(%v) mismatch (-want +got):\n%s", tt.f, diff)
		}
	}
}

// esOracle writes f the ECMAScript way by a different route than
// appendNumber: strconv's shortest fixed notation inside [1e-6, 1e21),
// shortest exponent notation (with the exponent's zero padding removed)
// outside it.
func esOracle(f float64) string {
	if f == 0 {
		return "0"
	}
	if a := math.Abs(f); a >= 1e-6 && a < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±0x
	mant, exp, _ := strings.Cut(s, "e")
	sign, digits := exp[:1], strings.TrimLeft(exp[1:], "0")
	return mant + "e" + sign + digits
}

// Random doubles across the whole range, and near the boundaries where the
// notation changes, against esOracle; every result must read back exactly.
func TestAppendNumberRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(8785, 2020))
	check := func(f float64) {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return
		}
		got := string(appendNumber(nil, f))
		if want := esOracle(f); got != want {
			t.Fatalf("appendNumber(%016x) = %s, want %s", math.Float64bits(f), got, want)
		}
		back, err := strconv.ParseFloat(got, 64)
		if err != nil || back != f && !(f == 0 && back == 0) {
			t.Fatalf("appendNumber(%016x) = %s does not read back: %v, %v", math.Float64bits(f), got, back, err)
		}
	}
	for range 200000 {
		check(math.Float64frombits(r.Uint64()))
	}
	for _, edge := range []float64{1e21, 1e-6, 1e-7, 1e20, 1, 1e15, 1e16, 1 << 53} {
		for _, s := range []float64{1, -1} {
			f := s * edge
			check(f)
			lo, hi := f, f
			for range 50 {
				lo, hi = math.Nextafter(lo, math.Inf(-1)), math.Nextafter(hi, math.Inf(1))
				check(lo)
				check(hi)
			}
		}
	}
	for range 100000 { // short decimal literals, as people write them
		f, _ := strconv.ParseFloat(strconv.Itoa(r.IntN(100000))+"e"+strconv.Itoa(r.IntN(60)-30), 64)
		check(f)
	}
}

// The parser copies integers of up to 15 digits without ParseFloat; that
// must give the same text as the general path.
func TestIntegerFastPath(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	lits := []string{"0", "-0", "1", "-1", "999999999999999", "-999999999999999", "100000000000000", "1000000000000000"}
	for range 20000 {
		n := r.Int64N(1e15)
		if r.IntN(2) == 0 {
			n = -n
		}
		lits = append(lits, strconv.FormatInt(n>>r.IntN(50), 10))
	}
	for _, lit := range lits {
		got, err := Transform([]byte(lit))
		if err != nil {
			t.Fatalf("Transform(%s): %v", lit, err)
		}
		f, err := strconv.ParseFloat(lit, 64)
		if err != nil {
			t.Fatal(err)
		}
		if want := string(appendNumber(nil, f)); string(got) != want {
			t.Fatalf("Transform(%s) = %s, want %s", lit, got, want)
		}
	}
}

func TestNonFiniteRejected(t *testing.T) {
	for _, in := range []string{"NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e309"} {
		if _, err := Transform([]byte(in)); err == nil {
			t.Errorf("Transform(%s) succeeded", in)
		} else if strings.HasPrefix(in, "1") || strings.HasPrefix(in, "-1") {
			if !errors.Is(err, ErrNumberRange) {
				t.Errorf("Transform(%s) error %v, want ErrNumberRange", in, err)
			}
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("appendNumber(%v) did not panic", f)
				}
			}()
			appendNumber(nil, f)
		}()
	}
}
