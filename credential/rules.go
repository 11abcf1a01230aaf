package credential

import (
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"
	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jws"
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

var (
	// languageCode is the inLanguage pattern of the OB 3.0 JSON Schema.
	languageCode = regexp.MustCompile(`^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$`)
	// compactJWS is the CompactJws pattern of the OB 3.0 JSON Schema.
	compactJWS = regexp.MustCompile(`^[a-zA-Z0-9_-]+\.[a-zA-Z0-9_-]*\.[a-zA-Z0-9_-]+$`)
	// identityHash is the IdentityHash form: algorithm, "$", hex digest.
	identityHash = regexp.MustCompile(`^(sha256\$[0-9a-fA-F]{64}|md5\$[0-9a-fA-F]{32})$`)
)

// hasURIScheme reports whether s starts with RFC 3986's scheme followed by
// the colon: a letter, then letters, digits, "+", "-" or ".".
func hasURIScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return true
		default:
			return false
		}
	}
	return false
}

// isAbsoluteURI reports whether s is an absolute URI (RFC 3986 §4.3: a
// scheme, then a hierarchical or opaque part): "https://x", "urn:uuid:…",
// "did:key:…", "data:image/png;base64,…". Relative references are not:
// JSON-LD would resolve them against a base the verifier cannot know.
//
// The verdict is net/url.Parse's (a scheme, and an opaque part, a host or
// a path), read without building a URL: every credential check asks it of
// several ids. Only an authority other than a plain host[:port] (user
// information, an IP literal, escapes) is handed to url.Parse itself.
func isAbsoluteURI(s string) bool {
	if !hasURIScheme(s) || strings.ContainsAny(s, " \t\r\n<>\"{}|\\^`") {
		return false
	}
	// url.Parse cuts the fragment off first and checks its escapes alone;
	// control bytes are refused only before it.
	u, frag, _ := strings.Cut(s, "#")
	if !wellEscaped(frag) || hasControlByte(u) {
		return false
	}
	_, rest, _ := strings.Cut(u, ":") // the scheme is non-empty: hasURIScheme
	rest, _, _ = strings.Cut(rest, "?")
	switch {
	case !strings.HasPrefix(rest, "/"):
		return rest != "" // opaque: url.Parse checks nothing in it
	case !strings.HasPrefix(rest, "//"):
		return wellEscaped(rest) // a non-empty path
	}
	authority, path := rest[2:], ""
	if i := strings.IndexByte(authority, '/'); i >= 0 {
		authority, path = authority[:i], authority[i:]
	}
	if !isPlainHost(authority) {
		u, err := url.Parse(s)
		return err == nil && u.Scheme != "" && (u.Opaque != "" || u.Host != "" || u.Path != "")
	}
	return wellEscaped(path) && (authority != "" || path != "")
}

// wellEscaped reports whether every "%" in s starts an escape of two hex
// digits, all url.Parse asks of a path or a fragment.
func wellEscaped(s string) bool {
	for i := strings.IndexByte(s, '%'); i >= 0; i = strings.IndexByte(s, '%') {
		if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			return false
		}
		s = s[i+3:]
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// hasControlByte reports whether s holds an ASCII control byte, which
// url.Parse refuses.
func hasControlByte(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return true
		}
	}
	return false
}

// isPlainHost reports whether an authority is a host name of unreserved
// characters with at most a ":port" of digits, which url.Parse takes as
// it is; any other authority is left to url.Parse.
func isPlainHost(a string) bool {
	host, port, hasPort := strings.Cut(a, ":")
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	if hasPort {
		for i := 0; i < len(port); i++ {
			if port[i] < '0' || port[i] > '9' {
				return false
			}
		}
	}
	return true
}

// isCompactJWS reports whether s is a compact JWS whose protected header
// decodes and names a signature algorithm. It does not verify the signature.
func isCompactJWS(s string) bool {
	if !compactJWS.MatchString(s) {
		return false
	}
	msg, err := jws.Parse([]byte(s), jws.WithCompact())
	if err != nil || len(msg.Signatures()) != 1 {
		return false
	}
	alg := msg.Signatures()[0].ProtectedHeaders().Algorithm()
	return alg != "" && alg != jwa.NoSignature
}

func inRange(s string, limit float64) bool {
	f, err := strconv.ParseFloat(s, 64)
	return err == nil && f >= -limit && f <= limit
}

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

// Struct-level rules: what one field's tag cannot say.

func achievementCredentialRules(sl validator.StructLevel) {
	c := sl.Current().Addr().Interface().(*AchievementCredential)
	credentialRules(sl, &c.VerifiableCredential, "AchievementCredential", "OpenBadgeCredential")
}

func endorsementCredentialRules(sl validator.StructLevel) {
	c := sl.Current().Addr().Interface().(*EndorsementCredential)
	credentialRules(sl, &c.VerifiableCredential, "EndorsementCredential")
	if c.Name == "" {
		sl.ReportError(c.Name, "name", "Name", "required", "")
	}
}

