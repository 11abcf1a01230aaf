package credential

import (
	"errors"
	"fmt"
	"strings"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/go-openbadges/openbadges/schema"
)

// DataModelRules lists the names of the rules of the W3C Verifiable
// Credentials Data Model (VCDM 2.0 §4 and §5, and VCDM 1.1 for legacy
// documents) that CheckDataModel applies, and Check applies beside the
// Open Badges rules, with what each means. The names are stable;
// Problem.Rule carries them.
var DataModelRules = map[string]string{
	"vcdm/document":                  "the document is not a JSON object",
	"vcdm/context":                   "@context is missing, its first item is not the data model's base context, or a later item is neither a URL nor an object",
	"vcdm/id":                        "an id is not a single URL",
	"vcdm/type":                      "type is missing, is not one or more type names or URLs, or lacks VerifiableCredential (VerifiablePresentation)",
	"vcdm/name":                      "name is neither a string nor a language value object",
	"vcdm/description":               "description is neither a string nor a language value object",
	"vcdm/issuer":                    "issuer is missing, or is neither a URL nor an object whose id is a URL",
	"vcdm/credentialSubject":         "credentialSubject is missing, or is not one or more objects each making a claim",
	"vcdm/validFrom":                 "validFrom is not an XML Schema dateTimeStamp (a date-time with a time zone)",
	"vcdm/validUntil":                "validUntil is not an XML Schema dateTimeStamp (a date-time with a time zone)",
	"vcdm/validity-period":           "validUntil is earlier than validFrom",
	"vcdm/issuanceDate":              "VCDM 1.1: issuanceDate is missing or not an XML Schema dateTime",
	"vcdm/expirationDate":            "VCDM 1.1: expirationDate is not an XML Schema dateTime",
	"vcdm/credentialStatus":          "credentialStatus is not one or more objects",
	"vcdm/credentialStatus-type":     "a credentialStatus entry has no type, or its type is not type names or URLs",
	"vcdm/credentialStatus-id":       "VCDM 1.1: a credentialStatus entry has no id",
	"vcdm/credentialSchema":          "credentialSchema is not one or more objects",
	"vcdm/credentialSchema-type":     "a credentialSchema entry has no type, or its type is not type names or URLs",
	"vcdm/credentialSchema-id":       "a credentialSchema entry has no id",
	"vcdm/refreshService":            "refreshService is not one or more objects",
	"vcdm/refreshService-type":       "a refreshService entry has no type, or its type is not type names or URLs",
	"vcdm/refreshService-id":         "VCDM 1.1: a refreshService entry has no id",
	"vcdm/termsOfUse":                "termsOfUse is not one or more objects",
	"vcdm/termsOfUse-type":           "a termsOfUse entry has no type, or its type is not type names or URLs",
	"vcdm/evidence":                  "evidence is not one or more objects",
	"vcdm/evidence-type":             "an evidence entry has no type, or its type is not type names or URLs",
	"vcdm/relatedResource":           "relatedResource is not one or more objects",
	"vcdm/relatedResource-id":        "a relatedResource entry has no id, or the same id as another",
	"vcdm/relatedResource-digest":    "a relatedResource entry has neither digestSRI nor digestMultibase, or one that is malformed",
	"vcdm/relatedResource-mediaType": "a relatedResource entry's mediaType is not a media type",
	"vcdm/relatedResource-integrity": "a relatedResource digest does not match the resource, as this library holds it",
	"vcdm/holder":                    "holder is neither a URL nor an object whose id is a URL",
	"vcdm/verifiableCredential":      "verifiableCredential is not one or more credential objects",
	"vcdm/enveloped-id":              "an enveloped credential's or presentation's id is not a data: URL",
}

// Class names CheckDataModel reports in CheckResult.Class.
const (
	classCredential            = "VerifiableCredential"
	classPresentation          = "VerifiablePresentation"
	classEnvelopedCredential   = "EnvelopedVerifiableCredential"
	classEnvelopedPresentation = "EnvelopedVerifiablePresentation"
)

