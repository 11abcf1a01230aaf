package verify

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/jose"
)

// maxOB20Keys bounds the keys of an issuer's Profile tried on a signed
// object that names no creator.
const maxOB20Keys = 8

// OB20KeyDetail is one key in the proof check's details of a signed Open
// Badges 2.0 object.
type OB20KeyDetail struct {
	// ID is the CryptographicKey's id, Owner the issuer its document
	// names, and Algorithm the JWS's.
	ID        string `json:"id"`
	Owner     string `json:"owner,omitempty"`
	Algorithm string `json:"algorithm,omitempty"`
	// Verified is true when the JWS verifies with this key, and Error
	// says why it does not.
	Verified bool   `json:"verified"`
	Error    string `json:"error,omitempty"`
	// undecided is true when the key could not be had.
	undecided bool
}

// OB20HostedDetail is the proof check's details of a hosted Open Badges 2.0
// object.
type OB20HostedDetail struct {
	// URL is the object's id, where its copy is hosted, and Host its
	// host; AllowedOrigins and StartsWith are the issuer's verification
	// policy.
	URL            string   `json:"url"`
	Host           string   `json:"host,omitempty"`
	AllowedOrigins []string `json:"allowedOrigins,omitempty"`
	StartsWith     []string `json:"startsWith,omitempty"`
	// Difference is the JSON pointer where the object given and the hosted
	// copy first differ, when they do.
	Difference *string `json:"difference,omitempty"`
}

// checkProof decides whether the object is its issuer's: a SignedBadge by
// the JWS's signature with a key the issuer's Profile lists and that names
// the issuer as owner, a HostedBadge by its copy at its id, within the
// issuer's verification policy.
func (o *ob20) checkProof(ctx context.Context) error {
	if o.skipped(CheckProof) {
		return nil
	}
	switch {
	case o.ver.Signed():
		return o.checkSigned(ctx)
	case o.ver.Hosted():
		o.checkHosted()
	default:
		o.r.add(CheckProof, Failed, nil, "the %s's verification type is neither SignedBadge nor HostedBadge: nothing says how it can be verified", o.what())
	}
	return nil
}

// checkSigned verifies a SignedBadge's JWS.
func (o *ob20) checkSigned(ctx context.Context) error {
	r := o.r
	if o.in.token == nil {
		r.add(CheckProof, Failed, nil, "a SignedBadge %s given as JSON, without the JWS that signs it: nothing shows its issuer made it", o.what())
		return nil
	}
	creator := o.ver.Creator
	var details []OB20KeyDetail
	// Without the issuer's Profile no key is confirmed; the signature is
	// still checked with the creator's key, when it can be had, to tell a
	// tampered object from one whose issuer cannot be confirmed.
	if o.profile == nil {
		why := o.unlinked
		if creator != "" && o.unlinkedOutcome == Indeterminate {
			d := o.tryKey(ctx, creator, nil)
			details = append(details, d)
			if d.Error != "" && !d.undecided {
				r.add(CheckProof, Failed, details, "not verified with the key it names (%s): %s", creator, d.Error)
				return nil
			}
		}
		if o.unlinkedOutcome == Indeterminate {
			r.add(CheckProof, Indeterminate, details, "not verified: no key is confirmed as the issuer's without the issuer's Profile: %s", why)
		} else {
			r.add(CheckProof, Skipped, details, "the issuer's Profile cannot be used (see the badge check)")
		}
		return nil
	}
	listed := o.profile.PublicKey
	var candidates []credential.OB2CryptographicKey
	for _, k := range listed {
		if creator == "" || k.ID == creator {
			candidates = append(candidates, k)
		}
	}
	ids := make([]string, len(listed))
	for i, k := range listed {
		ids[i] = k.ID
	}
	switch {
	case creator != "" && len(candidates) == 0:
		r.add(CheckProof, Failed, nil, "signed with the key %s, which the issuer's Profile (%s) does not list (publicKey: %q): nothing shows it is the issuer's", creator, o.issuerID, ids)
		return nil
	case len(candidates) == 0:
		r.add(CheckProof, Failed, nil, "the issuer's Profile (%s) lists no publicKey: a signed %s cannot be verified", o.issuerID, o.what())
		return nil
	case len(candidates) > maxOB20Keys:
		candidates = candidates[:maxOB20Keys]
	}
	undecided := false
	for _, k := range candidates {
		if err := ctx.Err(); err != nil {
			return err
		}
		var embedded *credential.OB2CryptographicKey
		if !k.Reference {
			embedded = &k
		}
		d := o.tryKey(ctx, k.ID, embedded)
		details = append(details, d)
		if d.Verified {
			r.add(CheckProof, Passed, details, "verified: %s by %s, a key of the issuer's Profile that names the issuer as its owner", d.Algorithm, d.ID)
			return nil
		}
		undecided = undecided || d.undecided
	}
	var errs []string
	for _, d := range details {
		errs = append(errs, d.ID+": "+d.Error)
	}
	if undecided {
		r.add(CheckProof, Indeterminate, details, "not verified: a key of the issuer's cannot be had: %s", strings.Join(errs, "; "))
		return nil
	}
	r.add(CheckProof, Failed, details, "the JWS does not verify with the issuer's key%s: %s", map[bool]string{true: "", false: "s"}[len(details) == 1], strings.Join(errs, "; "))
	return nil
}

