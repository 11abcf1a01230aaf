package credential

import "strings"

// entry is one object of a property that holds one or more objects.
type entry struct {
	ptr string
	obj jnode
}

// objects returns the objects of obj's property name (one object, or an
// array of them), reporting under rule whatever else it holds.
func (m *dataModel) objects(ptr string, obj jnode, name, rule string) []entry {
	v, ok := obj.get(name)
	if !ok {
		return nil
	}
	p := ptr + "/" + escapePointer(name)
	switch {
	case v.isObject():
		return []entry{{p, v}}
	case v.isArray():
		if v.empty() {
			m.add(p, rule, "%s must be one or more objects, got an empty array; leave it out when there are none", name)
			return nil
		}
		out := make([]entry, 0, v.t.Len(v.i))
		v.eachOne(func(i int, item jnode) {
			if item.isObject() {
				out = append(out, entry{pointerAt(p, i), item})
			} else {
				m.add(pointerAt(p, i), rule, "%s entries must be objects, got %s", name, item.describe())
			}
		})
		return out
	}
	m.add(p, rule, "%s must be an object or an array of objects, got %s", name, v.describe())
	return nil
}

// ruleNames maps a property to its rule, "vcdm/" and the name, for the
// rules DataModelRules lists, so that checking a property does not build
// its rule's name.
var ruleNames = func() map[string]string {
	m := make(map[string]string, len(DataModelRules))
	for r := range DataModelRules {
		m[strings.TrimPrefix(r, "vcdm/")] = r
	}
	return m
}()

// ruleOf returns the rule of the property name: "vcdm/" and the name.
func ruleOf(name string) string {
	if r, ok := ruleNames[name]; ok {
		return r
	}
	return "vcdm/" + name
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
func (m *dataModel) typedObjects(ptr string, obj jnode, name string, idRequired bool) {
	for _, e := range m.objects(ptr, obj, name, ruleOf(name)) {
		if t, ok := e.obj.get("type"); !ok {
			m.add(e.ptr+"/type", "vcdm/"+name+"-type", "each %s entry must have a type, such as %s", name, typeExamples[name])
		} else if _, ok := t.typeNames(); !ok {
			m.add(e.ptr+"/type", "vcdm/"+name+"-type", "type must be one or more type names or URLs (strings), got %s", t.describe())
		}
		if _, ok := e.obj.get("id"); !ok && idRequired {
			m.add(e.ptr+"/id", "vcdm/"+name+"-id", "each %s entry must have an id, a URL", name)
		}
		m.id(e.ptr, e.obj)
	}
}

// issuer checks the credential's issuer: a URL, or an object whose id is
// a URL.
func (m *dataModel) issuer(ptr string, doc jnode, v11 bool) {
	p := ptr + "/issuer"
	v, ok := doc.get("issuer")
	if !ok {
		m.add(p, "vcdm/issuer", "issuer is required: the issuer's URL (such as a DID), or an object whose id is that URL")
		return
	}
	if m.urlOrObject(p, v, "vcdm/issuer", "issuer") && !v11 {
		m.languageValue(p, v, "name")
		m.languageValue(p, v, "description")
	}
}

// urlOrObject checks a value that must be a URL or an object whose id is
// a URL (issuer, holder), and reports whether it is an object.
func (m *dataModel) urlOrObject(p string, v jnode, rule, name string) bool {
	if s, ok := v.str(); ok {
		if !isAbsoluteURI(s) {
			m.add(p, rule, "%s must be a URL (with a scheme, such as https: or did:), got %q", name, s)
		}
		return false
	}
	if !v.isObject() {
		m.add(p, rule, "%s must be a URL or an object whose id is a URL, got %s", name, v.describe())
		return false
	}
	id, ok := v.get("id")
	if !ok {
		m.add(p+"/id", rule, "%s must have an id, the %s's URL", name, name)
		return true
	}
	if s, isString := id.str(); !isString || !isAbsoluteURI(s) {
		m.add(p+"/id", rule, "the %s's id must be a URL (with a scheme, such as https: or did:), got %s", name, id.describeValue())
	}
	return true
}

// credentialSubject checks that the credential makes claims about one or
// more subjects.
func (m *dataModel) credentialSubject(ptr string, doc jnode) {
	const rule = "vcdm/credentialSubject"
	if _, ok := doc.get("credentialSubject"); !ok {
		m.add(ptr+"/credentialSubject", rule, "credentialSubject is required: the subject the credential makes claims about, and the claims")
		return
	}
	for _, e := range m.objects(ptr, doc, "credentialSubject", rule) {
		if e.obj.empty() {
			m.add(e.ptr, rule, "a credentialSubject must make at least one claim; this one is empty")
		}
		m.id(e.ptr, e.obj)
	}
}
