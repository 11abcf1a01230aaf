package verify

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/go-openbadges/openbadges/bake"
	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/fetch"
	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

// Open Badges 2.0 assertions are verified as the OB 2.0 specification's
// Verification section says, reading it as the 1EdTech validator does
// where the text leaves a choice, and more strictly where trust is
// concerned: the issuer's Profile is always the one published at its id
// (an embedded copy is never trusted), and so is every key and revocation
// list; a key must name the issuer as its owner and the issuer's Profile
// must list it; a hosted assertion must be the one its issuer hosts,
// within the issuer's verification policy. The report's checks are
// ob20Checks, in that order.

// versionOB20 is the report's Version of an Open Badges 2.0 object.
const versionOB20 = "OB 2.0"

// ob20Checks are the checks of an Open Badges 2.0 report, in order.
var ob20Checks = []string{CheckInput, CheckContext, CheckRules, CheckBadge, CheckProof, CheckIssuer, CheckStatus, CheckValidity, CheckRecipient, CheckEndorsements}

// ob20Input is an Open Badges 2.0 (or older) input as found: the object's
// JSON, a compact JWS and its payload, or the URL of a hosted object.
type ob20Input struct {
	form    string // the report's Input: "json", "jws", "url", "png" or "svg"
	text    []byte // the JSON as given (a JWS's payload); nil for a URL
	token   []byte // the compact JWS, if one was given
	url     string // the URL, if one was given
	version string // "2.0" or "1.x"
}

// ob20 is one Open Badges 2.0 verification: of an Assertion, or of an
// Endorsement (of a profile, badge class or assertion).
type ob20 struct {
	r  *run
	in ob20Input
	// endorsement is true for an Endorsement; claimOf is then the id of
	// what it must be about ("" when it is verified on its own).
	endorsement bool
	claimOf     string

	text  []byte // the object's JSON as verified
	given []byte // the JSON given, when it must be the hosted copy
	a     *credential.OB2Assertion
	e     *credential.OB2Endorsement
	id    string
	ver   *credential.OB2Verification

	hosted    bool  // text is the copy found at the object's id
	hostedErr error // why the hosted copy could not be had
	// revokedAtHost says how the issuer revoked a hosted object: its copy
	// says so, or its id answers 410 Gone. There is then nothing else to
	// check.
	revokedAtHost string

	badge    *credential.OB2BadgeClass
	issuerID string
	profile  *credential.OB2Profile // the issuer's, as published at its id
	// unlinked says why the BadgeClass or the issuer's Profile cannot be
	// used ("" when they can), and unlinkedOutcome how the badge check
	// ended then.
	unlinked        string
	unlinkedOutcome Outcome
}

// vcMembers are the members that make an object a Verifiable Credential or
// Presentation, or a JWT's claims of one, and not an older badge.
var vcMembers = [...]string{"credentialSubject", "verifiableCredential", "vc", "vp"}

// obLegacyVersion says whether doc is an Open Badges object older than
// 3.0: "2.0" for one with the OB 2.0 context, "1.x" for one with the 1.1
// context or none, "" for anything else (a Verifiable Credential).
func obLegacyVersion(doc map[string]json.RawMessage) string {
	for _, vc := range vcMembers {
		if _, ok := doc[vc]; ok {
			return ""
		}
	}
	_, recipient := doc["recipient"]
	_, badge := doc["badge"]
	if _, ok := doc["@context"]; !ok {
		if recipient && badge {
			return "1.x" // OB 0.5 and 1.0 had no context
		}
		return ""
	}
	if v := contextVersion(doc); v != "" {
		return v
	}
	// An assertion under another context: an OB 2.0 one whose context
	// check fails.
	var types credential.Types
	if _ = json.Unmarshal(doc["type"], &types); types.Has("Assertion") || recipient && badge {
		return "2.0"
	}
	return ""
}

