package issuer

import (
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/go-openbadges/openbadges/credential"
)

// maxNumberLen bounds the length of a number read from a score, so that
// reading one is cheap whatever an LMS sends.
const maxNumberLen = 64

// scaleKind is how the values of a result description compare.
type scaleKind int

const (
	numeric scaleKind = iota
	percent
	ordinal
)

// A scale reads and compares the values of one result description.
type scale struct {
	kind     scaleKind
	fraction bool     // percent: bare numbers are fractions of 1
	lo, hi   *big.Rat // numeric and percent (in percent): bounds, nil if none
	allowed  []string // ordinal: values from low to high
}

// A reading is one way to understand a value on a scale.
type reading struct {
	num   *big.Rat // numeric and percent (in percent)
	index int      // ordinal: position in allowed
	value string   // for the Result: the value as given, or as allowed lists it
	text  string   // for a reason
}

// hundred returns 100, to turn fractions into percentages.
func hundred() *big.Rat { return big.NewRat(100, 1) }

// newScale returns the scale of rd, or why it has none.
func newScale(rd *credential.ResultDescription) (scale, error) {
	var sc scale
	switch t := rd.ResultType; t {
	case credential.ResultTypePercent:
		sc.kind = percent
	case credential.ResultTypeRawScore, credential.ResultTypeScaledScore, credential.ResultTypeRubricScore,
		credential.ResultTypeGradePointAverage, credential.ResultTypePredictedScore:
		sc.kind = numeric
	case credential.ResultTypeLetterGrade:
		if len(rd.AllowedValue) == 0 {
			return sc, errors.New("a LetterGrade result description needs allowedValue to order its grades")
		}
		sc.kind = ordinal
	case credential.ResultTypePerformanceLevel, credential.ResultTypeResult:
		sc.kind = numeric
		if len(rd.AllowedValue) > 0 {
			sc.kind = ordinal
		}
	default:
		if !credential.IsExtension(string(t)) {
			return sc, fmt.Errorf("resultType %q is not a score", t)
		}
		sc.kind = numeric
		if len(rd.AllowedValue) > 0 {
			sc.kind = ordinal
		}
	}
	if sc.kind == ordinal {
		sc.allowed = rd.AllowedValue
		return sc, nil
	}
	var err error
	if sc.lo, err = bound("valueMin", rd.ValueMin); err != nil {
		return sc, err
	}
	if sc.hi, err = bound("valueMax", rd.ValueMax); err != nil {
		return sc, err
	}
	if sc.lo != nil && sc.hi != nil && sc.lo.Cmp(sc.hi) > 0 {
		return sc, errors.New("valueMin is above valueMax")
	}
	if sc.kind == percent && sc.hi != nil && sc.hi.Cmp(big.NewRat(1, 1)) <= 0 && !strings.HasSuffix(strings.TrimSpace(rd.ValueMax), "%") {
		sc.fraction = true
		sc.hi.Mul(sc.hi, hundred())
		if sc.lo != nil {
			sc.lo.Mul(sc.lo, hundred())
		}
	}
	return sc, nil
}

// bound reads valueMin or valueMax; a "%" suffix is allowed.
func bound(name, s string) (*big.Rat, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if s == "" {
		return nil, nil
	}
	r, ok := parseDecimal(s)
	if !ok {
		return nil, fmt.Errorf("%s %s is not a number", name, quote(s))
	}
	return r, nil
}

// read reads v on the scale: one reading, or two (the lower first) for a
// percent that could be a fraction; or a problem, for a reason, starting
// with the value.
func (sc scale) read(v string) ([]reading, string) {
	v = strings.TrimSpace(v)
	if sc.kind == ordinal {
		i := slices.Index(sc.allowed, v)
		if i < 0 {
			i = slices.IndexFunc(sc.allowed, func(a string) bool { return strings.EqualFold(a, v) })
		}
		if i < 0 {
			return nil, fmt.Sprintf("%s is not one of the allowed values %s", quote(v), strings.Join(sc.allowed, ", "))
		}
		return []reading{{index: i, value: sc.allowed[i], text: sc.allowed[i]}}, ""
	}
	num, hasPercent := v, false
	if sc.kind == percent && strings.HasSuffix(v, "%") {
		num, hasPercent = strings.TrimSpace(strings.TrimSuffix(v, "%")), true
	}
	n, ok := parseDecimal(num)
	if !ok {
		return nil, quote(v) + " is not a number"
	}
	var rs []reading
	switch {
	case sc.kind == numeric:
		rs = []reading{{num: n, value: v, text: v}}
	case hasPercent:
		rs = []reading{{num: n, value: v, text: formatRat(n) + "%"}}
	case sc.fraction:
		p := new(big.Rat).Mul(n, hundred())
		rs = []reading{{num: p, value: v, text: fmt.Sprintf("%s (%s%%)", v, formatRat(p))}}
	default:
		rs = []reading{{num: n, value: v, text: formatRat(n) + "%"}}
		if n.Sign() > 0 && n.Cmp(big.NewRat(1, 1)) <= 0 {
			p := new(big.Rat).Mul(n, hundred())
			rs = append(rs, reading{num: p, value: v, text: formatRat(p) + "%"})
		}
	}
	// Keep the readings within the bounds.
	var in []reading
	for _, r := range rs {
		if (sc.lo == nil || r.num.Cmp(sc.lo) >= 0) && (sc.hi == nil || r.num.Cmp(sc.hi) <= 0) {
			in = append(in, r)
		}
	}
	if len(in) > 0 {
		return in, ""
	}
	if sc.lo != nil && rs[0].num.Cmp(sc.lo) < 0 {
		return nil, fmt.Sprintf("%s is below the lowest possible value %s", rs[0].text, sc.boundText(sc.lo))
	}
	return nil, fmt.Sprintf("%s is above the highest possible value %s", rs[len(rs)-1].text, sc.boundText(sc.hi))
}

func (sc scale) boundText(r *big.Rat) string {
	if sc.kind == percent {
		return formatRat(r) + "%"
	}
	return formatRat(r)
}

// cmp compares two readings of the scale.
func (sc scale) cmp(a, b reading) int {
	if sc.kind == ordinal {
		return a.index - b.index
	}
	return a.num.Cmp(b.num)
}

// parseDecimal reads a plain decimal number: an optional sign, digits,
// an optional point and more digits. Exponents, which would let a short
// string demand a huge computation, are refused, as are hexadecimal and
// fractions that big.Rat would accept.
func parseDecimal(s string) (*big.Rat, bool) {
	if s == "" || len(s) > maxNumberLen {
		return nil, false
	}
	body := s
	if body[0] == '+' || body[0] == '-' {
		body = body[1:]
	}
	digits, point := 0, false
	for i := 0; i < len(body); i++ {
		switch c := body[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !point:
			point = true
		default:
			return nil, false
		}
	}
	if digits == 0 {
		return nil, false
	}
	return new(big.Rat).SetString(s)
}

// formatRat writes r as a decimal without trailing zeros.
func formatRat(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	s := strings.TrimRight(r.FloatString(maxNumberLen), "0")
	return strings.TrimSuffix(s, ".")
}
