package credential

import (
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// value checks one value of property p.
func (c *ob2Checker) value(at string, p ob2Prop, v any) {
	s, isString := v.(string)
	wantString := func(what string) bool {
		if !isString {
			c.add(at, "ob2/value", SeverityError, "%s is %s, not %s", p.name, what, jsonKind(v))
		}
		return isString
	}
	switch p.kind {
	case kText:
		if !isString {
			c.add(at, "ob2/text", SeverityError, "%s must be text, not %s", p.name, jsonKind(v))
		}
	case kTextOrNumber:
		if _, num := v.(json.Number); !isString && !num {
			c.add(at, "ob2/value", SeverityError, "%s must be text or a number, not %s", p.name, jsonKind(v))
		}
	case kBool:
		if _, ok := v.(bool); !ok {
			c.add(at, "ob2/boolean", SeverityError, "%s must be true or false, not %s", p.name, jsonKind(v))
		}
	case kIRI:
		if wantString("an IRI") && !ob2IRI(s) {
			c.add(at, "ob2/iri", SeverityError, "%s must be an IRI (an http or https URL, a urn:uuid or a blank node _:...), got %q", p.name, s)
		}
	case kURL:
		if wantString("a URL") && !httpURL(s) {
			c.add(at, "ob2/url", SeverityError, "%s must be an http or https URL, got %q", p.name, s)
		}
	case kDateTime:
		c.dateTime(at, p.name, v)
	case kEmail:
		if wantString("an email address") && !ob2Email.MatchString(s) {
			c.add(at, "ob2/email", SeverityError, "%s must be an email address, got %q", p.name, s)
		}
	case kTelephone:
		if wantString("a telephone number") && !ob2Telephone.MatchString(s) {
			c.add(at, "ob2/telephone", SeverityError, "%s must be a telephone number in E.164 form such as +16175551212, got %q", p.name, s)
		}
	case kOrigin:
		if wantString("a host name") && !ob2Host(s) {
			c.add(at, "ob2/origin", SeverityError, "%s entries are host names such as example.org (no scheme, port or path), got %q", p.name, s)
		}
	case kLanguage:
		if wantString("a language tag") && !languageCode.MatchString(s) {
			c.add(at, "ob2/language", SeverityError, "%s must be a language tag such as en or pt-BR, got %q", p.name, s)
		}
	case kVerificationProperty:
		if wantString("a property name") && s != "id" && !ob2IRI(s) && (c.terms == nil || c.terms[s] == "" && !strings.Contains(s, ":")) {
			c.add(at, "ob2/value", SeverityError, "%s must name a property (only id is supported), got %q", p.name, s)
		}
	case kImage, kImageNoDataURI:
		c.image(at, p, v)
	case kNode, kObject:
		switch v := v.(type) {
		case string:
			if p.kind == kObject {
				c.add(at, "ob2/value", SeverityError, "%s must be an object, not a string", p.name)
			} else if !ob2IRI(v) {
				c.add(at, "ob2/iri", SeverityError, "%s must be an IRI or an object, got %q", p.name, v)
			}
		case map[string]any:
			if p.class == "" {
				return // related: any class
			}
			if _, own := v["@context"]; own && p.class != "Endorsement" {
				return // a node in another vocabulary
			}
			c.object(at, v, ob2ClassRuleOf(p.class))
		default:
			c.add(at, "ob2/value", SeverityError, "%s must be an IRI or an object, not %s", p.name, jsonKind(v))
		}
	case kRevokedEntry:
		switch v := v.(type) {
		case string:
			if !ob2IRI(v) {
				c.add(at, "ob2/iri", SeverityError, "a revoked assertion given as a string is its id, an IRI; got %q", v)
			}
		case map[string]any:
			id, hasID := v["id"]
			uid, hasUID := v["uid"]
			switch {
			case !hasID && !hasUID:
				c.add(at, "ob2/revoked-entry", SeverityError, "a revoked assertion is identified by its id (or, for OB 1.x, its uid); this entry has neither")
			case hasID:
				c.value(at+"/id", ob2Prop{name: "id", kind: kIRI}, id)
			default:
				c.value(at+"/uid", ob2Prop{name: "uid", kind: kText}, uid)
			}
			if r, ok := v["revoked"]; ok {
				c.value(at+"/revoked", ob2Prop{name: "revoked", kind: kBool}, r)
			}
			if r, ok := v["revocationReason"]; ok {
				c.value(at+"/revocationReason", ob2Prop{name: "revocationReason", kind: kText}, r)
			}
		default:
			c.add(at, "ob2/value", SeverityError, "a revoked assertion is an id or an object, not %s", jsonKind(v))
		}
	}
}

func (c *ob2Checker) dateTime(at, name string, v any) {
	var d OB2DateTime
	switch v := v.(type) {
	case string:
		d = OB2DateTime{Text: v}
	case json.Number:
		c.add(at, "ob2/datetime", SeverityError, "%s is a Unix timestamp (%s), which OB 1.0 allowed; OB 2.0 requires an ISO 8601 string with a time zone, such as 2016-12-31T23:59:59+00:00", name, v)
		return
	default:
		c.add(at, "ob2/datetime", SeverityError, "%s must be an ISO 8601 date-time string, not %s", name, jsonKind(v))
		return
	}
	if !d.ISO8601() {
		c.add(at, "ob2/datetime", SeverityError, "%s must be an ISO 8601 date-time with a time zone, such as 2016-12-31T23:59:59+00:00; got %q", name, d.Text)
	}
}

func (c *ob2Checker) image(at string, p ob2Prop, v any) {
	check := func(at, s string) {
		switch {
		case isDataURI(s) && p.kind == kImageNoDataURI:
			c.add(at, "ob2/image", SeverityError, "an assertion's image must be a URL: the IMS validators refuse a data URI here (a BadgeClass or Profile image may be one)")
		case isDataURI(s), httpURL(s):
		default:
			c.add(at, "ob2/image", SeverityError, "%s must be an http or https URL or a data URI, got %q", p.name, s)
		}
	}
	switch v := v.(type) {
	case string:
		check(at, v)
	case map[string]any:
		c.types(at, v, ob2ClassRules["Image"])
		id, ok := v["id"]
		if s, isString := id.(string); !ok {
			c.add(at+"/id", "ob2/required", SeverityError, "an Image object's id (its URL or data URI) is required")
		} else if !isString {
			c.add(at+"/id", "ob2/image", SeverityError, "an Image's id is a URL or data URI, not %s", jsonKind(id))
		} else {
			check(at+"/id", s)
		}
		for _, q := range ob2ClassRules["Image"].props {
			if e, ok := v[q.name]; ok {
				c.value(at+"/"+q.name, q, e)
			}
		}
	default:
		c.add(at, "ob2/image", SeverityError, "%s must be a URL, a data URI or an Image object, not %s", p.name, jsonKind(v))
	}
}

// special applies the rules a property table cannot express.
func (c *ob2Checker) special(ptr string, obj map[string]any, rule *ob2ClassRule) {
	switch rule {
	case ob2ClassRules["IdentityObject"]:
		t, ok := obj["type"].(string)
		switch {
		case obj["type"] == nil:
			c.add(ptr+"/type", "ob2/required", SeverityError, "type is required: the profile property the identity is a value of, such as email")
		case !ok:
			c.add(ptr+"/type", "ob2/type", SeverityError, "the recipient's type is one property name, not %s", jsonKind(obj["type"]))
		case !slices.Contains([]string{"id", "email", "url", "telephone"}, t):
			c.add(ptr+"/type", "ob2/identity-type", SeverityWarning, "recipient type %q is not one of id, email, url and telephone, the identifier properties verifiers know", t)
		}
		if id, ok := obj["identity"].(string); ok && obj["hashed"] == true && !ob2IdentityHash.MatchString(id) {
			c.add(ptr+"/identity", "ob2/identity", SeverityError, "a hashed identity is sha256$ and 64 hex digits, or md5$ and 32; got %q", id)
		}
	case ob2ClassRules["VerificationAssertion"]:
		types := stringsOf(obj["type"])
		switch {
		case obj["type"] == nil:
			c.add(ptr+"/type", "ob2/required", SeverityError, "type is required: HostedBadge or SignedBadge")
		case !slices.ContainsFunc(types, func(t string) bool {
			return t == OB2HostedBadge || t == OB2SignedBadge || t == "hosted" || t == "signed"
		}):
			c.add(ptr+"/type", "ob2/verification", SeverityError, "the verification type must be HostedBadge or SignedBadge (or their aliases hosted and signed)")
		}
	case ob2ClassRules["Assertion"]:
		c.assertion(ptr, obj)
	case ob2ClassRules["Profile"]:
		c.issuerID(ptr+"/id", obj)
	}
}

// assertion applies the rules between an assertion's properties.
func (c *ob2Checker) assertion(ptr string, obj map[string]any) {
	ver, _ := obj["verification"].(map[string]any)
	if ver == nil {
		ver, _ = obj["verify"].(map[string]any)
	}
	if id, ok := obj["id"].(string); ok && ver != nil && ob2IRI(id) && !httpURL(id) {
		if t := stringsOf(ver["type"]); slices.Contains(t, OB2HostedBadge) || slices.Contains(t, "hosted") {
			c.add(ptr+"/id", "ob2/hosted-id", SeverityError, "a hosted assertion is verified by fetching its id, so the id must be an http or https URL; got %q", id)
		}
	}
	issued, ok1 := obj["issuedOn"].(string)
	expires, ok2 := obj["expires"].(string)
	if ok1 && ok2 {
		i, err1 := OB2DateTime{Text: issued}.Time()
		e, err2 := OB2DateTime{Text: expires}.Time()
		if err1 == nil && err2 == nil && e.Before(i) {
			c.add(ptr+"/expires", "ob2/expires", SeverityError, "expires (%s) is before issuedOn (%s)", expires, issued)
		}
	}
}

// issuerID warns about an issuer whose id cannot be fetched.
func (c *ob2Checker) issuerID(at string, issuer map[string]any) {
	if id, ok := issuer["id"].(string); ok && ob2IRI(id) && !httpURL(id) {
		c.add(at, "ob2/issuer-id", SeverityWarning, "the issuer's id %q is not an http or https URL: its profile cannot be fetched, and many platforms handle only issuers hosted at one", id)
	}
}

var (
	ob2Email        = regexp.MustCompile(`^[^@\s]+@[^@\s]+$`)
	ob2Telephone    = regexp.MustCompile(`^\+?[1-9]\d{1,14}(;ext=\d+)?$`)
	ob2IdentityHash = regexp.MustCompile(`^(?:(?i:md5)\$[0-9a-fA-F]{32}|(?i:sha256)\$[0-9a-fA-F]{64})$`)
	ob2UUID         = regexp.MustCompile(`^(?i:urn:uuid:)[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	ob2Label        = regexp.MustCompile(`^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$`)
	ob2TLD          = regexp.MustCompile(`^[a-zA-Z]{2,63}$`)
)

// ob2IRI reports whether s is an IRI of a scheme OB 2.0 verifiers accept:
// an http or https URL, a urn:uuid, or a blank node identifier.
func ob2IRI(s string) bool {
	return len(s) > 2 && strings.HasPrefix(s, "_:") || ob2UUID.MatchString(s) || httpURL(s)
}

// httpURL reports whether s is an absolute http or https URL with a host.
func httpURL(s string) bool {
	if strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	return scheme == "http" || scheme == "https"
}

func isDataURI(s string) bool {
	return len(s) > 5 && strings.EqualFold(s[:5], "data:") && strings.Contains(s, ",")
}

// ob2Host reports whether s is a DNS host name with a top-level domain,
// and nothing else (the "host registered name" of RFC 3986 that
// allowedOrigins holds).
func ob2Host(s string) bool {
	if len(s) < 4 || len(s) > 253 {
		return false
	}
	labels := strings.Split(s, ".")
	if len(labels) < 2 || !ob2TLD.MatchString(labels[len(labels)-1]) {
		return false
	}
	for _, l := range labels {
		if !ob2Label.MatchString(l) {
			return false
		}
	}
	return true
}