// contextVersion returns "2.0" when doc's @context names (or writes out)
// the Open Badges 2.0 context, "1.x" when it names the 1.1 one, else "".
func contextVersion(doc map[string]json.RawMessage) string {
	raw := doc["@context"]
	var ctxs []json.RawMessage
	if json.Unmarshal(raw, &ctxs) != nil {
		ctxs = []json.RawMessage{raw}
	}
	for _, c := range ctxs {
		var s string
		if json.Unmarshal(c, &s) != nil {
			// The OB 2.0 context written inline, as some documents do.
			var inline map[string]json.RawMessage
			if json.Unmarshal(c, &inline) == nil && json.Unmarshal(inline["obi"], &s) == nil && s == "https://w3id.org/openbadges#" {
				return "2.0"
			}
			continue
		}
		switch s {
		case credential.ContextOB20, credential.ContextOB20Published:
			return "2.0"
		case credential.ContextOB11:
			return "1.x"
		}
	}
	return ""
}

// legacyJSON returns the version of the Open Badges object older than 3.0
// that text is, or "".
func legacyJSON(text []byte) string {
	// A credential or presentation (a VC-JWT's payload) says so at the top
	// level: no need to check and split all of it.
	if jsonobj.HasMember(text, vcMembers[:]...) {
		return ""
	}
	if !json.Valid(text) {
		return ""
	}
	doc, err := jsonobj.SplitObject(text)
	if err != nil {
		return ""
	}
	return obLegacyVersion(doc)
}

