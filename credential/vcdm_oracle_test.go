package credential

// The VC data model rules as they were before they read the parsed Tree in
// place: on maps from jsonobj.Parse and Tree.Value. They are kept here,
// unchanged but for their names, as the oracle vcdm_tree_test.go holds
// the rules to.

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/go-openbadges/openbadges/schema"
)

func mapCheckDataModel(data []byte, opts *CheckOptions, want docKind) (*CheckResult, error) {
	if opts == nil {
		opts = &CheckOptions{}
	}
	maxBytes, maxDepth := opts.Parse.limits()
	v, err := jsonobj.Parse(data, maxBytes, maxDepth)
	if err != nil {
		if errors.Is(err, jsonobj.ErrDuplicateMember) {
			return &CheckResult{Problems: []Problem{decodeProblem(err)}}, nil
		}
		return nil, decodeError(err)
	}
	m := &mapModel{opts: opts}
	r := &CheckResult{}
	if doc, ok := v.(map[string]any); ok {
		r.Class, r.Version = m.document("", doc, want)
	} else {
		m.add("", "vcdm/document", "the document must be a JSON object, got %s", mapDescribe(v))
	}
	if m.err != nil {
		return nil, m.err
	}
	sortProblems(m.problems)
	r.Problems = m.problems
	return r, nil
}

func (m *mapModel) add(ptr, rule, format string, args ...any) {
	m.problems = append(m.problems, Problem{Pointer: ptr, Rule: rule, Message: fmt.Sprintf(format, args...)})
}