// CheckDataModel checks a JSON document against the rules of the W3C
// Verifiable Credentials Data Model that the document alone can show: the
// MUSTs of VCDM 2.0 §4 (contexts, identifiers, types, names and
// descriptions, issuer, credentialSubject, validity period, status, data
// schemas, presentations, enveloped credentials) and §5 (related
// resources, refresh services, terms of use, evidence), or, for a document
// whose @context begins with the VCDM 1.1 base context, those of VCDM 1.1
// (issuanceDate, expirationDate, and an id where 1.1 requires one). It works
// on the JSON as received, so it checks any credential, not only an Open
// Badge. Findings are Problems whose rules are listed in DataModelRules;
// the document conforms when none is an error.
//
// The document is read as the class its type names: a
// VerifiablePresentation (whose embedded credentials are checked too, each
// at its pointer), an EnvelopedVerifiableCredential or
// EnvelopedVerifiablePresentation (only the envelope: decoding its data:
// URL is the caller's job), and otherwise a VerifiableCredential. The
// class is reported in CheckResult.Class.
//
// A relatedResource digest is compared with the resource when the
// resource is one that opts.Loader serves (the JSON-LD contexts this
// library embeds, with their pinned bytes, and any extra ones the Loader
// was given): a digest that does not match is an error, since the
// credential would be read with a context other than the one its issuer
// secured. Other resources are not fetched, and their digests are only
// checked for form: this library does not use them, and a verifier that
// later retrieves one compares it then.
//
// CheckDataModel does not apply the JSON-LD processing rules (undefined
// terms, protected term redefinitions: see package verify), verify proofs
// or look at the clock. It returns an error only when it cannot check at
// all: the input is not JSON, is not UTF-8, or breaks the size or depth
// limits of opts.Parse.
func CheckDataModel(data []byte, opts *CheckOptions) (*CheckResult, error) {
	return checkDataModel(data, opts, kindAuto)
}

// CheckPresentationDataModel is CheckDataModel for a document that must be
// a verifiable presentation, whatever its type says: one whose type lacks
// VerifiablePresentation is reported as such, not checked as a
// credential.
func CheckPresentationDataModel(data []byte, opts *CheckOptions) (*CheckResult, error) {
	return checkDataModel(data, opts, kindPresentation)
}

// docKind is the class a document is checked as.
type docKind int

const (
	kindAuto docKind = iota // from its type
	kindCredential
	kindPresentation
	kindEnvelopedCredential
	kindEnvelopedPresentation
)

func checkDataModel(data []byte, opts *CheckOptions, want docKind) (*CheckResult, error) {
	if opts == nil {
		opts = &CheckOptions{}
	}
	maxBytes, maxDepth := opts.Parse.limits()
	t := trees.Get()
	defer trees.Put(t)
	t.Intern = interned()
	if err := jsonobj.ParseTree(data, maxBytes, maxDepth, t); err != nil {
		if errors.Is(err, jsonobj.ErrDuplicateMember) {
			return &CheckResult{Problems: []Problem{decodeProblem(err)}}, nil
		}
		return nil, decodeError(err)
	}
	m := &dataModel{opts: opts}
	r := &CheckResult{}
	if doc := (jnode{t, 0}); doc.isObject() {
		r.Class, r.Version = m.documentAt("", doc, want)
	} else {
		m.add("", "vcdm/document", "the document must be a JSON object, got %s", doc.describe())
	}
	if m.err != nil {
		return nil, m.err
	}
	sortProblems(m.problems)
	r.Problems = m.problems
	return r, nil
}

// dataModel collects the data model findings of one document.
type dataModel struct {
	opts     *CheckOptions
	problems []Problem
	loader   *schema.Loader // set on first use
	err      error          // the loader could not be built
}

func (m *dataModel) add(ptr, rule, format string, args ...any) {
	m.problems = append(m.problems, Problem{Pointer: ptr, Rule: rule, Message: fmt.Sprintf(format, args...)})
}

// document is documentAt for a document decoded into maps, read as a
// Tree.
func (m *dataModel) document(ptr string, doc map[string]any, want docKind) (string, Version) {
	t := trees.Get()
	defer trees.Put(t)
	if err := t.SetValue(doc); err != nil {
		m.err = fmt.Errorf("credential: %w", err)
		return "", VersionUnknown
	}
	return m.documentAt(ptr, jnode{t, 0}, want)
}

