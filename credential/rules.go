package credential

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"
)

// Severity says whether a Problem makes a document invalid.
type Severity int

// Severities of a Problem.
const (
	SeverityError   Severity = iota // the document breaks a rule of the spec
	SeverityWarning                 // the document is valid but will cause trouble somewhere
)

func (s Severity) String() string {
	if s == SeverityWarning {
		return "warning"
	}
	return "error"
}

// Problem is one way a document breaks, or strains, a rule.
type Problem struct {
	// Pointer locates the value at fault (RFC 6901); "" is the whole document.
	Pointer string
	// Rule names the rule broken, stably, so programs can act on it: one of
	// the rule names listed in Rules (OB 3.0) or DataModelRules ("vcdm/…",
	// the W3C VC Data Model), or "schema/<keyword>" for a JSON Schema
	// keyword, or "decode" for a value that could not be decoded.
	Rule string
	// Message says what is wrong in words a person can act on.
	Message string
	// Severity is SeverityError unless the problem is only a warning.
	Severity Severity
}

func (p Problem) String() string {
	ptr := p.Pointer
	if ptr == "" {
		ptr = "/"
	}
	s := ptr + ": " + p.Message + " [" + p.Rule + "]"
	if p.Severity == SeverityWarning {
		s = "warning: " + s
	}
	return s
}

// Rules lists the names of the data-model rules Validate checks, with what
// each means. The names are stable; Problem.Rule carries them.
var Rules = map[string]string{
	"required":      "a property the spec requires is missing",
	"type":          "the type property lacks the class name the spec requires",
	"context":       "@context is not the ordered list the spec requires",
	"version":       "the document mixes VCDM 1.1 and VCDM 2.0",
	"enum":          "a value is not a term of the spec's enumeration (nor an \"ext:\" term where allowed)",
	"uri":           "a value that must be an absolute URI is not one",
	"datetime":      "a date-time is not RFC 3339 with a time zone",
	"date":          "a date is not YYYY-MM-DD",
	"language":      "inLanguage is not a language code such as en or pt-BR",
	"jws":           "an endorsementJwt entry is not a compact JWS with a signature algorithm",
	"email":         "an email address is malformed",
	"country-code":  "addressCountryCode is not an ISO 3166-1 alpha-2 code",
	"coordinates":   "latitude or longitude is not a number in range",
	"subject-id":    "credentialSubject has neither id nor identifier",
	"criteria":      "criteria has neither id nor narrative",
	"identity-hash": "a hashed identityHash is not sha256$ or md5$ followed by a hex digest",
}

// ValidationError lists every rule a document breaks. Problems are in
// document order of their pointers.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	if len(e.Problems) == 1 {
		return "credential: " + e.Problems[0].String()
	}
	return fmt.Sprintf("credential: %d problems, the first: %s", len(e.Problems), e.Problems[0])
}

// Validate checks the credential against the rules of the OB 3.0 data model
// that its structure can show: required properties, types, enumerations,
// contexts, URIs, dates, and the spec's cross-property rules. It returns nil
// or a *ValidationError listing every problem. It does not apply the JSON
// Schema (see Check) or verify proofs.
func (c *AchievementCredential) Validate() error { return validate(c) }

// Validate checks the endorsement like AchievementCredential.Validate.
func (c *EndorsementCredential) Validate() error { return validate(c) }

// Validate checks the profile like AchievementCredential.Validate.
func (p *Profile) Validate() error { return validate(p) }

// Validate checks the achievement like AchievementCredential.Validate.
func (a *Achievement) Validate() error { return validate(a) }

