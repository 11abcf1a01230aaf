package credential

import (
	"strconv"
)

// entry is one object of a property that holds one or more objects.
type entry struct {
	ptr string
	obj map[string]any
}

// objects returns the objects of obj's property name (one object, or an
// array of them), reporting under rule whatever else it holds.
func (m *dataModel) objects(ptr string, obj map[string]any, name, rule string) []entry {
	v, ok := obj[name]
	if !ok {
		return nil
	}
	p := ptr + "/" + escapePointer(name)
	switch v := v.(type) {
	case map[string]any:
		return []entry{{p, v}}
	case []any:
		if len(v) == 0 {
			m.add(p, rule, "%s must be one or more objects, got an empty array; leave it out when there are none", name)
			return nil
		}
		out := make([]entry, 0, len(v))
		for i, item := range v {
			at := p + "/" + strconv.Itoa(i)
			if o, ok := item.(map[string]any); ok {
				out = append(out, entry{at, o})
			} else {
				m.add(at, rule, "%s entries must be objects, got %s", name, describe(item))
			}
		}
		return out
	}
	m.add(p, rule, "%s must be an object or an array of objects, got %s", name, describe(v))
	return nil
}

// typeExamples are types the spec gives for the objects that must have
// one.
var typeExamples = map[string]string{
	"credentialStatus": "BitstringStatusListEntry",
	"credentialSchema": "JsonSchema",
	"refreshService":   "VerifiableCredentialRefreshService2021",
	"termsOfUse":       "TrustFrameworkPolicy",
	"evidence":         "Evidence",
}

// typedObjects checks a property whose objects must each have a type, and
// an id when idRequired.
func (m *dataModel) typedObjects(ptr string, obj map[string]any, name string, idRequired bool) {
	for _, e := range m.objects(ptr, obj, name, "vcdm/"+name) {
		if t, ok := e.obj["type"]; !ok {
			m.add(e.ptr+"/type", "vcdm/"+name+"-type", "each %s entry must have a type, such as %s", name, typeExamples[name])
		} else if _, ok := typeNames(t); !ok {
			m.add(e.ptr+"/type", "vcdm/"+name+"-type", "type must be one or more type names or URLs (strings), got %s", describe(t))
		}
		if _, ok := e.obj["id"]; !ok && idRequired {
			m.add(e.ptr+"/id", "vcdm/"+name+"-id", "each %s entry must have an id, a URL", name)
		}
		m.id(e.ptr, e.obj)
	}
}

// issuer checks the credential's issuer: a URL, or an object whose id is
// a URL.
func (m *dataModel) issuer(ptr string, doc map[string]any, v11 bool) {
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
func (m *dataModel) urlOrObject(p string, v any, rule, name string) (map[string]any, bool) {
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
			m.add(p+"/id", rule, "the %s's id must be a URL (with a scheme, such as https: or did:), got %s", name, describeValue(id))
		}
		return v, true
	}
	m.add(p, rule, "%s must be a URL or an object whose id is a URL, got %s", name, describe(v))
	return nil, false
}

// credentialSubject checks that the credential makes claims about one or
// more subjects.
func (m *dataModel) credentialSubject(ptr string, doc map[string]any) {
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