// isHTTPURL reports whether b is an absolute http or https URL and
// nothing else.
func isHTTPURL(b []byte) bool {
	if len(b) == 0 || len(b) > 4096 || !hasHTTPScheme(b) || bytes.ContainsAny(b, " \t\r\n\"'<>{}\\") {
		return false
	}
	u, err := url.Parse(string(b))
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// hasHTTPScheme reports whether b starts with http: or https: in any case,
// as a URL that url.Parse reads with one of those schemes does.
func hasHTTPScheme(b []byte) bool {
	scheme, _, ok := bytes.Cut(b[:min(len(b), len("https:"))], []byte(":"))
	return ok && (bytes.EqualFold(scheme, []byte("http")) || bytes.EqualFold(scheme, []byte("https")))
}

// legacyInput recognizes an Open Badges 2.0 (or older) object in text, as
// given or baked in an image (form "png" or "svg"): a JSON object, a
// compact JWS whose payload is one (nothing is verified here), or a URL.
func legacyInput(form string, text []byte) (ob20Input, bool) {
	switch {
	case len(text) > 0 && text[0] == '{':
		if v := legacyJSON(text); v != "" {
			return ob20Input{form: form, text: text, version: v}, true
		}
	case isHTTPURL(text):
		if form == "" {
			form = "url"
		}
		return ob20Input{form: form, url: string(text), version: "2.0"}, true
	default:
		_, rest, _ := bytes.Cut(text, []byte("."))
		segment, sig, ok := bytes.Cut(rest, []byte("."))
		if !ok || bytes.IndexByte(sig, '.') >= 0 {
			break // not three parts
		}
		// The payload is decoded into a reused buffer and copied only
		// when it is a legacy badge: a VC-JWT's is decoded again by
		// jose.Verifier.
		bp := payloadScratch.Get().(*[]byte)
		defer func() {
			if cap(*bp) <= 64<<10 {
				payloadScratch.Put(bp)
			}
		}()
		payload, err := base64.RawURLEncoding.AppendDecode((*bp)[:0], segment)
		*bp = payload
		if err != nil {
			break
		}
		if v := legacyJSON(payload); v != "" {
			if form == "" {
				form = "jws"
			}
			return ob20Input{form: form, text: bytes.Clone(payload), token: text, version: v}, true
		}
	}
	return ob20Input{}, false
}

// payloadScratch holds the buffers legacyInput decodes a JWS payload
// into, kept from one call to the next.
var payloadScratch = sync.Pool{New: func() any { return new([]byte) }}

// bakedLegacy is legacyInput for what bake.Extract found in an image.
func bakedLegacy(b *bake.Baked) (ob20Input, bool) {
	if !b.Legacy {
		return ob20Input{}, false
	}
	in, ok := legacyInput(strings.ToLower(b.Format.String()), b.Credential)
	if !ok {
		// JSON or a JWS that is no Open Badges object: the input check
		// says so.
		return ob20Input{form: strings.ToLower(b.Format.String()), version: "2.0"}, true
	}
	return in, true
}

// runAll runs every check of an Open Badges 2.0 verification in order.
func (o *ob20) runAll(ctx context.Context, depth int) (*Report, error) {
	r := o.r
	if err := o.load(ctx); err != nil {
		return nil, err
	}
	if o.revokedAtHost != "" {
		r.finish()
		return r.rep, nil
	}
	steps := []func(context.Context) error{o.checkContext, o.checkRules, o.checkBadge, o.checkProof, r.checkIssuer, o.checkStatus, o.checkValidity, o.checkRecipient}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	if err := o.checkEndorsements(ctx, depth); err != nil {
		return nil, err
	}
	r.finish()
	return r.rep, nil
}

// class is what the object must be: "Assertion" or "Endorsement".
func (o *ob20) class() string {
	if o.endorsement {
		return "Endorsement"
	}
	return "Assertion"
}

// what names the object for messages: "assertion" or "endorsement".
func (o *ob20) what() string { return strings.ToLower(o.class()) }

// load reads the input, fetches a hosted object's copy, and adds the input
// check. With nothing to check, r.cred stays nil and every later check is
// skipped.
func (o *ob20) load(ctx context.Context) error {
	r := o.r
	r.rep.Input, r.rep.Version = o.in.form, versionOB20
	if o.in.version == "1.x" {
		r.rep.Version = "OB 1.x"
		r.add(CheckInput, Failed, nil, "an Open Badges 1.x assertion: only Open Badges 2.0 and 3.0 are verified (its issuer may offer a 2.0 or 3.0 badge)")
		return nil
	}
	what := "an Open Badges 2.0 " + o.what()
	msg := what + " (JSON)"
	switch {
	case o.in.token != nil:
		msg = "a signed Open Badges 2.0 " + o.what() + " (compact JWS)"
	case o.in.url != "":
		msg = "the URL of " + what + ", " + o.in.url
	}
	if o.in.form == "png" || o.in.form == "svg" {
		msg += " baked into " + strings.ToUpper(o.in.form)
	}
	switch {
	case o.in.url != "":
		b, id, err := o.followObject(ctx, o.in.url)
		if err == nil && id != o.in.url {
			msg += ", whose document says its id is " + id + ", where it was read"
		}
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case gone(err):
			o.revokedAtHost = fmt.Sprintf("revoked: %s answers 410 Gone, which is how an issuer revokes a hosted %s", o.in.url, o.what())
			o.reportRevoked(msg)
			return nil
		case err != nil:
			r.add(CheckInput, outcomeOf(err), nil, "%s, which cannot be read: %v", msg, err)
			return nil
		}
		o.text, o.hosted = b, true
	case o.in.text == nil:
		r.add(CheckInput, Failed, nil, "the %s's Open Badges 2.0 data is not an Open Badges assertion", strings.ToUpper(o.in.form))
		return nil
	default:
		o.text = o.in.text
	}
	if class := otherClass(o.text); class != "" {
		r.add(CheckInput, Failed, nil, "an Open Badges 2.0 %s, not an assertion: a badge is an Assertion (credential.CheckOB2 checks the rules of any OB 2.0 document)", class)
		return nil
	}
	if err := o.parse(); err != nil {
		r.add(CheckInput, Failed, nil, "%s that cannot be read: %v", msg, err)
		return nil
	}
	switch {
	case o.ver.Signed():
		r.rep.Encoding = "signed"
	case o.ver.Hosted():
		r.rep.Encoding = "hosted"
	}
	if o.ver.Hosted() && !o.hosted {
		if err := o.fetchHosted(ctx); err != nil {
			return err
		}
	}
	r.cred = o.text
	r.rep.Credential = json.RawMessage(o.text)
	if o.hosted && o.revoked() {
		o.revokedAtHost = fmt.Sprintf("revoked: its copy at %s says so%s", o.id, reasonSuffix(o.revocationReason()))
	}
	if o.revokedAtHost != "" {
		o.reportRevoked(msg)
		return nil
	}
	r.add(CheckInput, Passed, nil, "%s", msg)
	return nil
}