// documentAt checks doc, an object found at ptr, as the class want names
// (or its type names, for kindAuto), and returns that class and the data
// model version its @context declares.
func (m *dataModel) documentAt(ptr string, doc jnode, want docKind) (string, Version) {
	kind := want
	if kind == kindAuto {
		typ, _ := doc.get("type")
		switch {
		case typ.t != nil && typ.hasTypeName(classPresentation):
			kind = kindPresentation
		case typ.t != nil && typ.hasTypeName(classEnvelopedCredential):
			kind = kindEnvelopedCredential
		case typ.t != nil && typ.hasTypeName(classEnvelopedPresentation):
			kind = kindEnvelopedPresentation
		default:
			kind = kindCredential
		}
	}
	version := m.context(ptr, doc, kind)
	switch kind {
	case kindPresentation:
		m.presentation(ptr, doc, version)
		return classPresentation, version
	case kindEnvelopedCredential:
		m.enveloped(ptr, doc, "credential")
		return classEnvelopedCredential, version
	case kindEnvelopedPresentation:
		m.enveloped(ptr, doc, "presentation")
		return classEnvelopedPresentation, version
	}
	m.credential(ptr, doc, version)
	return classCredential, version
}

// context checks @context and returns the version it declares: VCDM 2.0
// when it names the 2.0 base context anywhere, VCDM 1.1 when it names the
// 1.1 one, VersionUnknown otherwise (the document is then held to the 2.0
// rules). Enveloped objects need a well-formed @context but not the base
// context first.
func (m *dataModel) context(ptr string, doc jnode, kind docKind) Version {
	p := ptr + "/@context"
	raw, present := doc.get("@context")
	if !present {
		m.add(p, "vcdm/context", "@context is required: an ordered set of contexts whose first item is %s", ContextVCDM20)
		return VersionUnknown
	}
	_, single := raw.str()
	version := VersionUnknown
	if single || raw.isArray() {
		raw.eachOne(func(_ int, item jnode) {
			switch {
			case item.isString(ContextVCDM20):
				version = VCDM20
			case item.isString(ContextVCDM11) && version == VersionUnknown:
				version = VCDM11
			}
		})
	}
	base := ContextVCDM20
	if version == VCDM11 {
		base = ContextVCDM11
	}
	switch {
	case !single && !raw.isArray():
		m.add(p, "vcdm/context", "@context must be an ordered set (an array) of context URLs and objects, got %s", raw.describe())
		return version
	case raw.isArray() && raw.empty():
		m.add(p, "vcdm/context", "@context is empty: its first item must be %s", base)
		return version
	}
	enveloped := kind == kindEnvelopedCredential || kind == kindEnvelopedPresentation
	raw.eachOne(func(i int, item jnode) {
		if i <= 0 && !enveloped {
			if !item.isString(base) {
				m.add(pointerAt(p, i), "vcdm/context", "the first @context item must be %s, got %s", base, item.describe())
			}
			return
		}
		switch v, isString := item.str(); {
		case isString:
			switch {
			case !isAbsoluteURI(v):
				m.add(pointerAt(p, i), "vcdm/context", "@context items must be URLs or objects: %q is not a URL", v)
			case version == VCDM20 && v == ContextVCDM11:
				m.add(pointerAt(p, i), "vcdm/context", "%s is the VCDM 1.1 base context; a VCDM 2.0 document cannot use it too (the two define the same protected terms differently)", v)
			}
		case item.isObject():
		default:
			m.add(pointerAt(p, i), "vcdm/context", "@context items must be URLs or objects, got %s", item.describe())
		}
	})
	return version
}

// credential checks a verifiable credential found at ptr.
func (m *dataModel) credential(ptr string, doc jnode, version Version) {
	v11 := version == VCDM11
	m.id(ptr, doc)
	m.typeIncludes(ptr, doc, classCredential)
	if !v11 {
		m.languageValue(ptr, doc, "name")
		m.languageValue(ptr, doc, "description")
	}
	m.issuer(ptr, doc, v11)
	m.credentialSubject(ptr, doc)
	if v11 {
		m.dateTime(ptr, doc, "issuanceDate", true, false)
		m.dateTime(ptr, doc, "expirationDate", false, false)
	} else {
		from, okFrom := m.dateTime(ptr, doc, "validFrom", false, true)
		until, okUntil := m.dateTime(ptr, doc, "validUntil", false, true)
		if okFrom && okUntil && until.Before(from) {
			fromNode, _ := doc.get("validFrom")
			untilNode, _ := doc.get("validUntil")
			fromStr, _ := fromNode.str()
			untilStr, _ := untilNode.str()
			m.add(ptr+"/validUntil", "vcdm/validity-period", "validUntil (%s) is earlier than validFrom (%s): the validity period must not end before it begins", untilStr, fromStr)
		}
	}
	m.typedObjects(ptr, doc, "credentialStatus", v11)
	m.typedObjects(ptr, doc, "credentialSchema", true)
	m.typedObjects(ptr, doc, "refreshService", v11)
	m.typedObjects(ptr, doc, "termsOfUse", false)
	m.typedObjects(ptr, doc, "evidence", false)
	if !v11 {
		m.relatedResources(ptr, doc)
	}
}