// credentialRules checks a credential's context, version, types and dates;
// classes lists the type names of which one must appear beside
// VerifiableCredential.
func credentialRules(sl validator.StructLevel, c *VerifiableCredential, classes ...string) {
	version, err := c.version()
	if err != nil {
		sl.ReportError(c.Context, "@context", "Context", "version", err.Error())
	}
	urls := c.Context.URLs()
	at := func(i int) string {
		if i < len(c.Context) {
			return c.Context[i].URL
		}
		return ""
	}
	switch version {
	case VCDM11:
		if at(0) != ContextVCDM11 {
			sl.ReportError(c.Context, "@context", "Context", "context", "the first @context entry of a VCDM 1.1 credential must be "+ContextVCDM11)
		}
		if !slices.ContainsFunc(urls, obContext.MatchString) {
			sl.ReportError(c.Context, "@context", "Context", "context", "@context must include an OB 3.0 context such as "+ContextOB)
		}
	default:
		if at(0) != ContextVCDM20 || !obContext.MatchString(at(1)) {
			sl.ReportError(c.Context, "@context", "Context", "context",
				fmt.Sprintf("@context must begin with %s then %s, got %s", ContextVCDM20, ContextOB, quoteList(urls)))
		}
	}
	if !c.Type.Has("VerifiableCredential") || !slices.ContainsFunc(classes, c.Type.Has) {
		sl.ReportError(c.Type, "type", "Type", "type",
			fmt.Sprintf("type must include \"VerifiableCredential\" and %s, got %s", orList(classes), quoteList(c.Type)))
	}
	if version == VCDM11 {
		if c.IssuanceDate == "" {
			sl.ReportError(c.IssuanceDate, "issuanceDate", "IssuanceDate", "required", "")
		}
	} else if c.ValidFrom == "" && err == nil {
		sl.ReportError(c.ValidFrom, "validFrom", "ValidFrom", "required", "")
	}
	if used := extensionTypesUsed(c); len(used) > 0 && !c.Context.Has(ContextOBExtensions) {
		msg := fmt.Sprintf("%s %s defined only by %s; add it to @context", quoteList(used), isAre(len(used)), ContextOBExtensions)
		// An embedded credential (an endorsement) inherits the context of
		// the document around it, so JSON-LD still understands the terms
		// there; but the credential's own signature is checked on it alone,
		// where they are undefined.
		if top, ok := topContext(sl); ok && top.Has(ContextOBExtensions) {
			sl.ReportError(c.Context, "@context", "Context", warnInheritedContext,
				msg+" (the enclosing document's context defines them, but this credential is verified on its own)")
		} else {
			sl.ReportError(c.Context, "@context", "Context", "context", msg)
		}
	}
}

// warnInheritedContext tags the warning for an embedded credential that
// relies on its enclosing document's context.
const warnInheritedContext = "context-inherited"

// topContext returns the @context of the document being validated when the
// struct at hand is embedded in it.
func topContext(sl validator.StructLevel) (Context, bool) {
	if sl.Top().Kind() == reflect.Pointer && sl.Current().CanAddr() && sl.Top().Pointer() == sl.Current().Addr().Pointer() {
		return nil, false
	}
	switch top := sl.Top().Interface().(type) {
	case *AchievementCredential:
		return top.Context, true
	case *EndorsementCredential:
		return top.Context, true
	}
	return nil, false
}

func extensionTypesUsed(c *VerifiableCredential) []string {
	var used []string
	add := func(t string) {
		if slices.Contains(extensionTypes, t) && !slices.Contains(used, t) {
			used = append(used, t)
		}
	}
	for _, s := range c.CredentialSchema {
		add(string(s.Type))
	}
	for _, s := range c.CredentialStatus {
		add(string(s.Type))
	}
	for _, s := range c.RefreshService {
		add(string(s.Type))
	}
	return used
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

func orList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, " or ")
}

// current returns the struct a struct-level rule checks, in place when
// the validator reached it through a pointer (as it does from Validate),
// rather than a copy of it on the heap.
func current[T any](sl validator.StructLevel) *T {
	if v := sl.Current(); v.CanAddr() {
		if p, ok := v.Addr().Interface().(*T); ok {
			return p
		}
	}
	v := sl.Current().Interface().(T)
	return &v
}

func achievementSubjectRules(sl validator.StructLevel) {
	s := current[AchievementSubject](sl)
	if s.ID == "" && len(s.Identifier) == 0 {
		sl.ReportError(s.ID, "id", "ID", "subject-id", "credentialSubject needs an id or at least one identifier")
	}
}

// profileRules checks a Profile's type unless the Profile is only a
// reference by URI (ProfileRef), which has no type of its own.
func profileRules(sl validator.StructLevel) {
	p := current[Profile](sl)
	if !onlyID(sl.Current()) && !p.Type.Has("Profile") {
		sl.ReportError(p.Type, "type", "Type", "hastype", "Profile")
	}
}

// imageRules checks an Image's type unless the Image is only a URI.
func imageRules(sl validator.StructLevel) {
	i := current[Image](sl)
	if !onlyID(sl.Current()) && i.Type != "Image" {
		sl.ReportError(i.Type, "type", "Type", "eq", "Image")
	}
}

func criteriaRules(sl validator.StructLevel) {
	c := current[Criteria](sl)
	if c.ID == "" && c.Narrative == "" {
		sl.ReportError(c.ID, "id", "ID", "criteria", "criteria needs an id (a page describing them) or a narrative")
	}
}

func identityObjectRules(sl validator.StructLevel) {
	o := current[IdentityObject](sl)
	if o.Hashed && o.IdentityHash != "" && !identityHash.MatchString(o.IdentityHash) {
		sl.ReportError(o.IdentityHash, "identityHash", "IdentityHash", "identity-hash",
			"a hashed identityHash must be sha256$ followed by 64 hex digits, or md5$ followed by 32")
	}
}