// document checks doc, found at ptr, as the class want names (or its type
// names, for kindAuto), and returns that class and the data model version
// its @context declares.
func (m *mapModel) document(ptr string, doc map[string]any, want docKind) (string, Version) {
	kind := want
	if kind == kindAuto {
		types, _ := mapTypeNames(doc["type"])
		switch {
		case slices.Contains(types, classPresentation):
			kind = kindPresentation
		case slices.Contains(types, classEnvelopedCredential):
			kind = kindEnvelopedCredential
		case slices.Contains(types, classEnvelopedPresentation):
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
func (m *mapModel) context(ptr string, doc map[string]any, kind docKind) Version {
	p := ptr + "/@context"
	raw, present := doc["@context"]
	var items []any
	single := false
	switch v := raw.(type) {
	case string:
		items, single = []any{v}, true
	case []any:
		items = v
	}
	version := VersionUnknown
	switch {
	case slices.Contains(items, any(ContextVCDM20)):
		version = VCDM20
	case slices.Contains(items, any(ContextVCDM11)):
		version = VCDM11
	}
	base := ContextVCDM20
	if version == VCDM11 {
		base = ContextVCDM11
	}
	switch {
	case !present:
		m.add(p, "vcdm/context", "@context is required: an ordered set of contexts whose first item is %s", base)
		return version
	case items == nil:
		m.add(p, "vcdm/context", "@context must be an ordered set (an array) of context URLs and objects, got %s", mapDescribe(raw))
		return version
	case len(items) == 0:
		m.add(p, "vcdm/context", "@context is empty: its first item must be %s", base)
		return version
	}
	at := func(i int) string {
		if single {
			return p
		}
		return p + "/" + strconv.Itoa(i)
	}
	enveloped := kind == kindEnvelopedCredential || kind == kindEnvelopedPresentation
	for i, item := range items {
		if i == 0 && !enveloped {
			if item != any(base) {
				m.add(at(0), "vcdm/context", "the first @context item must be %s, got %s", base, mapDescribe(item))
			}
			continue
		}
		switch v := item.(type) {
		case string:
			switch {
			case !isAbsoluteURI(v):
				m.add(at(i), "vcdm/context", "@context items must be URLs or objects: %q is not a URL", v)
			case version == VCDM20 && v == ContextVCDM11:
				m.add(at(i), "vcdm/context", "%s is the VCDM 1.1 base context; a VCDM 2.0 document cannot use it too (the two define the same protected terms differently)", v)
			}
		case map[string]any:
		default:
			m.add(at(i), "vcdm/context", "@context items must be URLs or objects, got %s", mapDescribe(item))
		}
	}
	return version
}

// credential checks a verifiable credential found at ptr.
func (m *mapModel) credential(ptr string, doc map[string]any, version Version) {
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
			m.add(ptr+"/validUntil", "vcdm/validity-period", "validUntil (%s) is earlier than validFrom (%s): the validity period must not end before it begins", doc["validUntil"], doc["validFrom"])
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
func (m *mapModel) presentation(ptr string, doc map[string]any, version Version) {
	v11 := version == VCDM11
	m.id(ptr, doc)
	m.typeIncludes(ptr, doc, classPresentation)
	if h, ok := doc["holder"]; ok && !v11 {
		m.urlOrObject(ptr+"/holder", h, "vcdm/holder", "holder")
	}
	m.typedObjects(ptr, doc, "termsOfUse", false)
	raw, ok := doc["verifiableCredential"]
	if !ok {
		return
	}
	p := ptr + "/verifiableCredential"
	items, single := []any{raw}, true
	if a, isArray := raw.([]any); isArray {
		items, single = a, false
		if len(a) == 0 {
			m.add(p, "vcdm/verifiableCredential", "verifiableCredential must be one or more credentials; leave it out when there are none")
		}
	}
	for i, item := range items {
		at := p
		if !single {
			at = p + "/" + strconv.Itoa(i)
		}
		obj, isObject := item.(map[string]any)
		if !isObject {
			if _, isString := item.(string); isString && v11 {
				continue // a VCDM 1.1 JWT presentation lists its credentials as JWTs
			}
			m.add(at, "vcdm/verifiableCredential", "verifiableCredential must hold credential objects (an enveloped one for a JWT), not %s", mapDescribe(item))
			continue
		}
		kind := kindCredential
		if types, _ := mapTypeNames(obj["type"]); slices.Contains(types, classEnvelopedCredential) {
			kind = kindEnvelopedCredential
		}
		m.document(at, obj, kind)
	}
}

// enveloped checks an EnvelopedVerifiableCredential or
// EnvelopedVerifiablePresentation: its id must carry the secured document
// in a data: URL.
func (m *mapModel) enveloped(ptr string, doc map[string]any, what string) {
	p := ptr + "/id"
	id, ok := doc["id"]
	s, isString := id.(string)
	switch {
	case !ok:
		m.add(p, "vcdm/enveloped-id", "an enveloped %s needs an id: a data: URL holding the secured %s", what, what)
	case !isString || !isDataURL(s):
		m.add(p, "vcdm/enveloped-id", "the id of an enveloped %s must be a data: URL (data:<media type>,<secured %s>), got %s", what, what, mapDescribe(id))
	}
}

// id checks the id of the object at ptr, when it has one.
func (m *mapModel) id(ptr string, obj map[string]any) {
	v, ok := obj["id"]
	if !ok {
		return
	}
	s, isString := v.(string)
	switch {
	case !isString:
		m.add(ptr+"/id", "vcdm/id", "id must be a single URL, got %s", mapDescribe(v))
	case !isAbsoluteURI(s):
		m.add(ptr+"/id", "vcdm/id", "id must be a URL (with a scheme, such as https:, urn: or did:), got %q", s)
	}
}

// typeIncludes checks that the object at ptr has a type naming class.
func (m *mapModel) typeIncludes(ptr string, obj map[string]any, class string) {
	p := ptr + "/type"
	v, ok := obj["type"]
	if !ok {
		m.add(p, "vcdm/type", "type is required and must include %q", class)
		return
	}
	types, ok := mapTypeNames(v)
	switch {
	case !ok:
		m.add(p, "vcdm/type", "type must be one or more type names or URLs (strings), including %q; got %s", class, mapDescribe(v))
	case !slices.Contains(types, class):
		m.add(p, "vcdm/type", "type must include %q, got %s", class, quoteList(types))
	}
}

// mapEntry is one object of a property that holds one or more objects.
type mapEntry struct {
	ptr string
	obj map[string]any
}

// objects returns the objects of obj's property name (one object, or an
// array of them), reporting under rule whatever else it holds.
func (m *mapModel) objects(ptr string, obj map[string]any, name, rule string) []mapEntry {
	v, ok := obj[name]
	if !ok {
		return nil
	}
	p := ptr + "/" + escapePointer(name)
	switch v := v.(type) {
	case map[string]any:
		return []mapEntry{{p, v}}
	case []any:
		if len(v) == 0 {
			m.add(p, rule, "%s must be one or more objects, got an empty array; leave it out when there are none", name)
			return nil
		}
		out := make([]mapEntry, 0, len(v))
		for i, item := range v {
			at := p + "/" + strconv.Itoa(i)
			if o, ok := item.(map[string]any); ok {
				out = append(out, mapEntry{at, o})
			} else {
				m.add(at, rule, "%s entries must be objects, got %s", name, mapDescribe(item))
			}
		}
		return out
	}
	m.add(p, rule, "%s must be an object or an array of objects, got %s", name, mapDescribe(v))
	return nil
}

// typedObjects checks a property whose objects must each have a type, and
// an id when idRequired.
func (m *mapModel) typedObjects(ptr string, obj map[string]any, name string, idRequired bool) {
	for _, e := range m.objects(ptr, obj, name, "vcdm/"+name) {
		if t, ok := e.obj["type"]; !ok {
			m.add(e.ptr+"/type", "vcdm/"+name+"-type", "each %s entry must have a type, such as %s", name, typeExamples[name])
		} else if _, ok := mapTypeNames(t); !ok {
			m.add(e.ptr+"/type", "vcdm/"+name+"-type", "type must be one or more type names or URLs (strings), got %s", mapDescribe(t))
		}
		if _, ok := e.obj["id"]; !ok && idRequired {
			m.add(e.ptr+"/id", "vcdm/"+name+"-id", "each %s entry must have an id, a URL", name)
		}
		m.id(e.ptr, e.obj)
	}
}

// issuer checks the credential's issuer: a URL, or an object whose id is
// a URL.
func (m *mapModel) issuer(ptr string, doc map[string]any, v11 bool) {
	p := ptr + "/issuer"
	v, ok := doc["issuer"]
	if !ok {
		m.add(p, "vcdm/issuer", "issuer is required: the issuer's URL (such as a DID), or an object whose id is that URL")
		return
	}
	if obj, ok := m.urlOrObject(p, v, "vcdm/issuer", "issuer"); ok && !v11 {
		m.languageValue(p, obj, "name")
		m.languageValue(p, obj, "description")
	}
}

// urlOrObject checks a value that must be a URL or an object whose id is
// a URL (issuer, holder), and returns the object if it is one.
func (m *mapModel) urlOrObject(p string, v any, rule, name string) (map[string]any, bool) {
	switch v := v.(type) {
	case string:
		if !isAbsoluteURI(v) {
			m.add(p, rule, "%s must be a URL (with a scheme, such as https: or did:), got %q", name, v)
		}
		return nil, false
	case map[string]any:
		id, ok := v["id"]
		s, isString := id.(string)
		switch {
		case !ok:
			m.add(p+"/id", rule, "%s must have an id, the %s's URL", name, name)
		case !isString || !isAbsoluteURI(s):
			m.add(p+"/id", rule, "the %s's id must be a URL (with a scheme, such as https: or did:), got %s", name, mapDescribeValue(id))
		}
		return v, true
	}
	m.add(p, rule, "%s must be a URL or an object whose id is a URL, got %s", name, mapDescribe(v))
	return nil, false
}

// credentialSubject checks that the credential makes claims about one or
// more subjects.
func (m *mapModel) credentialSubject(ptr string, doc map[string]any) {
	const rule = "vcdm/credentialSubject"
	if _, ok := doc["credentialSubject"]; !ok {
		m.add(ptr+"/credentialSubject", rule, "credentialSubject is required: the subject the credential makes claims about, and the claims")
		return
	}
	for _, e := range m.objects(ptr, doc, "credentialSubject", rule) {
		if len(e.obj) == 0 {
			m.add(e.ptr, rule, "a credentialSubject must make at least one claim; this one is empty")
		}
		m.id(e.ptr, e.obj)
	}
}

// languageValue checks a name or description: a string, a language value
// object, or an array of them (one per language).
func (m *mapModel) languageValue(ptr string, obj map[string]any, name string) {
	v, ok := obj[name]
	if !ok {
		return
	}
	p, rule := ptr+"/"+name, "vcdm/"+name
	items, single := []any{v}, true
	if a, ok := v.([]any); ok {
		items, single = a, false
		if len(a) == 0 {
			m.add(p, rule, "%s must be a string or language value objects, got an empty array", name)
		}
	}
	for i, item := range items {
		at := p
		if !single {
			at = p + "/" + strconv.Itoa(i)
		}
		switch item := item.(type) {
		case string:
		case map[string]any:
			m.languageObject(at, item, rule)
		default:
			m.add(at, rule, `%s must be a string or a language value object ({"@value": "…", "@language": "en"}), got %s`, name, mapDescribe(item))
		}
	}
}

// languageObject checks a language value object (VCDM 2.0 §11.1): @value,
// a string; @language, a language tag; @direction, ltr or rtl; nothing
// else.
func (m *mapModel) languageObject(p string, o map[string]any, rule string) {
	if v, ok := o["@value"]; !ok {
		m.add(p+"/@value", rule, "a language value object needs @value, the text")
	} else if _, ok := v.(string); !ok {
		m.add(p+"/@value", rule, "@value must be the text, a string; got %s", mapDescribe(v))
	}
	if v, ok := o["@language"]; ok && v != nil {
		if s, ok := v.(string); !ok || !languageTag.MatchString(s) {
			m.add(p+"/@language", rule, "@language must be a language tag such as en or pt-BR, got %s", mapDescribeValue(v))
		}
	}
	if v, ok := o["@direction"]; ok && v != nil && v != any("ltr") && v != any("rtl") {
		m.add(p+"/@direction", rule, `@direction must be "ltr" or "rtl", got %s`, mapDescribeValue(v))
	}
	keys := make([]string, 0, len(o))
	for k := range o {
		if k != "@value" && k != "@language" && k != "@direction" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		m.add(p+"/"+escapePointer(k), rule, "a language value object holds only @value, @language and @direction, not %q", k)
	}
}

// dateTime checks a date-time property: an XML Schema dateTimeStamp when
// zone is set (VCDM 2.0), a dateTime otherwise (VCDM 1.1). It returns the
// instant when the value is valid and within the years time.Time parses.
func (m *mapModel) dateTime(ptr string, obj map[string]any, name string, required, zone bool) (time.Time, bool) {
	p, rule := ptr+"/"+name, "vcdm/"+name
	v, ok := obj[name]
	if !ok {
		if required {
			m.add(p, rule, "%s is required: when the credential becomes valid, such as 2024-03-01T12:00:00Z", name)
		}
		return time.Time{}, false
	}
	s, ok := v.(string)
	if !ok {
		m.add(p, rule, "%s must be a date-time string such as 2024-03-01T12:00:00Z, got %s", name, mapDescribe(v))
		return time.Time{}, false
	}
	t, comparable, err := parseXSDDateTime(s, zone)
	if err != nil {
		m.add(p, rule, "%s: %v", name, err)
		return time.Time{}, false
	}
	return t, comparable
}

// describe names the kind of a decoded JSON value, for messages.
func mapDescribe(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(v)
	case bool:
		return "a boolean"
	case []any:
		if len(v) == 0 {
			return "an empty array"
		}
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "a number"
}

// describeValue is describe, with numbers shown.
func mapDescribeValue(v any) string {
	if n, ok := v.(interface{ String() string }); ok {
		return n.String()
	}
	return mapDescribe(v)
}

// typeNames returns the type names of a type value: one non-empty string,
// or a non-empty array of them.
func mapTypeNames(v any) ([]string, bool) {
	switch v := v.(type) {
	case string:
		return []string{v}, v != ""
	case []any:
		out := make([]string, 0, len(v))
		for _, t := range v {
			s, ok := t.(string)
			if !ok || s == "" {
				return nil, false
			}
			out = append(out, s)
		}
		return out, len(out) > 0
	}
	return nil, false
}

// endorsements applies the credential rules to every endorsement
// credential inside v (OB 3.0's endorsement property, of credentials,
// achievements and profiles), each at its pointer. What is not an object
// there is the OB rules' to report.
func (m *mapModel) endorsements(ptr string, v any) {
	var path []string
	m.findEndorsements(ptr, &path, v)
}

// findEndorsements is endorsements with the pointer of v given as ptr and
// the tokens in path, joined only where an endorsement is found.
func (m *mapModel) findEndorsements(ptr string, path *[]string, v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			if k == "@context" {
				continue
			}
			*path = append(*path, k)
			if k == "endorsement" {
				p := joinPointer(ptr, *path)
				switch e := child.(type) {
				case map[string]any:
					m.document(p, e, kindCredential)
				case []any:
					for i, item := range e {
						if obj, ok := item.(map[string]any); ok {
							m.document(p+"/"+strconv.Itoa(i), obj, kindCredential)
						}
					}
				}
			}
			m.findEndorsements(ptr, path, child)
			*path = (*path)[:len(*path)-1]
		}
	case []any:
		for i, item := range v {
			*path = append(*path, strconv.Itoa(i))
			m.findEndorsements(ptr, path, item)
			*path = (*path)[:len(*path)-1]
		}
	}
}

// relatedResources checks relatedResource: objects with a unique URL id
// and at least one well-formed digest, which must match the resource when
// the Loader holds it.
func (m *mapModel) relatedResources(ptr string, doc map[string]any) {
	seen := map[string]string{}
	for _, e := range m.objects(ptr, doc, "relatedResource", "vcdm/relatedResource") {
		idv, hasID := e.obj["id"]
		id, _ := idv.(string)
		switch {
		case !hasID:
			m.add(e.ptr+"/id", "vcdm/relatedResource-id", "each relatedResource needs an id, the URL of the resource its digest is of")
		case !isAbsoluteURI(id):
			m.id(e.ptr, e.obj)
			id = ""
		case seen[id] != "":
			m.add(e.ptr+"/id", "vcdm/relatedResource-id", "%q is also the id of %s: each resource is listed once", id, seen[id])
		default:
			seen[id] = e.ptr
		}
		if v, ok := e.obj["mediaType"]; ok {
			if s, ok := v.(string); !ok || !isMediaType(s) {
				m.add(e.ptr+"/mediaType", "vcdm/relatedResource-mediaType", "mediaType must be a media type such as application/ld+json, got %s", mapDescribeValue(v))
			}
		}
		sri, hasSRI := e.obj["digestSRI"]
		mb, hasMB := e.obj["digestMultibase"]
		if !hasSRI && !hasMB {
			m.add(e.ptr, "vcdm/relatedResource-digest", "each relatedResource needs a digestSRI or a digestMultibase: without one it secures nothing")
			continue
		}
		var ds []digest
		if hasSRI {
			ds = append(ds, m.digests(e.ptr+"/digestSRI", sri, parseSRI)...)
		}
		if hasMB {
			ds = append(ds, m.digests(e.ptr+"/digestMultibase", mb, parseMultibaseDigest)...)
		}
		if id != "" && len(ds) > 0 {
			m.integrity(id, ds)
		}
	}
}

// digests reads a digestSRI or digestMultibase value: one string or an
// array of strings, each read by parse.
func (m *mapModel) digests(p string, v any, parse func(string) (digest, error)) []digest {
	items, single := []any{v}, true
	if a, ok := v.([]any); ok {
		items, single = a, false
		if len(a) == 0 {
			m.add(p, "vcdm/relatedResource-digest", "a digest must be a string or an array of strings, got an empty array")
		}
	}
	var out []digest
	for i, item := range items {
		at := p
		if !single {
			at = p + "/" + strconv.Itoa(i)
		}
		s, ok := item.(string)
		if !ok {
			m.add(at, "vcdm/relatedResource-digest", "a digest must be a string, got %s", mapDescribe(item))
			continue
		}
		d, err := parse(s)
		if err != nil {
			m.add(at, "vcdm/relatedResource-digest", "%v", err)
			continue
		}
		d.ptr = at
		out = append(out, d)
	}
	return out
}

// integrity compares digests with the resource at id when the Loader
// holds it.
func (m *mapModel) integrity(id string, ds []digest) {
	l := m.contexts()
	if l == nil {
		return
	}
	body, err := l.ContextBytes(id)
	if err != nil {
		return // not held, so not used: see CheckDataModel
	}
	for _, d := range ds {
		if want := d.alg.sum(body); !bytes.Equal(want, d.sum) {
			m.add(d.ptr, "vcdm/relatedResource-integrity", "the digest does not match %s as this library holds it (a pinned copy of the published document), whose %s digest is %s: the digest is wrong, or was made from another version of the resource", id, d.alg.name, d.format(want))
		}
	}
}

// contexts returns the Loader that relatedResource digests are checked
// against, or nil (with m.err set) when it cannot be built.
func (m *mapModel) contexts() *schema.Loader {
	if m.loader != nil || m.err != nil {
		return m.loader
	}
	if m.loader = m.opts.Loader; m.loader == nil {
		l, err := defaultLoader()
		if err != nil {
			m.err = fmt.Errorf("credential: loading the embedded contexts: %w", err)
			return nil
		}
		m.loader = l
	}
	return m.loader
}

// mapModel collects the data model findings of one document.
type mapModel struct {
	opts     *CheckOptions
	problems []Problem
	loader   *schema.Loader // set on first use
	err      error          // the loader could not be built
}