// parse reads o.text as an Assertion or an Endorsement, whichever the
// object is to be (an object verified on its own is an Endorsement when
// its type says so).
func (o *ob20) parse() error {
	if !o.endorsement {
		var head struct {
			Type credential.Types `json:"type"`
		}
		_ = json.Unmarshal(o.text, &head)
		o.endorsement = head.Type.Has("Endorsement") && !head.Type.Has("Assertion")
	}
	if o.endorsement {
		e, err := credential.ParseOB2Endorsement(o.text, nil)
		if err != nil {
			return err
		}
		o.e, o.a, o.id, o.ver = e, nil, e.ID, e.Verification
		return nil
	}
	a, err := credential.ParseOB2Assertion(o.text, nil)
	if err != nil {
		return err
	}
	o.a, o.e, o.id, o.ver = a, nil, a.ID, a.Verification
	return nil
}

// otherClass returns the OB 2.0 class text is a document of, when that
// is one of those a badge links to (a BadgeClass, a Profile, ...) and not
// an Assertion or Endorsement; "" otherwise.
func otherClass(text []byte) string {
	var head struct {
		Type credential.Types `json:"type"`
	}
	_ = json.Unmarshal(text, &head)
	if head.Type.Has("Assertion") || head.Type.Has("Endorsement") {
		return ""
	}
	for _, c := range []string{"BadgeClass", "Issuer", "Profile", "CryptographicKey", "RevocationList", "AlignmentObject", "Criteria", "Evidence", "Image"} {
		if head.Type.Has(c) {
			return c
		}
	}
	return ""
}

// fetchHosted reads the copy of a hosted object at its id, which from then
// on is the object verified; the one given is kept to be compared with it.
// A copy that cannot be had is noted for the proof and status checks.
func (o *ob20) fetchHosted(ctx context.Context) error {
	if !isHTTPURL([]byte(o.id)) {
		return nil // the proof check says why this cannot be hosted
	}
	b, err := o.fetchObject(ctx, o.id)
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case gone(err):
		o.revokedAtHost = fmt.Sprintf("revoked: %s answers 410 Gone, which is how an issuer revokes a hosted %s", o.id, o.what())
		return nil
	case err != nil:
		o.hostedErr = err
		return nil
	}
	given := o.text
	o.text = b
	if err := o.parse(); err != nil {
		o.text, o.hostedErr = given, fmt.Errorf("the copy at %s cannot be read: %w", o.id, err)
		_ = o.parse()
		return nil
	}
	o.given, o.hosted = given, true
	return nil
}

// reportRevoked reports a hosted object its issuer revoked: the input
// check, the status check that says how, and every other check skipped.
func (o *ob20) reportRevoked(msg string) {
	r := o.r
	r.rep.Class, r.rep.Encoding = o.class(), "hosted"
	r.add(CheckInput, Passed, nil, "%s", msg)
	for _, id := range ob20Checks[1:] {
		if id == CheckStatus {
			r.add(CheckStatus, Failed, nil, "%s", o.revokedAtHost)
			continue
		}
		r.add(id, Skipped, nil, "nothing to check: its issuer revoked it (see the status check)")
	}
}

// skipped reports whether there is no object to check, and if so skips
// the check id.
func (o *ob20) skipped(id string) bool {
	if o.r.cred != nil {
		return false
	}
	o.r.add(id, Skipped, nil, "no %s to check", o.what())
	return true
}