// presentation checks a verifiable presentation found at ptr, and each
// credential in it.
func (m *dataModel) presentation(ptr string, doc jnode, version Version) {
	v11 := version == VCDM11
	m.id(ptr, doc)
	m.typeIncludes(ptr, doc, classPresentation)
	if h, ok := doc.get("holder"); ok && !v11 {
		m.urlOrObject(ptr+"/holder", h, "vcdm/holder", "holder")
	}
	m.typedObjects(ptr, doc, "termsOfUse", false)
	raw, ok := doc.get("verifiableCredential")
	if !ok {
		return
	}
	p := ptr + "/verifiableCredential"
	if raw.isArray() && raw.empty() {
		m.add(p, "vcdm/verifiableCredential", "verifiableCredential must be one or more credentials; leave it out when there are none")
	}
	raw.eachOne(func(i int, item jnode) {
		if !item.isObject() {
			if _, isString := item.str(); isString && v11 {
				return // a VCDM 1.1 JWT presentation lists its credentials as JWTs
			}
			m.add(pointerAt(p, i), "vcdm/verifiableCredential", "verifiableCredential must hold credential objects (an enveloped one for a JWT), not %s", item.describe())
			return
		}
		kind := kindCredential
		if typ, ok := item.get("type"); ok && typ.hasTypeName(classEnvelopedCredential) {
			kind = kindEnvelopedCredential
		}
		m.documentAt(pointerAt(p, i), item, kind)
	})
}

// enveloped checks an EnvelopedVerifiableCredential or
// EnvelopedVerifiablePresentation: its id must carry the secured document
// in a data: URL.
func (m *dataModel) enveloped(ptr string, doc jnode, what string) {
	p := ptr + "/id"
	id, ok := doc.get("id")
	if !ok {
		m.add(p, "vcdm/enveloped-id", "an enveloped %s needs an id: a data: URL holding the secured %s", what, what)
		return
	}
	if s, isString := id.str(); !isString || !isDataURL(s) {
		m.add(p, "vcdm/enveloped-id", "the id of an enveloped %s must be a data: URL (data:<media type>,<secured %s>), got %s", what, what, id.describe())
	}
}

// isDataURL reports whether s is an RFC 2397 data: URL: "data:", an
// optional media type and parameters, a comma, the data.
func isDataURL(s string) bool {
	rest, ok := strings.CutPrefix(s, "data:")
	if !ok {
		return false
	}
	head, _, ok := strings.Cut(rest, ",")
	return ok && !strings.ContainsAny(head, " \t\r\n")
}

// id checks the id of the object at ptr, when it has one.
func (m *dataModel) id(ptr string, obj jnode) {
	v, ok := obj.get("id")
	if !ok {
		return
	}
	s, isString := v.str()
	switch {
	case !isString:
		m.add(ptr+"/id", "vcdm/id", "id must be a single URL, got %s", v.describe())
	case !isAbsoluteURI(s):
		m.add(ptr+"/id", "vcdm/id", "id must be a URL (with a scheme, such as https:, urn: or did:), got %q", s)
	}
}

// typeIncludes checks that the object at ptr has a type naming class.
func (m *dataModel) typeIncludes(ptr string, obj jnode, class string) {
	p := ptr + "/type"
	v, ok := obj.get("type")
	if !ok {
		m.add(p, "vcdm/type", "type is required and must include %q", class)
		return
	}
	if v.hasTypeName(class) {
		return
	}
	types, ok := v.typeNames()
	switch {
	case !ok:
		m.add(p, "vcdm/type", "type must be one or more type names or URLs (strings), including %q; got %s", class, v.describe())
	default:
		m.add(p, "vcdm/type", "type must include %q, got %s", class, quoteList(types))
	}
}
