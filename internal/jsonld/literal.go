package jsonld

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/go-openbadges/openbadges/internal/jcs"
	"github.com/go-openbadges/openbadges/internal/rdfc"
)

// validLanguage is the language tag shape the JSON-LD to RDF algorithm
// accepts (BCP 47 well-formedness is not checked further by any peer).
var validLanguage = regexp.MustCompile(`^[a-zA-Z]+(-[a-zA-Z0-9]+)*$`)

// valueTerm converts a value object (JSON-LD 1.1 §8.5 "Object to RDF
// Conversion").
func valueTerm(m map[string]any, v any) (rdfc.Term, error) {
	datatype, _ := m["@type"].(string)
	if datatype == "@json" {
		raw, err := json.Marshal(v)
		if err != nil {
			return rdfc.Term{}, fmt.Errorf("a JSON literal: %w", err)
		}
		canon, err := jcs.Transform(raw)
		if err != nil {
			return rdfc.Term{}, fmt.Errorf("a JSON literal: %w", err)
		}
		return rdfc.Term{Kind: rdfc.Literal, Value: string(canon), Datatype: rdfJSON}, nil
	}
	if dir, ok := m["@direction"]; ok {
		return directionTerm(m, v, dir)
	}
	if datatype != "" {
		if err := checkIRI(datatype, "@type of a value"); err != nil {
			return rdfc.Term{}, err
		}
	}
	if s, isString := v.(string); isString {
		if lang, ok := m["@language"].(string); ok {
			if !validLanguage.MatchString(lang) {
				return rdfc.Term{}, safeModeErr(lang, "not a valid language tag")
			}
			return rdfc.Term{Kind: rdfc.Literal, Value: s, Language: lang, Datatype: rdfLangString}, nil
		}
	}
	return literalTerm(v, datatype)
}

// literalTerm converts a JSON value without a language to a literal: of
// the datatype if not empty, else of the JSON type's default.
func literalTerm(v any, datatype string) (rdfc.Term, error) {
	switch x := v.(type) {
	case bool:
		return plainLiteral(strconv.FormatBool(x), datatype, xsdBoolean), nil
	case json.Number:
		return numberText(string(x), datatype)
	case float64:
		return numberTerm(x, datatype)
	case string:
		return plainLiteral(x, datatype, xsdString), nil
	default:
		return rdfc.Term{}, safeModeErr("", "a value of type %T cannot be converted to RDF", v)
	}
}

// plainLiteral is the literal lex of datatype, or def if datatype is "";
// xsd:string is written as no datatype, the form rdfc.Canonicalize
// normalizes to (so that it need not copy the quads).
func plainLiteral(lex, datatype, def string) rdfc.Term {
	if datatype == "" {
		datatype = def
	}
	if datatype == xsdString {
		datatype = ""
	}
	return rdfc.Term{Kind: rdfc.Literal, Value: lex, Datatype: datatype}
}

// numberText converts the JSON number whose text is lex (see numberTerm).
func numberText(lex, datatype string) (rdfc.Term, error) {
	f, err := strconv.ParseFloat(lex, 64)
	if err != nil || math.IsInf(f, 0) {
		return rdfc.Term{}, fmt.Errorf("the number %s is not a finite double", lex)
	}
	return numberTerm(f, datatype)
}

// numberTerm converts a JSON number: an integer (no fractional part and
// less than 10^21 in magnitude) to xsd:integer, anything else, or any number
// typed xsd:double, to the canonical xsd:double form.
func numberTerm(f float64, datatype string) (rdfc.Term, error) {
	if datatype == xsdDouble || f != math.Trunc(f) || math.Abs(f) >= 1e21 {
		if datatype == "" {
			datatype = xsdDouble
		}
		return rdfc.Term{Kind: rdfc.Literal, Value: canonicalDouble(f), Datatype: datatype}, nil
	}
	if datatype == "" {
		datatype = xsdInteger
	}
	lex := "0"
	if f != 0 {
		lex = strconv.FormatFloat(f, 'f', 0, 64)
	}
	return rdfc.Term{Kind: rdfc.Literal, Value: lex, Datatype: datatype}, nil
}

// canonicalDouble writes f as JSON-LD does: 16 significant digits in
// exponent form, then trailing zeros of the mantissa removed (keeping one
// digit after the point), and the exponent without "+" or leading zeros:
// 5.3 → "5.3E0", 1e21 → "1.0E21", -1.5e-7 → "-1.5E-7".
func canonicalDouble(f float64) string {
	s := strconv.FormatFloat(f, 'E', 15, 64)
	mant, exp, _ := strings.Cut(s, "E")
	mant = strings.TrimRight(mant, "0")
	if strings.HasSuffix(mant, ".") {
		mant += "0"
	}
	neg := strings.HasPrefix(exp, "-")
	exp = strings.TrimLeft(exp, "+-")
	exp = strings.TrimLeft(exp, "0")
	if exp == "" {
		exp = "0"
	}
	if neg {
		exp = "-" + exp
	}
	return mant + "E" + exp
}