// tryKey checks the JWS with the key id: embedded in the issuer's Profile,
// or the CryptographicKey published at id, which must name the issuer as
// its owner.
func (o *ob20) tryKey(ctx context.Context, id string, embedded *credential.OB2CryptographicKey) OB20KeyDetail {
	d := OB20KeyDetail{ID: id}
	k := embedded
	if k == nil {
		b, err := o.fetchObject(ctx, id)
		if err != nil {
			d.Error, d.undecided = err.Error(), unavailable(err)
			return d
		}
		if k, err = credential.ParseOB2CryptographicKey(b, nil); err != nil {
			d.Error = "the key document cannot be read: " + err.Error()
			return d
		}
	}
	d.Owner = k.Owner
	switch {
	case len(k.Type) > 0 && !k.Type.Has("CryptographicKey"):
		d.Error = fmt.Sprintf("type %q is not CryptographicKey", []string(k.Type))
		return d
	case k.Owner == "" && embedded == nil:
		d.Error = "the key document names no owner: nothing ties it to the issuer"
		return d
	case k.Owner != "" && o.issuerID != "" && k.Owner != o.issuerID:
		d.Error = fmt.Sprintf("the key's owner is %s, not the issuer %s", k.Owner, o.issuerID)
		return d
	}
	pub, err := parsePublicKeyPEM(k.PublicKeyPem)
	if err != nil {
		d.Error = "publicKeyPem: " + err.Error()
		return d
	}
	alg, _ := keys.AlgorithmOf(pub)
	d.Algorithm = string(alg)
	if _, _, err := jose.VerifySignature(o.in.token, pub); err != nil {
		d.Error = err.Error()
		return d
	}
	d.Verified = o.issuerID != "" && (k.Owner == o.issuerID || k.Owner == "" && embedded != nil)
	return d
}

// parsePublicKeyPEM reads a CryptographicKey's publicKeyPem: one PEM block,
// a PKIX ("PUBLIC KEY") or PKCS #1 ("RSA PUBLIC KEY") public key of a type
// and size package keys accepts, checked as it checks a JWK.
func parsePublicKeyPEM(s string) (crypto.PublicKey, error) {
	if s == "" {
		return nil, errors.New("missing")
	}
	block, rest := pem.Decode([]byte(s))
	if block == nil {
		return nil, errors.New("not a PEM block")
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return nil, errors.New("more than one PEM block")
	}
	var pub crypto.PublicKey
	var err error
	switch block.Type {
	case "PUBLIC KEY":
		pub, err = x509.ParsePKIXPublicKey(block.Bytes)
	case "RSA PUBLIC KEY":
		pub, err = x509.ParsePKCS1PublicKey(block.Bytes)
	default:
		return nil, fmt.Errorf("a PEM block of type %q, not a public key", block.Type)
	}
	if err != nil {
		return nil, err
	}
	// The checks package keys makes of every public key it reads (sizes,
	// points on the curve, no small-order Ed25519 point).
	jwk, err := keys.PublicJWK(pub, "")
	if err != nil {
		return nil, err
	}
	pub, _, err = keys.ParsePublicJWK(jwk)
	return pub, err
}

// checkHosted verifies a HostedBadge: its copy at its id is the object
// given, and its id is within the issuer's verification policy.
func (o *ob20) checkHosted() {
	r := o.r
	d := &OB20HostedDetail{URL: o.id}
	if o.in.token != nil {
		// A JWS over a hosted object: the hosted copy is what counts.
		defer func() {
			if c := &r.rep.Checks[len(r.rep.Checks)-1]; c.Outcome == Passed {
				c.Outcome = Warning
				c.Message += "; it came as a JWS, whose signature is not checked: a hosted " + o.what() + " is verified by its copy at its id"
			}
		}()
	}
	switch {
	case !isHTTPURL([]byte(o.id)):
		r.add(CheckProof, Failed, nil, "a HostedBadge %s's id must be the http(s) URL it is hosted at; %q is not one", o.what(), o.id)
		return
	case o.hostedErr != nil:
		r.add(CheckProof, outcomeOf(o.hostedErr), d, "not verified: a hosted %s is verified by its copy at its id, and %v", o.what(), o.hostedErr)
		return
	}
	if o.given != nil {
		if p, same := sameJSON(o.given, o.text); !same {
			d.Difference = &p
			r.add(CheckProof, Failed, d, "the %s given is not the one its issuer hosts at %s: they differ at %q", o.what(), o.id, p)
			return
		}
	}
	switch {
	case o.profile == nil && o.unlinkedOutcome == Indeterminate:
		r.add(CheckProof, Indeterminate, d, "hosted at %s, but without the issuer's Profile its verification policy is unknown: %s", o.id, o.unlinked)
		return
	case o.profile == nil:
		r.add(CheckProof, Skipped, d, "the issuer's Profile cannot be used (see the badge check)")
		return
	}
	ok, why := inScope(o.id, o.issuerID, o.profile.Verification, d)
	if !ok {
		r.add(CheckProof, Failed, d, "hosted at %s, outside the issuer's verification policy: %s", o.id, why)
		return
	}
	r.add(CheckProof, Passed, d, "hosted by its issuer at %s (%s)", o.id, why)
}