// validate returns the error-severity problems of v as a *ValidationError;
// warnings do not make a document invalid, and Check reports them.
func validate(v any) error {
	var errs []Problem
	for _, p := range problemsOf(v) {
		if p.Severity == SeverityError {
			errs = append(errs, p)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return &ValidationError{Problems: errs}
}

// problemsOf runs the rules and converts validator's errors to Problems.
func problemsOf(v any) []Problem {
	err := rules().Struct(v)
	if err == nil {
		return nil
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return []Problem{{Rule: "decode", Message: err.Error()}}
	}
	problems := make([]Problem, 0, len(ves))
	for _, fe := range ves {
		problems = append(problems, problemOf(fe))
	}
	sortProblems(problems)
	return problems
}

// sortProblems orders problems by pointer (numerically within arrays),
// then rule, keeping the order of equal ones.
func sortProblems(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		if c := comparePointers(a.Pointer, b.Pointer); c != 0 {
			return c
		}
		return strings.Compare(a.Rule, b.Rule)
	})
}

func comparePointers(a, b string) int {
	as, bs := strings.Split(a, "/"), strings.Split(b, "/")
	for i := 0; i < len(as) && i < len(bs); i++ {
		if as[i] == bs[i] {
			continue
		}
		ai, aerr := strconv.Atoi(as[i])
		bi, berr := strconv.Atoi(bs[i])
		if aerr == nil && berr == nil {
			return ai - bi
		}
		return strings.Compare(as[i], bs[i])
	}
	return len(as) - len(bs)
}

// embedded marks, in validator namespaces, the name of an embedded struct
// (VerifiableCredential), which has no place in a JSON pointer.
const embedded = "\x00"

// rules returns the validator, built once: validator caches what it learns
// about each struct type, so one instance serves every call. It holds no
// state a caller can change.
var rules = sync.OnceValue(func() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		if f.Anonymous {
			return embedded
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			return f.Name
		}
		return name
	})
	must := func(err error) {
		if err != nil {
			panic(err) // a programming error in the tables below
		}
	}
	// present is required for a pointer to a struct: the pointer is not
	// nil. A nil one fails before any function runs (the function is
	// not called on nil), so the function only says yes; required would
	// copy the whole struct onto the heap to find it is there.
	must(v.RegisterValidation("present", func(validator.FieldLevel) bool { return true }))
	must(v.RegisterValidation("absuri", func(fl validator.FieldLevel) bool { return isAbsoluteURI(fl.Field().String()) }))
	must(v.RegisterValidation("datetimez", func(fl validator.FieldLevel) bool {
		_, err := DateTime(fl.Field().String()).Time()
		return err == nil
	}))
	must(v.RegisterValidation("xsddate", func(fl validator.FieldLevel) bool {
		_, err := Date(fl.Field().String()).Time()
		return err == nil
	}))
	must(v.RegisterValidation("enum", func(fl validator.FieldLevel) bool {
		e, ok := fl.Field().Interface().(interface{ Valid() bool })
		return ok && e.Valid()
	}))
	must(v.RegisterValidation("hastype", func(fl validator.FieldLevel) bool {
		t, ok := fl.Field().Interface().(Types)
		return ok && t.Has(fl.Param())
	}))
	must(v.RegisterValidation("language", func(fl validator.FieldLevel) bool { return languageCode.MatchString(fl.Field().String()) }))
	must(v.RegisterValidation("jws", func(fl validator.FieldLevel) bool { return isCompactJWS(fl.Field().String()) }))
	must(v.RegisterValidation("lat", func(fl validator.FieldLevel) bool { return inRange(fl.Field().String(), 90) }))
	must(v.RegisterValidation("long", func(fl validator.FieldLevel) bool { return inRange(fl.Field().String(), 180) }))
	v.RegisterStructValidation(achievementCredentialRules, AchievementCredential{})
	v.RegisterStructValidation(endorsementCredentialRules, EndorsementCredential{})
	v.RegisterStructValidation(achievementSubjectRules, AchievementSubject{})
	v.RegisterStructValidation(criteriaRules, Criteria{})
	v.RegisterStructValidation(identityObjectRules, IdentityObject{})
	v.RegisterStructValidation(profileRules, Profile{})
	v.RegisterStructValidation(imageRules, Image{})
	return v
})

