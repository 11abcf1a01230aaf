package credential

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/go-playground/validator/v10"
)

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