// inScope applies an issuer's verification policy (OB 2.0
// VerificationObject, in its Profile) to a hosted object's id: the id must
// start with one of startsWith, when given, and its host must be one of
// allowedOrigins, by default the host of the issuer's id. An issuer whose
// id is not an http(s) URL must give allowedOrigins. It says why.
func inScope(id, issuerID string, policy *credential.OB2Verification, d *OB20HostedDetail) (bool, string) {
	u, err := url.Parse(id)
	if err != nil || u.User != nil {
		return false, fmt.Sprintf("%q is not a plain http(s) URL", id)
	}
	d.Host = strings.ToLower(u.Host)
	var origins, prefixes []string
	if policy != nil {
		if p := policy.VerificationProperty; p != "" && p != "id" && p != "@id" {
			return false, fmt.Sprintf("the policy's verificationProperty %q is not id, the only one OB 2.0 defines", p)
		}
		origins, prefixes = policy.AllowedOrigins, policy.StartsWith
	}
	d.StartsWith = prefixes
	how := "the issuer's allowedOrigins"
	if len(origins) == 0 {
		iu, err := url.Parse(issuerID)
		if err != nil || (iu.Scheme != "https" && iu.Scheme != "http") || iu.Host == "" {
			return false, fmt.Sprintf("the issuer's id %s is not an http(s) URL and its Profile gives no allowedOrigins: nothing ties the %s to the issuer", issuerID, "host "+d.Host)
		}
		origins, how = []string{iu.Host}, "the host of the issuer's id"
	}
	d.AllowedOrigins = origins
	if len(prefixes) > 0 && !slices.ContainsFunc(prefixes, func(p string) bool { return p != "" && strings.HasPrefix(id, p) }) {
		return false, fmt.Sprintf("the id starts with none of the issuer's startsWith %q", prefixes)
	}
	if !slices.ContainsFunc(origins, func(o string) bool { return strings.EqualFold(o, d.Host) }) {
		return false, fmt.Sprintf("host %s is not %s %q", d.Host, how, origins)
	}
	if len(prefixes) > 0 {
		how += " and startsWith"
	}
	return true, fmt.Sprintf("host %s is in %s", d.Host, how)
}

// sameJSON reports whether a and b are the same JSON value (numbers
// compared by their text, objects whatever their members' order), and
// otherwise the JSON pointer where they first differ.
func sameJSON(a, b []byte) (string, bool) {
	var va, vb any
	da, db := json.NewDecoder(bytes.NewReader(a)), json.NewDecoder(bytes.NewReader(b))
	da.UseNumber()
	db.UseNumber()
	if da.Decode(&va) != nil || db.Decode(&vb) != nil {
		return "", false
	}
	return diffJSON("", va, vb)
}

func diffJSON(at string, a, b any) (string, bool) {
	switch a := a.(type) {
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok {
			return at, false
		}
		names := make([]string, 0, len(a)+len(bm))
		for k := range a {
			names = append(names, k)
		}
		for k := range bm {
			if _, ok := a[k]; !ok {
				names = append(names, k)
			}
		}
		slices.Sort(names)
		for _, k := range names {
			av, inA := a[k]
			bv, inB := bm[k]
			p := at + "/" + strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
			if inA != inB {
				return p, false
			}
			if p, same := diffJSON(p, av, bv); !same {
				return p, false
			}
		}
		return "", true
	case []any:
		bs, ok := b.([]any)
		if !ok {
			return at, false
		}
		for i := range max(len(a), len(bs)) {
			p := at + "/" + strconv.Itoa(i)
			if i >= len(a) || i >= len(bs) {
				return p, false
			}
			if p, same := diffJSON(p, a[i], bs[i]); !same {
				return p, false
			}
		}
		return "", true
	}
	if a != b {
		return at, false
	}
	return "", true
}