// checkContext checks @context and type.
func (o *ob20) checkContext(ctx context.Context) error {
	r := o.r
	if o.skipped(CheckContext) {
		return nil
	}
	var types credential.Types
	if o.a != nil {
		types = o.a.Type
	} else {
		types = o.e.Type
	}
	r.rep.Class = o.class()
	var doc map[string]json.RawMessage
	_ = json.Unmarshal(o.text, &doc)
	switch {
	case contextVersion(doc) != "2.0":
		r.add(CheckContext, Failed, nil, "@context does not name the Open Badges 2.0 context %s", credential.ContextOB20)
	case !types.Has(o.class()):
		r.add(CheckContext, Failed, nil, "type %q does not include %s", []string(types), o.class())
	default:
		r.add(CheckContext, Passed, nil, "%s, %s", o.class(), versionOB20)
	}
	return nil
}

// fetchObject reads the JSON object at u from Trust.Documents or the
// network, and checks that it says its id is u: a document counts only at
// its own id. A document that cannot be had is an error that unavailable
// reports (and gone, for 410 Gone).
func (o *ob20) fetchObject(ctx context.Context, u string) ([]byte, error) {
	b, id, err := o.fetchAt(ctx, u)
	if err == nil && id != u {
		err = fmt.Errorf("%s says its id is %q: a document counts only at its own id", u, id)
	}
	return b, err
}

// followObject is fetchObject for a document that may be named by another
// URL than its id (a BadgeClass, a Profile, a hosted assertion named by
// its URL): when the document at u says its id is another http(s) URL,
// the document at that id is read instead, once, and must say so of
// itself. As the 1EdTech validator does, and as safe as naming that id
// directly. It returns the document and its id.
func (o *ob20) followObject(ctx context.Context, u string) ([]byte, string, error) {
	b, id, err := o.fetchAt(ctx, u)
	if err != nil || id == u {
		return b, id, err
	}
	if !isHTTPURL([]byte(id)) {
		return nil, "", fmt.Errorf("%s says its id is %q, where it cannot be read: a document counts only at its own id", u, id)
	}
	b, err = o.fetchObject(ctx, id)
	return b, id, err
}

// fetchAt reads the JSON object at u, and the id it says it has.
func (o *ob20) fetchAt(ctx context.Context, u string) ([]byte, string, error) {
	b, err := o.r.c.fetcher.Fetch(ctx, u)
	if err != nil {
		return nil, "", &notHadError{url: u, err: err}
	}
	var head struct {
		ID json.RawMessage `json:"id"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, "", fmt.Errorf("%s is not a JSON object", u)
	}
	var id string
	if json.Unmarshal(head.ID, &id) != nil {
		return nil, "", fmt.Errorf("%s has no id: a document counts only at its own id", u)
	}
	return b, id, nil
}

// notHadError is a document that could not be had.
type notHadError struct {
	url string
	err error
}

func (e *notHadError) Error() string {
	if errors.Is(e.err, errNotAvailable) {
		return fmt.Sprintf("%s is %v: supply it in Trust.Documents (openbadges verify --offline-map) or allow fetching (Trust.Fetcher, --allow-network)", e.url, e.err)
	}
	return fmt.Sprintf("%s cannot be had: %v", e.url, e.err)
}

func (e *notHadError) Unwrap() error { return e.err }

// unavailable reports whether err is a document that could not be had,
// which leaves a check undecided rather than failed.
func unavailable(err error) bool {
	var nh *notHadError
	return errors.As(err, &nh)
}

// gone reports whether err is a 410 Gone answer.
func gone(err error) bool {
	var se *fetch.StatusError
	return errors.As(err, &se) && se.StatusCode == http.StatusGone
}

// outcomeOf is Indeterminate for a document that could not be had, Failed
// for anything else.
func outcomeOf(err error) Outcome {
	if unavailable(err) {
		return Indeterminate
	}
	return Failed
}