// problemOf turns one validator error into a Problem.
func problemOf(fe validator.FieldError) Problem {
	ptr := pointerOf(fe.Namespace())
	name := fe.Field()
	value := fmt.Sprint(fe.Value())
	p := Problem{Pointer: ptr}
	switch fe.Tag() {
	case "required", "present":
		p.Rule, p.Message = "required", name+" is required"
	case "hastype":
		p.Rule, p.Message = "type", fmt.Sprintf("type must include %q, got %s", fe.Param(), quoteList(fe.Value()))
	case "eq":
		p.Rule, p.Message = "type", fmt.Sprintf("type must be %q, got %q", fe.Param(), value)
	case "enum":
		p.Rule, p.Message = "enum", enumMessage(name, value, fe.Value())
	case "absuri":
		p.Rule, p.Message = "uri", fmt.Sprintf("%s must be an absolute URI (with a scheme, such as https: or urn:), got %q", name, value)
	case "datetimez":
		_, err := DateTime(value).Time()
		p.Rule, p.Message = "datetime", fmt.Sprintf("%s: %v", name, err)
	case "xsddate":
		p.Rule, p.Message = "date", fmt.Sprintf("%s must be a date such as 1990-04-01, got %q", name, value)
	case "language":
		p.Rule, p.Message = "language", fmt.Sprintf("%s must be a language code such as en, de-CH or pt-BR, got %q", name, value)
	case "jws":
		p.Rule, p.Message = "jws", "endorsementJwt entries must be compact JWS strings (header.payload.signature) whose header names a signature algorithm"
	case "email":
		p.Rule, p.Message = "email", fmt.Sprintf("%q is not an email address", value)
	case "iso3166_1_alpha2":
		p.Rule, p.Message = "country-code", fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 country code such as DE or US", value)
	case "lat", "long":
		p.Rule, p.Message = "coordinates", fmt.Sprintf("%s must be a number of degrees in range, got %q", name, value)
	case warnInheritedContext:
		p.Rule, p.Message, p.Severity = "context", fe.Param(), SeverityWarning
	default:
		// Struct-level rules report their own rule name and message.
		p.Rule, p.Message = fe.Tag(), fe.Param()
	}
	return p
}

func enumMessage(name, value string, v any) string {
	switch v.(type) {
	case ResultStatusType:
		return fmt.Sprintf("%s %q is not one of %s", name, value, quoteList(resultStatusTypes))
	case AchievementType:
		return fmt.Sprintf("%s %q is neither an AchievementType term (such as Badge or Certificate) nor an ext: term", name, value)
	case AlignmentTargetType:
		return fmt.Sprintf("%s %q is neither an AlignmentTargetType term (%s) nor an ext: term", name, value, quoteList(alignmentTargetTypes))
	case ResultType:
		return fmt.Sprintf("%s %q is neither a ResultType term (such as LetterGrade or Percent) nor an ext: term", name, value)
	case IdentifierType:
		return fmt.Sprintf("%s %q is neither an IdentifierTypeEnum term (such as emailAddress or sourcedId) nor an ext: term", name, value)
	}
	return fmt.Sprintf("%s %q is not a term of its enumeration", name, value)
}

func quoteList(v any) string {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice {
		return fmt.Sprintf("%q", v)
	}
	if rv.Len() == 0 {
		return "none"
	}
	parts := make([]string, rv.Len())
	for i := range parts {
		parts[i] = strconv.Quote(rv.Index(i).String())
	}
	return strings.Join(parts, ", ")
}

// pointerOf converts a validator namespace such as
// "AchievementCredential.\x00.credentialSubject.result[1].type" into the
// JSON pointer "/credentialSubject/result/1/type".
func pointerOf(ns string) string {
	parts := strings.Split(ns, ".")[1:] // drop the root struct's name
	var b strings.Builder
	for _, part := range parts {
		if part == embedded {
			continue
		}
		name, rest, _ := strings.Cut(part, "[")
		b.WriteString("/" + escapePointer(name))
		for rest != "" {
			var idx string
			idx, rest, _ = strings.Cut(rest, "]")
			b.WriteString("/" + idx)
			rest = strings.TrimPrefix(rest, "[")
		}
	}
	return b.String()
}

func escapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}
