package jsonld

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/go-openbadges/openbadges/internal/rdfc"
)

// Text direction. A string's base direction (JSON-LD's @direction, "ltr"
// or "rtl", which VCDM 2.0 allows beside @language in names and
// descriptions) has no place in an RDF literal of its own. The conversion
// to RDF writes it as the i18n-datatype mode of JSON-LD's rdfDirection
// option does, the mode digitalbazaar's RDFC cryptosuites
// (eddsa-rdfc-2022, ecdsa-rdfc-2019) canonicalize with: a literal whose
// datatype is https://www.w3.org/ns/i18n#{language}_{direction}, the
// language tag in lower case, empty when the value has none
// ("مثال"^^<https://www.w3.org/ns/i18n#ar_rtl>). The direction is so
// part of what is signed.
//
// JSON-LD allows only "ltr" and "rtl" (or null in a context), exactly;
// json-gold also takes other cases in contexts, and any string in a value
// object. Anything else is refused here (preScan, directionTerm,
// checkDirections), as jsonld.js refuses it, with an error wrapping
// ErrSafeMode; so is a context's default direction, which jsonld.js and
// json-gold apply differently (see checkDirections).

// i18nPrefix is the namespace of the i18n-datatype literals.
const i18nPrefix = "https://www.w3.org/ns/i18n#"

// validDirection reports whether v is a base direction JSON-LD allows.
func validDirection(v any) bool { return v == "ltr" || v == "rtl" }

// directionOf returns the @direction of an expanded value object: a
// string, or the *string json-gold writes for a language map's entries.
func directionOf(v any) any {
	if p, ok := v.(*string); ok && p != nil {
		return *p
	}
	return v
}

// directionTerm converts a value object with @direction dir (see above):
// its @value must be a string, which is the literal's, and its
// @language, if any, a valid tag.
func directionTerm(m map[string]any, v, dir any) (rdfc.Term, error) {
	dir = directionOf(dir)
	if !validDirection(dir) {
		return rdfc.Term{}, safeModeErr("", "@direction %s is not a base direction: it must be \"ltr\" or \"rtl\"", quoteJSON(dir))
	}
	s, isString := v.(string)
	if !isString {
		return rdfc.Term{}, safeModeErr("", "@direction on a value that is not a string would be dropped: only text has a direction")
	}
	lang := ""
	if l, ok := m["@language"]; ok {
		if lang, _ = l.(string); !validLanguage.MatchString(lang) {
			return rdfc.Term{}, safeModeErr(lang, "not a valid language tag")
		}
	}
	return rdfc.Term{Kind: rdfc.Literal, Value: s, Datatype: i18nPrefix + strings.ToLower(lang) + "_" + dir.(string)}, nil
}

// checkDirections returns an error if the contexts doc uses (its
// top-level and embedded contexts, the contexts they load, and the
// contexts these scope) have a @direction that is not "ltr", "rtl" or null
// in a term definition, which json-gold takes ("RTL" for "rtl") and
// jsonld.js refuses; or a default direction (a context's own @direction)
// that is not null. jsonld.js 9 loses a default direction as soon as
// another context is applied after it (its active context's clone does not
// copy it), as under the type-scoped context of every VCDM 2.0 credential,
// while json-gold keeps it: the two would canonicalize such a document
// differently, and the direction would not be signed by one of them. It is
// refused, with a SafeModeError saying to set the direction on the values
// or in the terms' definitions, which both read the same.
//
// Only the general path converts values with a direction (the fast path
// gives up on contexts and terms that have one, and on value objects), and
// it calls this only once it has written one: a document without
// directions does not pay for it.
func (c *Converter) checkDirections(doc any) error {
	switch x := doc.(type) {
	case []any:
		for _, e := range x {
			if err := c.checkDirections(e); err != nil {
				return err
			}
		}
	case map[string]any:
		for k, e := range x {
			var err error
			if k == "@context" {
				err = c.contextDirections(e, true, 0)
			} else {
				err = c.checkDirections(e)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// contextDirections is checkDirections of v: a context value if isContext
// (a context object, or a string naming a context to load), else a part of
// a term definition.
func (c *Converter) contextDirections(v any, isContext bool, depth int) error {
	if depth > maxContextDepth {
		return nil // json-gold refuses what nests deeper, or the fast path gives up
	}
	switch x := v.(type) {
	case string:
		if isContext {
			if inner, ok := c.load(x); ok {
				return c.contextDirections(inner, true, depth+1)
			}
		}
	case []any:
		for _, e := range x {
			if err := c.contextDirections(e, isContext, depth); err != nil {
				return err
			}
		}
	case map[string]any:
		for k, e := range x {
			var err error
			switch {
			case k == "@direction" && isContext && e != nil:
				return safeModeErr("@context", "a default @direction (%s) is lost by jsonld.js wherever another context applies after it, as under a credential's type-scoped context, so implementations would sign different statements: set @direction on the values, or in the definitions of their terms", quoteJSON(e))
			case k == "@direction" && e != nil && !validDirection(e):
				return safeModeErr("@context", "@direction %s is not a base direction: it must be \"ltr\", \"rtl\" or null", quoteJSON(e))
			case k == "@context" || k == "@import":
				err = c.contextDirections(e, true, depth+1)
			default:
				err = c.contextDirections(e, false, depth+1)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// quoteJSON writes a JSON value for an error message.
func quoteJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil || len(b) > 64 {
		return fmt.Sprintf("of type %T", v)
	}
	return string(b)
}
